"""The aspects, hazards and incidents registers in the REST API. Entries are entered, changed
with a reason and the version you loaded (409 when someone else changed them first) and never
deleted. An incident's health details are null for whoever may not see them."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.compliance.models import Obligation
from pdca.core.assignable import assignable_by_id
from pdca.ehs import selectors
from pdca.ehs import services as aspect_services
from pdca.ehs.api_participation import urlpatterns as participation_urls
from pdca.ehs.forms import AspectFilter, HazardFilter, IncidentFilter
from pdca.ehs.models import (
    HEALTH_FIELDS,
    Aspect,
    Condition,
    ControlOrInfluence,
    Exposed,
    Hazard,
    HazardType,
    Impact,
    Incident,
    IncidentKind,
    LifeCycleStage,
    PersonStatus,
)
from pdca.ehs.services import hazards as hazard_services
from pdca.ehs.services import incidents as incident_services


def _filtered(view: Any, form_class: Any) -> dict[str, Any]:
    form = form_class(view.request.GET or None)
    if form.is_bound and not form.is_valid():
        raise ApiValidationError(form.errors.get_json_data())
    return form.cleaned_data if form.is_bound else {}


def _people(organization: Any, data: dict[str, Any], *fields: str) -> dict[str, Any]:
    for field in fields:
        if field in data and data[field] is not None:
            data[field] = assignable_by_id(organization, data[field], field)
    return data


# Aspects -------------------------------------------------------------------------------------


class AspectOutput(serializers.ModelSerializer):
    class Meta:
        model = Aspect
        fields = [
            "id",
            *aspect_services.ASPECT_FIELDS,
            "obligations",
            "score",
            "significant",
            "status",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields


class AspectInput(serializers.Serializer):
    activity = serializers.CharField(max_length=200)
    aspect = serializers.CharField(max_length=200)
    impact_on = serializers.ChoiceField(choices=Impact.choices)
    impact = serializers.CharField()
    condition = serializers.ChoiceField(choices=Condition.choices, required=False)
    life_cycle_stage = serializers.ChoiceField(choices=LifeCycleStage.choices, required=False)
    control = serializers.ChoiceField(choices=ControlOrInfluence.choices, required=False)
    severity = serializers.IntegerField()
    frequency = serializers.IntegerField()
    stakeholder_concern = serializers.IntegerField()
    obligations = serializers.ListField(child=serializers.IntegerField(), required=False)
    operational_control = serializers.CharField(required=False, allow_blank=True)
    emergency_plan = serializers.CharField(required=False, allow_blank=True)
    monitoring = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField()
    review_on = serializers.DateField(required=False, allow_null=True)


class AspectChangeInput(AspectInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


def _obligations(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "obligations" in data:
        ids = data["obligations"]
        found = list(Obligation.objects.filter(organization=organization, pk__in=ids))
        if len(found) != len(set(ids)):
            raise ApiValidationError({"obligations": [_("Unknown obligation.")]})
        data["obligations"] = found
    return data


class AspectListView(OrgListAPIView):
    """The register of environmental aspects (filters: q, impact_on, condition,
    significant=yes|no, status=active|withdrawn|all); POST enters an aspect, its score and
    significance computed by the criteria."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = AspectOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Aspect.objects.none()
        data = _filtered(self, AspectFilter)
        return selectors.aspect_list(self.membership, data).prefetch_related("obligations")

    @extend_schema(request=AspectInput, responses=AspectOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = AspectInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _obligations(
            self.organization, _people(self.organization, dict(s.validated_data), "owner")
        )
        aspect = aspect_services.aspect_create(
            actor=request.user, organization=self.organization, **data
        )
        return Response(AspectOutput(aspect).data, status=status.HTTP_201_CREATED)


class AspectDetailView(OrgDetailAPIView):
    """An aspect; PATCH {version, reason, …the fields that change} reassesses it."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.edit"}
    serializer_class = AspectOutput
    input = AspectChangeInput

    def get_queryset(self) -> Any:
        return Aspect.objects.prefetch_related("obligations")

    def update(self, obj: Aspect, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _obligations(obj.organization, _people(obj.organization, data, "owner"))
        return aspect_services.aspect_update(
            actor=self.request.user, entry=obj, version=expected_version, reason=reason, **data
        )


# Hazards -------------------------------------------------------------------------------------


class HazardOutput(serializers.ModelSerializer):
    class Meta:
        model = Hazard
        fields = [
            "id",
            *hazard_services.HAZARD_FIELDS,
            *hazard_services.RATING_FIELDS,
            "status",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields


class HazardInput(serializers.Serializer):
    location_or_task = serializers.CharField(max_length=200)
    routine = serializers.BooleanField(required=False)
    hazard_type = serializers.ChoiceField(choices=HazardType.choices)
    hazard = serializers.CharField(max_length=200)
    harm = serializers.CharField(required=False, allow_blank=True)
    people_exposed = serializers.ListField(child=serializers.ChoiceField(choices=Exposed.choices))
    existing_controls = serializers.CharField(required=False, allow_blank=True)
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True)
    residual_consequence = serializers.IntegerField(required=False, allow_null=True)
    opportunities = serializers.CharField(required=False, allow_blank=True)
    workers_consulted = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField()
    review_on = serializers.DateField(required=False, allow_null=True)


class HazardChangeInput(HazardInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


class HazardListView(OrgListAPIView):
    """The hazard register (filters: q, hazard_type, flag=high|ppe_only, status); POST enters
    a hazard, rated by the risk method in force (or the 5 × 5 default)."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = HazardOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Hazard.objects.none()
        return selectors.hazard_list(self.membership, _filtered(self, HazardFilter))

    @extend_schema(request=HazardInput, responses=HazardOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = HazardInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _people(self.organization, dict(s.validated_data), "owner")
        hazard = hazard_services.hazard_create(
            actor=request.user, organization=self.organization, **data
        )
        return Response(HazardOutput(hazard).data, status=status.HTTP_201_CREATED)


class HazardDetailView(OrgDetailAPIView):
    """A hazard; PATCH {version, reason, …the fields that change} reassesses it."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.edit"}
    serializer_class = HazardOutput
    input = HazardChangeInput

    def get_queryset(self) -> Any:
        return Hazard.objects.all()

    def update(self, obj: Hazard, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _people(obj.organization, data, "owner")
        return hazard_services.hazard_update(
            actor=self.request.user, entry=obj, version=expected_version, reason=reason, **data
        )


# Incidents -----------------------------------------------------------------------------------


class IncidentOutput(serializers.ModelSerializer):
    """An incident; its health details are null for whoever may not see them."""

    reference = serializers.CharField(read_only=True)
    injury_details = serializers.CharField(allow_null=True, read_only=True)
    first_aid = serializers.CharField(allow_null=True, read_only=True)
    days_lost = serializers.IntegerField(allow_null=True, read_only=True)
    # Blank when nobody was hurt; declared so that the schema admits the blank.
    person_status = serializers.ChoiceField(
        choices=PersonStatus.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "occurred_at",
            "place",
            "kind",
            "description",
            "people_involved",
            "person_status",
            "reported_by",
            *HEALTH_FIELDS,
            "immediate_action",
            "reportable",
            "report_due_on",
            "authority_reference",
            "investigate_by",
            "status",
            "lead",
            "worker_representative",
            "team",
            "root_cause",
            "hazards",
            "aspects",
            "communicated",
            "close_reason",
            "version",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Incident) -> dict[str, Any]:
        data = super().to_representation(instance)
        membership = self.context.get("membership")
        roles = self.context.get("health_roles", [])
        if not selectors.may_see_health(membership, instance, roles):
            for name in HEALTH_FIELDS:
                data[name] = None
        return data


class IncidentInput(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    description = serializers.CharField()
    people_involved = serializers.CharField(required=False, allow_blank=True)
    person_status = serializers.ChoiceField(
        choices=PersonStatus.choices, required=False, allow_blank=True
    )
    injury_details = serializers.CharField(required=False, allow_blank=True)
    first_aid = serializers.CharField(required=False, allow_blank=True)
    days_lost = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    immediate_action = serializers.CharField(required=False, allow_blank=True)


class InvestigationInput(serializers.Serializer):
    version = serializers.IntegerField()
    lead = serializers.IntegerField(required=False)
    worker_representative = serializers.IntegerField(required=False)
    team = serializers.CharField(required=False, allow_blank=True)
    root_cause = serializers.CharField(required=False, allow_blank=True)
    communicated = serializers.CharField(required=False, allow_blank=True)
    reportable = serializers.BooleanField(required=False)
    report_due_on = serializers.DateField(required=False, allow_null=True)
    authority_reference = serializers.CharField(required=False, allow_blank=True)
    immediate_action = serializers.CharField(required=False, allow_blank=True)
    hazards = serializers.ListField(child=serializers.IntegerField(), required=False)
    aspects = serializers.ListField(child=serializers.IntegerField(), required=False)


class _IncidentContext:
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if not getattr(self, "swagger_fake_view", False):
            context["membership"] = self.membership  # type: ignore[attr-defined]
            context["health_roles"] = incident_services.settings_for(
                self.organization  # type: ignore[attr-defined]
            ).health_roles
        return context


class IncidentListView(_IncidentContext, OrgListAPIView):
    """The incidents, the latest first (filters: q, kind, status); POST reports one (any
    internal member)."""

    permissions = {"GET": "ehs.view", "POST": "ehs.report"}
    serializer_class = IncidentOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Incident.objects.none()
        qs = selectors.incident_list(self.membership, _filtered(self, IncidentFilter))
        return qs.prefetch_related("hazards", "aspects")

    @extend_schema(request=IncidentInput, responses=IncidentOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = IncidentInput(data=request.data)
        s.is_valid(raise_exception=True)
        incident = incident_services.incident_report(
            actor=request.user, organization=self.organization, **s.validated_data
        )
        return Response(
            IncidentOutput(incident, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class IncidentDetailView(_IncidentContext, OrgDetailAPIView):
    """An incident; PATCH {version, …} records its investigation (health details are changed
    on the page by those who see them)."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.investigate"}
    serializer_class = IncidentOutput
    input = InvestigationInput

    def get_queryset(self) -> Any:
        return Incident.objects.prefetch_related("hazards", "aspects")

    def update(self, obj: Incident, data: dict[str, Any], expected_version: int | None) -> Any:
        organization = obj.organization
        data = _people(organization, data, "lead", "worker_representative")
        for name, model in (("hazards", Hazard), ("aspects", Aspect)):
            if name in data:
                ids = data[name]
                found = list(model.objects.filter(organization=organization, pk__in=ids))
                if len(found) != len(set(ids)):
                    raise ApiValidationError({name: [_("Unknown entry.")]})
                data[name] = found
        return incident_services.incident_investigate(
            actor=self.request.user, incident=obj, version=expected_version, **data
        )


urlpatterns: list[URLPattern | URLResolver] = [
    *participation_urls,
    path("aspects/", AspectListView.as_view(), name="api-ehs-aspects"),
    path("aspects/<int:pk>/", AspectDetailView.as_view(), name="api-ehs-aspect"),
    path("hazards/", HazardListView.as_view(), name="api-ehs-hazards"),
    path("hazards/<int:pk>/", HazardDetailView.as_view(), name="api-ehs-hazard"),
    path("incidents/", IncidentListView.as_view(), name="api-ehs-incidents"),
    path("incidents/<int:pk>/", IncidentDetailView.as_view(), name="api-ehs-incident"),
]

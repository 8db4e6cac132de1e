"""The aspects and hazards registers in the REST API (the incidents are in api_incidents, the
consultation and participation of workers in api_participation). Entries are entered, changed
with a reason and the version you loaded (409 when someone else changed them first) and never
deleted."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from pdca.api.base import (
    OrgAPIView,
    OrgDetailAPIView,
    OrgListAPIView,
    SubResourceListView,
    objects_by_ids,
)
from pdca.api.typing import ApiRequest
from pdca.compliance.models import Obligation
from pdca.ehs import selectors
from pdca.ehs import services as aspect_services
from pdca.ehs.api_common import EhsWithdrawInput, filtered, people
from pdca.ehs.api_incidents import urlpatterns as incident_urls
from pdca.ehs.api_participation import urlpatterns as participation_urls
from pdca.ehs.forms import AspectFilter, HazardFilter
from pdca.ehs.models import (
    Aspect,
    Condition,
    ControlLevel,
    ControlOrInfluence,
    Exposed,
    Hazard,
    HazardControl,
    HazardType,
    Impact,
    LifeCycleStage,
    SignificanceCriteria,
)
from pdca.ehs.services import hazards as hazard_services

# Aspects -------------------------------------------------------------------------------------


class AspectOutput(serializers.ModelSerializer):
    class Meta:
        model = Aspect
        fields = [
            "id",
            *aspect_services.ASPECT_FIELDS,
            *aspect_services.ASPECT_RELATED,
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
    documents = serializers.ListField(child=serializers.IntegerField(), required=False)
    objectives = serializers.ListField(child=serializers.IntegerField(), required=False)
    operational_control = serializers.CharField(required=False, allow_blank=True)
    emergency_plan = serializers.CharField(required=False, allow_blank=True)
    monitoring = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField()
    review_on = serializers.DateField(required=False, allow_null=True)


class AspectChangeInput(AspectInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


def _linked(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The obligations, documents and objectives a body names by id, read as the
    organization's (an unknown id is refused on its field)."""
    from pdca.documents.models import Document
    from pdca.objectives.models import Objective

    for name, model in (
        ("obligations", Obligation),
        ("documents", Document),
        ("objectives", Objective),
    ):
        if name in data:
            data[name] = objects_by_ids(
                model.objects.filter(organization=organization), data[name], name
            )
    return data


ASPECT_LINKS = aspect_services.ASPECT_RELATED


class AspectListView(OrgListAPIView):
    """The register of environmental aspects (filters: q, impact_on, condition,
    significant=yes|no, status=active|withdrawn|all); POST enters an aspect, its score and
    significance computed by the criteria."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = AspectOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Aspect.objects.none()
        data = filtered(self, AspectFilter)
        return selectors.aspect_list(self.membership, data).prefetch_related(*ASPECT_LINKS)

    @extend_schema(request=AspectInput, responses=AspectOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = AspectInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _linked(
            self.organization, people(self.organization, dict(s.validated_data), "owner")
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
        return Aspect.objects.prefetch_related(*ASPECT_LINKS)

    def update(self, obj: Aspect, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _linked(obj.organization, people(obj.organization, data, "owner"))
        return aspect_services.aspect_update(
            actor=self.request.user, entry=obj, version=expected_version, reason=reason, **data
        )


class AspectWithdrawView(OrgAPIView):
    """POST {version, reason}: withdraw an aspect (it stays in the register, judged no more)."""

    permission = "ehs.edit"

    @extend_schema(request=EhsWithdrawInput, responses=AspectOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        aspect = self.get_object_for(Aspect, pk)
        s = EhsWithdrawInput(data=request.data)
        s.is_valid(raise_exception=True)
        aspect = aspect_services.aspect_withdraw(
            actor=request.user, aspect=aspect, **s.validated_data
        )
        return Response(AspectOutput(aspect).data)


class SignificanceCriteriaOutput(serializers.ModelSerializer):
    class Meta:
        model = SignificanceCriteria
        fields = [*aspect_services.CRITERIA_FIELDS, "version"]
        read_only_fields = fields


class SignificanceCriteriaInput(serializers.Serializer):
    version = serializers.IntegerField()
    scale = serializers.IntegerField()
    threshold = serializers.IntegerField()
    legal_points = serializers.IntegerField()
    legal_makes_significant = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True)


class SignificanceCriteriaView(OrgAPIView):
    """The significance criteria aspects are judged by (every member sees them on the
    register; version 0 until the organization saves its own); PUT {version, scale, threshold,
    legal_points, legal_makes_significant, notes} sets them (top management and the management
    representative), and the current aspects are judged again by them."""

    permissions = {"GET": "ehs.view", "PUT": "ehs.manage"}

    @extend_schema(responses=SignificanceCriteriaOutput)
    def get(self, request: ApiRequest, org: str) -> Response:
        criteria = aspect_services.criteria_for(self.organization)
        return Response(SignificanceCriteriaOutput(criteria).data)

    @extend_schema(request=SignificanceCriteriaInput, responses=SignificanceCriteriaOutput)
    def put(self, request: ApiRequest, org: str) -> Response:
        s = SignificanceCriteriaInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        version = data.pop("version")
        criteria = aspect_services.criteria_save(
            actor=request.user, organization=self.organization, version=version, **data
        )
        return Response(SignificanceCriteriaOutput(criteria).data)


# Hazards -------------------------------------------------------------------------------------


class HazardControlBrief(serializers.ModelSerializer):
    """A control as a hazard shows it (GET controls/<id>/ for the whole of it)."""

    class Meta:
        model = HazardControl
        fields = ["id", "level", "title", "owner", "due_on", "status"]
        read_only_fields = fields


class HazardOutput(serializers.ModelSerializer):
    controls = HazardControlBrief(many=True, read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            *hazard_services.HAZARD_FIELDS,
            *hazard_services.HAZARD_RELATED,
            *hazard_services.RATING_FIELDS,
            "status",
            "withdrawn_reason",
            "controls",
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
    obligations = serializers.ListField(child=serializers.IntegerField(), required=False)
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
        qs = selectors.hazard_list(self.membership, filtered(self, HazardFilter))
        return qs.prefetch_related("controls", "obligations")

    @extend_schema(request=HazardInput, responses=HazardOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = HazardInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _linked(
            self.organization, people(self.organization, dict(s.validated_data), "owner")
        )
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
        return Hazard.objects.prefetch_related("controls", "obligations")

    def update(self, obj: Hazard, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _linked(obj.organization, people(obj.organization, data, "owner"))
        return hazard_services.hazard_update(
            actor=self.request.user, entry=obj, version=expected_version, reason=reason, **data
        )


class HazardWithdrawView(OrgAPIView):
    """POST {version, reason}: withdraw a hazard (it stays in the register, with its
    controls)."""

    permission = "ehs.edit"

    @extend_schema(request=EhsWithdrawInput, responses=HazardOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        hazard = self.get_object_for(Hazard, pk)
        s = EhsWithdrawInput(data=request.data)
        s.is_valid(raise_exception=True)
        hazard = hazard_services.hazard_withdraw(
            actor=request.user, hazard=hazard, **s.validated_data
        )
        return Response(HazardOutput(hazard).data)


# Controls on hazards -------------------------------------------------------------------------


class HazardControlOutput(serializers.ModelSerializer):
    class Meta:
        model = HazardControl
        fields = ["id", *hazard_services.CONTROL_FIELDS, "version"]
        read_only_fields = fields


class HazardControlInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=ControlLevel.choices)
    title = serializers.CharField(max_length=200)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class HazardControlChangeInput(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=HazardControl.Status.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class HazardControlListView(SubResourceListView):
    """The controls on a hazard, at their levels of the hierarchy of controls; POST {level,
    title, owner, due_on} plans one (a high risk left with only personal protective equipment
    is flagged)."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    parent_model = Hazard
    input = HazardControlInput
    output = HazardControlOutput

    def child_queryset(self, parent: Hazard) -> Any:
        return parent.controls.order_by("pk")

    def create(self, parent: Hazard, data: dict[str, Any]) -> Any:
        data = people(parent.organization, data, "owner")
        return hazard_services.control_add(actor=self.request.user, hazard=parent, **data)


class HazardControlDetailView(OrgDetailAPIView):
    """A control on a hazard; PATCH {version, status, notes} reports its progress (its owner
    or a keeper of the register; what was done is said before it is marked done)."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.update_control"}
    serializer_class = HazardControlOutput
    input = HazardControlChangeInput

    def get_queryset(self) -> Any:
        return HazardControl.objects.select_related("hazard")

    def update(self, obj: HazardControl, data: dict[str, Any], expected_version: int | None) -> Any:
        # What the body leaves out stays as it is.
        return hazard_services.control_update(
            actor=self.request.user,
            control=obj,
            expected_version=expected_version,
            status=data.get("status", obj.status),
            notes=data.get("notes", obj.notes),
        )


urlpatterns: list[URLPattern | URLResolver] = [
    *participation_urls,
    path("aspects/", AspectListView.as_view(), name="api-ehs-aspects"),
    path("aspects/criteria/", SignificanceCriteriaView.as_view(), name="api-ehs-criteria"),
    path("aspects/<int:pk>/", AspectDetailView.as_view(), name="api-ehs-aspect"),
    path(
        "aspects/<int:pk>/withdraw/", AspectWithdrawView.as_view(), name="api-ehs-aspect-withdraw"
    ),
    path("hazards/", HazardListView.as_view(), name="api-ehs-hazards"),
    path("hazards/<int:pk>/", HazardDetailView.as_view(), name="api-ehs-hazard"),
    path(
        "hazards/<int:pk>/withdraw/", HazardWithdrawView.as_view(), name="api-ehs-hazard-withdraw"
    ),
    path(
        "hazards/<int:pk>/controls/",
        HazardControlListView.as_view(),
        name="api-ehs-hazard-controls",
    ),
    path("controls/<int:pk>/", HazardControlDetailView.as_view(), name="api-ehs-control"),
    *incident_urls,
]

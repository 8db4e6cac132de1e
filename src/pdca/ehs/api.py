"""The aspects and hazards registers in the REST API (the incidents are in api_incidents, the
consultation and participation of workers in api_participation). Entries are entered, changed
with a reason and the version you loaded (409 when someone else changed them first) and never
deleted."""

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
from pdca.ehs import selectors
from pdca.ehs import services as aspect_services
from pdca.ehs.api_common import filtered, people
from pdca.ehs.api_incidents import urlpatterns as incident_urls
from pdca.ehs.api_participation import urlpatterns as participation_urls
from pdca.ehs.forms import AspectFilter, HazardFilter
from pdca.ehs.models import (
    Aspect,
    Condition,
    ControlOrInfluence,
    Exposed,
    Hazard,
    HazardType,
    Impact,
    LifeCycleStage,
)
from pdca.ehs.services import hazards as hazard_services

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
        data = filtered(self, AspectFilter)
        return selectors.aspect_list(self.membership, data).prefetch_related("obligations")

    @extend_schema(request=AspectInput, responses=AspectOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = AspectInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _obligations(
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
        return Aspect.objects.prefetch_related("obligations")

    def update(self, obj: Aspect, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _obligations(obj.organization, people(obj.organization, data, "owner"))
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
        return selectors.hazard_list(self.membership, filtered(self, HazardFilter))

    @extend_schema(request=HazardInput, responses=HazardOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = HazardInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = people(self.organization, dict(s.validated_data), "owner")
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
        data = people(obj.organization, data, "owner")
        return hazard_services.hazard_update(
            actor=self.request.user, entry=obj, version=expected_version, reason=reason, **data
        )


urlpatterns: list[URLPattern | URLResolver] = [
    *participation_urls,
    path("aspects/", AspectListView.as_view(), name="api-ehs-aspects"),
    path("aspects/<int:pk>/", AspectDetailView.as_view(), name="api-ehs-aspect"),
    path("hazards/", HazardListView.as_view(), name="api-ehs-hazards"),
    path("hazards/<int:pk>/", HazardDetailView.as_view(), name="api-ehs-hazard"),
    *incident_urls,
]

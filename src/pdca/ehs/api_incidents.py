"""The incident register in the REST API (45001 10.2): any internal member reports an
incident or near miss; the keepers of the register record the investigation with the version
they loaded (409 when someone else changed it first). An incident's health details are null for
whoever may not see them. Incidents are never deleted."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.ehs import selectors
from pdca.ehs.api_common import filtered, people
from pdca.ehs.forms import IncidentFilter
from pdca.ehs.models import (
    HEALTH_FIELDS,
    Aspect,
    Hazard,
    Incident,
    IncidentKind,
    PersonStatus,
)
from pdca.ehs.services import incidents as incident_services


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
        qs = selectors.incident_list(self.membership, filtered(self, IncidentFilter))
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
        data = people(organization, data, "lead", "worker_representative")
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
    path("incidents/", IncidentListView.as_view(), name="api-ehs-incidents"),
    path("incidents/<int:pk>/", IncidentDetailView.as_view(), name="api-ehs-incident"),
]

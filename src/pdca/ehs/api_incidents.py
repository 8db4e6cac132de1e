"""The incident register in the REST API (45001 10.2): any internal member reports an
incident or near miss; the keepers of the register record the investigation with the version
they loaded (409 when someone else changed it first). An incident's health details are null for
whoever may not see them. Incidents are never deleted."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, objects_by_ids
from pdca.api.typing import ApiRequest
from pdca.core.roles import Role
from pdca.ehs import selectors
from pdca.ehs.api_common import filtered, people
from pdca.ehs.forms import IncidentFilter
from pdca.ehs.models import (
    HEALTH_FIELDS,
    Aspect,
    Hazard,
    Incident,
    IncidentKind,
    IncidentSettings,
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


def _health_context(view: OrgAPIView) -> dict[str, Any]:
    """What IncidentOutput needs to hide the health details from whoever may not see them."""
    return {
        "membership": view.membership,
        "health_roles": incident_services.settings_for(view.organization).health_roles,
    }


class _IncidentContext:
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if not getattr(self, "swagger_fake_view", False):
            context.update(_health_context(self))  # type: ignore[arg-type]
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
                rows = model.objects.filter(organization=organization)
                data[name] = objects_by_ids(rows, data[name], name)
        return incident_services.incident_investigate(
            actor=self.request.user, incident=obj, version=expected_version, **data
        )


class IncidentActionOutput(serializers.Serializer):
    """The nonconformity raised as an incident's corrective action."""

    id = serializers.IntegerField()
    reference = serializers.CharField()


class IncidentRaiseActionView(OrgAPIView):
    """POST: raise the corrective action as a nonconformity (source: incident), owned by the
    investigation's lead, once a worker representative took part and the root cause is found.
    201 with the nonconformity; 200 with the same one when it was raised before."""

    permission = "ehs.investigate"

    @extend_schema(request=None, responses={200: IncidentActionOutput, 201: IncidentActionOutput})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        from pdca.improvement.selectors import raised_from

        incident = self.get_object_for(Incident, pk)
        raised_before = raised_from(incident) is not None
        nc = incident_services.incident_raise_action(actor=request.user, incident=incident)
        return Response(
            IncidentActionOutput(nc).data,
            status=status.HTTP_200_OK if raised_before else status.HTTP_201_CREATED,
        )


class IncidentCloseInput(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField()


class IncidentCloseView(OrgAPIView):
    """POST {version, reason (what the investigation concluded)}: close an investigated
    incident (a worker representative took part, the root cause is found and the workers
    concerned were told)."""

    permission = "ehs.investigate"

    @extend_schema(request=IncidentCloseInput, responses=IncidentOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        incident = self.get_object_for(Incident, pk)
        s = IncidentCloseInput(data=request.data)
        s.is_valid(raise_exception=True)
        incident = incident_services.incident_close(
            actor=request.user, incident=incident, **s.validated_data
        )
        return Response(IncidentOutput(incident, context=_health_context(self)).data)


# Settings ------------------------------------------------------------------------------------


class IncidentSettingsOutput(serializers.ModelSerializer):
    health_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), read_only=True
    )

    class Meta:
        model = IncidentSettings
        fields = [*incident_services.SETTINGS_FIELDS, "version"]
        read_only_fields = fields


class IncidentSettingsInput(serializers.Serializer):
    version = serializers.IntegerField()
    health_roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    investigate_days = serializers.IntegerField()


class IncidentSettingsView(OrgAPIView):
    """Who sees the health details of incidents (besides the person who reported one) and the
    days to investigate one (version 0 until the organization saves its own); PUT {version,
    health_roles, investigate_days} sets them. Top management and the management representative
    only."""

    permission = "ehs.manage"

    @extend_schema(responses=IncidentSettingsOutput)
    def get(self, request: ApiRequest, org: str) -> Response:
        found = incident_services.settings_for(self.organization)
        return Response(IncidentSettingsOutput(found).data)

    @extend_schema(request=IncidentSettingsInput, responses=IncidentSettingsOutput)
    def put(self, request: ApiRequest, org: str) -> Response:
        s = IncidentSettingsInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        version = data.pop("version")
        saved = incident_services.settings_save(
            actor=request.user, organization=self.organization, version=version, **data
        )
        return Response(IncidentSettingsOutput(saved).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("incidents/", IncidentListView.as_view(), name="api-ehs-incidents"),
    path("incidents/settings/", IncidentSettingsView.as_view(), name="api-ehs-incident-settings"),
    path("incidents/<int:pk>/", IncidentDetailView.as_view(), name="api-ehs-incident"),
    path(
        "incidents/<int:pk>/action/",
        IncidentRaiseActionView.as_view(),
        name="api-ehs-incident-action",
    ),
    path("incidents/<int:pk>/close/", IncidentCloseView.as_view(), name="api-ehs-incident-close"),
]

"""Consultation and participation of workers in the REST API: the mechanisms, the log of
events, the barriers, and the topics covered in a period. Entries are changed with a reason
and the version you loaded (409 when someone else changed them first); events and
mechanisms are withdrawn, never deleted (POST …/withdraw/)."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.core.assignable import assignable_by_id, assignable_by_ids
from pdca.ehs import selectors
from pdca.ehs.api_common import EhsWithdrawInput
from pdca.ehs.forms import EventFilter, PeriodForm
from pdca.ehs.models import (
    Barrier,
    BarrierKind,
    ConsultationTopic,
    Mechanism,
    MechanismKind,
    ParticipationEvent,
    ParticipationTopic,
)
from pdca.ehs.services import participation as services

# Mechanisms ----------------------------------------------------------------------------------


class MechanismOutput(serializers.ModelSerializer):
    class Meta:
        model = Mechanism
        fields = ["id", *services.MECHANISM_FIELDS, "status", "withdrawn_reason", "version"]
        read_only_fields = fields


class MechanismInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MechanismKind.choices)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)


class MechanismChangeInput(MechanismInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


class MechanismListView(OrgListAPIView):
    """The mechanisms of consultation and participation; POST adds one."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = MechanismOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Mechanism.objects.none()
        return Mechanism.objects.order_by("status", "name", "pk")

    @extend_schema(request=MechanismInput, responses=MechanismOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = MechanismInput(data=request.data)
        s.is_valid(raise_exception=True)
        mechanism = services.mechanism_create(
            actor=request.user, organization=self.organization, **s.validated_data
        )
        return Response(MechanismOutput(mechanism).data, status=status.HTTP_201_CREATED)


class MechanismDetailView(OrgDetailAPIView):
    """A mechanism; PATCH {version, reason, …the fields that change} changes it."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.edit"}
    serializer_class = MechanismOutput
    input = MechanismChangeInput

    def get_queryset(self) -> Any:
        return Mechanism.objects.all()

    def update(self, obj: Mechanism, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        return services.mechanism_update(
            actor=self.request.user,
            mechanism=obj,
            version=expected_version,
            reason=reason,
            **data,
        )


class MechanismWithdrawView(OrgAPIView):
    """POST {version, reason}: withdraw a mechanism (its events stay in the log)."""

    permission = "ehs.edit"

    @extend_schema(request=EhsWithdrawInput, responses=MechanismOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        mechanism = self.get_object_for(Mechanism, pk)
        s = EhsWithdrawInput(data=request.data)
        s.is_valid(raise_exception=True)
        mechanism = services.mechanism_withdraw(
            actor=request.user, mechanism=mechanism, **s.validated_data
        )
        return Response(MechanismOutput(mechanism).data)


# The log -------------------------------------------------------------------------------------


class EventOutput(serializers.ModelSerializer):
    minutes_url = serializers.SerializerMethodField()

    class Meta:
        model = ParticipationEvent
        fields = [
            "id",
            *services.EVENT_FIELDS,
            *services.EVENT_PEOPLE,
            "minutes_name",
            "minutes_sha256",
            "minutes_url",
            "status",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields

    def get_minutes_url(self, event: ParticipationEvent) -> str | None:
        """Where the minutes are downloaded (the page's link), if there are any."""
        from django.urls import reverse

        if not event.minutes:
            return None
        request = self.context.get("request")  # its organization: no query per row
        org = request.membership.organization if request is not None else event.organization
        return reverse("ehs:event_minutes", kwargs={"org": org.slug, "pk": event.pk})


class EventInput(serializers.Serializer):
    held_on = serializers.DateField()
    mechanism = serializers.IntegerField()
    topic = serializers.CharField(max_length=200)
    consultation_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsultationTopic.choices), required=False
    )
    participation_topics = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipationTopic.choices), required=False
    )
    workers = serializers.ListField(child=serializers.IntegerField(), required=False)
    managers = serializers.ListField(child=serializers.IntegerField(), required=False)
    others = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField()


class EventChangeInput(EventInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


def _resolve(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The ids of the body as the organization's own mechanism and members."""
    if "mechanism" in data:
        mechanism = Mechanism.objects.filter(organization=organization, pk=data["mechanism"])
        found = mechanism.first()
        if found is None:
            raise ApiValidationError({"mechanism": [_("Unknown mechanism.")]})
        data["mechanism"] = found
    for name in services.EVENT_PEOPLE:
        if name in data:
            data[name] = assignable_by_ids(organization, data[name], name)
    return data


class EventListView(OrgListAPIView):
    """The log of consultation and participation, the latest first (filters: q, mechanism,
    topic, status=active|withdrawn|all); POST logs an event."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = EventOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ParticipationEvent.objects.none()
        form = EventFilter(self.request.GET or None, organization=self.organization)
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        data = form.cleaned_data if form.is_bound else {}
        return selectors.event_list(self.membership, data).prefetch_related("workers", "managers")

    @extend_schema(request=EventInput, responses=EventOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = EventInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _resolve(self.organization, dict(s.validated_data))
        event = services.event_record(actor=request.user, organization=self.organization, **data)
        return Response(EventOutput(event).data, status=status.HTTP_201_CREATED)


class EventDetailView(OrgDetailAPIView):
    """An event of the log; PATCH {version, reason, …the fields that change} corrects it."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.edit"}
    serializer_class = EventOutput
    input = EventChangeInput

    def get_queryset(self) -> Any:
        return ParticipationEvent.objects.prefetch_related("workers", "managers")

    def update(
        self, obj: ParticipationEvent, data: dict[str, Any], expected_version: int | None
    ) -> Any:
        reason = data.pop("reason", "")
        data = _resolve(obj.organization, data)
        return services.event_update(
            actor=self.request.user, event=obj, version=expected_version, reason=reason, **data
        )


class EventWithdrawView(OrgAPIView):
    """POST {version, reason}: withdraw an entry of the log (it stays, counted no more)."""

    permission = "ehs.edit"

    @extend_schema(request=EhsWithdrawInput, responses=EventOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        event = self.get_object_for(ParticipationEvent, pk)
        s = EhsWithdrawInput(data=request.data)
        s.is_valid(raise_exception=True)
        event = services.event_withdraw(actor=request.user, event=event, **s.validated_data)
        return Response(EventOutput(event).data)


class MinutesInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, Word, Excel, PNG or JPEG.")
    version = serializers.IntegerField()
    reason = serializers.CharField()


class EventMinutesView(OrgAPIView):
    """POST multipart {file, version, reason}: attach the minutes to an entry of the log (minutes
    attached before stay stored, named in its trail)."""

    permission = "ehs.edit"

    @extend_schema(request={"multipart/form-data": MinutesInput}, responses=EventOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        event = self.get_object_for(ParticipationEvent, pk)
        s = MinutesInput(data=request.data)
        s.is_valid(raise_exception=True)
        event = services.event_update(
            actor=request.user,
            event=event,
            version=s.validated_data["version"],
            reason=s.validated_data["reason"],
            minutes=s.validated_data["file"],
        )
        return Response(EventOutput(event, context={"request": request}).data)


# Barriers ------------------------------------------------------------------------------------


class BarrierOutput(serializers.ModelSerializer):
    class Meta:
        model = Barrier
        fields = ["id", *services.BARRIER_FIELDS, "version"]
        read_only_fields = fields


class BarrierInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BarrierKind.choices)
    description = serializers.CharField()
    identified_on = serializers.DateField()
    action = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField()
    removed_on = serializers.DateField(required=False, allow_null=True)


class BarrierChangeInput(BarrierInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


class BarrierListView(OrgListAPIView):
    """The barriers to participation, the open ones first; POST records one."""

    permissions = {"GET": "ehs.view", "POST": "ehs.edit"}
    serializer_class = BarrierOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Barrier.objects.none()
        return Barrier.objects.all()  # the model's order: open ones first

    @extend_schema(request=BarrierInput, responses=BarrierOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = BarrierInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data["owner"] = assignable_by_id(self.organization, data["owner"], "owner")
        barrier = services.barrier_create(
            actor=request.user, organization=self.organization, **data
        )
        return Response(BarrierOutput(barrier).data, status=status.HTTP_201_CREATED)


class BarrierDetailView(OrgDetailAPIView):
    """A barrier; PATCH {version, reason, …} records what was done or that it is removed."""

    permissions = {"GET": "ehs.view", "PATCH": "ehs.edit"}
    serializer_class = BarrierOutput
    input = BarrierChangeInput

    def get_queryset(self) -> Any:
        return Barrier.objects.all()

    def update(self, obj: Barrier, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        if "owner" in data:
            data["owner"] = assignable_by_id(obj.organization, data["owner"], "owner")
        return services.barrier_update(
            actor=self.request.user, barrier=obj, version=expected_version, reason=reason, **data
        )


# Coverage ------------------------------------------------------------------------------------


class TopicOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(source="label")
    events = serializers.IntegerField()
    last = serializers.DateField(allow_null=True)


class CoverageOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    events = serializers.IntegerField()
    workers = serializers.IntegerField(help_text="Distinct non-managerial workers taking part.")
    covered = serializers.IntegerField()
    total = serializers.IntegerField()
    consultation = TopicOutput(many=True)
    participation = TopicOutput(many=True)


class CoverageView(OrgAPIView):
    """The topics of ISO 45001 5.4 d) and e) covered by current events in a period (start,
    end; by default since the last signed management review)."""

    permission = "ehs.view"

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, description="YYYY-MM-DD"),
        ],
        responses=CoverageOutput,
    )
    def get(self, request: ApiRequest, org: str) -> Response:
        form = PeriodForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        start, end = services.default_period(self.organization, timezone.localdate())
        if form.is_bound:
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
        if start > end:
            raise ApiValidationError({"end": [_("The period ends before it starts.")]})
        return Response(CoverageOutput(services.coverage(self.organization, start, end)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("mechanisms/", MechanismListView.as_view(), name="api-ehs-mechanisms"),
    path("mechanisms/<int:pk>/", MechanismDetailView.as_view(), name="api-ehs-mechanism"),
    path(
        "mechanisms/<int:pk>/withdraw/",
        MechanismWithdrawView.as_view(),
        name="api-ehs-mechanism-withdraw",
    ),
    path("participation/", EventListView.as_view(), name="api-ehs-events"),
    path("participation/coverage/", CoverageView.as_view(), name="api-ehs-coverage"),
    path("participation/<int:pk>/", EventDetailView.as_view(), name="api-ehs-event"),
    path(
        "participation/<int:pk>/withdraw/",
        EventWithdrawView.as_view(),
        name="api-ehs-event-withdraw",
    ),
    path(
        "participation/<int:pk>/minutes/", EventMinutesView.as_view(), name="api-ehs-event-minutes"
    ),
    path("barriers/", BarrierListView.as_view(), name="api-ehs-barriers"),
    path("barriers/<int:pk>/", BarrierDetailView.as_view(), name="api-ehs-barrier"),
]

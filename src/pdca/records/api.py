"""The records register in the REST API: types, records, legal hold and signed disposal."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.records import selectors, services
from pdca.records.forms import RecordFilter
from pdca.records.models import Attachment, Record, RecordType


class RecordTypeOutput(serializers.ModelSerializer):
    class Meta:
        model = RecordType
        fields = [
            "id",
            "name",
            "owner",
            "location",
            "retention_months",
            "retention_trigger",
            "disposal_method",
            "confidentiality",
            "allowed_roles",
            "is_active",
            "version",
        ]


class AttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "file_name", "file_size", "file_type", "sha256", "removed_at"]


class RecordOutput(serializers.ModelSerializer):
    record_type_name = serializers.CharField(source="record_type.name", read_only=True)
    attachments = AttachmentOutput(many=True, read_only=True)

    class Meta:
        model = Record
        fields = [
            "id",
            "record_type",
            "record_type_name",
            "title",
            "reference",
            "date",
            "trigger_date",
            "retention_until",
            "status",
            "legal_hold",
            "legal_hold_reason",
            "disposed_at",
            "disposal_reason",
            "disposal_hash",
            "content_type",
            "object_id",
            "attachments",
            "version",
        ]
        read_only_fields = [
            "trigger_date",
            "retention_until",
            "status",
            "legal_hold",
            "legal_hold_reason",
            "disposed_at",
            "disposal_reason",
            "disposal_hash",
            "content_type",
            "object_id",
            "version",
        ]


class RecordInput(serializers.Serializer):
    record_type = serializers.IntegerField()
    title = serializers.CharField(max_length=255)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    date = serializers.DateField()
    trigger_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a type whose retention runs from an event (end of employment, …) that "
        "has happened: its date. Without it such a record has no disposal date yet.",
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class RecordTypeListView(OrgListAPIView):
    permissions = {"GET": "records.view", "POST": "records.manage"}
    serializer_class = RecordTypeOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return RecordType.objects.none()
        return selectors.visible_types(self.membership).order_by("name")

    @extend_schema(request=RecordTypeOutput, responses=RecordTypeOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = RecordTypeOutput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data.pop("version", None)
        owner = data.pop("owner")
        rtype = services.record_type_save(
            actor=request.user,
            organization=self.organization,
            owner=owner,
            **data,
        )
        return Response(RecordTypeOutput(rtype).data, status=status.HTTP_201_CREATED)


class RecordTypeDetailView(OrgDetailAPIView):
    permission = "records.view"
    serializer_class = RecordTypeOutput

    def get_queryset(self) -> Any:
        return RecordType.objects.all()


class RecordListView(OrgListAPIView):
    """Records (filters: q, record_type, status, queue=disposal|hold); POST keeps a record."""

    permissions = {"GET": "records.view", "POST": "records.edit"}
    serializer_class = RecordOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Record.objects.none()
        membership = self.membership
        form = RecordFilter(self.request.GET or None, types=selectors.visible_types(membership))
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        data = form.cleaned_data if form.is_bound else {}
        return selectors.record_list(membership, data).prefetch_related("attachments")

    @extend_schema(request=RecordInput, responses=RecordOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = RecordInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        rtype = selectors.visible_types(self.membership).filter(pk=d["record_type"]).first()
        if rtype is None:
            raise ApiValidationError({"record_type": [_("Unknown record type.")]})
        record = services.record_create(
            actor=request.user,
            organization=self.organization,
            record_type=rtype,
            title=d["title"],
            reference=d["reference"],
            date=d["date"],
            uploads=d["files"],
            trigger_date=d["trigger_date"],
        )
        return Response(RecordOutput(record).data, status=status.HTTP_201_CREATED)


class RecordCorrectionInput(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField()
    title = serializers.CharField(max_length=255)
    reference = serializers.CharField(max_length=100, allow_blank=True, default="")
    date = serializers.DateField()


class RecordDetailView(OrgDetailAPIView):
    """A record; PATCH {version, reason, title, reference, date} corrects it (409 when someone
    else changed it first). Records are never deleted: disposal is a signed POST to …/dispose/."""

    permissions = {"GET": "records.view", "PATCH": "records.edit"}
    serializer_class = RecordOutput
    input = RecordCorrectionInput
    partial_input = False  # a correction restates every field

    def get_queryset(self) -> Any:
        return Record.objects.select_related("record_type").prefetch_related("attachments")

    def update(self, obj: Record, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.record_correct(
            actor=self.request.user,
            record=obj,
            expected_version=expected_version,  # type: ignore[arg-type]  # required by the input
            **data,
        )


class _RecordAction(OrgAPIView):
    def _record(self, request: ApiRequest, pk: int) -> Record:
        return self.get_object_for(Record.objects.select_related("record_type"), pk)

    @extend_schema(responses=RecordOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(RecordOutput(self._record(request, pk)).data)


class DisposeInput(serializers.Serializer):
    password = serializers.CharField()
    reason = serializers.CharField()


class RecordDisposeView(_RecordAction):
    """POST {password, reason}: dispose of a record past retention (signed)."""

    permission = "records.dispose"

    @extend_schema(request=DisposeInput, responses=RecordOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        record = self._record(request, pk)
        s = DisposeInput(data=request.data)
        s.is_valid(raise_exception=True)
        record = services.record_dispose(actor=request.user, record=record, **s.validated_data)
        return Response(RecordOutput(record).data)


class TriggerInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you loaded (409 when stale).")
    trigger_date = serializers.DateField(
        help_text="When the event the type's retention runs from happened (the end of "
        "employment, of the equipment's life, of the contract): not in the future."
    )


class RecordTriggerView(_RecordAction):
    """POST {version, trigger_date}: enter the event the record's retention runs from once it
    has happened; the record gets its disposal date (never shorter under a legal hold)."""

    permission = "records.edit"

    @extend_schema(request=TriggerInput, responses=RecordOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        record = self._record(request, pk)
        s = TriggerInput(data=request.data)
        s.is_valid(raise_exception=True)
        record = services.record_trigger_set(
            actor=request.user,
            record=record,
            expected_version=s.validated_data["version"],
            trigger_date=s.validated_data["trigger_date"],
        )
        return Response(RecordOutput(record).data)


class HoldInput(serializers.Serializer):
    hold = serializers.BooleanField()
    reason = serializers.CharField()


class RecordHoldView(_RecordAction):
    """POST {hold: true|false, reason}: place or release a legal hold."""

    permission = "records.hold"

    @extend_schema(request=HoldInput, responses=RecordOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        record = self._record(request, pk)
        s = HoldInput(data=request.data)
        s.is_valid(raise_exception=True)
        service = (
            services.legal_hold_place if s.validated_data["hold"] else services.legal_hold_release
        )
        record = service(actor=request.user, record=record, reason=s.validated_data["reason"])
        return Response(RecordOutput(record).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", RecordListView.as_view(), name="api-records-list"),
    path("types/", RecordTypeListView.as_view(), name="api-records-types"),
    path("types/<int:pk>/", RecordTypeDetailView.as_view(), name="api-records-type"),
    path("<int:pk>/", RecordDetailView.as_view(), name="api-records-detail"),
    path("<int:pk>/dispose/", RecordDisposeView.as_view(), name="api-records-dispose"),
    path("<int:pk>/hold/", RecordHoldView.as_view(), name="api-records-hold"),
    path(
        "<int:pk>/retention-start/", RecordTriggerView.as_view(), name="api-records-retention-start"
    ),
]

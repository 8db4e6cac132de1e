"""Document control in the REST API: documents, revisions (read), signing, release, reading."""

import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.core.access import require_permission
from pdca.core.roles import Role
from pdca.documents import selectors, services
from pdca.documents.exports import master_list_xlsx
from pdca.documents.forms import MasterListFilter
from pdca.documents.models import (
    Acknowledgement,
    Confidentiality,
    DocType,
    Document,
    Meaning,
    Revision,
    Signature,
)


class SignatureOutput(serializers.ModelSerializer):
    class Meta:
        model = Signature
        fields = [
            "id",
            "full_name",
            "meaning",
            "comment",
            "signed_at",
            "content_hash",
            "signed_hash",
        ]


class RevisionOutput(serializers.ModelSerializer):
    signatures = SignatureOutput(many=True, read_only=True)
    author = serializers.CharField(source="author.display_name", read_only=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "id",
            "document",
            "label",
            "status",
            "change_reason",
            "author",
            "text",
            "has_file",
            "file_name",
            "file_size",
            "file_type",
            "content_hash",
            "effective_from",
            "ended_on",
            "version",
            "created_at",
            "signatures",
        ]

    def get_has_file(self, obj: Revision) -> bool:
        return bool(obj.file)


class DocumentOutput(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    current_revision = serializers.CharField(
        source="current_revision.label", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "title",
            "doc_type",
            "status",
            "owner",
            "owner_name",
            "department",
            "process",
            "confidentiality",
            "review_interval_months",
            "next_review_date",
            "current_revision",
            "version",
        ]
        read_only_fields = ["status", "next_review_date", "current_revision", "version"]


class DocumentInput(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocType.choices)
    title = serializers.CharField(max_length=255)
    number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default="internal")
    allowed_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, default=list
    )
    review_interval_months = serializers.IntegerField(min_value=1, max_value=60, default=12)
    file = serializers.FileField(required=False)


class DocumentListView(OrgListAPIView):
    """The master list (filters as on the page: q, doc_type, status, owner, clause, review)."""

    permissions = {"GET": "documents.view", "POST": "documents.edit"}
    serializer_class = DocumentOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Document.objects.none()
        form = MasterListFilter(self.request.GET or None, organization=self.organization)
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        data = form.cleaned_data if form.is_bound else {}
        return selectors.master_list(self.membership, data)

    @extend_schema(request=DocumentInput, responses=DocumentOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = DocumentInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        doc = services.document_create(
            actor=request.user,
            organization=self.organization,
            owner=request.user,
            upload=data.pop("file", None),
            **data,
        )
        return Response(DocumentOutput(doc).data, status=status.HTTP_201_CREATED)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentExportView(OrgAPIView):
    permission = "documents.export"

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request: ApiRequest, org: str) -> HttpResponse:
        form = MasterListFilter(request.GET or None, organization=self.organization)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        qs = selectors.master_list(self.membership, data)
        return HttpResponse(
            master_list_xlsx(qs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class DocumentDetailView(OrgDetailAPIView):
    permission = "documents.view"
    serializer_class = DocumentOutput

    def get_queryset(self) -> Any:
        return Document.objects.select_related("owner", "current_revision")


class DocumentRevisionsView(OrgListAPIView):
    permission = "documents.view"
    serializer_class = RevisionOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Revision.objects.none()
        doc = self.get_object_for(Document, self.kwargs["pk"])
        return (
            doc.revisions.select_related("author").prefetch_related("signatures").order_by("-seq")
        )


class RevisionEditInput(serializers.Serializer):
    """A draft's edit: what is left out keeps its value."""

    version = serializers.IntegerField(help_text="The version you edited (409 when stale).")
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    change_reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)


class RevisionDetailView(OrgDetailAPIView):
    """Read one revision. Revisions are never edited or deleted through the API once locked;
    drafts are edited with PATCH and a `version` (a stale version gets 409)."""

    permissions = {"GET": "documents.view", "PATCH": "documents.edit"}
    serializer_class = RevisionOutput
    input = RevisionEditInput
    partial_input = False  # the version is required; what else is left out keeps its value

    def get_queryset(self) -> Any:
        return Revision.objects.select_related("document", "author").prefetch_related("signatures")

    def get(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        rev = self.get_object()
        # The answer carries the text: the reader has opened it (what confirming reading needs).
        services.reading_opened(actor=request.user, revision=rev)
        return Response(self.get_serializer(rev).data)

    def update(self, obj: Revision, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.revision_update(  # object rule of the PATCH's permission: only drafts
            actor=self.request.user,
            revision=obj,
            version=expected_version,  # type: ignore[arg-type]  # required by RevisionEditInput
            text=data.get("text", obj.text),
            change_reason=data.get("change_reason", obj.change_reason),
            upload=data.get("file") or None,
        )


class SignInput(serializers.Serializer):
    password = serializers.CharField()
    meaning = serializers.ChoiceField(
        choices=[Meaning.REVIEWED, Meaning.APPROVED, Meaning.REJECTED]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RevisionSignView(OrgAPIView):
    """POST {password, meaning, comment}: sign a revision in review."""

    permission = "documents.sign"

    @extend_schema(responses=SignatureOutput(many=True))
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        rev = self.get_object_for(Revision, pk)
        return Response(SignatureOutput(rev.signatures.all(), many=True).data)

    @extend_schema(request=SignInput, responses=RevisionOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        rev = self.get_object_for(Revision.objects.select_related("document"), pk)
        s = SignInput(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data["meaning"] == Meaning.APPROVED:
            require_permission(self.membership, "documents.approve", rev)
        rev = services.revision_sign(actor=request.user, revision=rev, **s.validated_data)
        return Response(RevisionOutput(rev).data)


class ReleaseInput(serializers.Serializer):
    password = serializers.CharField()
    effective_from = serializers.DateField(default=datetime.date.today)


class RevisionReleaseView(OrgAPIView):
    permission = "documents.release"

    @extend_schema(responses=RevisionOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        rev = self.get_object_for(Revision, pk)
        return Response(RevisionOutput(rev).data)

    @extend_schema(request=ReleaseInput, responses=RevisionOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        rev = self.get_object_for(Revision.objects.select_related("document"), pk)
        s = ReleaseInput(data=request.data)
        s.is_valid(raise_exception=True)
        rev = services.revision_release(actor=request.user, revision=rev, **s.validated_data)
        return Response(RevisionOutput(rev).data)


class AcknowledgementOutput(serializers.ModelSerializer):
    document = serializers.CharField(source="revision.document.number", read_only=True)
    revision_label = serializers.CharField(source="revision.label", read_only=True)

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "document",
            "revision",
            "revision_label",
            "assigned_at",
            "opened_at",
            "acknowledged_at",
        ]


class ReadingListView(OrgListAPIView):
    """My pending reading."""

    permission = "documents.read_list"
    serializer_class = AcknowledgementOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Acknowledgement.objects.none()
        return selectors.reading_list(self.membership)


class AcknowledgeView(OrgAPIView):
    permission = "documents.acknowledge"

    @extend_schema(responses=AcknowledgementOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        ack = self.get_object_for(Acknowledgement, pk)
        return Response(AcknowledgementOutput(ack).data)

    @extend_schema(request=None, responses=AcknowledgementOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        ack = self.get_object_for(Acknowledgement, pk)
        ack = services.acknowledgement_confirm(actor=request.user, acknowledgement=ack)
        return Response(AcknowledgementOutput(ack).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", DocumentListView.as_view(), name="api-documents-list"),
    path("export.xlsx", DocumentExportView.as_view(), name="api-documents-export"),
    path("reading/", ReadingListView.as_view(), name="api-documents-reading"),
    path(
        "reading/<int:pk>/acknowledge/", AcknowledgeView.as_view(), name="api-documents-acknowledge"
    ),
    path("<int:pk>/", DocumentDetailView.as_view(), name="api-documents-detail"),
    path("<int:pk>/revisions/", DocumentRevisionsView.as_view(), name="api-documents-revisions"),
    path("revisions/<int:pk>/", RevisionDetailView.as_view(), name="api-documents-revision"),
    path(
        "revisions/<int:pk>/sign/", RevisionSignView.as_view(), name="api-documents-revision-sign"
    ),
    path(
        "revisions/<int:pk>/release/",
        RevisionReleaseView.as_view(),
        name="api-documents-revision-release",
    ),
]

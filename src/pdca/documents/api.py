"""Document control in the REST API: documents, revisions (read), signing, release, reading."""

import datetime
from collections.abc import Mapping
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
from pdca.core.assignable import assignable_by_id
from pdca.core.roles import Role
from pdca.documents import external, selectors, services
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


# --- Documents of external origin ------------------------------------------------------------


class ExternalOutput(serializers.ModelSerializer):
    """A document of external origin: its register entry and where it stands here."""

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
            "status",
            "owner",
            "owner_name",
            "confidentiality",
            "issuer",
            "external_reference",
            "edition",
            "obtained_from",
            "next_edition_check",
            "edition_check_months",
            "historic_retention_months",
            "current_revision",
            "version",
        ]
        read_only_fields = fields


class ExternalInput(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    issuer = serializers.CharField(max_length=200, allow_blank=True)
    external_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    edition = serializers.CharField(max_length=20, allow_blank=True)
    obtained_from = serializers.CharField(max_length=255, allow_blank=True)
    next_edition_check = serializers.DateField(allow_null=True)
    edition_check_months = serializers.IntegerField(min_value=1, max_value=60, default=12)
    historic_retention_months = serializers.IntegerField(
        min_value=1, max_value=1200, default=36, help_text="Keep superseded editions (months)."
    )
    number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(
        required=False, allow_null=True, help_text="A member's user id; yourself when left out."
    )
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default="internal")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)


class ExternalDetailsInput(serializers.Serializer):
    """The details that change without a new edition; what is left out keeps its value."""

    version = serializers.IntegerField(help_text="The version you loaded (409 when stale).")
    title = serializers.CharField(max_length=255, required=False)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    external_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    next_edition_check = serializers.DateField(required=False, allow_null=True)
    edition_check_months = serializers.IntegerField(min_value=1, max_value=60, required=False)
    historic_retention_months = serializers.IntegerField(
        min_value=1, max_value=1200, required=False
    )
    owner = serializers.IntegerField(required=False, help_text="A member's user id.")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False)


def _externals() -> Any:
    return Document.objects.filter(doc_type=DocType.EXTERNAL).select_related(
        "owner", "current_revision"
    )


class ExternalListView(OrgListAPIView):
    """Documents of external origin (standards, customer specifications, regulations…),
    earliest check for a new edition first; POST registers one: it is current at once, not
    reviewed or approved here."""

    permissions = {"GET": "documents.view", "POST": "documents.edit"}
    serializer_class = ExternalOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Document.objects.none()
        return (
            selectors.visible_documents(self.membership)
            .filter(doc_type=DocType.EXTERNAL)
            .select_related("owner", "current_revision")
            .defer("search_text", "search_vector", "current_revision__text", "owner__password")
            .order_by("next_edition_check", "number")
        )

    @extend_schema(request=ExternalInput, responses={201: ExternalOutput})
    def post(self, request: ApiRequest, org: str) -> Response:
        s = ExternalInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        owner = assignable_by_id(self.organization, data.pop("owner", None), "owner")
        doc = external.external_register(
            actor=request.user,
            organization=self.organization,
            owner=owner or request.user,
            upload=data.pop("file", None),
            **data,
        )
        return Response(ExternalOutput(doc).data, status=status.HTTP_201_CREATED)


class ExternalDetailView(OrgDetailAPIView):
    """One document of external origin; PATCH changes its details and register entry with the
    `version` you loaded (its edition changes by POST …/edition/)."""

    permissions = {"GET": "documents.view", "PATCH": "documents.edit"}
    serializer_class = ExternalOutput
    input = ExternalDetailsInput
    partial_input = False  # the version is required; what else is left out keeps its value

    def get_queryset(self) -> Any:
        return _externals()

    def update(self, obj: Document, data: dict[str, Any], expected_version: int | None) -> Any:
        if "owner" in data:
            data["owner"] = assignable_by_id(self.organization, data["owner"], "owner")
        raw = self.request.data
        for name in ("edition", "obtained_from"):  # refused by the service, not dropped unseen
            if isinstance(raw, Mapping) and name in raw:
                data[name] = raw[name]
        return external.external_details_update(
            actor=self.request.user,
            document=obj,
            version=expected_version,  # type: ignore[arg-type]  # required by the input
            **data,
        )


class ExternalEditionInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you loaded (409 when stale).")
    edition = serializers.CharField(max_length=20, allow_blank=True)
    obtained_from = serializers.CharField(max_length=255, allow_blank=True)
    next_edition_check = serializers.DateField(allow_null=True)
    change_reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)


class ExternalEditionView(OrgAPIView):
    """POST: register the issuer's new edition; it becomes current at once and the previous
    revision is superseded (kept by the document's rule for superseded revisions)."""

    permission = "documents.manage"

    @extend_schema(request=ExternalEditionInput, responses=ExternalOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        doc = self.get_object_for(_externals(), pk)
        s = ExternalEditionInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        external.external_edition_register(
            actor=request.user, document=doc, upload=data.pop("file", None), **data
        )
        return Response(ExternalOutput(_externals().get(pk=doc.pk)).data)


class ExternalCheckInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you loaded (409 when stale).")
    note = serializers.CharField(allow_blank=True, help_text="How it was checked.")
    next_edition_check = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Left out: after the document's interval.",
    )


class ExternalCheckView(OrgAPIView):
    """POST: the issuer was checked and the registered edition is still the current one."""

    permission = "documents.manage"

    @extend_schema(request=ExternalCheckInput, responses=ExternalOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        doc = self.get_object_for(_externals(), pk)
        s = ExternalCheckInput(data=request.data)
        s.is_valid(raise_exception=True)
        external.external_edition_checked(actor=request.user, document=doc, **s.validated_data)
        return Response(ExternalOutput(_externals().get(pk=doc.pk)).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", DocumentListView.as_view(), name="api-documents-list"),
    path("export.xlsx", DocumentExportView.as_view(), name="api-documents-export"),
    path("reading/", ReadingListView.as_view(), name="api-documents-reading"),
    path(
        "reading/<int:pk>/acknowledge/", AcknowledgeView.as_view(), name="api-documents-acknowledge"
    ),
    path("external/", ExternalListView.as_view(), name="api-documents-external-list"),
    path("external/<int:pk>/", ExternalDetailView.as_view(), name="api-documents-external"),
    path(
        "external/<int:pk>/edition/",
        ExternalEditionView.as_view(),
        name="api-documents-external-edition",
    ),
    path(
        "external/<int:pk>/check/", ExternalCheckView.as_view(), name="api-documents-external-check"
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

"""The certification lifecycle in the REST API: bodies, certificates (with their status and
planned cycle), external audits, their findings and the answers to them. Every write goes
through the services, so the API refuses what the pages refuse, with the rule in words."""

from typing import Any

from django.db.models import Model, QuerySet
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.typing import ApiRequest
from pdca.certification import access, selection, services
from pdca.certification.models import (
    AuditorAccess,
    BodySelection,
    Certificate,
    CertificationBody,
    DocumentationPack,
    EvidenceRequest,
    ExternalAudit,
    ExternalFinding,
    SelectionCandidate,
)
from pdca.certification.pack import PACK_KIND
from pdca.core.jobs import job_start
from pdca.core.models import Membership, Site
from pdca.standards.models import Clause, OrgStandard, Standard


def _one(model: type[Model], pk: Any, field: str, **scope: Any) -> Any:
    if pk is None:
        return None
    obj = model._default_manager.filter(pk=pk, **scope).first()
    if obj is None:
        raise ApiValidationError({field: [_("Unknown id %(pk)s.") % {"pk": pk}]})
    return obj


def _many(model: type[Model], pks: list[int], field: str, **scope: Any) -> list[Any]:
    objs = list(model._default_manager.filter(pk__in=pks, **scope))
    if len(objs) != len(set(pks)):
        raise ApiValidationError({field: [_("One or more ids are unknown.")]})
    return objs


def _resolve(data: dict[str, Any], org: Any) -> dict[str, Any]:
    """The ids of a body turned into the organization's objects (400 for an unknown one)."""
    values = dict(data)
    values.pop("version", None)
    if "body" in values:
        values["body"] = _one(CertificationBody, values["body"], "body", organization=org)
    if "certificate" in values:
        values["certificate"] = _one(
            Certificate, values["certificate"], "certificate", organization=org
        )
    if "clause" in values:
        values["clause"] = _one(Clause, values["clause"], "clause")
    many: dict[str, tuple[type[Model], dict[str, Any]]] = {
        "standards": (OrgStandard, {"organization": org}),
        "sites": (Site, {"organization": org}),
        "accredited_standards": (Standard, {}),
    }
    for name, (model, scope) in many.items():
        if name in values:
            values[name] = _many(model, values[name], name, **scope)
    return values


# Bodies --------------------------------------------------------------------------------------


class CertificationBodyOutput(serializers.ModelSerializer):
    class Meta:
        model = CertificationBody
        fields = [
            "id",
            "name",
            "accreditation_body",
            "accreditation_number",
            "accredited_standards",
            "sector_codes",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contract_start",
            "contract_end",
            "major_response_days",
            "minor_response_days",
            "notes",
            "is_active",
            "version",
        ]
        read_only_fields = fields


class CertificationBodyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    accreditation_body = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accreditation_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    accredited_standards = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of catalogue standards."
    )
    sector_codes = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contract_start = serializers.DateField(required=False, allow_null=True)
    contract_end = serializers.DateField(required=False, allow_null=True)
    major_response_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    minor_response_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(required=False)


class BodyListView(OrgListAPIView):
    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    serializer_class = CertificationBodyOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return CertificationBody.objects.none()
        return CertificationBody.objects.prefetch_related("accredited_standards").order_by(
            "name", "pk"
        )

    @extend_schema(request=CertificationBodyInput, responses=CertificationBodyOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = CertificationBodyInput(data=request.data)
        s.is_valid(raise_exception=True)
        body = services.body_create(
            actor=request.user,
            organization=self.organization,
            **_resolve(dict(s.validated_data), self.organization),
        )
        return Response(CertificationBodyOutput(body).data, status=status.HTTP_201_CREATED)


class BodyDetailView(OrgDetailAPIView):
    """A certification body; PATCH with the `version` you loaded changes it (409 when stale)."""

    permissions = {"GET": "certification.view", "PATCH": "certification.manage"}
    serializer_class = CertificationBodyOutput
    input = CertificationBodyInput

    def get_queryset(self) -> Any:
        return CertificationBody.objects.prefetch_related("accredited_standards")

    def update(self, obj: Any, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.body_update(
            actor=self.request.user,
            body=obj,
            expected_version=expected_version,
            **_resolve(data, self.organization),
        )


# Certificates --------------------------------------------------------------------------------


class CertificateOutput(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = [
            "id",
            "body",
            "number",
            "standards",
            "scope",
            "sites",
            "multi_site",
            "exclusions",
            "initial_certified_on",
            "decided_on",
            "issued_on",
            "expires_on",
            "previous_expiry",
            "transition_deadline",
            "status",
            "status_reason",
            "status_since",
            "status_until",
            "version",
        ]
        read_only_fields = fields


class CertificateInput(serializers.Serializer):
    body = serializers.IntegerField()
    number = serializers.CharField(max_length=80)
    standards = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the organization's chosen standards."
    )
    scope = serializers.CharField()
    sites = serializers.ListField(child=serializers.IntegerField(), required=False)
    multi_site = serializers.BooleanField(required=False)
    exclusions = serializers.CharField(required=False, allow_blank=True)
    initial_certified_on = serializers.DateField()
    decided_on = serializers.DateField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    previous_expiry = serializers.DateField(required=False, allow_null=True)
    transition_deadline = serializers.DateField(required=False, allow_null=True)


class CertificateCorrectionInput(CertificateInput):
    reason = serializers.CharField()
    version = serializers.IntegerField()


class CertificateListView(OrgListAPIView):
    """Certificates; POST records one, plans its surveillance and recertification audits and
    makes its standards certified (400 with the rule when the expiry is beyond three years)."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    serializer_class = CertificateOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Certificate.objects.none()
        return Certificate.objects.prefetch_related("standards", "sites").order_by(
            "-expires_on", "pk"
        )

    @extend_schema(request=CertificateInput, responses=CertificateOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = CertificateInput(data=request.data)
        s.is_valid(raise_exception=True)
        certificate = services.certificate_create(
            actor=request.user,
            organization=self.organization,
            **_resolve(dict(s.validated_data), self.organization),
        )
        return Response(CertificateOutput(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailView(OrgDetailAPIView):
    """A certificate; PATCH {version, reason, …} corrects it. It is never deleted: its status
    changes through …/status/."""

    permissions = {"GET": "certification.view", "PATCH": "certification.manage"}
    serializer_class = CertificateOutput
    input = CertificateCorrectionInput

    def get_queryset(self) -> Any:
        return Certificate.objects.prefetch_related("standards", "sites")

    def update(self, obj: Any, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        return services.certificate_update(
            actor=self.request.user,
            certificate=obj,
            expected_version=expected_version,
            reason=reason,
            **_resolve(data, self.organization),
        )


class CertificateStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Certificate.Status.choices)
    reason = serializers.CharField()
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField()


class CertificateStatusView(OrgAPIView):
    """POST {status, reason, since, until, version}: suspend (until at most six months later),
    reinstate, reduce, withdraw or mark expired."""

    permission = "certification.manage"

    @extend_schema(request=CertificateStatusInput, responses=CertificateOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        certificate = self.get_object_for(Certificate, pk)
        s = CertificateStatusInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        certificate = services.certificate_set_status(
            actor=request.user,
            certificate=certificate,
            expected_version=data.pop("version"),
            **data,
        )
        return Response(CertificateOutput(certificate).data)


# External audits -----------------------------------------------------------------------------


class ExternalAuditOutput(serializers.ModelSerializer):
    class Meta:
        model = ExternalAudit
        fields = [
            "id",
            "body",
            "certificate",
            "kind",
            "standards",
            "sites",
            "starts_on",
            "ends_on",
            "lead_auditor",
            "team",
            "audit_days",
            "status",
            "outcome",
            "recommendation",
            "plan_received_on",
            "report_received_on",
            "decided_on",
            "notes",
            "cancel_reason",
            "version",
        ]
        read_only_fields = fields


class ExternalAuditInput(serializers.Serializer):
    body = serializers.IntegerField()
    certificate = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ExternalAudit.Kind.choices)
    standards = serializers.ListField(child=serializers.IntegerField())
    sites = serializers.ListField(child=serializers.IntegerField(), required=False)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    lead_auditor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    team = serializers.CharField(max_length=400, required=False, allow_blank=True)
    audit_days = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    plan_received_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class AuditListView(OrgListAPIView):
    """External audits (filters: kind, status); POST plans one (stage 2 only after a passed
    stage 1)."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    serializer_class = ExternalAuditOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return ExternalAudit.objects.none()
        qs = ExternalAudit.objects.prefetch_related("standards", "sites")
        params = self.request.query_params
        if params.get("kind"):
            if params["kind"] not in ExternalAudit.Kind.values:
                raise ApiValidationError({"kind": [_("Unknown type.")]})
            qs = qs.filter(kind=params["kind"])
        if params.get("status"):
            if params["status"] not in ExternalAudit.Status.values:
                raise ApiValidationError({"status": [_("Unknown status.")]})
            qs = qs.filter(status=params["status"])
        return qs.order_by("-starts_on", "-pk")

    @extend_schema(request=ExternalAuditInput, responses=ExternalAuditOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = ExternalAuditInput(data=request.data)
        s.is_valid(raise_exception=True)
        audit = services.audit_plan(
            actor=request.user,
            organization=self.organization,
            **_resolve(dict(s.validated_data), self.organization),
        )
        return Response(ExternalAuditOutput(audit).data, status=status.HTTP_201_CREATED)


class AuditDetailView(OrgDetailAPIView):
    """An external audit; PATCH with its `version` changes the plan (409 when stale)."""

    permissions = {"GET": "certification.view", "PATCH": "certification.manage"}
    serializer_class = ExternalAuditOutput
    input = ExternalAuditInput

    def get_queryset(self) -> Any:
        return ExternalAudit.objects.prefetch_related("standards", "sites")

    def update(self, obj: Any, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.audit_update(
            actor=self.request.user,
            audit=obj,
            expected_version=expected_version,
            **_resolve(data, self.organization),
        )


class ExternalAuditHeldInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ExternalAudit.Outcome.choices, allow_blank=True)
    recommendation = serializers.ChoiceField(
        choices=ExternalAudit.Recommendation.choices, allow_blank=True, required=False, default=""
    )
    report_received_on = serializers.DateField(required=False, allow_null=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    audit_days = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    version = serializers.IntegerField()


class AuditHeldView(OrgAPIView):
    """POST {outcome, recommendation, report_received_on, decided_on, version}: the audit took
    place; no decision while a major nonconformity of it is not verified."""

    permission = "certification.manage"

    @extend_schema(request=ExternalAuditHeldInput, responses=ExternalAuditOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(ExternalAudit, pk)
        s = ExternalAuditHeldInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        audit = services.audit_record_held(
            actor=request.user, audit=audit, expected_version=data.pop("version"), **data
        )
        return Response(ExternalAuditOutput(audit).data)


# External findings ---------------------------------------------------------------------------


class ExternalFindingOutput(serializers.ModelSerializer):
    grade_definition = serializers.CharField(source="definition", read_only=True)

    class Meta:
        model = ExternalFinding
        fields = [
            "id",
            "audit",
            "grade",
            "grade_definition",
            "clause",
            "statement",
            "evidence",
            "response_due_on",
            "status",
            "response",
            "submitted_on",
            "accepted_on",
            "verification",
            "verified_on",
            "version",
        ]
        read_only_fields = fields


class ExternalFindingInput(serializers.Serializer):
    grade = serializers.ChoiceField(choices=ExternalFinding.Grade.choices)
    clause = serializers.IntegerField(required=False, allow_null=True)
    statement = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    response_due_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The body's deadline; required for a major or minor nonconformity.",
    )


class AuditFindingsView(SubResourceListView):
    """An external audit's findings; POST records one as the body graded it (a nonconformity
    raises its nonconformity in the improvement module)."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    parent_model = ExternalAudit
    input = ExternalFindingInput
    output = ExternalFindingOutput

    def child_queryset(self, parent: Any) -> QuerySet[Any]:
        return parent.findings.all()  # type: ignore[no-any-return]

    def create(self, parent: Any, data: dict[str, Any]) -> Any:
        return services.finding_create(
            actor=self.request.user, audit=parent, **_resolve(data, self.organization)
        )


class FindingDetailView(OrgDetailAPIView):
    """An external finding. It is never cancelled or deleted: it is answered (…/answer/)."""

    permission = "certification.view"
    serializer_class = ExternalFindingOutput

    def get_queryset(self) -> Any:
        return ExternalFinding.objects.all()


class ExternalFindingAnswerInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=["submit", "accept", "verify"])
    on = serializers.DateField()
    response = serializers.CharField(required=False, allow_blank=True, default="")
    verification = serializers.ChoiceField(
        choices=ExternalFinding.Verification.choices, required=False, default=""
    )
    version = serializers.IntegerField()


class FindingAnswerView(OrgAPIView):
    """POST {step: submit|accept|verify, on, response, verification, version}."""

    permission = "certification.respond"

    @extend_schema(request=ExternalFindingAnswerInput, responses=ExternalFindingOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        finding = self.get_object_for(ExternalFinding.objects.select_related("audit"), pk)
        s = ExternalFindingAnswerInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        finding = services.finding_answer(
            actor=request.user, finding=finding, expected_version=data.pop("version"), **data
        )
        return Response(ExternalFindingOutput(finding).data)


# Documentation packs -------------------------------------------------------------------------


class DocumentationPackOutput(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text="The page that downloads the ZIP (signed-in members who may download it)."
    )

    class Meta:
        model = DocumentationPack
        fields = [
            "id",
            "audit",
            "file_name",
            "size",
            "sha256",
            "manifest",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, obj: DocumentationPack) -> str:
        return reverse(
            "certification:pack_download",
            kwargs={"org": obj.organization.slug, "pk": obj.pk},
        )


class PackJobOutput(serializers.Serializer):
    job = serializers.IntegerField()
    status = serializers.CharField()
    page = serializers.CharField(help_text="The job's page: its progress, then the download.")


class AuditPacksView(OrgAPIView):
    """The documentation packs kept with an external audit; POST (no body) makes a new one on a
    worker and answers 202 with the job."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}

    @extend_schema(responses=DocumentationPackOutput(many=True))
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(ExternalAudit, pk)
        packs = audit.packs.select_related("organization")
        return Response(DocumentationPackOutput(packs, many=True).data)

    @extend_schema(request=None, responses={202: PackJobOutput})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(ExternalAudit, pk)
        if audit.status == ExternalAudit.Status.CANCELLED:
            raise ApiValidationError(_("A cancelled audit gets no documentation pack."))
        job = job_start(
            actor=request.user,
            membership=self.membership,
            kind=PACK_KIND,
            parameters={"audit": audit.pk},
        )
        data = {"job": job.pk, "status": job.status, "page": reverse("core:job", args=[job.pk])}
        return Response(PackJobOutput(data).data, status=status.HTTP_202_ACCEPTED)


# The auditor's access and requests -------------------------------------------------------------


class AuditorAccessOutput(serializers.ModelSerializer):
    auditor = serializers.CharField(source="membership.user.display_name", read_only=True)

    class Meta:
        model = AuditorAccess
        fields = ["id", "audit", "membership", "auditor", "valid_from", "valid_until", "ended_on"]
        read_only_fields = fields


class AuditorAccessInput(serializers.Serializer):
    membership = serializers.IntegerField(help_text="The external auditor's membership id.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class AuditAccessesView(SubResourceListView):
    """Who is let into an external audit; POST lets the body's auditor in for a time."""

    permissions = {"GET": "certification.manage", "POST": "certification.manage"}
    parent_model = ExternalAudit
    input = AuditorAccessInput
    output = AuditorAccessOutput

    def child_queryset(self, parent: Any) -> QuerySet[Any]:
        return parent.auditor_accesses.select_related("membership__user")  # type: ignore[no-any-return]

    def create(self, parent: Any, data: dict[str, Any]) -> Any:
        membership = _one(
            Membership, data.pop("membership"), "membership", organization=self.organization
        )
        return access.auditor_access_grant(
            actor=self.request.user, audit=parent, membership=membership, **data
        )


class EvidenceRequestOutput(serializers.ModelSerializer):
    class Meta:
        model = EvidenceRequest
        fields = [
            "id",
            "audit",
            "text",
            "asked_by",
            "created_at",
            "status",
            "answer",
            "links",
            "answered_by",
            "answered_at",
            "version",
        ]
        read_only_fields = fields


class EvidenceRequestInput(serializers.Serializer):
    text = serializers.CharField()


class AuditRequestsView(SubResourceListView):
    """The auditor's requests on an external audit; POST asks for evidence (the body's
    auditor let into the audit)."""

    permissions = {"GET": "certification.view", "POST": "certification.read_request"}
    parent_model = ExternalAudit
    input = EvidenceRequestInput
    output = EvidenceRequestOutput

    def child_queryset(self, parent: Any) -> QuerySet[Any]:
        return parent.requests.all()  # type: ignore[no-any-return]

    def create(self, parent: Any, data: dict[str, Any]) -> Any:
        return access.evidence_request_create(actor=self.request.user, audit=parent, **data)


class EvidenceRequestAnswerInput(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    links = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="pdca paths."
    )
    version = serializers.IntegerField()


class RequestAnswerView(OrgAPIView):
    """POST {answer, links, version}: the management representative answers a request."""

    permission = "certification.answer_request"

    @extend_schema(request=EvidenceRequestAnswerInput, responses=EvidenceRequestOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        evidence_request = self.get_object_for(EvidenceRequest, pk)
        s = EvidenceRequestAnswerInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        answered = access.evidence_request_answer(
            actor=request.user,
            request=evidence_request,
            expected_version=data.pop("version"),
            **data,
        )
        return Response(EvidenceRequestOutput(answered).data)


# Choosing a body -------------------------------------------------------------------------------


class SelectionCandidateOutput(serializers.ModelSerializer):
    class Meta:
        model = SelectionCandidate
        fields = ["id", "body", "scores", "audit_days", "price", "notes", "version"]
        read_only_fields = fields


class BodySelectionOutput(serializers.ModelSerializer):
    candidates = serializers.SerializerMethodField()

    class Meta:
        model = BodySelection
        fields = [
            "id",
            "title",
            "standards",
            "criteria",
            "status",
            "chosen",
            "reason",
            "decided_on",
            "approved_by",
            "candidates",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(SelectionCandidateOutput(many=True))
    def get_candidates(self, obj: BodySelection) -> Any:
        columns = selection.comparison(obj, list(obj.candidates.all()))
        return [
            {**SelectionCandidateOutput(col.candidate).data, "total": col.total} for col in columns
        ]


class BodySelectionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    standards = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    criteria = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="[{code, label, weight 0–10}]; defaults to pdca's seven criteria.",
    )


class SelectionListView(OrgListAPIView):
    """The comparisons of certification bodies; POST starts one."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    serializer_class = BodySelectionOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return BodySelection.objects.none()
        return BodySelection.objects.prefetch_related("standards", "candidates").order_by(
            "-created_at", "-pk"
        )

    @extend_schema(request=BodySelectionInput, responses={201: BodySelectionOutput})
    def post(self, request: ApiRequest, org: str) -> Response:
        s = BodySelectionInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _resolve(dict(s.validated_data), self.organization)
        created = selection.selection_create(
            actor=request.user, organization=self.organization, **data
        )
        return Response(BodySelectionOutput(created).data, status=status.HTTP_201_CREATED)


class SelectionDetailView(OrgAPIView):
    permission = "certification.view"

    @extend_schema(responses=BodySelectionOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(BodySelectionOutput(self.get_object_for(BodySelection, pk)).data)


class CandidateInput(serializers.Serializer):
    body = serializers.IntegerField()
    scores = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)
    audit_days = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class SelectionCandidatesView(SubResourceListView):
    """The candidates of a comparison; POST adds a body with its scores (0–5) and offer."""

    permissions = {"GET": "certification.view", "POST": "certification.manage"}
    parent_model = BodySelection
    input = CandidateInput
    output = SelectionCandidateOutput

    def child_queryset(self, parent: Any) -> QuerySet[Any]:
        return parent.candidates.all()  # type: ignore[no-any-return]

    def create(self, parent: Any, data: dict[str, Any]) -> Any:
        data["body"] = _one(CertificationBody, data["body"], "body", organization=self.organization)
        return selection.candidate_add(actor=self.request.user, selection=parent, **data)


class SelectionDecideInput(serializers.Serializer):
    chosen = serializers.IntegerField()
    reason = serializers.CharField()
    version = serializers.IntegerField()


class SelectionDecideView(OrgAPIView):
    """POST {chosen, reason, version}: top management's choice among the candidates."""

    permission = "certification.decide_selection"

    @extend_schema(request=SelectionDecideInput, responses=BodySelectionOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        obj = self.get_object_for(BodySelection, pk)
        s = SelectionDecideInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        chosen = _one(CertificationBody, data["chosen"], "chosen", organization=self.organization)
        decided = selection.selection_decide(
            actor=request.user,
            selection=obj,
            chosen=chosen,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(BodySelectionOutput(decided).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bodies/", BodyListView.as_view(), name="api-certification-bodies"),
    path("bodies/<int:pk>/", BodyDetailView.as_view(), name="api-certification-body"),
    path("selections/", SelectionListView.as_view(), name="api-certification-selections"),
    path("selections/<int:pk>/", SelectionDetailView.as_view(), name="api-certification-selection"),
    path(
        "selections/<int:pk>/candidates/",
        SelectionCandidatesView.as_view(),
        name="api-certification-selection-candidates",
    ),
    path(
        "selections/<int:pk>/decide/",
        SelectionDecideView.as_view(),
        name="api-certification-selection-decide",
    ),
    path("certificates/", CertificateListView.as_view(), name="api-certification-certificates"),
    path(
        "certificates/<int:pk>/",
        CertificateDetailView.as_view(),
        name="api-certification-certificate",
    ),
    path(
        "certificates/<int:pk>/status/",
        CertificateStatusView.as_view(),
        name="api-certification-certificate-status",
    ),
    path("audits/", AuditListView.as_view(), name="api-certification-audits"),
    path("audits/<int:pk>/", AuditDetailView.as_view(), name="api-certification-audit"),
    path("audits/<int:pk>/held/", AuditHeldView.as_view(), name="api-certification-audit-held"),
    path(
        "audits/<int:pk>/findings/",
        AuditFindingsView.as_view(),
        name="api-certification-audit-findings",
    ),
    path("audits/<int:pk>/packs/", AuditPacksView.as_view(), name="api-certification-audit-packs"),
    path(
        "audits/<int:pk>/accesses/",
        AuditAccessesView.as_view(),
        name="api-certification-audit-accesses",
    ),
    path(
        "audits/<int:pk>/requests/",
        AuditRequestsView.as_view(),
        name="api-certification-audit-requests",
    ),
    path(
        "requests/<int:pk>/answer/",
        RequestAnswerView.as_view(),
        name="api-certification-request-answer",
    ),
    path("findings/<int:pk>/", FindingDetailView.as_view(), name="api-certification-finding"),
    path(
        "findings/<int:pk>/answer/",
        FindingAnswerView.as_view(),
        name="api-certification-finding-answer",
    ),
]

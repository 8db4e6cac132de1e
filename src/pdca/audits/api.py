"""The audits API: programmes (with the coverage grid), audits, checklists, findings, signing.

Writes call the same services as the pages; ids of related objects are looked up within the
URL's organization, so another organization's ids are refused as unknown.
"""

from typing import Any

from django.db.models import Model
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.typing import ApiRequest
from pdca.audits import selectors, services
from pdca.audits.models import Audit, AuditProgramme, ChecklistQuestion, Finding
from pdca.audits.models.checklist import Answer
from pdca.core.assignable import assignable_by_id, assignable_by_ids
from pdca.core.models import Department, Site
from pdca.core.views.base import acting_user
from pdca.standards.models import Clause, Edition, Process


class ProgrammeOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditProgramme
        fields = ["id", "title", "cycle_start", "cycle_end", "objectives", "version"]
        read_only_fields = ["id", "version"]


class AuditOutput(serializers.ModelSerializer):
    class Meta:
        model = Audit
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "status",
            "programme",
            "planned_start",
            "planned_end",
            "objectives",
            "clauses",
            "processes",
            "departments",
            "sites",
            "editions",
            "criteria_documents",
            "lead_auditor",
            "team",
            "auditees",
            "independence_justification",
            "summary",
            "conclusion",
            "version",
        ]
        read_only_fields = fields


class AuditInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Audit.Kind.choices, default=Audit.Kind.INTERNAL)
    programme = serializers.IntegerField(required=False, allow_null=True)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    objectives = serializers.CharField(required=False, allow_blank=True)
    criteria_documents = serializers.CharField(required=False, allow_blank=True)
    lead_auditor = serializers.IntegerField(required=False, allow_null=True)
    clauses = serializers.ListField(child=serializers.IntegerField(), required=False)
    processes = serializers.ListField(child=serializers.IntegerField(), required=False)
    departments = serializers.ListField(child=serializers.IntegerField(), required=False)
    sites = serializers.ListField(child=serializers.IntegerField(), required=False)
    editions = serializers.ListField(child=serializers.IntegerField(), required=False)
    team = serializers.ListField(child=serializers.IntegerField(), required=False)
    auditees = serializers.ListField(child=serializers.IntegerField(), required=False)
    independence_justification = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why the audit is objective where the team is not fully independent (the "
        "management representative auditing 9.2 or 10.2, the consultant who implements the "
        "system).",
    )
    qualification_override = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Why the lead auditor leads although their auditor qualification has expired.",
    )
    version = serializers.IntegerField(required=False)


class QuestionOutput(serializers.ModelSerializer):
    answer = serializers.ChoiceField(
        choices=Answer.choices, allow_blank=True, read_only=True, help_text="Empty until answered."
    )

    class Meta:
        model = ChecklistQuestion
        fields = [
            "id",
            "position",
            "text",
            "guidance",
            "clause",
            "process",
            "document",
            "answer",
            "notes",
            "evidence_seen",
            "has_conflict",
            "version",
        ]
        read_only_fields = fields


class AnswerInput(serializers.Serializer):
    question = serializers.IntegerField()
    client_id = serializers.CharField(max_length=64)
    base_version = serializers.IntegerField(min_value=0)
    answer = serializers.ChoiceField(
        choices=["", "conform", "nonconform", "observation", "not_checked"], allow_blank=True
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_seen = serializers.CharField(required=False, allow_blank=True, default="")


class FindingOutput(serializers.ModelSerializer):
    grade_definition = serializers.CharField(source="definition", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "audit",
            "question",
            "grade",
            "grade_definition",
            "clause",
            "no_clause_reason",
            "process",
            "statement",
            "evidence",
            "requirement",
            "acknowledged_by",
            "acknowledged_at",
            "refusal_reason",
            "refusal_recorded_at",
            "created_at",
        ]
        read_only_fields = fields


class FindingInput(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Finding.Grade.choices)
    statement = serializers.CharField()
    clause = serializers.IntegerField(required=False, allow_null=True)
    process = serializers.IntegerField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    no_clause_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A nonconformity without a clause says why none applies.",
    )
    raise_nonconformity = serializers.BooleanField(default=True)


class ReportSignInput(serializers.Serializer):
    password = serializers.CharField()
    summary = serializers.CharField(required=False, allow_blank=True)
    conclusion = serializers.CharField(required=False, allow_blank=True)


class GridRowOutput(serializers.Serializer):
    key = serializers.CharField(
        help_text='"hs:8.1" for a harmonized clause shared by the standards, '
        '"iso14001:2015:8.2" for a clause or control of one edition, a process id for a process.'
    )
    label = serializers.CharField()  # type: ignore[assignment]
    covered = serializers.BooleanField()
    heading_only = serializers.BooleanField(
        help_text="Not covered, but an audit done names the heading above it."
    )
    risk = serializers.IntegerField()
    audits = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per quarter, the references of the audits in it.",
    )
    heading_audits = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per quarter, the audits that name only the heading above this row.",
    )


class GridOutput(serializers.Serializer):
    quarters = serializers.ListField(child=serializers.CharField(), help_text="YYYY-Qn")
    clauses = GridRowOutput(many=True)
    controls = GridRowOutput(
        many=True, help_text="ISO/IEC 27001 Annex A controls not excluded by the SoA."
    )
    processes = GridRowOutput(many=True)
    not_covered = serializers.ListField(child=serializers.CharField())
    overdue = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="What is wrong with the programme's cycle (length, certification cycle).",
    )
    cycle_note = serializers.CharField()


class AnswerOutcomeOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["saved", "duplicate", "conflict"])
    question = QuestionOutput()


class SignStatusOutput(serializers.Serializer):
    signed = serializers.BooleanField()
    sha256 = serializers.CharField(allow_null=True)
    signed_by = serializers.IntegerField(allow_null=True)
    lead_auditor = serializers.IntegerField(allow_null=True)
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="What must happen before the report is signed."
    )


class SignedOutput(serializers.Serializer):
    signed = serializers.BooleanField()
    sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()


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


def _audit_values(data: dict[str, Any], org: Any) -> dict[str, Any]:
    values = dict(data)
    values.pop("version", None)
    if "programme" in values:
        values["programme"] = _one(
            AuditProgramme, values["programme"], "programme", organization=org
        )
    if "lead_auditor" in values:
        values["lead_auditor"] = assignable_by_id(org, values["lead_auditor"], "lead_auditor")
    many = {
        "clauses": (Clause, {}),
        "editions": (Edition, {}),
        "processes": (Process, {"organization": org}),
        "departments": (Department, {"organization": org}),
        "sites": (Site, {"organization": org}),
    }
    for name in ("team", "auditees"):
        if name in values:
            values[name] = assignable_by_ids(org, values[name], name)
    for name, (model, scope) in many.items():
        if name in values:
            values[name] = _many(model, values[name], name, **scope)
    return values


class ProgrammeListView(OrgListAPIView):
    permissions = {"GET": "audits.view", "POST": "audits.plan"}
    serializer_class = ProgrammeOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return AuditProgramme.objects.none()
        return AuditProgramme.objects.all()

    @extend_schema(request=ProgrammeOutput, responses=ProgrammeOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = ProgrammeOutput(data=request.data)
        serializer.is_valid(raise_exception=True)
        programme = services.programme_save(
            actor=acting_user(request), organization=self.organization, **serializer.validated_data
        )
        return Response(ProgrammeOutput(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailView(OrgDetailAPIView):
    permission = "audits.view"
    serializer_class = ProgrammeOutput

    def get_queryset(self) -> Any:
        return AuditProgramme.objects.all()


class GridView(OrgAPIView):
    """The coverage of a programme: per clause row and process, the audits per quarter."""

    permission = "audits.view"

    @extend_schema(responses=GridOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        grid = selectors.programme_grid(self.get_object_for(AuditProgramme, pk))

        def rows(items: list[Any]) -> list[dict[str, Any]]:
            return [
                {
                    "key": r.key,
                    "label": r.label,
                    "covered": r.covered,
                    "heading_only": r.heading_only,
                    "risk": r.risk,
                    "audits": [[a.reference for a in cell] for cell in r.cells],
                    "heading_audits": [[a.reference for a in cell] for cell in r.heading_cells],
                }
                for r in items
            ]

        uncovered = grid.uncovered_clauses + grid.uncovered_controls + grid.uncovered_processes
        return Response(
            {
                "quarters": [f"{y}-Q{q}" for y, q in grid.quarters],
                "clauses": rows(grid.clause_rows),
                "controls": rows(grid.control_rows),
                "processes": rows(grid.process_rows),
                "not_covered": [r.label for r in uncovered],
                "overdue": [a.reference for a in grid.overdue],
                "warnings": grid.warnings,
                "cycle_note": grid.cycle_note,
            }
        )


class AuditListView(OrgListAPIView):
    permissions = {"GET": "audits.view", "POST": "audits.plan"}
    serializer_class = AuditOutput

    def get_queryset(self) -> Any:
        return Audit.objects.prefetch_related(
            "clauses", "processes", "departments", "sites", "editions", "team", "auditees"
        )

    @extend_schema(request=AuditInput, responses=AuditOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = AuditInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _audit_values(dict(serializer.validated_data), self.organization)
        audit = services.audit_save(
            actor=acting_user(request), organization=self.organization, **values
        )
        return Response(AuditOutput(audit).data, status=status.HTTP_201_CREATED)


class AuditDetailView(OrgDetailAPIView):
    permissions = {"GET": "audits.view", "PATCH": "audits.plan"}
    serializer_class = AuditOutput
    input = AuditInput

    def get_queryset(self) -> Any:
        return Audit.objects.all()

    def update(self, obj: Audit, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.audit_save(
            actor=acting_user(self.request),
            organization=self.organization,
            audit=obj,
            expected_version=expected_version,
            **_audit_values(data, self.organization),
        )


class ChecklistView(OrgAPIView):
    """GET the questions; POST one answer (idempotent on client_id; a stale base_version is kept
    as a conflicting revision and reported as outcome "conflict")."""

    permissions = {"GET": "audits.conduct", "POST": "audits.conduct"}

    @extend_schema(responses=QuestionOutput(many=True))
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(Audit, pk)
        return Response(QuestionOutput(audit.questions.all(), many=True).data)

    @extend_schema(
        request=AnswerInput, responses={200: AnswerOutcomeOutput, 201: AnswerOutcomeOutput}
    )
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(Audit, pk)
        serializer = AnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        question = _one(ChecklistQuestion, data.pop("question"), "question", audit=audit)
        result = services.answer_submit(actor=acting_user(request), question=question, **data)
        return Response(
            {"outcome": result.outcome, "question": QuestionOutput(result.question).data},
            status=status.HTTP_201_CREATED if result.outcome == "saved" else status.HTTP_200_OK,
        )


class FindingListView(SubResourceListView):
    permissions = {"GET": "audits.view", "POST": "audits.conduct"}
    parent_model = Audit
    input = FindingInput
    output = FindingOutput

    def child_queryset(self, parent: Audit) -> Any:
        return parent.findings.all()

    def create(self, parent: Audit, data: dict[str, Any]) -> Finding:
        data["clause"] = _one(Clause, data.get("clause"), "clause")
        data["process"] = _one(
            Process, data.get("process"), "process", organization=parent.organization
        )
        return services.finding_record(actor=acting_user(self.request), audit=parent, **data)


class FindingDetailView(OrgDetailAPIView):
    permission = "audits.view"
    serializer_class = FindingOutput

    def get_queryset(self) -> Any:
        return Finding.objects.all()


class SignView(OrgAPIView):
    """GET: whether the report is signed and its digest. POST: the lead auditor signs."""

    permissions = {"GET": "audits.sign", "POST": "audits.sign"}

    @extend_schema(responses=SignStatusOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(Audit, pk)
        report = getattr(audit, "report", None) if audit.is_closed else None
        return Response(
            {
                "signed": report is not None,
                "sha256": report.sha256 if report else None,
                "signed_by": report.signed_by_id if report else None,
                "lead_auditor": audit.lead_auditor_id,
                "problems": [] if report else services.signing_problems(audit),
            }
        )

    @extend_schema(request=ReportSignInput, responses={201: SignedOutput})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        audit = self.get_object_for(Audit, pk)
        serializer = ReportSignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_sign(
            actor=acting_user(request), audit=audit, **serializer.validated_data
        )
        return Response(
            {"signed": True, "sha256": report.sha256, "pdf_sha256": report.pdf_sha256},
            status=status.HTTP_201_CREATED,
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/", ProgrammeListView.as_view(), name="api-audits-programmes"),
    path("programmes/<int:pk>/", ProgrammeDetailView.as_view(), name="api-audits-programme"),
    path("programmes/<int:pk>/grid/", GridView.as_view(), name="api-audits-grid"),
    path("audits/", AuditListView.as_view(), name="api-audits-audits"),
    path("audits/<int:pk>/", AuditDetailView.as_view(), name="api-audits-audit"),
    path("audits/<int:pk>/checklist/", ChecklistView.as_view(), name="api-audits-checklist"),
    path("audits/<int:pk>/findings/", FindingListView.as_view(), name="api-audits-findings"),
    path("findings/<int:pk>/", FindingDetailView.as_view(), name="api-audits-finding"),
    path("audits/<int:pk>/sign/", SignView.as_view(), name="api-audits-sign"),
]

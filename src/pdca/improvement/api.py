"""The nonconformity API: raise, list, update, analyse, plan and update actions, verify,
close (with the password) and cancel (with a reason). Every write calls the same service as
the pages, so the same refusals (with their reasons) apply."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.outputs import ErrorOutput, pair_list
from pdca.api.typing import ApiRequest
from pdca.core.assignable import assignable_by_id
from pdca.core.models import Department, Organization, User
from pdca.core.views.base import acting_user
from pdca.documents.models import Revision
from pdca.improvement import selectors, services
from pdca.improvement.models import (
    Category,
    CorrectiveAction,
    EffectivenessCheck,
    Nonconformity,
    RisksOutcome,
    Similar,
    Source,
    SystemChangeOutcome,
)
from pdca.standards.models import Clause, Process


class ActionOutput(serializers.ModelSerializer):
    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "nonconformity",
            "title",
            "owner",
            "due_on",
            "status",
            "done_on",
            "notes",
            "version",
        ]
        read_only_fields = fields


class CheckOutput(serializers.ModelSerializer):
    class Meta:
        model = EffectivenessCheck
        fields = [
            "id",
            "nonconformity",
            "planned_on",
            "verifier",
            "result",
            "evidence",
            "early_reason",
            "checked_at",
            "checked_by",
        ]
        read_only_fields = fields


class NonconformityOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    root_cause_category = serializers.ChoiceField(
        choices=Category.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until analysed.",
    )
    similar = serializers.ChoiceField(
        choices=Similar.choices, allow_blank=True, read_only=True, help_text="Empty until analysed."
    )
    risks_outcome = serializers.ChoiceField(
        choices=RisksOutcome.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until the closure steps are recorded.",
    )
    system_change_outcome = serializers.ChoiceField(
        choices=SystemChangeOutcome.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until the closure steps are recorded.",
    )
    whys = serializers.SerializerMethodField()
    causes = serializers.SerializerMethodField()
    source_kind = serializers.SerializerMethodField()

    class Meta:
        model = Nonconformity
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "source",
            "severity",
            "clauses",
            "department",
            "process",
            "found_on",
            "owner",
            "raised_by",
            "source_kind",
            "source_id",
            "status",
            "containment",
            "no_containment_reason",
            "root_cause",
            "root_cause_category",
            "whys",
            "causes",
            "similar",
            "similar_notes",
            "risks_outcome",
            "risks_notes",
            "system_change_outcome",
            "system_change_notes",
            "system_change_revision",
            "system_change_process",
            "no_action_reason",
            "cancel_reason",
            "closed_at",
            "closed_by",
            "version",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_source_kind(self, obj: Nonconformity) -> str | None:
        """What it was raised from, as app_label.model (e.g. audits.finding), or null."""
        if obj.source_type_id is None:
            return None
        kind = ContentType.objects.get_for_id(obj.source_type_id)
        return f"{kind.app_label}.{kind.model}"

    def get_whys(self, obj: Nonconformity) -> list[str]:
        return [w.text for w in obj.whys.all()]

    def get_causes(self, obj: Nonconformity) -> list[dict[str, str]]:
        return [{"category": c.category, "text": c.text} for c in obj.causes.all()]


class NonconformityInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Source.choices, default=Source.EMPLOYEE
    )
    severity = serializers.ChoiceField(choices=Nonconformity.Severity.choices, default="minor")
    found_on = serializers.DateField(required=False)
    clauses = serializers.ListField(child=serializers.IntegerField(), required=False)
    department = serializers.IntegerField(required=False, allow_null=True)
    process = serializers.IntegerField(required=False, allow_null=True)
    owner = serializers.IntegerField(required=False, allow_null=True)
    containment = serializers.CharField(required=False, allow_blank=True)
    no_containment_reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class RootCauseInput(serializers.Serializer):
    whys = serializers.ListField(child=serializers.CharField(max_length=500), max_length=10)
    causes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), required=False, default=list
    )
    root_cause = serializers.CharField()
    root_cause_category = serializers.ChoiceField(choices=Category.choices)
    similar = serializers.ChoiceField(
        choices=Similar.choices, help_text="Whether similar nonconformities exist or could occur."
    )
    similar_notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class ActionInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class ActionUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=CorrectiveAction.Status.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class CheckPlanInput(serializers.Serializer):
    planned_on = serializers.DateField()
    verifier = serializers.IntegerField()


class CheckResultInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=["effective", "not_effective"])
    evidence = serializers.CharField()
    early_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required before the planned date: why it can be verified already.",
    )


class ClosureStepsInput(serializers.Serializer):
    risks_outcome = serializers.ChoiceField(choices=RisksOutcome.choices)
    risks_notes = serializers.CharField(required=False, allow_blank=True, default="")
    system_change_outcome = serializers.ChoiceField(choices=SystemChangeOutcome.choices)
    system_change_notes = serializers.CharField(required=False, allow_blank=True, default="")
    system_change_revision = serializers.IntegerField(required=False, allow_null=True)
    system_change_process = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField()


class CloseInput(serializers.Serializer):
    password = serializers.CharField()
    no_action_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Closes a minor internal nonconformity by its correction alone: why no "
        "corrective action is needed.",
    )


class CancelInput(serializers.Serializer):
    reason = serializers.CharField()


class CloseCheckOutput(serializers.Serializer):
    can_close = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it cannot be closed yet; empty when it can.")


class CancelCheckOutput(serializers.Serializer):
    can_cancel = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it cannot be cancelled; empty when it can.")
    status = serializers.ChoiceField(choices=Nonconformity.Status.choices)


class RecurrenceOutput(serializers.Serializer):
    clause = serializers.CharField(allow_null=True)
    process = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    numbers = serializers.ListField(child=serializers.CharField())


class AnalysisOutput(serializers.Serializer):
    by_source = pair_list("[source, count]")
    by_category = pair_list("[root-cause category, count]")
    by_department = pair_list("[department, count], the 15 largest")
    by_clause = pair_list("[clause number, count], the 15 largest")
    by_month = pair_list("[YYYY-MM, count] over the last 12 months")
    mean_days_to_close = serializers.FloatField(allow_null=True)
    closures_sampled = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    open_count = serializers.IntegerField()
    recurrences = RecurrenceOutput(many=True)


def _org(request: ApiRequest) -> Organization:
    return request.membership.organization


def _member(request: ApiRequest, pk: Any, field: str) -> User | None:
    return assignable_by_id(_org(request), pk, field)


def _related(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    org = _org(request)
    values = dict(data)
    values.pop("version", None)
    if values.get("department") is not None:
        values["department"] = Department.objects.filter(
            pk=values["department"], organization=org
        ).first()
        if values["department"] is None:
            raise ApiValidationError({"department": [_("Unknown department.")]})
    if values.get("process") is not None:
        values["process"] = Process.objects.filter(pk=values["process"], organization=org).first()
        if values["process"] is None:
            raise ApiValidationError({"process": [_("Unknown process.")]})
    if "owner" in values:
        values["owner"] = _member(request, values["owner"], "owner")
    if "clauses" in values:
        ids = set(values["clauses"])
        clauses = list(Clause.objects.filter(pk__in=ids))
        if len(clauses) != len(ids):
            raise ApiValidationError({"clauses": [_("One or more clauses are unknown.")]})
        values["clauses"] = clauses
    return values


class NonconformityListView(OrgListAPIView):
    permissions = {"GET": "improvement.view", "POST": "improvement.raise"}
    serializer_class = NonconformityOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Nonconformity.objects.none()
        qs = Nonconformity.objects.prefetch_related("clauses", "whys", "causes")
        params = self.request.query_params
        for name in ("status", "source", "severity"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        return qs.order_by("-number")

    @extend_schema(request=NonconformityInput, responses=NonconformityOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = NonconformityInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _related(request, dict(serializer.validated_data))
        containment = values.pop("containment", "")
        nc = services.nonconformity_raise(
            actor=acting_user(request), organization=_org(request), **values
        )
        if containment:
            nc = services.nonconformity_update(
                actor=acting_user(request),
                nonconformity=nc,
                expected_version=nc.version,
                containment=containment,
            )
        return Response(NonconformityOutput(nc).data, status=status.HTTP_201_CREATED)


class NonconformityDetailView(OrgDetailAPIView):
    """GET one; PATCH its fields (with `version` to refuse a stale edit); DELETE is refused:
    a nonconformity is cancelled with a reason, never deleted."""

    permissions = {
        "GET": "improvement.view",
        "PATCH": "improvement.manage",
        "DELETE": "improvement.cancel",
    }

    serializer_class = NonconformityOutput
    input = NonconformityInput

    def get_queryset(self) -> Any:
        return Nonconformity.objects.all()

    def update(self, obj: Nonconformity, data: dict[str, Any], expected_version: int | None) -> Any:
        values = _related(self.request, data)
        clauses = values.pop("clauses", None)
        return services.nonconformity_update(
            actor=acting_user(self.request),
            nonconformity=obj,
            expected_version=expected_version,  # type: ignore[arg-type]  # None: the service refuses
            clauses=clauses,
            **values,
        )

    @extend_schema(responses={405: ErrorOutput})
    def delete(self, request: ApiRequest, org: str, pk: int) -> Response:
        self.get_object_for(Nonconformity, pk)
        return Response(
            {
                "detail": "A nonconformity is never deleted: cancel it with a reason "
                "(POST …/cancel/).",
                "status": 405,
            },
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )


class AnalysisSaveView(OrgAPIView):
    permissions = {"GET": "improvement.view", "POST": "improvement.manage"}

    @extend_schema(responses=NonconformityOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(NonconformityOutput(self.get_object_for(Nonconformity, pk)).data)

    @extend_schema(request=RootCauseInput, responses=NonconformityOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        serializer = RootCauseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        causes = [(str(c.get("category", "")), str(c.get("text", ""))) for c in data["causes"]]
        nc = services.analysis_save(
            actor=acting_user(request),
            nonconformity=nc,
            whys=data["whys"],
            causes=causes,
            root_cause=data["root_cause"],
            root_cause_category=data["root_cause_category"],
            similar=data["similar"],
            similar_notes=data["similar_notes"],
            expected_version=data.get("version"),
        )
        return Response(NonconformityOutput(nc).data)


class ActionListView(SubResourceListView):
    permissions = {"GET": "improvement.view", "POST": "improvement.manage"}
    parent_model = Nonconformity
    input = ActionInput
    output = ActionOutput

    def child_queryset(self, parent: Nonconformity) -> Any:
        return parent.actions.all()

    def create(self, parent: Nonconformity, data: dict[str, Any]) -> CorrectiveAction:
        data["owner"] = _member(self.request, data["owner"], "owner")
        return services.action_plan(actor=acting_user(self.request), nonconformity=parent, **data)


class ActionDetailView(OrgDetailAPIView):
    permissions = {"GET": "improvement.view", "PATCH": "improvement.update_action"}
    serializer_class = ActionOutput
    input = ActionUpdateInput
    partial_input = False

    def get_queryset(self) -> Any:
        return CorrectiveAction.objects.all()

    def update(
        self, obj: CorrectiveAction, data: dict[str, Any], expected_version: int | None
    ) -> Any:
        return services.action_update(
            actor=acting_user(self.request),
            action=obj,
            status=data["status"],
            notes=data["notes"],
            expected_version=expected_version,  # type: ignore[arg-type]  # None: the service refuses
        )


class CheckListView(SubResourceListView):
    permissions = {"GET": "improvement.view", "POST": "improvement.verify"}
    parent_model = Nonconformity
    input = CheckPlanInput
    output = CheckOutput

    def child_queryset(self, parent: Nonconformity) -> Any:
        return parent.checks.all()

    def create(self, parent: Nonconformity, data: dict[str, Any]) -> EffectivenessCheck:
        data["verifier"] = _member(self.request, data["verifier"], "verifier")
        return services.check_plan(actor=acting_user(self.request), nonconformity=parent, **data)


class CheckDetailView(OrgDetailAPIView):
    permissions = {"GET": "improvement.view", "POST": "improvement.record_check"}
    serializer_class = CheckOutput

    def get_queryset(self) -> Any:
        return EffectivenessCheck.objects.all()

    @extend_schema(request=CheckResultInput, responses=CheckOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        check = self.get_object_for(EffectivenessCheck, pk)
        serializer = CheckResultInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        check = services.check_record(
            actor=acting_user(request), check=check, **serializer.validated_data
        )
        return Response(CheckOutput(check).data)


class CloseView(OrgAPIView):
    """GET: whether it can be closed and, if not, why. POST: close, with the password."""

    permissions = {"GET": "improvement.close", "POST": "improvement.close"}

    @extend_schema(responses=CloseCheckOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        refusal = services.closing_refusal(nc)
        return Response({"can_close": not refusal, "reason": refusal})

    @extend_schema(request=CloseInput, responses=NonconformityOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        serializer = CloseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        nc = services.nonconformity_close(
            actor=acting_user(request),
            nonconformity=nc,
            password=serializer.validated_data["password"],
            no_action_reason=serializer.validated_data["no_action_reason"],
        )
        return Response(NonconformityOutput(nc).data)


class ClosureStepsView(OrgAPIView):
    """Whether the risks and opportunities were updated and the management system changed
    (with the document revision or process that carries the change)."""

    permissions = {"GET": "improvement.view", "POST": "improvement.manage"}

    @extend_schema(responses=NonconformityOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(NonconformityOutput(self.get_object_for(Nonconformity, pk)).data)

    @extend_schema(request=ClosureStepsInput, responses=NonconformityOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        serializer = ClosureStepsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org_ = _org(request)
        revision = process = None
        if data.get("system_change_revision") is not None:
            revision = Revision.objects.filter(
                pk=data["system_change_revision"], organization=org_
            ).first()
            if revision is None:
                raise ApiValidationError({"system_change_revision": [_("Unknown revision.")]})
        if data.get("system_change_process") is not None:
            process = Process.objects.filter(
                pk=data["system_change_process"], organization=org_
            ).first()
            if process is None:
                raise ApiValidationError({"system_change_process": [_("Unknown process.")]})
        nc = services.closure_steps_save(
            actor=acting_user(request),
            nonconformity=nc,
            expected_version=data["version"],
            risks_outcome=data["risks_outcome"],
            risks_notes=data["risks_notes"],
            system_change_outcome=data["system_change_outcome"],
            system_change_notes=data["system_change_notes"],
            system_change_revision=revision,
            system_change_process=process,
        )
        return Response(NonconformityOutput(nc).data)


class CancelView(OrgAPIView):
    permissions = {"GET": "improvement.cancel", "POST": "improvement.cancel"}

    @extend_schema(responses=CancelCheckOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        refusal = services.cancel_refusal(nc) if nc.is_open else ""
        return Response(
            {"can_cancel": nc.is_open and not refusal, "reason": refusal, "status": nc.status}
        )

    @extend_schema(request=CancelInput, responses=NonconformityOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        nc = self.get_object_for(Nonconformity, pk)
        serializer = CancelInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        nc = services.nonconformity_cancel(
            actor=acting_user(request), nonconformity=nc, reason=serializer.validated_data["reason"]
        )
        return Response(NonconformityOutput(nc).data)


class AnalysisView(OrgAPIView):
    permission = "improvement.view_analysis"

    @extend_schema(responses=AnalysisOutput)
    def get(self, request: ApiRequest, org: str) -> Response:
        return Response(selectors.analysis(_org(request)))


urlpatterns: list[URLPattern | URLResolver] = [
    path("nonconformities/", NonconformityListView.as_view(), name="api-improvement-ncs"),
    path("nonconformities/<int:pk>/", NonconformityDetailView.as_view(), name="api-improvement-nc"),
    path(
        "nonconformities/<int:pk>/root-cause/",
        AnalysisSaveView.as_view(),
        name="api-improvement-analysis-save",
    ),
    path(
        "nonconformities/<int:pk>/actions/",
        ActionListView.as_view(),
        name="api-improvement-actions",
    ),
    path("actions/<int:pk>/", ActionDetailView.as_view(), name="api-improvement-action"),
    path(
        "nonconformities/<int:pk>/checks/", CheckListView.as_view(), name="api-improvement-checks"
    ),
    path("checks/<int:pk>/", CheckDetailView.as_view(), name="api-improvement-check"),
    path(
        "nonconformities/<int:pk>/closure-steps/",
        ClosureStepsView.as_view(),
        name="api-improvement-closure-steps",
    ),
    path("nonconformities/<int:pk>/close/", CloseView.as_view(), name="api-improvement-close"),
    path("nonconformities/<int:pk>/cancel/", CancelView.as_view(), name="api-improvement-cancel"),
    path("analysis/", AnalysisView.as_view(), name="api-improvement-analysis"),
]

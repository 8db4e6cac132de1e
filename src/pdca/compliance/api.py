"""The register of legal and other requirements in the REST API: obligations (entered,
changed as a new version with a reason, withdrawn; never deleted), their evaluations of
compliance (recorded, corrected with a reason) and the compliance status."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, objects_by_ids
from pdca.api.typing import ApiRequest
from pdca.compliance import selectors, services
from pdca.compliance.forms import EvaluationFilter, ObligationFilter
from pdca.compliance.models import (
    Discipline,
    Evaluation,
    EvaluationMethod,
    EvaluationResult,
    Obligation,
    ObligationType,
)
from pdca.core.assignable import assignable_by_id


class ObligationOutput(serializers.ModelSerializer):
    class Meta:
        model = Obligation
        fields = [
            "id",
            "title",
            "discipline",
            "kind",
            "jurisdiction",
            "citation",
            "requirement",
            "permit_number",
            "permit_expires_on",
            "responsible",
            "processes",
            "sites",
            "source",
            "source_version",
            "last_checked_on",
            "next_check_on",
            "evaluation_months",
            "next_evaluation_on",
            "last_evaluated_on",
            "last_result",
            "status",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields


class ObligationInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    discipline = serializers.ChoiceField(choices=Discipline.choices)
    kind = serializers.ChoiceField(choices=ObligationType.choices)
    jurisdiction = serializers.CharField(max_length=120, required=False, allow_blank=True)
    citation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    requirement = serializers.CharField()
    permit_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    permit_expires_on = serializers.DateField(required=False, allow_null=True)
    responsible = serializers.IntegerField()
    source = serializers.CharField(max_length=255, required=False, allow_blank=True)  # type: ignore[assignment]  # the field "source"
    source_version = serializers.CharField(max_length=80, required=False, allow_blank=True)
    last_checked_on = serializers.DateField(required=False, allow_null=True)
    next_check_on = serializers.DateField(required=False, allow_null=True)
    evaluation_months = serializers.IntegerField(min_value=1, max_value=60, required=False)
    processes = serializers.ListField(child=serializers.IntegerField(), required=False)
    sites = serializers.ListField(child=serializers.IntegerField(), required=False)


class ObligationChangeInput(ObligationInput):
    version = serializers.IntegerField()
    reason = serializers.CharField()


def _people(organization: Any, data: dict[str, Any], *fields: str) -> dict[str, Any]:
    """The ids of the people the body names, read as current internal members."""
    for field in fields:
        if field in data:
            data[field] = assignable_by_id(organization, data[field], field)
    return data


def _applies_to(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The ids of the processes and sites the body names, read as the organization's."""
    from pdca.core.models import Site
    from pdca.standards.models import Process

    for name, queryset in (
        ("processes", Process.objects.filter(organization=organization)),
        ("sites", Site.objects.filter(organization=organization)),
    ):
        if name in data:
            data[name] = objects_by_ids(queryset, data[name], name)
    return data


def _obligations_with_links(queryset: Any) -> Any:
    return queryset.prefetch_related("processes", "sites")


class ObligationListView(OrgListAPIView):
    """The register (filters: q, discipline, kind, responsible, next_check=overdue|soon|none,
    status=active|withdrawn|all); POST enters an obligation."""

    permissions = {"GET": "compliance.view", "POST": "compliance.edit"}
    serializer_class = ObligationOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Obligation.objects.none()
        form = ObligationFilter(self.request.GET or None, organization=self.organization)
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        data = form.cleaned_data if form.is_bound else {}
        return _obligations_with_links(selectors.obligation_list(self.membership, data))

    @extend_schema(request=ObligationInput, responses=ObligationOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = ObligationInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _people(self.organization, dict(s.validated_data), "responsible")
        data = _applies_to(self.organization, data)
        obligation = services.obligation_create(
            actor=request.user, organization=self.organization, **data
        )
        return Response(ObligationOutput(obligation).data, status=status.HTTP_201_CREATED)


class ObligationDetailView(OrgDetailAPIView):
    """An obligation; PATCH {version, reason, …the fields that change} makes a new version and
    keeps the one it replaces (409 when someone else changed it first). Obligations are never
    deleted: POST …/withdraw/ withdraws one with a reason."""

    permissions = {"GET": "compliance.view", "PATCH": "compliance.edit"}
    serializer_class = ObligationOutput
    input = ObligationChangeInput

    def get_queryset(self) -> Any:
        return _obligations_with_links(Obligation.objects.all())

    def update(self, obj: Obligation, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _people(obj.organization, data, "responsible")
        data = _applies_to(obj.organization, data)
        return services.obligation_update(
            actor=self.request.user,
            obligation=obj,
            version=expected_version,
            reason=reason,
            **data,
        )


class WithdrawInput(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField()


class ObligationWithdrawView(OrgAPIView):
    """POST {version, reason}: withdraw an obligation (it stays in the register)."""

    permission = "compliance.withdraw"

    @extend_schema(request=WithdrawInput, responses=ObligationOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        obligation = self.get_object_for(Obligation, pk)
        s = WithdrawInput(data=request.data)
        s.is_valid(raise_exception=True)
        obligation = services.obligation_withdraw(
            actor=request.user, obligation=obligation, **s.validated_data
        )
        return Response(ObligationOutput(obligation).data)


class EvaluationOutput(serializers.ModelSerializer):
    obligation_title = serializers.CharField(source="obligation.title", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "obligation",
            "obligation_title",
            "evaluated_on",
            "method",
            "result",
            "evidence",
            "evaluator",
            "notes",
            "status",
            "version",
        ]
        read_only_fields = fields


class EvaluationInput(serializers.Serializer):
    obligation = serializers.IntegerField()
    evaluated_on = serializers.DateField()
    method = serializers.ChoiceField(choices=EvaluationMethod.choices)
    result = serializers.ChoiceField(choices=EvaluationResult.choices)
    evidence = serializers.CharField(allow_blank=True)
    evaluator = serializers.IntegerField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationChangeInput(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField()
    evaluated_on = serializers.DateField(required=False)
    method = serializers.ChoiceField(choices=EvaluationMethod.choices, required=False)
    result = serializers.ChoiceField(choices=EvaluationResult.choices, required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)
    evaluator = serializers.IntegerField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class EvaluationListView(OrgListAPIView):
    """The evaluations of compliance, newest first (filters: result, method, discipline,
    year); POST records one (a non-compliance raises its nonconformity)."""

    permissions = {"GET": "compliance.view", "POST": "compliance.evaluate"}
    serializer_class = EvaluationOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Evaluation.objects.none()
        form = EvaluationFilter(self.request.GET or None)
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors.get_json_data())
        data = form.cleaned_data if form.is_bound else {}
        return selectors.evaluation_list(self.membership, data)

    @extend_schema(request=EvaluationInput, responses=EvaluationOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = EvaluationInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _people(self.organization, dict(s.validated_data), "evaluator")
        obligation = (
            selectors.visible_obligations(self.membership).filter(pk=data.pop("obligation")).first()
        )
        if obligation is None:
            raise ApiValidationError({"obligation": [_("Unknown obligation.")]})
        evaluation = services.evaluation_record(actor=request.user, obligation=obligation, **data)
        return Response(EvaluationOutput(evaluation).data, status=status.HTTP_201_CREATED)


class EvaluationDetailView(OrgDetailAPIView):
    """An evaluation; PATCH {version, reason, …} corrects it (409 when someone else changed it
    first). Evaluations are never deleted."""

    permissions = {"GET": "compliance.view", "PATCH": "compliance.evaluate"}
    serializer_class = EvaluationOutput
    input = EvaluationChangeInput

    def get_queryset(self) -> Any:
        return Evaluation.objects.select_related("obligation")

    def update(self, obj: Evaluation, data: dict[str, Any], expected_version: int | None) -> Any:
        reason = data.pop("reason", "")
        data = _people(obj.organization, data, "evaluator")
        return services.evaluation_correct(
            actor=self.request.user,
            evaluation=obj,
            version=expected_version,
            reason=reason,
            **data,
        )


class StatusOutput(serializers.Serializer):
    discipline = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    obligations = serializers.IntegerField()
    compliant = serializers.IntegerField()
    non_compliant = serializers.IntegerField()
    not_assessed = serializers.IntegerField()
    never_evaluated = serializers.IntegerField()
    evaluation_overdue = serializers.IntegerField()
    permits_expired = serializers.IntegerField()
    permits_expiring = serializers.IntegerField()


class StatusView(OrgAPIView):
    """The compliance status per discipline and for all ("all"), by the latest evaluation of
    each obligation in force."""

    permission = "compliance.view"

    @extend_schema(responses=StatusOutput(many=True))
    def get(self, request: ApiRequest, org: str) -> Response:
        rows = list(selectors.compliance_status(self.organization).values())
        return Response(StatusOutput(rows, many=True).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("", ObligationListView.as_view(), name="api-compliance-obligations"),
    path("status/", StatusView.as_view(), name="api-compliance-status"),
    path("evaluations/", EvaluationListView.as_view(), name="api-compliance-evaluations"),
    path(
        "evaluations/<int:pk>/",
        EvaluationDetailView.as_view(),
        name="api-compliance-evaluation",
    ),
    path("<int:pk>/", ObligationDetailView.as_view(), name="api-compliance-obligation"),
    path(
        "<int:pk>/withdraw/",
        ObligationWithdrawView.as_view(),
        name="api-compliance-obligation-withdraw",
    ),
]

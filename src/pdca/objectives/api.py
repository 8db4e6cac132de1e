"""The objectives API: objectives (list, create, read, versioned PATCH; never deleted), their
plan's actions, KPIs (list, create, read, versioned PATCH) and their measurements (list, enter,
correct with a reason and the version). Every write calls the same service as the pages."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.outputs import ErrorOutput
from pdca.api.typing import ApiRequest
from pdca.core import imports
from pdca.core.assignable import assignable_by_id
from pdca.core.views.base import acting_user
from pdca.objectives import services
from pdca.objectives.forms import org_editions
from pdca.objectives.models import (
    DataSource,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Objective,
    ObjectiveAction,
    SetApproval,
    ValueType,
)
from pdca.standards.models import Process


class ObjectiveOutput(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = [
            "id",
            "title",
            "description",
            "editions",
            "policy_commitment",
            "baseline",
            "target",
            "deadline",
            "owner",
            "applies_to",
            "processes",
            "resources",
            "evaluation",
            "frequency",
            "status",
            "communicated_to",
            "communicated_on",
            "integration",
            "risk_link",
            "workers_consulted",
            "withdrawn_reason",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class ObjectiveInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    editions = serializers.ListField(child=serializers.IntegerField(), required=False)
    policy_commitment = serializers.CharField(required=False, allow_blank=True)
    baseline = serializers.CharField(max_length=100, required=False, allow_blank=True)
    target = serializers.CharField(max_length=100, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    owner = serializers.IntegerField()
    applies_to = serializers.CharField(required=False, allow_blank=True)
    processes = serializers.ListField(child=serializers.IntegerField(), required=False)
    resources = serializers.CharField(required=False, allow_blank=True)
    evaluation = serializers.CharField(required=False, allow_blank=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    status = serializers.ChoiceField(
        choices=[c for c in Objective.Status.choices if c[0] != Objective.Status.WITHDRAWN],
        required=False,
        help_text="Withdrawing is POST …/withdraw/ with the reason.",
    )
    communicated_to = serializers.CharField(required=False, allow_blank=True)
    communicated_on = serializers.DateField(required=False, allow_null=True)
    integration = serializers.CharField(required=False, allow_blank=True)
    risk_link = serializers.CharField(required=False, allow_blank=True)
    workers_consulted = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ObjectiveWithdrawInput(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False)


class IndicatorOutput(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "definition",
            "objective",
            "process",
            "value_type",
            "unit",
            "direction",
            "target",
            "red_threshold",
            "frequency",
            "first_period",
            "owner",
            "data_source",
            "computed_source",
            "red_periods",
            "customer_satisfaction",
            "is_active",
            "last_period",
            "last_value",
            "rating",
            "red_streak",
            "next_due_on",
            "version",
        ]
        read_only_fields = fields


class IndicatorInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    definition = serializers.CharField()
    objective = serializers.IntegerField(required=False, allow_null=True)
    process = serializers.IntegerField(required=False, allow_null=True)
    value_type = serializers.ChoiceField(choices=ValueType.choices, default=ValueType.NUMBER)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices)
    target = serializers.DecimalField(max_digits=14, decimal_places=4)
    red_threshold = serializers.DecimalField(max_digits=14, decimal_places=4)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.MONTHLY)
    first_period = serializers.DateField(required=False)
    owner = serializers.IntegerField()
    data_source = serializers.ChoiceField(choices=DataSource.choices, default=DataSource.MANUAL)
    computed_source = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="With data_source computed: the metric's code (see the KPI form's choices).",
    )
    red_periods = serializers.IntegerField(min_value=1, max_value=24, default=1)
    customer_satisfaction = serializers.BooleanField(default=False)
    is_active = serializers.BooleanField(default=True)
    version = serializers.IntegerField(required=False)


class MeasurementOutput(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "period",
            "value",
            "rating",
            "comment",
            "measured_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeasurementInput(serializers.Serializer):
    period = serializers.DateField(help_text="The first day of the period.")
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MeasurementCorrectionInput(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    reason = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ObjectiveActionOutput(serializers.ModelSerializer):
    class Meta:
        model = ObjectiveAction
        fields = [
            "id",
            "objective",
            "title",
            "owner",
            "due_on",
            "resources",
            "kind",
            "reason",
            "status",
            "done_on",
            "notes",
            "version",
        ]
        read_only_fields = fields


class ObjectiveActionInput(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()
    resources = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ImprovementActionInput(ObjectiveActionInput):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObjectiveActionUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ObjectiveAction.Status.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


def _objective_values(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    org = request.membership.organization
    values = dict(data)
    values.pop("version", None)
    if "owner" in values:
        values["owner"] = assignable_by_id(org, values["owner"], "owner")
    if "editions" in values:
        ids = set(values["editions"])
        editions = list(org_editions(org).filter(pk__in=ids))
        if len(editions) != len(ids):
            raise ApiValidationError(
                {"editions": [_("Name only the organization's standards (edition ids).")]}
            )
        values["editions"] = editions
    if "processes" in values:
        ids = set(values["processes"])
        processes = list(Process.objects.filter(organization=org, pk__in=ids))
        if len(processes) != len(ids):
            raise ApiValidationError({"processes": [_("One or more processes are unknown.")]})
        values["processes"] = processes
    return values


def _indicator_values(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    org = request.membership.organization
    values = dict(data)
    values.pop("version", None)
    if "owner" in values:
        values["owner"] = assignable_by_id(org, values["owner"], "owner")
    if values.get("objective") is not None:
        values["objective"] = Objective.objects.filter(
            organization=org, pk=values["objective"]
        ).first()
        if values["objective"] is None:
            raise ApiValidationError({"objective": [_("Unknown objective.")]})
    if values.get("process") is not None:
        values["process"] = Process.objects.filter(organization=org, pk=values["process"]).first()
        if values["process"] is None:
            raise ApiValidationError({"process": [_("Unknown process.")]})
    return values


class ObjectiveListView(OrgListAPIView):
    permissions = {"GET": "objectives.view", "POST": "objectives.manage"}
    serializer_class = ObjectiveOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Objective.objects.none()
        qs = Objective.objects.prefetch_related("editions", "processes")
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs.order_by("deadline", "pk")

    @extend_schema(request=ObjectiveInput, responses=ObjectiveOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = ObjectiveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_create(
            actor=acting_user(request),
            organization=request.membership.organization,
            **_objective_values(request, dict(serializer.validated_data)),
        )
        return Response(ObjectiveOutput(objective).data, status=status.HTTP_201_CREATED)


class ObjectiveDetailView(OrgDetailAPIView):
    """GET one; PATCH its fields with `version`; DELETE is refused: an objective is withdrawn
    with a reason (POST …/withdraw/), never deleted."""

    permissions = {
        "GET": "objectives.view",
        "PATCH": "objectives.manage",
        "DELETE": "objectives.manage",
    }
    serializer_class = ObjectiveOutput
    input = ObjectiveInput

    def get_queryset(self) -> Any:
        return Objective.objects.prefetch_related("editions", "processes")

    def update(self, obj: Objective, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.objective_update(
            actor=acting_user(self.request),
            objective=obj,
            expected_version=expected_version,
            **_objective_values(self.request, data),
        )

    @extend_schema(responses={405: ErrorOutput})
    def delete(self, request: ApiRequest, org: str, pk: int) -> Response:
        self.get_object_for(Objective, pk)
        return Response(
            {
                "detail": "An objective is never deleted: withdraw it with a reason "
                "(POST …/withdraw/).",
                "status": 405,
            },
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )


class WithdrawView(OrgAPIView):
    """GET: the objective (its status and reason, once withdrawn). POST: withdraw it with the
    reason; it and its results stay on record."""

    permissions = {"GET": "objectives.view", "POST": "objectives.manage"}

    @extend_schema(responses=ObjectiveOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(ObjectiveOutput(self.get_object_for(Objective, pk)).data)

    @extend_schema(request=ObjectiveWithdrawInput, responses=ObjectiveOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        objective = self.get_object_for(Objective, pk)
        serializer = ObjectiveWithdrawInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        objective = services.objective_withdraw(
            actor=acting_user(request),
            objective=objective,
            reason=serializer.validated_data["reason"],
            expected_version=serializer.validated_data.get("version"),
        )
        return Response(ObjectiveOutput(objective).data)


class ActionListView(SubResourceListView):
    permissions = {"GET": "objectives.view", "POST": "objectives.manage"}
    parent_model = Objective
    input = ObjectiveActionInput
    output = ObjectiveActionOutput

    def child_queryset(self, parent: Objective) -> Any:
        return parent.actions.all()

    def create(self, parent: Objective, data: dict[str, Any]) -> ObjectiveAction:
        data["owner"] = assignable_by_id(parent.organization, data["owner"], "owner")
        return services.action_plan(actor=acting_user(self.request), objective=parent, **data)


class ActionDetailView(OrgDetailAPIView):
    permissions = {"GET": "objectives.view", "PATCH": "objectives.update_action"}
    serializer_class = ObjectiveActionOutput
    input = ObjectiveActionUpdateInput
    partial_input = False

    def get_queryset(self) -> Any:
        return ObjectiveAction.objects.all()

    def update(
        self, obj: ObjectiveAction, data: dict[str, Any], expected_version: int | None
    ) -> Any:
        return services.action_update(
            actor=acting_user(self.request),
            action=obj,
            expected_version=expected_version,
            status=data["status"],
            notes=data["notes"],
        )


class IndicatorListView(OrgListAPIView):
    permissions = {"GET": "objectives.view", "POST": "objectives.manage"}
    serializer_class = IndicatorOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        qs = Indicator.objects.all()
        params = self.request.query_params
        for name in ("rating", "objective", "process"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        return qs.order_by("name", "pk")

    @extend_schema(request=IndicatorInput, responses=IndicatorOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = IndicatorInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        indicator = services.indicator_create(
            actor=acting_user(request),
            organization=request.membership.organization,
            **_indicator_values(request, dict(serializer.validated_data)),
        )
        return Response(IndicatorOutput(indicator).data, status=status.HTTP_201_CREATED)


class IndicatorDetailView(OrgDetailAPIView):
    permissions = {"GET": "objectives.view", "PATCH": "objectives.manage"}
    serializer_class = IndicatorOutput
    input = IndicatorInput

    def get_queryset(self) -> Any:
        return Indicator.objects.all()

    def update(self, obj: Indicator, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.indicator_update(
            actor=acting_user(self.request),
            indicator=obj,
            expected_version=expected_version,
            **_indicator_values(self.request, data),
        )


class MeasurementListView(OrgListAPIView):
    """A KPI's results, newest first (paged); POST enters one period's result."""

    permissions = {"GET": "objectives.view", "POST": "objectives.record"}
    serializer_class = MeasurementOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Measurement.objects.none()
        indicator = self.get_object_for(Indicator, self.kwargs["pk"])
        return indicator.measurements.order_by("-period")

    @extend_schema(request=MeasurementInput, responses=MeasurementOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        indicator = self.get_object_for(Indicator, pk)
        serializer = MeasurementInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        measurement = services.measurement_record(
            actor=acting_user(request), indicator=indicator, **serializer.validated_data
        )
        return Response(MeasurementOutput(measurement).data, status=status.HTTP_201_CREATED)


class MeasurementDetailView(OrgDetailAPIView):
    """GET one result; PATCH corrects it: the new value, the reason and the version (the
    earlier value is kept)."""

    permissions = {"GET": "objectives.view", "PATCH": "objectives.record"}
    serializer_class = MeasurementOutput
    input = MeasurementCorrectionInput
    partial_input = False

    def get_queryset(self) -> Any:
        return Measurement.objects.select_related("indicator")

    def update(self, obj: Measurement, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.measurement_correct(
            actor=acting_user(self.request),
            measurement=obj,
            expected_version=expected_version,
            value=data["value"],
            reason=data["reason"],
            comment=data.get("comment"),
        )


class SetApprovalOutput(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = SetApproval
        fields = [
            "id",
            "year",
            "objectives",
            "text",
            "sha256",
            "signed_by",
            "signed_at",
            "outdated_at",
            "is_current",
            "version",
        ]
        read_only_fields = fields


class SetApprovalInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    password = serializers.CharField(trim_whitespace=False, write_only=True)


class ApprovalListView(OrgListAPIView):
    """Top management's signed approvals of the years' sets of objectives, newest first; POST
    signs the year's set with the signer's password."""

    permissions = {"GET": "objectives.view", "POST": "objectives.approve"}
    serializer_class = SetApprovalOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return SetApproval.objects.none()
        qs = SetApproval.objects.prefetch_related("objectives")
        year = self.request.query_params.get("year", "")
        if year.isdigit():
            qs = qs.filter(year=int(year))
        return qs.order_by("-year", "-signed_at", "-pk")

    @extend_schema(request=SetApprovalInput, responses=SetApprovalOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = SetApprovalInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = services.set_approve(
            actor=acting_user(request),
            organization=request.membership.organization,
            **serializer.validated_data,
        )
        return Response(SetApprovalOutput(approval).data, status=status.HTTP_201_CREATED)


class ApprovalDetailView(OrgAPIView):
    permission = "objectives.view"

    @extend_schema(responses=SetApprovalOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(SetApprovalOutput(self.get_object_for(SetApproval, pk)).data)


class BulkResultInput(serializers.Serializer):
    kpi = serializers.IntegerField()
    value = serializers.CharField(max_length=40)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BulkInput(serializers.Serializer):
    period = serializers.DateField(help_text="The first day of the period of every result.")
    results = serializers.ListField(
        child=BulkResultInput(), allow_empty=False, max_length=imports.MAX_ROWS
    )


class RowErrorOutput(serializers.Serializer):
    line = serializers.IntegerField(help_text="The row's line in the file (bulk: its index + 1).")
    values = serializers.DictField(child=serializers.CharField())
    messages = serializers.ListField(child=serializers.CharField())


class ImportPreviewRowOutput(serializers.Serializer):
    line = serializers.IntegerField()
    kpi = serializers.IntegerField()
    period = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    comment = serializers.CharField()


class ImportOutput(serializers.Serializer):
    applied = serializers.BooleanField(help_text="Whether the results were entered.")
    rows = ImportPreviewRowOutput(many=True)
    bad_rows = RowErrorOutput(many=True)
    measurements = MeasurementOutput(many=True)


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX: columns kpi, period, value, comment.")
    apply = serializers.BooleanField(
        default=False, help_text="Enter the results (all or none); otherwise only the preview."
    )


def _import_answer(
    preview: Any, measurements: list[Measurement], *, applied: bool, code: int
) -> Response:
    rows = [
        {
            "line": row.line,
            "kpi": entry.indicator.pk,
            "period": entry.period,
            "value": entry.value,
            "comment": entry.comment,
        }
        for row, entry in preview.good
    ]
    bad = [{"line": e.line, "values": e.values, "messages": e.messages} for e in preview.errors]
    body = {"applied": applied, "rows": rows, "bad_rows": bad, "measurements": measurements}
    return Response(ImportOutput(body).data, status=code)


# A refusal is either the rows' own errors or the request itself being invalid.
IMPORT_REFUSED = PolymorphicProxySerializer(
    component_name="ImportRefused",
    serializers=[ImportOutput, ErrorOutput],
    resource_type_field_name=None,
)


class BulkView(OrgAPIView):
    """POST one period's results for many KPIs: every row is checked on its own; all are
    entered or, with a bad row, none (400 with each bad row's index and reasons)."""

    permission = "objectives.record"

    @extend_schema(request=BulkInput, responses={201: ImportOutput, 400: IMPORT_REFUSED})
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = BulkInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rows = [
            imports.Row(line=i, values={k: str(v) for k, v in r.items()})
            for i, r in enumerate(data["results"], start=1)
        ]
        return _enter(request, rows, period=data["period"], apply=True)


def _enter(request: ApiRequest, rows: list[imports.Row], *, period: Any, apply: bool) -> Response:
    actor, organization = acting_user(request), request.membership.organization
    preview = services.measurements_check(
        actor=actor, organization=organization, rows=rows, period=period
    )
    if preview.errors:
        return _import_answer(preview, [], applied=False, code=status.HTTP_400_BAD_REQUEST)
    if not apply:
        return _import_answer(preview, [], applied=False, code=status.HTTP_200_OK)
    try:
        entered = services.measurements_enter(
            actor=actor, organization=organization, rows=rows, period=period
        )
    except imports.ImportRefused as error:
        preview.errors = error.row_errors
        return _import_answer(preview, [], applied=False, code=status.HTTP_400_BAD_REQUEST)
    return _import_answer(preview, entered, applied=True, code=status.HTTP_201_CREATED)


class ImportView(OrgAPIView):
    """POST a CSV or XLSX file of results: the preview (each good row, each bad one with its
    line and reasons); with `apply`, the results are entered, all of them or none."""

    permission = "objectives.record"

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={200: ImportOutput, 201: ImportOutput, 400: IMPORT_REFUSED},
    )
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = ImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = imports.read_rows(serializer.validated_data["file"])
        return _enter(request, rows, period=None, apply=serializer.validated_data["apply"])


class ImproveView(OrgAPIView):
    """POST: raise an improvement action on the objective off track (its status, or one of its
    KPIs off target)."""

    permission = "objectives.raise_action"

    @extend_schema(request=ImprovementActionInput, responses={201: ObjectiveActionOutput})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        objective = self.get_object_for(Objective, pk)
        serializer = ImprovementActionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["owner"] = assignable_by_id(objective.organization, data["owner"], "owner")
        action = services.improvement_action_raise(
            actor=acting_user(request), objective=objective, **data
        )
        return Response(ObjectiveActionOutput(action).data, status=status.HTTP_201_CREATED)


class ComputeView(OrgAPIView):
    """POST: enter the computed results of the KPI's finished periods not entered yet."""

    permission = "objectives.record"

    @extend_schema(request=None, responses={201: MeasurementOutput(many=True)})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        indicator = self.get_object_for(Indicator, pk)
        entered = services.indicator_compute(actor=acting_user(request), indicator=indicator)
        return Response(MeasurementOutput(entered, many=True).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern | URLResolver] = [
    path("objectives/", ObjectiveListView.as_view(), name="api-objectives-objectives"),
    path("objectives/<int:pk>/", ObjectiveDetailView.as_view(), name="api-objectives-objective"),
    path(
        "objectives/<int:pk>/withdraw/",
        WithdrawView.as_view(),
        name="api-objectives-withdraw",
    ),
    path("objectives/<int:pk>/improve/", ImproveView.as_view(), name="api-objectives-improve"),
    path("objectives/<int:pk>/actions/", ActionListView.as_view(), name="api-objectives-actions"),
    path("actions/<int:pk>/", ActionDetailView.as_view(), name="api-objectives-action"),
    path("kpis/", IndicatorListView.as_view(), name="api-objectives-kpis"),
    path("kpis/<int:pk>/", IndicatorDetailView.as_view(), name="api-objectives-kpi"),
    path(
        "kpis/<int:pk>/measurements/",
        MeasurementListView.as_view(),
        name="api-objectives-measurements",
    ),
    path(
        "measurements/<int:pk>/",
        MeasurementDetailView.as_view(),
        name="api-objectives-measurement",
    ),
    path("kpis/<int:pk>/compute/", ComputeView.as_view(), name="api-objectives-compute"),
    path("measurements/bulk/", BulkView.as_view(), name="api-objectives-bulk"),
    path("measurements/import/", ImportView.as_view(), name="api-objectives-import"),
    path("approvals/", ApprovalListView.as_view(), name="api-objectives-approvals"),
    path("approvals/<int:pk>/", ApprovalDetailView.as_view(), name="api-objectives-approval"),
]

"""The risks API: the register (enter, read, change, assess, treat, accept with the owner's
password, close with a reason; never delete), actions on entries, the context issues, the
interested parties, the assets and the assessment runs. Every write calls the same service as
the pages, so the same refusals (with their reasons) apply."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.outputs import ErrorOutput
from pdca.api.typing import ApiRequest
from pdca.core.assignable import assignable_by_id
from pdca.core.views.base import acting_user
from pdca.risks import context, corrective, isms, selectors, services, soa
from pdca.risks.models import (
    AssessmentRun,
    Asset,
    ContextIssue,
    ControlReason,
    Effectiveness,
    InterestedParty,
    Kind,
    ReasonKind,
    Risk,
    RiskAction,
    SoARevision,
    Treatment,
)
from pdca.standards.models import Process, Standard


class RiskOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    method_number = serializers.IntegerField(source="method.number", read_only=True)
    treatment = serializers.ChoiceField(
        choices=Treatment.choices, allow_blank=True, read_only=True, help_text="Empty until chosen."
    )
    effectiveness = serializers.ChoiceField(
        choices=Effectiveness.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until evaluated.",
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "cause",
            "effect",
            "process",
            "standards",
            "source_issue",
            "source_requirement",
            "owner",
            "method",
            "method_number",
            "likelihood",
            "consequence",
            "score",
            "assessed_on",
            "treatment",
            "residual_likelihood",
            "residual_consequence",
            "residual_score",
            "accepted_by",
            "accepted_at",
            "threat",
            "confidentiality",
            "integrity",
            "availability",
            "assets",
            "controls",
            "effectiveness",
            "effectiveness_notes",
            "effectiveness_evaluated_on",
            "review_on",
            "status",
            "close_reason",
            "version",
        ]
        read_only_fields = fields


class RiskInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.RISK)
    title = serializers.CharField(max_length=200)
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    effect = serializers.CharField(required=False, allow_blank=True, default="")
    process = serializers.IntegerField(required=False, allow_null=True)
    standards = serializers.ListField(child=serializers.IntegerField(), required=False)
    owner = serializers.IntegerField(allow_null=True)
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    review_on = serializers.DateField(required=False, allow_null=True)


class RiskChangeInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    cause = serializers.CharField(required=False, allow_blank=True)
    effect = serializers.CharField(required=False, allow_blank=True)
    process = serializers.IntegerField(required=False, allow_null=True)
    standards = serializers.ListField(child=serializers.IntegerField(), required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class AssessInput(serializers.Serializer):
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True)
    residual_consequence = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False)


class TreatInput(serializers.Serializer):
    treatment = serializers.ChoiceField(choices=Treatment.choices)
    residual_likelihood = serializers.IntegerField(required=False, allow_null=True)
    residual_consequence = serializers.IntegerField(required=False, allow_null=True)
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The owner's password: needed to retain a risk above the acceptance criteria.",
    )
    version = serializers.IntegerField(required=False)


class PasswordInput(serializers.Serializer):
    password = serializers.CharField()


class RiskCloseInput(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False)


class RiskActionOutput(serializers.ModelSerializer):
    class Meta:
        model = RiskAction
        fields = [
            "id",
            "risk",
            "title",
            "owner",
            "due_on",
            "process",
            "status",
            "done_on",
            "notes",
            "version",
        ]
        read_only_fields = fields


class RiskActionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()
    process = serializers.IntegerField(required=False, allow_null=True)


class RiskActionUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=RiskAction.Status.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class IssueOutput(serializers.ModelSerializer):
    class Meta:
        model = ContextIssue
        fields = [
            "id",
            "title",
            "heading",
            "origin",
            "description",
            "effect",
            "climate_related",
            "standards",
            "review_on",
            "status",
            "retire_reason",
            "version",
        ]
        read_only_fields = fields


class IssueInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    heading = serializers.CharField()
    origin = serializers.ChoiceField(choices=[("internal", "internal"), ("external", "external")])
    description = serializers.CharField(required=False, allow_blank=True, default="")
    effect = serializers.CharField(required=False, allow_blank=True, default="")
    climate_related = serializers.BooleanField(required=False, default=False)
    review_on = serializers.DateField(required=False, allow_null=True)


class PartyOutput(serializers.ModelSerializer):
    requirements = serializers.SerializerMethodField()

    class Meta:
        model = InterestedParty
        fields = [
            "id",
            "name",
            "category",
            "origin",
            "notes",
            "is_active",
            "requirements",
            "version",
        ]
        read_only_fields = fields

    def get_requirements(self, obj: InterestedParty) -> list[str]:
        return [r.need for r in obj.requirements.all()]


class AssetOutput(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "name", "kind", "owner", "description", "is_active", "version"]
        read_only_fields = fields


class AssetInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Asset.Kind.choices)
    owner = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RunOutput(serializers.ModelSerializer):
    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "number",
            "run_on",
            "reason",
            "notes",
            "method",
            "risk_count",
            "above_count",
        ]
        read_only_fields = fields


class RunInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=AssessmentRun.Reason.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _related(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in the body as the organization's objects (400 on an unknown one)."""
    org = request.membership.organization
    values = dict(data)
    values.pop("version", None)
    if values.get("process") is not None:
        values["process"] = Process.objects.filter(pk=values["process"], organization=org).first()
        if values["process"] is None:
            raise ApiValidationError({"process": [_("Unknown process.")]})
    if "owner" in values:
        values["owner"] = (
            assignable_by_id(org, values["owner"], "owner") if values["owner"] is not None else None
        )
    if "standards" in values:
        ids = set(values["standards"])
        found = list(Standard.objects.filter(pk__in=ids))
        if len(found) != len(ids):
            raise ApiValidationError({"standards": [_("One or more standards are unknown.")]})
        values["standards"] = found
    return values


class RiskListView(OrgListAPIView):
    """The register, highest score first; filters: status (open, closed, all), kind, standard,
    process, owner, min_score, control (the entries whose treatment needs that control)."""

    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    serializer_class = RiskOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Risk.objects.none()
        params = self.request.query_params
        data: dict[str, Any] = {
            name: params[name] for name in ("status", "kind", "q") if params.get(name)
        }
        for name in ("standard", "process", "owner", "min_score", "control"):
            if params.get(name, "").isdigit():
                data[name] = int(params[name])
        return selectors.register_list(self.membership, data).prefetch_related(
            "standards", "assets", "controls"
        )

    @extend_schema(request=RiskInput, responses=RiskOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = RiskInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _related(request, dict(serializer.validated_data))
        risk = services.risk_create(
            actor=acting_user(request), organization=self.organization, **values
        )
        return Response(RiskOutput(risk).data, status=status.HTTP_201_CREATED)


class RiskDetailView(OrgDetailAPIView):
    """GET one; PATCH what it says (with `version`); DELETE is refused: an entry is closed with
    a reason, never deleted."""

    permissions = {"GET": "risks.view", "PATCH": "risks.manage", "DELETE": "risks.manage"}
    serializer_class = RiskOutput
    input = RiskChangeInput

    def get_queryset(self) -> Any:
        return Risk.objects.select_related("method")

    def update(self, obj: Risk, data: dict[str, Any], expected_version: int | None) -> Any:
        values = _related(self.request, data)
        standards = values.pop("standards", None)
        return services.risk_update(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=expected_version,
            fields=values,
            standards=standards,
        )

    @extend_schema(responses={405: ErrorOutput})
    def delete(self, request: ApiRequest, org: str, pk: int) -> Response:
        self.get_object_for(Risk, pk)
        return Response(
            {
                "detail": "A risk is never deleted: close it with a reason (POST …/close/).",
                "status": 405,
            },
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )


class RiskStepView(OrgAPIView):
    """A step on one entry: the body is `input`, the answer the entry."""

    input: type[serializers.Serializer] = serializers.Serializer

    def act(self, risk: Risk, data: dict[str, Any]) -> Risk:
        raise NotImplementedError

    @extend_schema(responses=RiskOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(
            RiskOutput(self.get_object_for(Risk.objects.select_related("method"), pk)).data
        )

    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        risk = self.get_object_for(Risk.objects.select_related("method"), pk)
        serializer = self.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(RiskOutput(self.act(risk, dict(serializer.validated_data))).data)


class AssessView(RiskStepView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    input = AssessInput

    @extend_schema(request=AssessInput, responses=RiskOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        return super().post(request, org, pk)

    def act(self, risk: Risk, data: dict[str, Any]) -> Risk:
        version = data.pop("version", None)
        return services.risk_assess(
            actor=acting_user(self.request), risk=risk, expected_version=version, **data
        )


class TreatView(RiskStepView):
    permissions = {"GET": "risks.view", "POST": "risks.treat"}
    input = TreatInput

    @extend_schema(request=TreatInput, responses=RiskOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        return super().post(request, org, pk)

    def act(self, risk: Risk, data: dict[str, Any]) -> Risk:
        version = data.pop("version", None)
        return services.risk_treat(
            actor=acting_user(self.request), risk=risk, expected_version=version, **data
        )


class AcceptView(RiskStepView):
    permissions = {"GET": "risks.view", "POST": "risks.accept"}
    input = PasswordInput

    @extend_schema(request=PasswordInput, responses=RiskOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        return super().post(request, org, pk)

    def act(self, risk: Risk, data: dict[str, Any]) -> Risk:
        return services.risk_accept(
            actor=acting_user(self.request), risk=risk, password=data["password"]
        )


class CloseView(RiskStepView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    input = RiskCloseInput

    @extend_schema(request=RiskCloseInput, responses=RiskOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        return super().post(request, org, pk)

    def act(self, risk: Risk, data: dict[str, Any]) -> Risk:
        return services.risk_close(
            actor=acting_user(self.request),
            risk=risk,
            reason=data["reason"],
            expected_version=data.get("version"),
        )


class ActionListView(SubResourceListView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    parent_model = Risk
    input = RiskActionInput
    output = RiskActionOutput

    def child_queryset(self, parent: Risk) -> Any:
        return parent.actions.all()

    def create(self, parent: Risk, data: dict[str, Any]) -> RiskAction:
        values = _related(self.request, data)
        return services.action_add(actor=acting_user(self.request), risk=parent, **values)


class ActionDetailView(OrgDetailAPIView):
    permissions = {"GET": "risks.view", "PATCH": "risks.update_action"}
    serializer_class = RiskActionOutput
    input = RiskActionUpdateInput
    partial_input = False

    def get_queryset(self) -> Any:
        return RiskAction.objects.all()

    def update(self, obj: RiskAction, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.action_update(
            actor=acting_user(self.request),
            action=obj,
            status=data["status"],
            notes=data["notes"],
            expected_version=expected_version,
        )


class IssueListView(OrgListAPIView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    serializer_class = IssueOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return ContextIssue.objects.none()
        return ContextIssue.objects.prefetch_related("standards").order_by("heading", "title")

    @extend_schema(request=IssueInput, responses=IssueOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = IssueInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = context.issue_save(
            actor=acting_user(request),
            organization=self.organization,
            issue=None,
            expected_version=None,
            fields=dict(serializer.validated_data),
        )
        return Response(IssueOutput(issue).data, status=status.HTTP_201_CREATED)


class PartyListView(OrgListAPIView):
    permissions = {"GET": "risks.view"}
    serializer_class = PartyOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return InterestedParty.objects.none()
        return InterestedParty.objects.prefetch_related("requirements").order_by("category", "name")


class AssetListView(OrgListAPIView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    serializer_class = AssetOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Asset.objects.none()
        return Asset.objects.order_by("kind", "name")

    @extend_schema(request=AssetInput, responses=AssetOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = AssetInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset = isms.asset_save(
            actor=acting_user(request),
            organization=self.organization,
            asset=None,
            expected_version=None,
            fields=_related(request, dict(serializer.validated_data)),
        )
        return Response(AssetOutput(asset).data, status=status.HTTP_201_CREATED)


class RunListView(OrgListAPIView):
    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    serializer_class = RunOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return AssessmentRun.objects.none()
        return AssessmentRun.objects.order_by("-number")

    @extend_schema(request=RunInput, responses=RunOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = RunInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = isms.assessment_run(
            actor=acting_user(request), organization=self.organization, **serializer.validated_data
        )
        return Response(RunOutput(run).data, status=status.HTTP_201_CREATED)


class SoARevisionOutput(serializers.ModelSerializer):
    class Meta:
        model = SoARevision
        fields = [
            "id",
            "org_standard",
            "number",
            "note",
            "approved_by",
            "approved_at",
            "applicable_count",
            "excluded_count",
        ]
        read_only_fields = fields


class SoARevisionLineOutput(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    applicable = serializers.BooleanField(allow_null=True)
    justification = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()


class SoARevisionDetailOutput(SoARevisionOutput):
    lines = SoARevisionLineOutput(many=True, read_only=True)

    class Meta(SoARevisionOutput.Meta):
        fields = [*SoARevisionOutput.Meta.fields, "lines"]
        read_only_fields = fields


class SoAApproveInput(serializers.Serializer):
    org_standard = serializers.IntegerField()
    note = serializers.CharField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class SoARevisionListView(OrgListAPIView):
    """The approved revisions of the Statement of Applicability; POST approves the Statement
    as it stands as the next revision (top management or the management representative,
    signed with the password)."""

    permissions = {"GET": "risks.view", "POST": "risks.approve_soa"}
    serializer_class = SoARevisionOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return SoARevision.objects.none()
        return SoARevision.objects.order_by("-approved_at", "-pk")

    @extend_schema(request=SoAApproveInput, responses={201: SoARevisionOutput, 400: ErrorOutput})
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = SoAApproveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org_standard = soa.soa_standards(self.organization).filter(pk=data["org_standard"]).first()
        if org_standard is None:
            raise ApiValidationError(
                {"org_standard": [_("Not an ISO/IEC 27001 standard of this organization.")]}
            )
        revision = soa.soa_approve(
            actor=acting_user(request),
            org_standard=org_standard,
            note=data["note"],
            password=data["password"],
        )
        return Response(SoARevisionOutput(revision).data, status=status.HTTP_201_CREATED)


class SoARevisionDetailView(OrgAPIView):
    permission = "risks.view"

    @extend_schema(responses=SoARevisionDetailOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        revision = self.get_object_for(SoARevision, pk)
        return Response(SoARevisionDetailOutput(revision).data)


class ControlReasonOutput(serializers.ModelSerializer):
    control = serializers.CharField(source="clause.number", read_only=True)

    class Meta:
        model = ControlReason
        fields = ["id", "clause", "control", "kind", "reference", "is_active", "version"]
        read_only_fields = fields


class ControlReasonInput(serializers.Serializer):
    clause = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReasonKind.choices)
    reference = serializers.CharField(max_length=200)
    is_active = serializers.BooleanField(default=True)


class ControlReasonListView(OrgListAPIView):
    """Reasons for including Annex A controls other than risks (law, contract, business
    requirement, best practice)."""

    permissions = {"GET": "risks.view", "POST": "risks.manage"}
    serializer_class = ControlReasonOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return ControlReason.objects.none()
        return ControlReason.objects.select_related("clause").order_by("clause__sort_key", "pk")

    @extend_schema(
        request=ControlReasonInput, responses={201: ControlReasonOutput, 400: ErrorOutput}
    )
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = ControlReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values["clause"] = (
            isms.annex_controls(self.organization).filter(pk=values["clause"]).first()
        )
        reason = soa.reason_save(
            actor=acting_user(request),
            organization=self.organization,
            reason=None,
            expected_version=None,
            fields=values,
        )
        return Response(ControlReasonOutput(reason).data, status=status.HTTP_201_CREATED)


class FromNonconformityInput(serializers.Serializer):
    risk = serializers.IntegerField(required=False, allow_null=True, default=None)
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.RISK)


class FromNonconformityView(OrgAPIView):
    """A nonconformity's corrective action opens a new entry (no `risk`) or assesses an
    existing one again (10.2.1 e)); the entry keeps the nonconformity."""

    permission = "risks.manage"

    @extend_schema(request=FromNonconformityInput, responses={201: RiskOutput, 400: ErrorOutput})
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        from pdca.improvement.models import Nonconformity

        nonconformity = self.get_object_for(Nonconformity, pk)
        serializer = FromNonconformityInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        risk = None
        if data["risk"] is not None:
            risk = Risk.objects.filter(organization=self.organization, pk=data["risk"]).first()
            if risk is None:
                raise ApiValidationError({"risk": [_("Unknown risk or opportunity.")]})
        owner = None
        if data["owner"] is not None:
            owner = assignable_by_id(self.organization, data["owner"], "owner")
        saved = corrective.risk_from_nonconformity(
            actor=acting_user(request),
            nonconformity=nonconformity,
            risk=risk,
            expected_version=risk.version if risk is not None else None,
            likelihood=data["likelihood"],
            consequence=data["consequence"],
            title=data["title"],
            owner=owner,
            kind=data["kind"],
        )
        return Response(RiskOutput(saved).data, status=status.HTTP_201_CREATED)


class HeatCellOutput(serializers.Serializer):
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    score = serializers.IntegerField()
    acceptable = serializers.BooleanField()
    before = serializers.IntegerField(help_text="Open entries here before treatment.")
    after = serializers.IntegerField(help_text="Open entries here after treatment.")


class TrendPointOutput(serializers.Serializer):
    day = serializers.DateField()
    open_risks = serializers.IntegerField(allow_null=True)
    open_opportunities = serializers.IntegerField(allow_null=True)
    above_before = serializers.IntegerField(allow_null=True)
    above_after = serializers.IntegerField(allow_null=True)
    live = serializers.BooleanField(help_text="Today's live counts, not a kept snapshot.")


class HeatMapOutput(serializers.Serializer):
    method = serializers.IntegerField(allow_null=True, help_text="The method version in force.")
    cells = HeatCellOutput(many=True)
    older = serializers.IntegerField(help_text="Open entries scored under an older method.")
    untreated = serializers.IntegerField(help_text="Open entries with no residual score yet.")
    trend = TrendPointOutput(many=True, help_text="One point a week, ending with today.")


class HeatMapView(OrgAPIView):
    """The heat map of open entries under the method in force (cells before and after
    treatment; filter: kind) and the register's weekly trend. No method in force: no cells."""

    permission = "risks.view"

    @extend_schema(responses=HeatMapOutput)
    def get(self, request: ApiRequest, org: str) -> Response:
        from django.utils import timezone

        from pdca.risks import history
        from pdca.risks import method as methods

        kind = request.query_params.get("kind", "")
        if kind and kind not in Kind.values:
            raise ApiValidationError({"kind": [_("Unknown type.")]})
        current = methods.current(self.organization)
        heat = selectors.heat_map(self.organization, current, kind) if current else None
        body = {
            "method": current.number if current else None,
            "cells": [c for _label, row in heat.rows for c in row] if heat else [],
            "older": heat.older if heat else 0,
            "untreated": heat.untreated if heat else 0,
            "trend": history.trend(self.organization, timezone.localdate()),
        }
        return Response(HeatMapOutput(body).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("heat-map/", HeatMapView.as_view(), name="api-risks-heat-map"),
    path("", RiskListView.as_view(), name="api-risks-list"),
    path("<int:pk>/", RiskDetailView.as_view(), name="api-risks-risk"),
    path("<int:pk>/assess/", AssessView.as_view(), name="api-risks-assess"),
    path("<int:pk>/treatment/", TreatView.as_view(), name="api-risks-treat"),
    path("<int:pk>/accept/", AcceptView.as_view(), name="api-risks-accept"),
    path("<int:pk>/close/", CloseView.as_view(), name="api-risks-close"),
    path("<int:pk>/actions/", ActionListView.as_view(), name="api-risks-actions"),
    path("actions/<int:pk>/", ActionDetailView.as_view(), name="api-risks-action"),
    path("issues/", IssueListView.as_view(), name="api-risks-issues"),
    path("parties/", PartyListView.as_view(), name="api-risks-parties"),
    path("assets/", AssetListView.as_view(), name="api-risks-assets"),
    path("assessments/", RunListView.as_view(), name="api-risks-runs"),
    path("soa-revisions/", SoARevisionListView.as_view(), name="api-risks-soa-revisions"),
    path(
        "from-nonconformity/<int:pk>/",
        FromNonconformityView.as_view(),
        name="api-risks-from-nc",
    ),
    path("soa-reasons/", ControlReasonListView.as_view(), name="api-risks-soa-reasons"),
    path(
        "soa-revisions/<int:pk>/",
        SoARevisionDetailView.as_view(),
        name="api-risks-soa-revision",
    ),
]

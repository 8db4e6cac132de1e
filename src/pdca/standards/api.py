"""REST API of the standards app: catalogues, scope, exclusions, SoA, assessments, readiness,
processes, roadmap and evidence links. Writes go through the same services as the pages."""

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgGenericAPIView
from pdca.core.assignable import assignable_by_id
from pdca.core.models import User
from pdca.core.views.base import acting_user
from pdca.standards import services
from pdca.standards.models import (
    Assessment,
    Clause,
    Edition,
    EvidenceLink,
    Exclusion,
    HarmonizedClause,
    OrgStandard,
    Process,
    RequiredInformation,
    RoadmapAction,
    Standard,
)
from pdca.standards.selectors import gap_analysis
from pdca.standards.selectors.readiness import readiness

VIEW, SCOPE = "standards.view", "standards.manage_scope"


# --- Serializers ---------------------------------------------------------------------------


class EditionOutput(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = ["id", "code", "label", "year", "amendments", "is_current"]


class StandardOutput(serializers.ModelSerializer):
    editions = EditionOutput(many=True, read_only=True)

    class Meta:
        model = Standard
        fields = ["id", "code", "name", "title", "discipline", "editions"]


class RequiredInformationOutput(serializers.ModelSerializer):
    class Meta:
        model = RequiredInformation
        fields = ["code", "title", "kind"]


class ClauseOutput(serializers.ModelSerializer):
    hs = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    theme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    theme_title = serializers.CharField(source="theme.title", read_only=True, allow_null=True)
    untitled = serializers.BooleanField(
        read_only=True,
        help_text="The title is pdca's own label: the standard gives this sub-clause no title.",
    )
    required_information = RequiredInformationOutput(
        source="required_info", many=True, read_only=True
    )

    class Meta:
        model = Clause
        fields = [
            "id",
            "number",
            "title",
            "guidance",
            "kind",
            "theme",
            "theme_title",
            "parent",
            "hs",
            "may_be_excluded",
            "untitled",
            "depth",
            "required_information",
        ]


class HarmonizedClauseOutput(serializers.ModelSerializer):
    class Meta:
        model = HarmonizedClause
        fields = ["id", "number", "title", "guidance"]


class OrgStandardOutput(serializers.ModelSerializer):
    edition_label = serializers.CharField(source="edition.label", read_only=True)

    class Meta:
        model = OrgStandard
        fields = [
            "id",
            "edition",
            "edition_label",
            "scope",
            "sites",
            "status",
            "certified_until",
            "version",
        ]
        read_only_fields = ["version"]


class ExclusionOutput(serializers.ModelSerializer):
    clause_number = serializers.CharField(source="clause.number", read_only=True)

    class Meta:
        model = Exclusion
        fields = ["id", "org_standard", "clause", "clause_number", "justification", "is_active"]


class ProcessOutput(serializers.ModelSerializer):
    class Meta:
        model = Process
        fields = [
            "id",
            "code",
            "name",
            "category",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "interacts_with",
            "sites",
            "departments",
            "clauses",
            "is_active",
            "version",
        ]
        read_only_fields = ["version"]


class RoadmapOutput(serializers.ModelSerializer):
    due_date = serializers.DateField(source="due_on")  # the API's name, kept

    class Meta:
        model = RoadmapAction
        fields = ["id", "clause", "title", "owner", "due_date", "status", "notes", "version"]
        read_only_fields = ["version"]


class EvidenceOutput(serializers.ModelSerializer):
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "clause",
            "required",
            "content_type",
            "object_id",
            "label",
            "note",
            "created_at",
        ]

    def get_content_type(self, obj: EvidenceLink) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class AssessmentInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Assessment.Status.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    target_date = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=True)


class ConfirmInput(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The version of the shared assessment you saw (409 when it changed since)."
    )


class ShareInput(serializers.Serializer):
    org_standard = serializers.IntegerField(
        help_text="The chosen standard (id) whose clause on the same harmonized-structure "
        "clause the evidence is linked to as well."
    )


class SoAInput(serializers.Serializer):
    clause = serializers.IntegerField()
    applicable = serializers.BooleanField()
    justification = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False)


class EvidenceInput(serializers.Serializer):
    clause = serializers.IntegerField()
    content_type = serializers.CharField(help_text="app_label.model, e.g. standards.process")
    object_id = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    required = serializers.IntegerField(  # type: ignore[assignment]  # the field named "required"
        required=False,
        allow_null=True,
        help_text="The mandatory item (required information id) of the clause or a sub-clause "
        "the object proves.",
    )


class SoALineOutput(serializers.Serializer):
    """One control of the Statement of Applicability (the GET answer is a list of these)."""

    clause = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    applicable = serializers.BooleanField(allow_null=True, help_text="null until decided.")
    justification = serializers.CharField(allow_blank=True)
    implementation = serializers.ChoiceField(choices=Assessment.Status.choices)
    version = serializers.IntegerField(help_text="0 until decided.")


class SoAEntryOutput(serializers.Serializer):
    clause = serializers.IntegerField()
    applicable = serializers.BooleanField()
    justification = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class AssessmentOutput(serializers.Serializer):
    clause = serializers.IntegerField()
    number = serializers.CharField()
    shared_hs = serializers.CharField(
        allow_null=True, help_text="The harmonized-structure clause it is shared through."
    )
    status = serializers.ChoiceField(choices=Assessment.Status.choices)
    owner = serializers.IntegerField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    notes = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    confirmed_for = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The chosen standards (ids) a shared assessment counts for; it counts for "
        "another only once confirmed there.",
    )


class ReadinessPartOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    counted = serializers.IntegerField()
    percent = serializers.IntegerField()


class RequiredMissingOutput(serializers.Serializer):
    clause = serializers.CharField(help_text="The clause number.")
    title = serializers.CharField()
    kind = serializers.CharField()


class GapOutput(serializers.Serializer):
    clause = serializers.CharField(help_text="The clause number.")
    status = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class GateOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=["pass", "fail", "not_yet"])
    detail = serializers.CharField()


class ReadinessOutput(serializers.Serializer):
    """The readiness of one chosen standard (the GET answer is a list of these): the stage 1
    checklist first, then the progress percentage."""

    org_standard = serializers.IntegerField()
    edition = serializers.CharField()
    stage1_ready = serializers.BooleanField()
    gates = GateOutput(many=True)
    percent = serializers.IntegerField()
    counted = serializers.IntegerField()
    points = serializers.FloatField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    weights = serializers.DictField(child=serializers.FloatField())
    not_applicable = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField()
    parts = ReadinessPartOutput(many=True)
    required_missing = RequiredMissingOutput(many=True)
    gaps = GapOutput(many=True)


# --- Helpers -------------------------------------------------------------------------------


def _body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise ValidationError(_("Send a JSON object."))
    return data


def _user(organization: Any, pk: int | None) -> User | None:
    return assignable_by_id(organization, pk, "owner")


def _check_ids(organization: Any, data: dict[str, Any]) -> None:
    """Reject related objects of another organization (sites, processes) as bad input."""
    for name in ("sites", "interacts_with", "departments"):
        for obj in data.get(name, []):
            if obj.organization_id != organization.pk:
                raise ValidationError(
                    {name: _("%(obj)s belongs to another organization.") % {"obj": obj}}
                )


# --- Catalogue (read-only, shared) ---------------------------------------------------------


class StandardList(generics.ListAPIView):
    permission = VIEW
    serializer_class = StandardOutput
    queryset = Standard.objects.prefetch_related("editions").order_by("code")


class EditionDetail(generics.RetrieveAPIView):
    permission = VIEW
    serializer_class = EditionOutput
    queryset = Edition.objects.all()


class ClauseList(generics.ListAPIView):
    permission = VIEW
    serializer_class = ClauseOutput
    pagination_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Clause.objects.none()
        return (
            Clause.objects.filter(edition_id=self.kwargs["edition"])
            .select_related("hs", "theme")
            .prefetch_related("required_info")
            .order_by("sort_key")
        )


class HarmonizedClauseList(generics.ListAPIView):
    """The clauses of the harmonized structure that several standards share."""

    permission = VIEW
    serializer_class = HarmonizedClauseOutput
    pagination_class = None
    queryset = HarmonizedClause.objects.order_by("sort_key")


# --- Scope ---------------------------------------------------------------------------------


class OrgStandardList(OrgGenericAPIView, generics.ListCreateAPIView):
    permissions = {"GET": VIEW, "POST": SCOPE}
    serializer_class = OrgStandardOutput

    def get_queryset(self) -> Any:
        return OrgStandard.objects.select_related("edition").prefetch_related("sites")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        _check_ids(self.organization, data)
        obj = services.org_standard_choose(
            actor=acting_user(request),
            organization=self.organization,
            edition=data["edition"],
            scope=data.get("scope", ""),
            sites=data.get("sites", []),
        )
        return Response(OrgStandardOutput(obj).data, status=status.HTTP_201_CREATED)


class OrgStandardDetail(OrgDetailAPIView):
    permissions = {"GET": VIEW, "PATCH": SCOPE, "PUT": SCOPE}
    serializer_class = OrgStandardOutput
    input = OrgStandardOutput

    def get_queryset(self) -> Any:
        return OrgStandard.objects.select_related("edition")

    def update(self, obj: OrgStandard, data: dict[str, Any], expected_version: int | None) -> Any:
        data.pop("edition", None)
        _check_ids(self.organization, data)
        return services.org_standard_update(
            actor=acting_user(self.request),
            org_standard=obj,
            expected_version=expected_version,  # type: ignore[arg-type]  # None: the service refuses
            **data,
        )


class ExclusionList(OrgGenericAPIView, generics.ListCreateAPIView):
    permissions = {"GET": VIEW, "POST": SCOPE}
    serializer_class = ExclusionOutput

    def get_queryset(self) -> Any:
        return Exclusion.objects.select_related("clause")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        org_standard = data["org_standard"]
        if org_standard.organization_id != self.organization.pk:
            raise ValidationError({"org_standard": _("No such standard in this organization.")})
        obj = services.exclusion_declare(
            actor=acting_user(request),
            org_standard=org_standard,
            clause=data["clause"],
            justification=data.get("justification", ""),
        )
        return Response(ExclusionOutput(obj).data, status=status.HTTP_201_CREATED)


class ExclusionDetail(OrgGenericAPIView, generics.RetrieveUpdateAPIView):
    """PATCH {"is_active": false, "reason": "…"} withdraws an exclusion (kept on record)."""

    permissions = {"GET": VIEW, "PATCH": SCOPE, "PUT": SCOPE}
    serializer_class = ExclusionOutput

    def get_queryset(self) -> Any:
        return Exclusion.objects.select_related("clause", "org_standard")

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        if _body(request).get("is_active") not in (False, "false"):
            raise ValidationError({"is_active": _("Only withdrawing (false) can be changed here.")})
        saved = services.exclusion_withdraw(
            actor=acting_user(request), exclusion=obj, reason=str(_body(request).get("reason", ""))
        )
        return Response(ExclusionOutput(saved).data)


class SoAView(OrgAPIView):
    """The Statement of Applicability of a standard; POST decides one control."""

    permissions = {"GET": VIEW, "POST": SCOPE}

    def _org_standard(self, request: Request, pk: int) -> OrgStandard:
        return self.get_object_for(OrgStandard.objects.select_related("edition"), pk)

    @extend_schema(responses=SoALineOutput(many=True))
    def get(self, request: Request, pk: int, **_kw: Any) -> Response:
        lines, _r, _d = gap_analysis(self._org_standard(request, pk))
        return Response(
            [
                {
                    "clause": line.clause.id,
                    "number": line.clause.number,
                    "title": line.clause.title,
                    "applicable": line.soa["applicable"] if line.soa else None,
                    "justification": line.soa["justification"] if line.soa else "",
                    "implementation": line.assessment.status,
                    "version": line.soa["version"] if line.soa else 0,
                }
                for line in lines
                if line.clause.kind == "control"
            ]
        )

    @extend_schema(request=SoAInput, responses=SoAEntryOutput)
    def post(self, request: Request, pk: int, **_kw: Any) -> Response:
        org_standard = self._org_standard(request, pk)
        ser = SoAInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        clause = get_object_or_404(Clause, pk=data["clause"], edition_id=org_standard.edition_id)
        entry = services.soa_set(
            actor=acting_user(request),
            org_standard=org_standard,
            clause=clause,
            applicable=data["applicable"],
            justification=data["justification"],
            expected_version=data.get("version"),
        )
        return Response(
            {
                "clause": clause.pk,
                "applicable": entry.applicable,
                "justification": entry.justification,
                "version": entry.version,
            }
        )


class AssessmentView(OrgAPIView):
    """A clause's assessment (shared across standards through the HS). PATCH needs `version`."""

    permissions = {"GET": VIEW, "PATCH": "standards.assess"}

    def _load(self, request: Request, pk: int, clause: int) -> tuple[Any, Clause]:
        org = self.organization
        org_standard = self.get_object_for(OrgStandard, pk)
        obj = get_object_or_404(
            Clause.objects.select_related("edition__standard"),
            pk=clause,
            edition_id=org_standard.edition_id,
        )
        return org, obj

    @staticmethod
    def _data(a: Assessment, clause: Clause) -> dict[str, Any]:
        return {
            "clause": clause.pk,
            "number": clause.number,
            "shared_hs": a.hs.number if a.hs_id and a.hs else None,
            "status": a.status,
            "owner": a.owner_id,
            "target_date": a.target_date,
            "notes": a.notes,
            "version": a.version,
            "confirmed_for": sorted(
                a.confirmations.values_list("org_standard_id", flat=True) if a.pk else []
            ),
        }

    @extend_schema(responses=AssessmentOutput)
    def get(self, request: Request, pk: int, clause: int, **_kw: Any) -> Response:
        org, obj = self._load(request, pk, clause)
        return Response(self._data(services.assessment_for(org, obj), obj))

    @extend_schema(request=AssessmentInput, responses=AssessmentOutput)
    def patch(self, request: Request, pk: int, clause: int, **_kw: Any) -> Response:
        org, obj = self._load(request, pk, clause)
        ser = AssessmentInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        kwargs: dict[str, Any] = {"expected_version": data.pop("version")}
        if "owner" in data:
            kwargs["owner"] = _user(org, data.pop("owner"))
        kwargs.update(data)
        saved = services.assessment_update(
            actor=acting_user(request), organization=org, clause=obj, **kwargs
        )
        return Response(self._data(saved, obj))


class AssessmentConfirmView(OrgAPIView):
    """POST {version}: "also valid for this standard?" — the shared clause's status, given
    under another standard on its harmonized-structure clause, counts for this one from now on
    (the same service as the clause page's button)."""

    permission = "standards.assess"

    @extend_schema(request=ConfirmInput, responses=AssessmentOutput)
    def post(self, request: Request, pk: int, clause: int, **_kw: Any) -> Response:
        org_standard = self.get_object_for(OrgStandard.objects.select_related("edition"), pk)
        obj = get_object_or_404(
            Clause.objects.select_related("edition__standard"),
            pk=clause,
            edition_id=org_standard.edition_id,
        )
        ser = ConfirmInput(data=request.data)
        ser.is_valid(raise_exception=True)
        saved = services.assessment_confirm(
            actor=acting_user(request),
            org_standard=org_standard,
            clause=obj,
            expected_version=ser.validated_data["version"],
        )
        return Response(AssessmentView._data(saved, obj))


class ReadinessView(OrgAPIView):
    permission = VIEW

    @extend_schema(responses=ReadinessOutput(many=True))
    def get(self, request: Request, **_kw: Any) -> Response:
        results = readiness(self.organization)
        return Response(
            [
                {
                    "org_standard": r.org_standard.pk,
                    "edition": r.org_standard.edition.label,
                    "stage1_ready": r.stage1_ready,
                    "gates": [
                        {"code": g.code, "title": g.title, "state": g.state, "detail": g.detail}
                        for g in r.gates
                    ],
                    "percent": r.percent,
                    "counted": r.counted,
                    "points": round(r.points, 2),
                    "by_status": r.by_status,
                    "weights": {w["status"]: w["weight"] for w in r.weight_rows},
                    "not_applicable": [c.number for c, _why in r.excluded],
                    "explanation": r.explanation,
                    "parts": [
                        {
                            "code": p.code,
                            "title": p.title,
                            "counted": p.counted,
                            "percent": p.percent,
                        }
                        for p in r.sections + r.themes
                    ],
                    "required_missing": [
                        {"clause": q.clause_number, "title": q.title, "kind": q.kind}
                        for q in r.required_missing
                    ],
                    "gaps": [
                        {"clause": g.clause.number, "status": g.status, "reason": g.reason}
                        for g in r.gaps
                    ],
                }
                for r in results
            ]
        )


# --- Processes, roadmap, evidence ----------------------------------------------------------


class ProcessList(OrgGenericAPIView, generics.ListCreateAPIView):
    permissions = {"GET": VIEW, "POST": "standards.manage_processes"}
    serializer_class = ProcessOutput

    def get_queryset(self) -> Any:
        return Process.objects.select_related("owner").prefetch_related(
            "interacts_with", "sites", "departments", "clauses"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        _check_ids(self.organization, data)
        obj = services.process_save(
            actor=acting_user(request), organization=self.organization, **data
        )
        return Response(ProcessOutput(obj).data, status=status.HTTP_201_CREATED)


class ProcessDetail(OrgDetailAPIView):
    permissions = {"GET": VIEW, "PATCH": "standards.edit_process", "PUT": "standards.edit_process"}
    serializer_class = ProcessOutput
    input = ProcessOutput

    def get_queryset(self) -> Any:
        return Process.objects.all()

    def update(self, obj: Process, data: dict[str, Any], expected_version: int | None) -> Any:
        _check_ids(self.organization, data)
        return services.process_save(
            actor=acting_user(self.request),
            organization=self.organization,
            process=obj,
            expected_version=expected_version,
            **data,
        )


class RoadmapList(OrgGenericAPIView, generics.ListCreateAPIView):
    permissions = {"GET": VIEW, "POST": "standards.manage_roadmap"}
    serializer_class = RoadmapOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return RoadmapAction.objects.none()
        return RoadmapAction.objects.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("status", None)
        obj = services.roadmap_action_create(
            actor=acting_user(request), organization=self.organization, **data
        )
        return Response(RoadmapOutput(obj).data, status=status.HTTP_201_CREATED)


class RoadmapDetail(OrgDetailAPIView):
    permissions = {
        "GET": VIEW,
        "PATCH": "standards.manage_roadmap",
        "PUT": "standards.manage_roadmap",
    }
    serializer_class = RoadmapOutput
    input = RoadmapOutput

    def get_queryset(self) -> Any:
        return RoadmapAction.objects.all()

    def update(self, obj: RoadmapAction, data: dict[str, Any], expected_version: int | None) -> Any:
        data.pop("clause", None)
        return services.roadmap_action_update(
            actor=acting_user(self.request),
            action=obj,
            expected_version=expected_version,  # type: ignore[arg-type]  # None: the service refuses
            reason=str(_body(self.request).get("reason", "")),
            **data,
        )


class EvidenceList(OrgGenericAPIView, generics.ListCreateAPIView):
    """Evidence links; ?clause=<id> filters. POST links any object of this organization."""

    permissions = {"GET": VIEW, "POST": "standards.link_evidence"}
    serializer_class = EvidenceOutput

    def get_queryset(self) -> Any:
        qs = EvidenceLink.objects.select_related("content_type")
        clause = self.request.query_params.get("clause")
        if clause:
            if not clause.isdigit():
                raise ValidationError({"clause": _("Give a clause id.")})
            qs = qs.filter(clause_id=int(clause))
        return qs

    @extend_schema(request=EvidenceInput, responses={201: EvidenceOutput})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = EvidenceInput(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        clause = Clause.objects.filter(pk=data["clause"]).first()
        if clause is None:
            raise ValidationError({"clause": _("No such clause.")})
        label, _dot, model = data["content_type"].lower().partition(".")
        try:
            model_class = apps.get_model(label, model)
        except (LookupError, ValueError):
            raise ValidationError({"content_type": _("Name a model as app_label.model.")}) from None
        manager = model_class._default_manager  # scoped to this organization, if scoped
        fields = {f.name for f in model_class._meta.get_fields()}
        if "organization" not in fields:
            raise ValidationError({"content_type": _("Only organization records can be evidence.")})
        obj = manager.filter(pk=data["object_id"], organization=self.organization).first()
        if obj is None:
            raise ValidationError({"object_id": _("No such object in this organization.")})
        item = None
        if data.get("required") is not None:
            item = (
                RequiredInformation.objects.select_related("clause")
                .filter(pk=data["required"])
                .first()
            )
            if item is None:
                raise ValidationError({"required": _("No such mandatory item.")})
        services.evidence_link(
            actor=acting_user(request),
            organization=self.organization,
            clause=clause,
            obj=obj,
            note=data.get("note", ""),
            required=item,
        )
        link = EvidenceLink.objects.get(
            clause=clause,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )
        return Response(EvidenceOutput(link).data, status=status.HTTP_201_CREATED)


class EvidenceDetail(OrgGenericAPIView, generics.RetrieveDestroyAPIView):
    permissions = {"GET": VIEW, "DELETE": "standards.link_evidence"}
    serializer_class = EvidenceOutput

    def get_queryset(self) -> Any:
        return EvidenceLink.objects.select_related("content_type")

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.evidence_unlink(actor=acting_user(request), link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceShareView(OrgAPIView):
    """POST {org_standard}: "also valid for this standard" — the linked object becomes evidence
    of the other standard's clause on the same harmonized-structure clause (refused for
    discipline-specific evidence such as a policy, scope, objectives or monitoring results)."""

    permission = "standards.link_evidence"

    @extend_schema(request=ShareInput, responses={201: EvidenceOutput})
    def post(self, request: Request, pk: int, **_kw: Any) -> Response:
        link = self.get_object_for(EvidenceLink.objects.select_related("clause__hs"), pk)
        ser = ShareInput(data=request.data)
        ser.is_valid(raise_exception=True)
        org_standard = (
            OrgStandard.objects.filter(
                organization=self.organization, pk=ser.validated_data["org_standard"]
            )
            .select_related("edition")
            .first()
        )
        if org_standard is None:
            raise ValidationError({"org_standard": _("No such standard in this organization.")})
        services.evidence_share(actor=acting_user(request), link=link, org_standard=org_standard)
        shared = (
            EvidenceLink.objects.filter(
                content_type_id=link.content_type_id,
                object_id=link.object_id,
                clause__edition_id=org_standard.edition_id,
                clause__hs_id=link.clause.hs_id,
            )
            .select_related("content_type")
            .get()
        )
        return Response(EvidenceOutput(shared).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("catalogue/", StandardList.as_view(), name="api-standards-catalogue"),
    path("catalogue/editions/<int:pk>/", EditionDetail.as_view(), name="api-standards-edition"),
    path(
        "catalogue/editions/<int:edition>/clauses/",
        ClauseList.as_view(),
        name="api-standards-clauses",
    ),
    path("catalogue/hs/", HarmonizedClauseList.as_view(), name="api-standards-hs"),
    path("chosen/", OrgStandardList.as_view(), name="api-standards-org-standards"),
    path("chosen/<int:pk>/", OrgStandardDetail.as_view(), name="api-standards-org-standard"),
    path("chosen/<int:pk>/soa/", SoAView.as_view(), name="api-standards-soa"),
    path(
        "chosen/<int:pk>/assessments/<int:clause>/",
        AssessmentView.as_view(),
        name="api-standards-assessment",
    ),
    path(
        "chosen/<int:pk>/assessments/<int:clause>/confirm/",
        AssessmentConfirmView.as_view(),
        name="api-standards-assessment-confirm",
    ),
    path("exclusions/", ExclusionList.as_view(), name="api-standards-exclusions"),
    path("exclusions/<int:pk>/", ExclusionDetail.as_view(), name="api-standards-exclusion"),
    path("readiness/", ReadinessView.as_view(), name="api-standards-readiness"),
    path("processes/", ProcessList.as_view(), name="api-standards-processes"),
    path("processes/<int:pk>/", ProcessDetail.as_view(), name="api-standards-process"),
    path("roadmap/", RoadmapList.as_view(), name="api-standards-roadmap"),
    path("roadmap/<int:pk>/", RoadmapDetail.as_view(), name="api-standards-roadmap-action"),
    path("evidence/", EvidenceList.as_view(), name="api-standards-evidence"),
    path("evidence/<int:pk>/", EvidenceDetail.as_view(), name="api-standards-evidence-link"),
    path(
        "evidence/<int:pk>/share/", EvidenceShareView.as_view(), name="api-standards-evidence-share"
    ),
]

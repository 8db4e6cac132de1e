"""People, job roles, competences and competence records in the REST API.

Lists show what the caller may see (a person's records: themselves, their line manager, their
head of department, management and auditors); PATCH needs the version you loaded (409 when
someone else saved first). Competence records are never deleted: a PATCH corrects one with a
reason."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.core.access import visible_rows
from pdca.people import selectors, services
from pdca.people.models import (
    Acknowledgement,
    AwarenessItem,
    AwarenessKind,
    Competence,
    CompetenceRecord,
    JobRole,
    Level,
    Person,
)


class PersonOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="membership.user.display_name", read_only=True)
    department = serializers.IntegerField(
        source="membership.department_id", read_only=True, allow_null=True
    )
    job_roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "membership",
            "name",
            "department",
            "site",
            "start_date",
            "left_on",
            "job_roles",
            "version",
        ]
        read_only_fields = ["membership", "site", "start_date", "left_on", "version"]

    def get_job_roles(self, obj: Person) -> list[int]:
        return [a.job_role_id for a in obj.assignments.all()]


class PersonInput(serializers.Serializer):
    version = serializers.IntegerField()
    start_date = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(required=False, allow_null=True)


class JobRoleOutput(serializers.ModelSerializer):
    class Meta:
        model = JobRole
        fields = ["id", "name", "description", "department", "is_active", "version"]
        read_only_fields = ["department", "version"]


class JobRoleInput(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class CompetenceOutput(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "retrain_on_revision",
            "is_auditor_qualification",
            "current_since",
            "is_active",
            "version",
        ]
        read_only_fields = ["current_since", "version"]


class CompetenceInput(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Competence._meta.get_field("kind").choices)  # type: ignore[arg-type]
    description = serializers.CharField(required=False, allow_blank=True)
    retrain_on_revision = serializers.BooleanField(required=False)
    is_auditor_qualification = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)


class CompetenceRecordOutput(serializers.ModelSerializer):
    competence_name = serializers.CharField(source="competence.name", read_only=True)

    class Meta:
        model = CompetenceRecord
        fields = [
            "id",
            "person",
            "competence",
            "competence_name",
            "evidence",
            "level",
            "achieved_on",
            "valid_until",
            "reference",
            "notes",
            "status",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields


class CompetenceRecordInput(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id (GET …/people/).")
    competence = serializers.IntegerField()
    evidence = serializers.CharField(max_length=20)
    level = serializers.IntegerField(help_text="1 aware, 2 trained, 3 competent, 4 can train.")
    achieved_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CompetenceRecordCorrection(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField()
    evidence = serializers.CharField(max_length=20, required=False)
    level = serializers.IntegerField(required=False)
    achieved_on = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PersonListView(OrgListAPIView):
    """The people the caller may see, with their job roles."""

    permission = "people.view"
    serializer_class = PersonOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Person.objects.none()
        return (
            selectors.visible_people(self.membership)
            .prefetch_related("assignments")
            .order_by("membership__user__full_name", "pk")
        )


class PersonDetailView(OrgDetailAPIView):
    """A person; PATCH {version, start_date, left_on} (management only)."""

    permissions = {"GET": "people.view", "PATCH": "people.assign"}
    serializer_class = PersonOutput
    input = PersonInput

    def get_queryset(self) -> Any:
        return Person.objects.select_related("membership__user").prefetch_related("assignments")

    def update(self, obj: Person, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.person_update(
            actor=self.request.user, person=obj, expected_version=expected_version, **data
        )


class JobRoleListView(OrgListAPIView):
    permissions = {"GET": "people.view", "POST": "people.manage"}
    serializer_class = JobRoleOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return JobRole.objects.none()
        return JobRole.objects.filter(organization=self.organization).order_by("name")

    @extend_schema(request=JobRoleInput, responses=JobRoleOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = JobRoleInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data.pop("version", None)
        role = services.job_role_save(actor=request.user, organization=self.organization, **data)
        return Response(JobRoleOutput(role).data, status=status.HTTP_201_CREATED)


class JobRoleDetailView(OrgDetailAPIView):
    """A job role; PATCH {version, name, description, is_active}."""

    permissions = {"GET": "people.view", "PATCH": "people.manage"}
    serializer_class = JobRoleOutput
    input = JobRoleInput

    def get_queryset(self) -> Any:
        return JobRole.objects.all()

    def update(self, obj: JobRole, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.job_role_save(
            actor=self.request.user,
            organization=self.organization,
            job_role=obj,
            version=expected_version,
            **data,
        )


class CompetenceListView(OrgListAPIView):
    permissions = {"GET": "people.view", "POST": "people.manage"}
    serializer_class = CompetenceOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Competence.objects.none()
        return Competence.objects.filter(organization=self.organization).order_by("name")

    @extend_schema(request=CompetenceInput, responses=CompetenceOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = CompetenceInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data.pop("version", None)
        row = services.competence_save(actor=request.user, organization=self.organization, **data)
        return Response(CompetenceOutput(row).data, status=status.HTTP_201_CREATED)


class CompetenceDetailView(OrgDetailAPIView):
    """A competence of the catalogue; PATCH {version, …}."""

    permissions = {"GET": "people.view", "PATCH": "people.manage"}
    serializer_class = CompetenceOutput
    input = CompetenceInput

    def get_queryset(self) -> Any:
        return Competence.objects.all()

    def update(self, obj: Competence, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.competence_save(
            actor=self.request.user,
            organization=self.organization,
            competence=obj,
            version=expected_version,
            **data,
        )


class CompetenceRecordListView(OrgListAPIView):
    """Competence records the caller may see (filter: person, competence); POST records one."""

    permissions = {"GET": "people.view", "POST": "people.record"}
    serializer_class = CompetenceRecordOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CompetenceRecord.objects.none()
        qs = visible_rows(self.membership, CompetenceRecord).select_related("competence")
        for name in ("person", "competence"):
            value = self.request.GET.get(name)
            if value:
                if not value.isdigit():
                    raise ApiValidationError({name: [_("Give an id.")]})
                qs = qs.filter(**{f"{name}_id": int(value)})
        return qs.order_by("-achieved_on", "-pk")

    @extend_schema(request=CompetenceRecordInput, responses=CompetenceRecordOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = CompetenceRecordInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        person = selectors.visible_people(self.membership).filter(pk=d.pop("person")).first()
        if person is None:
            raise ApiValidationError({"person": [_("Unknown person.")]})
        competence = Competence.objects.filter(
            organization=self.organization, pk=d.pop("competence")
        ).first()
        if competence is None:
            raise ApiValidationError({"competence": [_("Unknown competence.")]})
        if d["level"] not in Level.values:
            raise ApiValidationError(
                {
                    "level": [
                        _("Choose one of the levels: aware, trained, competent, can train others.")
                    ]
                }
            )
        row = services.competence_record_create(
            actor=request.user, membership=person.membership, competence=competence, **d
        )
        return Response(CompetenceRecordOutput(row).data, status=status.HTTP_201_CREATED)


class CompetenceRecordDetailView(OrgDetailAPIView):
    """A competence record; PATCH {version, reason, …} corrects it (never deleted)."""

    permissions = {"GET": "people.view", "PATCH": "people.record"}
    serializer_class = CompetenceRecordOutput
    input = CompetenceRecordCorrection

    def get_queryset(self) -> Any:
        return CompetenceRecord.objects.select_related("competence")

    def update(
        self, obj: CompetenceRecord, data: dict[str, Any], expected_version: int | None
    ) -> Any:
        return services.competence_record_correct(
            actor=self.request.user, record=obj, expected_version=expected_version, **data
        )


class AwarenessItemOutput(serializers.ModelSerializer):
    acknowledged = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()

    class Meta:
        model = AwarenessItem
        fields = [
            "id",
            "title",
            "kind",
            "description",
            "document",
            "job_roles",
            "round",
            "revision",
            "asked_since",
            "is_active",
            "acknowledged",
            "audience",
            "version",
        ]
        read_only_fields = fields

    def _progress(self, obj: AwarenessItem) -> Any:
        cache = self.context.setdefault("progress", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.awareness_progress(obj.organization, [obj])[0]
        return cache[obj.pk]

    def get_acknowledged(self, obj: AwarenessItem) -> int:
        """How many of the people it concerns acknowledged its current round."""
        return int(self._progress(obj).acknowledged)

    def get_audience(self, obj: AwarenessItem) -> int:
        """How many people it concerns."""
        return int(self._progress(obj).audience)


class AwarenessItemInput(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AwarenessKind.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    document = serializers.IntegerField(required=False, allow_null=True)
    job_roles = serializers.ListField(child=serializers.IntegerField(), required=False)
    is_active = serializers.BooleanField(required=False)


def _awareness_links(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids of the input into this organization's document and job roles."""
    from pdca.documents.models import Document

    if data.get("document") is not None:
        document = Document.objects.filter(organization=organization, pk=data["document"]).first()
        if document is None:
            raise ApiValidationError({"document": [_("Unknown document.")]})
        data["document"] = document
    if "job_roles" in data:
        ids = set(data["job_roles"])
        roles = list(JobRole.objects.filter(organization=organization, pk__in=ids))
        if len(roles) != len(ids):
            raise ApiValidationError({"job_roles": [_("Unknown job role.")]})
        data["job_roles"] = roles
    return data


class AwarenessItemListView(OrgListAPIView):
    """The awareness items (7.3) with how many acknowledged them; POST creates one."""

    permissions = {"GET": "people.view", "POST": "people.manage"}
    serializer_class = AwarenessItemOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AwarenessItem.objects.none()
        return (
            AwarenessItem.objects.filter(organization=self.organization)
            .prefetch_related("job_roles")
            .order_by("title", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "progress": {}}

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        context = self.get_serializer_context()
        context["progress"] = {
            p.item.pk: p for p in selectors.awareness_progress(self.organization, rows)
        }
        data = AwarenessItemOutput(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=AwarenessItemInput, responses=AwarenessItemOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = AwarenessItemInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _awareness_links(self.organization, dict(s.validated_data))
        data.pop("version", None)
        row = services.awareness_item_save(
            actor=request.user, organization=self.organization, **data
        )
        return Response(AwarenessItemOutput(row).data, status=status.HTTP_201_CREATED)


class AwarenessItemDetailView(OrgDetailAPIView):
    """An awareness item; PATCH {version, …} changes it (asking again is its own endpoint)."""

    permissions = {"GET": "people.view", "PATCH": "people.manage"}
    serializer_class = AwarenessItemOutput
    input = AwarenessItemInput

    def get_queryset(self) -> Any:
        return AwarenessItem.objects.prefetch_related("job_roles")

    def update(self, obj: AwarenessItem, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.awareness_item_save(
            actor=self.request.user,
            organization=self.organization,
            item=obj,
            version=expected_version,
            **_awareness_links(self.organization, data),
        )


class AskAgainInput(serializers.Serializer):
    reason = serializers.CharField()


class AwarenessAskAgainView(OrgAPIView):
    """POST {reason}: ask everyone the item concerns to acknowledge it again (a new round)."""

    permission = "people.manage"

    @extend_schema(request=AskAgainInput, responses=AwarenessItemOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        item = self.get_object_for(AwarenessItem, pk)
        s = AskAgainInput(data=request.data)
        s.is_valid(raise_exception=True)
        item = services.awareness_ask_again(
            actor=request.user, item=item, reason=s.validated_data["reason"]
        )
        return Response(AwarenessItemOutput(item).data)


class AwarenessAcknowledgementOutput(serializers.ModelSerializer):
    class Meta:
        model = Acknowledgement
        fields = ["id", "item", "person", "round", "revision", "acknowledged_at"]
        read_only_fields = fields


class AwarenessAcknowledgeView(OrgAPIView):
    """POST (no body): the caller acknowledges the item's current round themselves."""

    permission = "people.acknowledge"

    @extend_schema(request=None, responses=AwarenessAcknowledgementOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        item = self.get_object_for(AwarenessItem, pk)
        row = services.awareness_acknowledge(actor=request.user, item=item)
        return Response(AwarenessAcknowledgementOutput(row).data, status=status.HTTP_201_CREATED)


class AcknowledgementListView(OrgListAPIView):
    """Acknowledgements the caller may see (filter: item, person), latest first."""

    permission = "people.view"
    serializer_class = AwarenessAcknowledgementOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Acknowledgement.objects.none()
        qs = visible_rows(self.membership, Acknowledgement)
        for name in ("item", "person"):
            value = self.request.GET.get(name)
            if value:
                if not value.isdigit():
                    raise ApiValidationError({name: [_("Give an id.")]})
                qs = qs.filter(**{f"{name}_id": int(value)})
        return qs.order_by("-acknowledged_at", "-pk")


urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", PersonListView.as_view(), name="api-people-people"),
    path("people/<int:pk>/", PersonDetailView.as_view(), name="api-people-person"),
    path("job-roles/", JobRoleListView.as_view(), name="api-people-job-roles"),
    path("job-roles/<int:pk>/", JobRoleDetailView.as_view(), name="api-people-job-role"),
    path("competences/", CompetenceListView.as_view(), name="api-people-competences"),
    path("competences/<int:pk>/", CompetenceDetailView.as_view(), name="api-people-competence"),
    path("records/", CompetenceRecordListView.as_view(), name="api-people-records"),
    path("records/<int:pk>/", CompetenceRecordDetailView.as_view(), name="api-people-record"),
    path("awareness/", AwarenessItemListView.as_view(), name="api-people-awareness-items"),
    path("awareness/<int:pk>/", AwarenessItemDetailView.as_view(), name="api-people-awareness"),
    path(
        "awareness/<int:pk>/ask-again/",
        AwarenessAskAgainView.as_view(),
        name="api-people-awareness-ask-again",
    ),
    path(
        "awareness/<int:pk>/acknowledge/",
        AwarenessAcknowledgeView.as_view(),
        name="api-people-awareness-acknowledge",
    ),
    path(
        "acknowledgements/", AcknowledgementListView.as_view(), name="api-people-acknowledgements"
    ),
]

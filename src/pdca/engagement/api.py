"""The engagement module in the REST API: suggestions (made, anonymously if chosen, and
triaged), customer feedback (recorded, changed, answered, raising a nonconformity) and
announcements (published, acknowledged). An anonymous suggestion's author is null in every
response: it is not stored."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView
from pdca.api.typing import ApiRequest
from pdca.core.assignable import assignable_by_id
from pdca.core.models import Department, Site
from pdca.core.roles import Role
from pdca.engagement import selectors, services
from pdca.engagement.forms import AnnouncementFilter, FeedbackFilter, SuggestionFilter
from pdca.engagement.models import (
    Announcement,
    Channel,
    Feedback,
    FeedbackKind,
    Severity,
    Subject,
    Suggestion,
)


def _filters(form_class: Any, request: Any) -> dict[str, Any]:
    form = form_class(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise ApiValidationError(form.errors.get_json_data())
    return form.cleaned_data if form.is_bound else {}


def _one(queryset: Any, pk: Any, field: str, message: str) -> Any:
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ApiValidationError({field: [message]})
    return obj


# --- Suggestions --------------------------------------------------------------------------


class SuggestionOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "department",
            "anonymous",
            "author",
            "author_name",
            "status",
            "response",
            "duplicate_of",
            "action",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    def get_author(self, obj: Suggestion) -> int | None:
        return None if obj.anonymous else obj.author_id

    def get_author_name(self, obj: Suggestion) -> str:
        return "" if obj.anonymous or obj.author is None else obj.author.display_name


class SuggestionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    anonymous = serializers.BooleanField(required=False, default=False)
    department = serializers.IntegerField(required=False, allow_null=True)


class SuggestionListView(OrgListAPIView):
    """The suggestion board, newest first (filters: q, status, mine); POST makes a suggestion
    ({anonymous: true} keeps no author)."""

    permissions = {"GET": "engagement.view", "POST": "engagement.suggest"}
    serializer_class = SuggestionOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Suggestion.objects.none()
        return selectors.suggestion_list(self.membership, _filters(SuggestionFilter, self.request))

    @extend_schema(request=SuggestionInput, responses=SuggestionOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = SuggestionInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        data["department"] = _one(
            Department.objects.filter(organization=self.organization),
            data.get("department"),
            "department",
            _("Unknown department."),
        )
        suggestion = services.suggestion_make(
            actor=request.user, organization=self.organization, **data
        )
        return Response(SuggestionOutput(suggestion).data, status=status.HTTP_201_CREATED)


class SuggestionDetailView(OrgDetailAPIView):
    """A suggestion. It is changed only by its triage (…/triage/)."""

    permissions = {"GET": "engagement.view"}
    serializer_class = SuggestionOutput

    def get_queryset(self) -> Any:
        return Suggestion.objects.select_related("author")


class TriageInput(serializers.Serializer):
    version = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=["accepted", "declined", "duplicate"])
    response = serializers.CharField(required=False, allow_blank=True, default="")
    action_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    owner = serializers.IntegerField(required=False)
    due_on = serializers.DateField(required=False)
    duplicate_of = serializers.IntegerField(required=False)


class SuggestionTriageView(OrgAPIView):
    """POST {version, decision: accepted|declined|duplicate, response, …}: accepted needs
    action_title, owner and due_on (the improvement action); declined needs the reason in
    response; duplicate names duplicate_of."""

    permission = "engagement.triage"

    @extend_schema(request=TriageInput, responses=SuggestionOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        suggestion = self.get_object_for(Suggestion, pk)
        s = TriageInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if d["decision"] == "accepted":
            owner = d.get("owner")
            suggestion = services.suggestion_accept(
                actor=request.user,
                suggestion=suggestion,
                action_title=d.get("action_title", ""),
                owner=assignable_by_id(self.organization, owner, "owner")
                if owner is not None
                else None,  # type: ignore[arg-type]
                due_on=d.get("due_on"),  # type: ignore[arg-type]
                response=d["response"],
                version=d["version"],
            )
        elif d["decision"] == "declined":
            suggestion = services.suggestion_decline(
                actor=request.user,
                suggestion=suggestion,
                reason=d["response"],
                version=d["version"],
            )
        else:
            original = _one(
                Suggestion.objects.filter(organization=self.organization),
                d.get("duplicate_of"),
                "duplicate_of",
                _("Unknown suggestion."),
            )
            suggestion = services.suggestion_mark_duplicate(
                actor=request.user,
                suggestion=suggestion,
                duplicate_of=original,
                response=d["response"],
                version=d["version"],
            )
        return Response(SuggestionOutput(suggestion).data)


# --- Customer feedback --------------------------------------------------------------------


class FeedbackOutput(serializers.ModelSerializer):
    reference_number = serializers.CharField(source="ref", read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "reference_number",
            "kind",
            "customer",
            "contact",
            "channel",
            "received_on",
            "subject",
            "reference",
            "description",
            "severity",
            "satisfaction",
            "owner",
            "response_due_on",
            "status",
            "response",
            "responded_on",
            "responded_by",
            "version",
        ]
        read_only_fields = fields


class FeedbackInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    customer = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_on = serializers.DateField()
    subject = serializers.ChoiceField(choices=Subject.choices)
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )
    owner = serializers.IntegerField()
    response_due_on = serializers.DateField(required=False, allow_null=True)


class FeedbackChangeInput(serializers.Serializer):
    version = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FeedbackKind.choices, required=False)
    customer = serializers.CharField(max_length=200, required=False)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    received_on = serializers.DateField(required=False)
    subject = serializers.ChoiceField(choices=Subject.choices, required=False)
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description = serializers.CharField(required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )
    owner = serializers.IntegerField(required=False)
    response_due_on = serializers.DateField(required=False, allow_null=True)


def _owner(organization: Any, data: dict[str, Any]) -> dict[str, Any]:
    if "owner" in data:
        data["owner"] = assignable_by_id(organization, data["owner"], "owner")
    return data


class FeedbackListView(OrgListAPIView):
    """Customer feedback, newest first (filters: q, kind, status, severity, subject,
    overdue); POST records feedback (a complaint without response_due_on gets the default for
    its severity)."""

    permissions = {"GET": "engagement.view", "POST": "engagement.record_feedback"}
    serializer_class = FeedbackOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        return selectors.feedback_list(self.membership, _filters(FeedbackFilter, self.request))

    @extend_schema(request=FeedbackInput, responses=FeedbackOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = FeedbackInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = _owner(self.organization, dict(s.validated_data))
        feedback = services.feedback_record(
            actor=request.user, organization=self.organization, **data
        )
        return Response(FeedbackOutput(feedback).data, status=status.HTTP_201_CREATED)


class FeedbackDetailView(OrgDetailAPIView):
    """Customer feedback; PATCH {version, …} changes it (409 when someone else changed it
    first). Never deleted."""

    permissions = {"GET": "engagement.view", "PATCH": "engagement.record_feedback"}
    serializer_class = FeedbackOutput
    input = FeedbackChangeInput

    def get_queryset(self) -> Any:
        return Feedback.objects.all()

    def update(self, obj: Feedback, data: dict[str, Any], expected_version: int | None) -> Any:
        data = _owner(obj.organization, data)
        return services.feedback_update(
            actor=self.request.user, feedback=obj, version=expected_version, **data
        )


class RespondInput(serializers.Serializer):
    version = serializers.IntegerField()
    response = serializers.CharField(allow_blank=True)
    responded_on = serializers.DateField(required=False)


class FeedbackRespondView(OrgAPIView):
    """POST {version, response, responded_on}: the response sent to the customer."""

    permission = "engagement.record_feedback"

    @extend_schema(request=RespondInput, responses=FeedbackOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        feedback = self.get_object_for(Feedback, pk)
        s = RespondInput(data=request.data)
        s.is_valid(raise_exception=True)
        feedback = services.feedback_respond(
            actor=request.user, feedback=feedback, **s.validated_data
        )
        return Response(FeedbackOutput(feedback).data)


class RaiseInput(serializers.Serializer):
    owner = serializers.IntegerField(required=False)


class RaisedOutput(serializers.Serializer):
    nonconformity = serializers.IntegerField()
    reference = serializers.CharField()


class FeedbackRaiseView(OrgAPIView):
    """POST {owner}: raise a nonconformity (source: customer complaint) from a complaint; a
    second call returns the first."""

    permission = "engagement.record_feedback"

    @extend_schema(request=RaiseInput, responses=RaisedOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        feedback = self.get_object_for(Feedback, pk)
        s = RaiseInput(data=request.data)
        s.is_valid(raise_exception=True)
        owner = s.validated_data.get("owner")
        nc = services.feedback_raise_nonconformity(
            actor=request.user,
            feedback=feedback,
            owner=assignable_by_id(self.organization, owner, "owner") if owner else None,
        )
        return Response(
            RaisedOutput({"nonconformity": nc.pk, "reference": nc.reference}).data,
            status=status.HTTP_201_CREATED,
        )


# --- Announcements ------------------------------------------------------------------------


class AnnouncementOutput(serializers.ModelSerializer):
    audience = serializers.SerializerMethodField()
    acknowledged = serializers.SerializerMethodField()
    share = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "body",
            "roles",
            "departments",
            "sites",
            "requires_ack",
            "published_by",
            "published_at",
            "audience",
            "acknowledged",
            "share",
            "version",
        ]
        read_only_fields = fields

    def get_audience(self, obj: Any) -> int:
        return int(getattr(obj, "audience", 0))

    def get_acknowledged(self, obj: Any) -> int:
        return int(getattr(obj, "acknowledged", 0) or 0)

    def get_share(self, obj: Any) -> int:
        """The per cent of the audience who acknowledged."""
        return int(getattr(obj, "share", 0))


class AnnouncementInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, default=list
    )
    departments = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    sites = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    requires_ack = serializers.BooleanField(required=False, default=False)


def _all(queryset: Any, ids: list[int], field: str) -> list[Any]:
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ApiValidationError({field: [_("Unknown %(field)s.") % {"field": field}]})
    return found


class AnnouncementListView(OrgListAPIView):
    """Announcements, newest first, each with its audience and the share who acknowledged;
    POST publishes one (empty roles, departments and sites: everyone)."""

    permissions = {"GET": "engagement.view", "POST": "engagement.announce"}
    serializer_class = AnnouncementOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        return selectors.announcement_list(
            self.membership, _filters(AnnouncementFilter, self.request)
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.with_reach(page, self.membership)
        return page

    @extend_schema(request=AnnouncementInput, responses=AnnouncementOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        s = AnnouncementInput(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        org_ = self.organization
        data["departments"] = _all(
            Department.objects.filter(organization=org_), data["departments"], "departments"
        )
        data["sites"] = _all(Site.objects.filter(organization=org_), data["sites"], "sites")
        announcement = services.announcement_publish(actor=request.user, organization=org_, **data)
        selectors.with_reach([announcement], self.membership)
        return Response(AnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)


class AnnouncementDetailView(OrgDetailAPIView):
    """An announcement with its audience and the share who acknowledged."""

    permissions = {"GET": "engagement.view"}
    serializer_class = AnnouncementOutput

    def get_queryset(self) -> Any:
        return Announcement.objects.prefetch_related("departments", "sites")

    def get_object(self) -> Any:
        obj = super().get_object()
        selectors.with_reach([obj], self.membership)
        return obj


class AcknowledgeView(OrgAPIView):
    """POST: the member acknowledges the announcement (once)."""

    permission = "engagement.acknowledge"

    @extend_schema(request=None, responses=AnnouncementOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        announcement = self.get_object_for(Announcement, pk)
        services.announcement_acknowledge(actor=request.user, announcement=announcement)
        selectors.with_reach([announcement], self.membership)
        return Response(AnnouncementOutput(announcement).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("suggestions/", SuggestionListView.as_view(), name="api-engagement-suggestions"),
    path("suggestions/<int:pk>/", SuggestionDetailView.as_view(), name="api-engagement-suggestion"),
    path(
        "suggestions/<int:pk>/triage/",
        SuggestionTriageView.as_view(),
        name="api-engagement-suggestion-triage",
    ),
    path("feedback/", FeedbackListView.as_view(), name="api-engagement-feedback"),
    path("feedback/<int:pk>/", FeedbackDetailView.as_view(), name="api-engagement-feedback-item"),
    path(
        "feedback/<int:pk>/respond/",
        FeedbackRespondView.as_view(),
        name="api-engagement-feedback-respond",
    ),
    path(
        "feedback/<int:pk>/raise/",
        FeedbackRaiseView.as_view(),
        name="api-engagement-feedback-raise",
    ),
    path("announcements/", AnnouncementListView.as_view(), name="api-engagement-announcements"),
    path(
        "announcements/<int:pk>/",
        AnnouncementDetailView.as_view(),
        name="api-engagement-announcement",
    ),
    path(
        "announcements/<int:pk>/acknowledge/",
        AcknowledgeView.as_view(),
        name="api-engagement-acknowledge",
    ),
]

"""The management review API: plan, change, compile the inputs, record their discussion,
record outputs and update their progress, hold and sign (with the password). Every write calls
the same service as the pages, so the same refusals (with their reasons) apply."""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from pdca.api.base import OrgAPIView, OrgDetailAPIView, OrgListAPIView, SubResourceListView
from pdca.api.typing import ApiRequest
from pdca.core.assignable import assignable_by_id, assignable_by_ids
from pdca.core.models import Organization
from pdca.core.views.base import acting_user
from pdca.reviews import services
from pdca.reviews.models import OutputKind, Review, ReviewInput, ReviewOutput
from pdca.standards.models import Edition


class OutputOutput(serializers.ModelSerializer):
    class Meta:
        model = ReviewOutput
        fields = [
            "id",
            "review",
            "kind",
            "title",
            "owner",
            "due_on",
            "status",
            "done_on",
            "notes",
            "version",
        ]
        read_only_fields = fields


class InputOutput(serializers.ModelSerializer):
    is_addressed = serializers.BooleanField(read_only=True)
    summary = serializers.JSONField(
        read_only=True, help_text="What pdca compiled: text, figures [[label, value]], links."
    )

    class Meta:
        model = ReviewInput
        fields = [
            "id",
            "review",
            "code",
            "title",
            "clauses",
            "available",
            "summary",
            "compiled_at",
            "entered_data",
            "notes",
            "conclusion",
            "is_addressed",
            "version",
        ]
        read_only_fields = fields


class ReviewDetailOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "reference",
            "title",
            "planned_on",
            "held_on",
            "period_start",
            "period_end",
            "editions",
            "chair",
            "attendees",
            "interval_months",
            "status",
            "prepared_at",
            "conclusion",
            "communication",
            "sha256",
            "signed_by",
            "signed_at",
            "version",
        ]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    planned_on = serializers.DateField()
    editions = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    chair = serializers.IntegerField()
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False)
    period_start = serializers.DateField(required=False, allow_null=True)
    interval_months = serializers.IntegerField(required=False, min_value=1, max_value=36)
    communication = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class InputRecordInput(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    entered_data = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The information itself, for an input pdca does not compile.",
    )
    version = serializers.IntegerField(required=False)


class OutputAddInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OutputKind.choices)
    title = serializers.CharField(max_length=300)
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class OutputUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewOutput.Status.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ReviewHoldInput(serializers.Serializer):
    held_on = serializers.DateField()
    conclusion = serializers.CharField(allow_blank=True)
    communication = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class MinutesSignInput(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False)


class HoldCheckOutput(serializers.Serializer):
    can_hold = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


def _org(request: ApiRequest) -> Organization:
    return request.membership.organization


def _related(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    org = _org(request)
    values = dict(data)
    values.pop("version", None)
    if "editions" in values:
        ids = set(values["editions"])
        found = list(Edition.objects.filter(pk__in=ids))
        if len(found) != len(ids):
            raise ApiValidationError({"editions": [_("One or more standards are unknown.")]})
        values["editions"] = found
    if "chair" in values:
        values["chair"] = assignable_by_id(org, values["chair"], "chair")
    if "attendees" in values:
        values["attendees"] = assignable_by_ids(org, values["attendees"], "attendees")
    if values.get("period_start", "") is None:
        values.pop("period_start")
    return values


class ReviewListView(OrgListAPIView):
    permissions = {"GET": "reviews.view", "POST": "reviews.manage"}
    serializer_class = ReviewDetailOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return Review.objects.none()
        qs = Review.objects.defer("pdf", "minutes").prefetch_related("editions", "attendees")
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs.order_by("-planned_on", "-number")

    @extend_schema(request=ReviewInputSerializer, responses=ReviewDetailOutput)
    def post(self, request: ApiRequest, org: str) -> Response:
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _related(request, dict(serializer.validated_data))
        review = services.review_plan(
            actor=acting_user(request), organization=_org(request), **values
        )
        return Response(ReviewDetailOutput(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailView(OrgDetailAPIView):
    """GET one; PATCH its plan (with `version`); refused once the minutes are signed."""

    permissions = {"GET": "reviews.view", "PATCH": "reviews.manage"}
    serializer_class = ReviewDetailOutput
    input = ReviewInputSerializer

    def get_queryset(self) -> Any:
        return Review.objects.defer("pdf")

    def update(self, obj: Review, data: dict[str, Any], expected_version: int | None) -> Any:
        values = _related(self.request, data)
        return services.review_update(
            actor=acting_user(self.request), review=obj, expected_version=expected_version, **values
        )


class PrepareView(OrgAPIView):
    """POST: compile every required input from live data and freeze it in the review."""

    permissions = {"GET": "reviews.manage", "POST": "reviews.manage"}

    @extend_schema(responses=ReviewDetailOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        return Response(ReviewDetailOutput(self.get_object_for(Review, pk)).data)

    @extend_schema(request=None, responses=ReviewDetailOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        review = self.get_object_for(Review, pk)
        review = services.review_prepare(actor=acting_user(request), review=review)
        return Response(ReviewDetailOutput(review).data)


class InputListView(OrgAPIView):
    permissions = {"GET": "reviews.view"}

    @extend_schema(responses=InputOutput(many=True))
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        review = self.get_object_for(Review, pk)
        return Response(InputOutput(review.inputs.all(), many=True).data)


class InputDetailView(OrgDetailAPIView):
    permissions = {"GET": "reviews.view", "PATCH": "reviews.manage"}
    serializer_class = InputOutput
    input = InputRecordInput
    partial_input = False

    def get_queryset(self) -> Any:
        return ReviewInput.objects.all()

    def update(self, obj: ReviewInput, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.input_record(
            actor=acting_user(self.request),
            review_input=obj,
            expected_version=expected_version,
            notes=data["notes"],
            conclusion=data["conclusion"],
            entered_data=data["entered_data"],
        )


class OutputListView(SubResourceListView):
    permissions = {"GET": "reviews.view", "POST": "reviews.manage"}
    parent_model = Review
    input = OutputAddInput
    output = OutputOutput

    def child_queryset(self, parent: Review) -> Any:
        return parent.outputs.all()

    def create(self, parent: Review, data: dict[str, Any]) -> ReviewOutput:
        data["owner"] = assignable_by_id(_org(self.request), data["owner"], "owner")
        return services.output_add(actor=acting_user(self.request), review=parent, **data)


class OutputDetailView(OrgDetailAPIView):
    permissions = {"GET": "reviews.view", "PATCH": "reviews.update_output"}
    serializer_class = OutputOutput
    input = OutputUpdateInput

    def get_queryset(self) -> Any:
        return ReviewOutput.objects.all()

    def update(self, obj: ReviewOutput, data: dict[str, Any], expected_version: int | None) -> Any:
        return services.output_update(
            actor=acting_user(self.request),
            output=obj,
            expected_version=expected_version,
            status=data.get("status"),
            notes=data.get("notes"),
        )


class HoldView(OrgAPIView):
    """GET: whether the review can be recorded as held and, if not, why. POST: record it."""

    permissions = {"GET": "reviews.manage", "POST": "reviews.manage"}

    @extend_schema(responses=HoldCheckOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        problems = services.holding_problems(self.get_object_for(Review, pk))
        return Response({"can_hold": not problems, "problems": problems})

    @extend_schema(request=ReviewHoldInput, responses=ReviewDetailOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        review = self.get_object_for(Review, pk)
        serializer = ReviewHoldInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        review = services.review_hold(
            actor=acting_user(request),
            review=review,
            held_on=data["held_on"],
            conclusion=data["conclusion"],
            communication=data.get("communication"),
            expected_version=data.get("version"),
        )
        return Response(ReviewDetailOutput(review).data)


class SignCheckOutput(serializers.Serializer):
    can_sign = serializers.BooleanField()
    reason = serializers.CharField(
        help_text="Why the minutes cannot be signed yet; empty when they can."
    )


class SignView(OrgAPIView):
    """GET: whether the minutes can be signed. POST: sign them, with the password."""

    permissions = {"GET": "reviews.sign", "POST": "reviews.sign"}

    @extend_schema(responses=SignCheckOutput)
    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        review = self.get_object_for(Review, pk)
        reason = ""
        if review.is_signed:
            reason = _("The minutes are signed.")
        elif review.status != Review.Status.HELD:
            reason = _("Record the review as held before signing its minutes.")
        return Response({"can_sign": not reason, "reason": reason})

    @extend_schema(request=MinutesSignInput, responses=ReviewDetailOutput)
    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        review = self.get_object_for(Review, pk)
        serializer = MinutesSignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_sign(
            actor=acting_user(request),
            review=review,
            password=serializer.validated_data["password"],
        )
        return Response(ReviewDetailOutput(review).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("reviews/", ReviewListView.as_view(), name="api-reviews-reviews"),
    path("reviews/<int:pk>/", ReviewDetailView.as_view(), name="api-reviews-review"),
    path("reviews/<int:pk>/prepare/", PrepareView.as_view(), name="api-reviews-prepare"),
    path("reviews/<int:pk>/inputs/", InputListView.as_view(), name="api-reviews-inputs"),
    path("reviews/<int:pk>/outputs/", OutputListView.as_view(), name="api-reviews-outputs"),
    path("reviews/<int:pk>/hold/", HoldView.as_view(), name="api-reviews-hold"),
    path("reviews/<int:pk>/sign/", SignView.as_view(), name="api-reviews-sign"),
    path("inputs/<int:pk>/", InputDetailView.as_view(), name="api-reviews-input"),
    path("outputs/<int:pk>/", OutputDetailView.as_view(), name="api-reviews-output"),
]

"""Reads of management reviews: the list, a review's page, what other apps ask (the signed
reviews covering a standard, for readiness), and the dashboard's cards."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.attention import Attention, capped_count
from pdca.core.models import Organization
from pdca.core.permissions import can
from pdca.reviews.inputs import required_inputs
from pdca.reviews.models import Review, ReviewInput, ReviewOutput


def review_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Review]:
    qs = visible_rows(membership, Review).select_related("chair").defer("pdf", "minutes")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by("-planned_on", "-number")


def signed_review_editions(organization: Organization) -> set[int]:
    """The standards (edition ids) a signed management review covered: the retained records
    of 9.3 (the results of management reviews)."""
    return set(
        Review.editions.through.objects.filter(
            review__organization=organization, review__status=Review.Status.SIGNED
        )
        .values_list("edition_id", flat=True)
        .distinct()
    )


def latest_signed_by_edition(organization: Organization) -> dict[int, Review]:
    """Per edition, the latest signed review covering it, with its inputs (three queries)."""
    reviews = list(
        Review.objects.filter(organization=organization, status=Review.Status.SIGNED)
        .defer("pdf", "minutes")
        .prefetch_related(
            "editions__standard", Prefetch("inputs", queryset=ReviewInput.objects.all())
        )
        .order_by("-held_on", "-number")
    )
    latest: dict[int, Review] = {}
    for review in reviews:
        for edition in review.editions.all():
            latest.setdefault(edition.pk, review)
    return latest


def unaddressed_inputs(review: Review, standard_code: str) -> list[str]:
    """The inputs `standard_code` requires that the (prefetched) review did not address."""
    inputs = {i.code: i for i in review.inputs.all()}
    return [
        str(kind.title)
        for kind in required_inputs({standard_code})
        if kind.code not in inputs or not inputs[kind.code].is_addressed
    ]


def add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + year, month + 1, min(day.day, 28))


def review_due_state(organization: Organization, today: datetime.date) -> dict[str, Any]:
    """The last signed review, the next one planned, and whether a review is overdue (two
    queries)."""
    last = (
        Review.objects.filter(organization=organization, status=Review.Status.SIGNED)
        .defer("pdf", "minutes")
        .order_by("-held_on", "-number")
        .first()
    )
    upcoming = (
        Review.objects.filter(organization=organization, status__in=Review.OPEN_STATUSES)
        .defer("pdf", "minutes")
        .order_by("planned_on", "number")
        .first()
    )
    due_by = add_months(last.held_on, last.interval_months) if last and last.held_on else None
    overdue = (upcoming is not None and upcoming.planned_on < today) or (
        upcoming is None and due_by is not None and due_by < today
    )
    return {"last": last, "upcoming": upcoming, "due_by": due_by, "overdue": overdue}


def attention(membership: Any) -> list[Attention]:
    """For those who run the reviews: a review overdue (planned date passed, or none planned
    within the interval since the last); for top management: minutes waiting for signature;
    for everyone: their own review actions overdue."""
    items: list[Attention] = []
    organization = membership.organization
    today = timezone.localdate()
    url = reverse("reviews:list", kwargs={"org": organization.slug})
    if can(membership, "reviews.manage"):
        state = review_due_state(organization, today)
        if state["overdue"]:
            items.append(
                Attention(
                    _("Management review overdue"),
                    url,
                    1,
                    "danger",
                    detail=_("Top management reviews the system at planned intervals (9.3)."),
                    module="reviews",
                )
            )
    if can(membership, "reviews.sign"):
        waiting = capped_count(
            Review.objects.filter(organization=organization, status=Review.Status.HELD)
        )
        if waiting:
            items.append(
                Attention(
                    _("Management review minutes to sign"),
                    url + "?status=held",
                    waiting,
                    "warning",
                    module="reviews",
                )
            )
    mine = capped_count(
        ReviewOutput.objects.filter(
            organization=organization,
            owner_id=membership.user_id,
            status__in=ReviewOutput.OPEN_STATUSES,
            due_on__lt=today,
        )
    )
    if mine:
        items.append(
            Attention(
                _("Your management review actions overdue"),
                url,
                mine,
                "danger",
                module="reviews",
            )
        )
    return items

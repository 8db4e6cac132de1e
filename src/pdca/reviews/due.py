"""What reviews contribute to the due-item registry: reviews not yet signed by their planned
date (for their chair) and open review actions by their due date (for their owner). Two fixed
queries each."""

from typing import Any

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, dated_items
from pdca.reviews.models import Review, ReviewOutput


def _standards(review_ids: set[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = {}
    rows = Review.editions.through.objects.filter(review_id__in=review_ids).values_list(
        "review_id", "edition__standard__code"
    )
    for review_id, code in rows:
        found.setdefault(review_id, set()).add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def _of_review(rows: list[dict[str, Any]], review: str) -> dict[int, tuple[str, ...]]:
    """Each row's standards: those of the review it is or belongs to (field `review`)."""
    by_review = _standards({r[review] for r in rows})
    return {r["pk"]: by_review.get(r[review], ()) for r in rows}


def planned_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Review.objects.filter(organization=query.organization, status__in=Review.OPEN_STATUSES)
    if query.standard:
        qs = qs.filter(editions__standard__code=query.standard).distinct()
    return dated_items(
        query,
        qs,
        kind="reviews.review",
        label=_("Management review"),
        date="planned_on",
        url_name="reviews:detail",
        owner="chair",
        fields=("number", "title"),
        title=lambda r: f"MR-{r['number']:03d} {r['title']}",
        standards=lambda rows: _of_review(rows, "pk"),
    )


def review_outputs_due(query: DueQuery) -> list[DueItem]:
    qs = ReviewOutput.objects.filter(
        organization=query.organization, status__in=ReviewOutput.OPEN_STATUSES
    )
    if query.standard:
        qs = qs.filter(review__editions__standard__code=query.standard).distinct()
    return dated_items(
        query,
        qs,
        kind="reviews.output",
        label=_("Management review action"),
        date="due_on",
        url_name="reviews:detail",
        link="review_id",
        fields=("title", "review__number"),
        title=lambda r: f"MR-{r['review__number']:03d} {r['title']}",
        standards=lambda rows: _of_review(rows, "review_id"),
    )

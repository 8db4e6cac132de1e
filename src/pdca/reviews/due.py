"""What reviews contribute to the due-item registry: reviews not yet signed by their planned
date (for their chair) and open review actions by their due date (for their owner)."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.reviews.models import Review, ReviewOutput


def _standards(review_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = {}
    if review_ids:
        rows = Review.editions.through.objects.filter(review_id__in=review_ids).values_list(
            "review_id", "edition__standard__code"
        )
        for review_id, code in rows:
            found.setdefault(review_id, set()).add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def planned_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Review.objects.filter(
        organization=query.organization,
        status__in=Review.OPEN_STATUSES,
        **query.date_range("planned_on"),
    )
    if query.owners is not None:
        qs = qs.filter(chair_id__in=query.owners)
    if query.standard:
        qs = qs.filter(editions__standard__code=query.standard).distinct()
    rows = list(
        query.cut(
            qs.order_by("planned_on", "pk").values_list(
                "pk",
                "number",
                "title",
                "planned_on",
                "chair_id",
                "chair__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = _standards([row[0] for row in rows])
    url = url_maker("reviews:detail", query.organization)
    return [
        DueItem(
            kind="reviews.review",
            kind_label=_("Management review"),
            title=f"MR-{number:03d} {title}",
            due_on=due,
            url=url(pk),
            model="reviews.review",
            object_id=pk,
            owner_id=chair_id,
            owner_name=chair_name or "",
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, number, title, due, chair_id, chair_name, updated_at, version in rows
    ]


def review_outputs_due(query: DueQuery) -> list[DueItem]:
    qs = ReviewOutput.objects.filter(
        organization=query.organization,
        status__in=ReviewOutput.OPEN_STATUSES,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(review__editions__standard__code=query.standard).distinct()
    rows = list(
        query.cut(
            qs.order_by("due_on", "pk").values_list(
                "pk",
                "title",
                "due_on",
                "owner_id",
                "owner__full_name",
                "review_id",
                "review__number",
                "updated_at",
                "version",
            )
        )
    )
    standards = _standards(sorted({row[5] for row in rows}))
    url = url_maker("reviews:detail", query.organization)
    return [
        DueItem(
            kind="reviews.output",
            kind_label=_("Management review action"),
            title=f"MR-{number:03d} {title}",
            due_on=due,
            url=url(review_id),
            model="reviews.reviewoutput",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=standards.get(review_id, ()),
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, title, due, owner_id, owner_name, review_id, number, updated_at, version in rows
    ]

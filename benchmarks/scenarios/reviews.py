"""Management reviews at scale: ten years of signed reviews (two a year at the large scale),
each with every input of the standards held and its decisions, and the review being prepared.
Timed: the list, a signed review's page, the review being prepared, and compiling (and
freezing) every input of a review from the live data the other scenarios made."""

import datetime

from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core.roles import Role
from pdca.reviews import services
from pdca.reviews.inputs import required_inputs
from pdca.reviews.models import Review, ReviewInput, ReviewOutput
from pdca.standards.models import OrgStandard

ORDER = 70


def generate(ctx: BenchContext) -> None:
    org = ctx.org
    top = ctx.by_role[Role.TOP_MANAGEMENT]
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    owner = ctx.by_role[Role.PROCESS_OWNER]
    editions = [os.edition for os in OrgStandard.objects.filter(organization=org)]
    codes = {e.standard.code for e in editions}
    kinds = required_inputs(codes)
    today = timezone.localdate()
    count = 20 if ctx.large else 4
    now = timezone.now()
    for i in range(count):
        held_on = today - datetime.timedelta(days=183 * (count - i))
        review = Review.objects.create(
            organization=org,
            number=i + 1,
            title=f"Management review {held_on.year} ({i + 1})",
            planned_on=held_on,
            held_on=held_on,
            period_start=held_on - datetime.timedelta(days=182),
            period_end=held_on,
            chair=top,
            status=Review.Status.SIGNED,
            conclusion="Suitable, adequate and effective.",
            minutes="(benchmark)",
            sha256="0" * 64,
            signed_by=top,
            signed_at=now,
            prepared_at=now,
        )
        review.editions.set(editions)
        review.attendees.set([mr, owner])
        ReviewInput.objects.bulk_create(
            ReviewInput(
                organization=org,
                review=review,
                code=k.code,
                title=str(k.title),
                clauses=k.clauses_for(codes),
                order=k.order,
                available=k.provider is not None,
                summary={"text": "Figures of the period.", "params": {}, "figures": [["A", "1"]]},
                entered_data="" if k.provider else "Entered by hand.",
                notes="Discussed.",
                conclusion="Adequate.",
            )
            for k in kinds
        )
        ReviewOutput.objects.bulk_create(
            ReviewOutput(
                organization=org,
                review=review,
                kind="improvement",
                title=f"Decision {n} of review {i + 1}",
                owner=owner,
                due_on=held_on + datetime.timedelta(days=90 + 30 * n),
                status=ReviewOutput.Status.DONE if i < count - 1 else ReviewOutput.Status.OPEN,
            )
            for n in range(7)
        )
    upcoming = services.review_plan(
        actor=mr,
        organization=org,
        title="Next management review",
        planned_on=today + datetime.timedelta(days=35),
        editions=editions,
        chair=top,
        attendees=[mr, owner],
    )
    services.review_prepare(actor=mr, review=upcoming)


def _ids(ctx: BenchContext) -> tuple[int, int]:
    signed = Review.objects.filter(organization=ctx.org, status=Review.Status.SIGNED).first()
    upcoming = Review.objects.filter(organization=ctx.org, status=Review.Status.PREPARED).first()
    assert signed is not None and upcoming is not None
    return signed.pk, upcoming.pk


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    signed, upcoming = _ids(ctx)
    return [
        Page("management reviews", f"/o/{slug}/reviews/", mr),
        Page("a signed management review", f"/o/{slug}/reviews/{signed}/", mr),
        Page("the management review being prepared", f"/o/{slug}/reviews/{upcoming}/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    _signed, upcoming = _ids(ctx)

    def prepare():  # type: ignore[no-untyped-def]
        return services.review_prepare(actor=mr, review=Review.objects.get(pk=upcoming))

    return [Measure("compiling and freezing every input of a review", prepare, 1000)]

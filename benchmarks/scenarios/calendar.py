"""The calendar at scale: the month view and the agenda of everything that falls due, and a
person's iCalendar feed.

The other scenarios already make the due items (at the large scale about 20,000 document
reviews, 15,000 open corrective actions and 200,000 records whose retention ends, far more
than the 50,000 the issue asks for). This one adds a person with 1,000 items of their own, as
roadmap actions over the coming year, whose feed is timed, and pages() makes that person a
fresh feed address each run (only its hash is stored, so an old one cannot be read back).
"""

import datetime
import random

from django.test import Client
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page, followed_next_link
from pdca.core.feeds import calendar_feed_create
from pdca.core.models import Membership
from pdca.core.roles import Role
from pdca.standards.models import RoadmapAction

ORDER = 60
FEED_ITEMS = 1_000


def _feed_person(ctx: BenchContext):  # type: ignore[no-untyped-def]
    # The last member: an employee no other scenario gives anything to.
    return ctx.users[-1]


def generate(ctx: BenchContext) -> None:
    person = _feed_person(ctx)
    today = timezone.localdate()
    rng = random.Random(60)
    RoadmapAction.objects.bulk_create(
        RoadmapAction(
            organization=ctx.org,
            title=f"Calendar benchmark action {i:04d}",
            owner=person,
            due_on=today + datetime.timedelta(days=rng.randrange(-30, 330)),
            status=RoadmapAction.Status.OPEN,
        )
        for i in range(FEED_ITEMS)
    )


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    owner = ctx.by_role[Role.PROCESS_OWNER]
    base = f"/o/{slug}/calendar/"
    month = timezone.localdate().strftime("%Y-%m")
    return [
        Page("calendar: month, mine", base, owner),
        Page("calendar: month, everyone", f"{base}?scope=everyone&month={month}", mr),
        Page("calendar: month, my department", f"{base}?scope=department", owner),
        Page("calendar: agenda, everyone", f"{base}agenda/?scope=everyone", mr),
        Page("calendar: agenda, everyone, page 20", f"{base}agenda/?scope=everyone&page=20", mr),
        Page(
            "calendar: agenda, everyone, page 20 by its Next link",
            followed_next_link(f"{base}agenda/?scope=everyone", mr, 19),
            mr,
        ),
        Page("calendar: agenda, corrective actions", f"{base}agenda/?kind=improvement.action", mr),
        # My work reads the same registry: the person with 1,000 roadmap actions of their own.
        Page("my work, 1,000 items of mine", f"/o/{slug}/my-work/", _feed_person(ctx)),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    person = _feed_person(ctx)
    membership = Membership.objects.get(organization=ctx.org, user=person)
    raw = calendar_feed_create(actor=person, membership=membership, scope="personal")
    mr = Membership.objects.get(organization=ctx.org, user=ctx.by_role[Role.MANAGEMENT_REP])
    org_raw = calendar_feed_create(actor=mr.user, membership=mr, scope="organization")
    client = Client()

    def feed(token: str):  # type: ignore[no-untyped-def]
        def download():  # type: ignore[no-untyped-def]
            response = client.get(f"/calendar/{token}.ics")
            assert response.status_code == 200
            return response

        return download

    return [
        Measure(f"iCalendar feed of a person ({FEED_ITEMS:,} items)", feed(raw), 200),
        Measure("iCalendar feed of the organization (2,000 items)", feed(org_raw), 400),
    ]

"""Suggestions, customer feedback and announcements at scale: 5,000 suggestions (a third
anonymous), 20,000 pieces of customer feedback and 200 announcements with their
acknowledgements (large), with bulk_create.

Timed pages: the suggestion board (whole and awaiting triage), a suggestion, the complaint list
(whole and overdue), a complaint, the announcements with the share who acknowledged, and the
suggestions in the API.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Page
from pdca.core.models import Membership
from pdca.engagement.models import (
    Acknowledgement,
    Announcement,
    Channel,
    Feedback,
    FeedbackKind,
    Severity,
    Subject,
    Suggestion,
)

ORDER = 75
SIZES = {"demo": (500, 2_000, 20), "large": (5_000, 20_000, 200)}
CHUNK = 5_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(19)
    org = ctx.org
    n_suggestions, n_feedback, n_announcements = SIZES[ctx.scale]
    today = timezone.localdate()
    mr, owner, employee = ctx.by_role["mr"], ctx.by_role["owner"], ctx.by_role["employee"]
    statuses = Suggestion.Status.values
    with transaction.atomic():
        Suggestion.objects.bulk_create(
            (
                Suggestion(
                    organization=org,
                    number=i + 1,
                    title=f"Bench suggestion {i:05d}",
                    description="An idea for improvement, in a few words.",
                    anonymous=(anonymous := i % 3 == 0),
                    author=None if anonymous else employee,
                    status=(status := rng.choice(statuses)),
                    response="" if status == "new" else "Thank you.",
                    triaged_by=None if status == "new" else mr,
                )
                for i in range(n_suggestions)
            ),
            batch_size=CHUNK,
        )
        kinds = FeedbackKind.values
        Feedback.objects.bulk_create(
            (
                Feedback(
                    organization=org,
                    number=i + 1,
                    kind=(kind := rng.choice(kinds)),
                    customer=f"Customer {i % 400:03d}",
                    channel=rng.choice(Channel.values),
                    received_on=(received := today - datetime.timedelta(days=rng.randrange(3_650))),
                    subject=rng.choice(Subject.values),
                    reference=f"Order {i}",
                    description="What the customer said.",
                    severity=rng.choice(Severity.values),
                    satisfaction=rng.choice([None, 2, 3, 4, 5]),
                    owner=rng.choice([mr, owner]),
                    response_due_on=received + datetime.timedelta(days=10)
                    if kind == "complaint"
                    else None,
                    status=((done := rng.random() < 0.9) and "responded") or "open",
                    response="Answered." if done else "",
                    responded_on=received + datetime.timedelta(days=5) if done else None,
                )
                for i in range(n_feedback)
            ),
            batch_size=CHUNK,
        )
        announcements = Announcement.objects.bulk_create(
            Announcement(
                organization=org,
                title=f"Bench announcement {i:03d}",
                body="Management's word.",
                requires_ack=i % 2 == 0,
                published_by=mr,
            )
            for i in range(n_announcements)
        )
        users = list(
            Membership.objects.filter(organization=org).values_list("user_id", flat=True)[:5_000]
        )
        Acknowledgement.objects.bulk_create(
            (
                Acknowledgement(announcement=a, user_id=u)
                for a in announcements
                if a.requires_ack
                for u in rng.sample(users, k=len(users) * 3 // 4)
            ),
            batch_size=CHUNK,
        )
    ctx.extra["engagement_suggestion"] = (
        Suggestion.objects.filter(organization=org).values_list("pk", flat=True).first()
    )
    ctx.extra["engagement_feedback"] = (
        Feedback.objects.filter(organization=org).values_list("pk", flat=True).first()
    )


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    base = f"/o/{slug}/engagement/"
    suggestion = ctx.extra.get("engagement_suggestion") or (
        Suggestion.objects.filter(organization=ctx.org).values_list("pk", flat=True).first()
    )
    feedback = ctx.extra.get("engagement_feedback") or (
        Feedback.objects.filter(organization=ctx.org).values_list("pk", flat=True).first()
    )
    return [
        Page("engagement: suggestion board", f"{base}suggestions/", mr),
        Page("engagement: suggestions awaiting triage", f"{base}suggestions/?status=new", mr),
        Page("engagement: a suggestion", f"{base}suggestions/{suggestion}/", mr),
        Page("engagement: complaint list", f"{base}feedback/?kind=complaint", mr),
        Page("engagement: responses overdue", f"{base}feedback/?overdue=on", mr),
        Page("engagement: a complaint", f"{base}feedback/{feedback}/", mr),
        Page("engagement: announcements", f"{base}announcements/", mr),
        Page("engagement: suggestions in the API", f"/api/v1/o/{slug}/engagement/suggestions/", mr),
    ]

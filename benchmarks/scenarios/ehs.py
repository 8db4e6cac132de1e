"""The environmental aspects, the hazard register and the incidents at scale: 5,000 aspects,
10,000 hazards with 20,000 controls and 20,000 incidents (large, as issue 18 sets), and five
years of consultation and participation (5,000 events with three workers each, 200
barriers), with bulk_create.

Timed pages: the aspect register (whole and significant only), an aspect's page, the hazard
register (whole and PPE alone), a hazard's page with its controls, the incidents (whole and
open), an incident's page, the participation page (its topic checklist over the review
period, and filtered by a topic), an event's page, and the lists and the coverage in the API.
Measured: the short incident report form submitted by an employee (under 100 ms).
"""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.ehs.models import (
    Aspect,
    Barrier,
    BarrierKind,
    ConsultationTopic,
    ControlLevel,
    Hazard,
    HazardControl,
    HazardType,
    Impact,
    Incident,
    IncidentKind,
    IncidentStatus,
    Mechanism,
    MechanismKind,
    ParticipationEvent,
    ParticipationTopic,
)

ORDER = 62
# aspects, hazards, controls, incidents, participation events, barriers
SIZES = {
    "demo": (500, 1_000, 2_000, 2_000, 500, 20),
    "large": (5_000, 10_000, 20_000, 20_000, 5_000, 200),
}
CHUNK = 5_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(62)
    org = ctx.org
    n_aspects, n_hazards, n_controls, n_incidents, n_events, n_barriers = SIZES[ctx.scale]
    today = timezone.localdate()
    now = timezone.now()
    mr, owner = ctx.by_role["mr"], ctx.by_role["owner"]
    with transaction.atomic():
        aspects = Aspect.objects.bulk_create(
            (
                Aspect(
                    organization=org,
                    activity=f"Bench activity {i // 5:04d}",
                    aspect=f"Bench aspect {i:05d}",
                    impact_on=rng.choice(Impact.values),
                    impact="What the aspect does to the environment.",
                    severity=(s := rng.randint(1, 5)),
                    frequency=(f := rng.randint(1, 5)),
                    stakeholder_concern=(c := rng.randint(1, 5)),
                    score=s * f + c,
                    significant=s * f + c >= 15,
                    owner=rng.choice([mr, owner]),
                    review_on=today + datetime.timedelta(days=rng.randrange(-30, 365)),
                )
                for i in range(n_aspects)
            ),
            batch_size=CHUNK,
        )
        hazards = Hazard.objects.bulk_create(
            (
                Hazard(
                    organization=org,
                    location_or_task=f"Bench workplace {i // 4:04d}",
                    hazard_type=rng.choice(HazardType.values),
                    hazard=f"Bench hazard {i:05d}",
                    harm="What could happen to the people there.",
                    people_exposed=["workers"],
                    likelihood=(lk := rng.randint(1, 5)),
                    consequence=(cq := rng.randint(1, 5)),
                    score=lk * cq,
                    high=lk * cq > 9,
                    ppe_only=lk * cq > 9 and rng.random() < 0.1,
                    owner=rng.choice([mr, owner]),
                    review_on=today + datetime.timedelta(days=rng.randrange(-30, 365)),
                )
                for i in range(n_hazards)
            ),
            batch_size=CHUNK,
        )
        HazardControl.objects.bulk_create(
            (
                HazardControl(
                    organization=org,
                    hazard=rng.choice(hazards),
                    level=rng.choice(ControlLevel.values),
                    title=f"Bench control {i:05d}",
                    owner=rng.choice([mr, owner]),
                    due_on=today + datetime.timedelta(days=rng.randrange(-60, 180)),
                    status=rng.choice(["open", "open", "in_progress", "done"]),
                )
                for i in range(n_controls)
            ),
            batch_size=CHUNK,
        )
        incidents = Incident.objects.bulk_create(
            (
                Incident(
                    organization=org,
                    number=i + 1,
                    occurred_at=(when := now - datetime.timedelta(hours=rng.randrange(60_000))),
                    place=f"Bench place {i % 40:02d}",
                    kind=rng.choice(IncidentKind.values),
                    description="What happened, in the reporter's words.",
                    reported_by=rng.choice([mr, owner]),
                    investigate_by=when.date() + datetime.timedelta(days=14),
                    status=rng.choice(IncidentStatus.values),
                    lead=owner,
                )
                for i in range(n_incidents)
            ),
            batch_size=CHUNK,
        )
        event = _participation(ctx, rng, n_events, n_barriers)
    ctx.extra.update(
        ehs_aspect=aspects[0].pk,
        ehs_hazard=hazards[0].pk,
        ehs_incident=incidents[-1].pk,
        ehs_event=event,
    )


def _participation(ctx: BenchContext, rng: random.Random, n_events: int, n_barriers: int) -> int:
    org, today = ctx.org, timezone.localdate()
    people = list(ctx.by_role.values())
    mechanisms = Mechanism.objects.bulk_create(
        Mechanism(organization=org, kind=kind, name=f"Bench {kind}")
        for kind in MechanismKind.values[:5]
    )
    events = ParticipationEvent.objects.bulk_create(
        (
            ParticipationEvent(
                organization=org,
                held_on=today - datetime.timedelta(days=rng.randrange(5 * 365)),
                mechanism=rng.choice(mechanisms),
                topic=f"Bench meeting {i:05d}",
                consultation_topics=rng.sample(ConsultationTopic.values, 2),
                participation_topics=rng.sample(ParticipationTopic.values, 1),
                outcome="What was agreed.",
            )
            for i in range(n_events)
        ),
        batch_size=CHUNK,
    )
    through = ParticipationEvent.workers.through
    through.objects.bulk_create(
        (
            through(participationevent_id=e.pk, user_id=u.pk)
            for e in events
            for u in rng.sample(people, min(3, len(people)))
        ),
        batch_size=CHUNK,
    )
    Barrier.objects.bulk_create(
        Barrier(
            organization=org,
            kind=rng.choice(BarrierKind.values),
            description=f"Bench barrier {i:04d}",
            identified_on=(found := today - datetime.timedelta(days=rng.randrange(900))),
            owner=rng.choice(people),
            action="What was done.",
            removed_on=found + datetime.timedelta(days=30) if rng.random() < 0.8 else None,
        )
        for i in range(n_barriers)
    )
    return events[0].pk


def _first(ctx: BenchContext, key: str, model: Any) -> int:
    return ctx.extra.get(key) or (
        model.objects.filter(organization=ctx.org).values_list("pk", flat=True).first()
    )


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    base, api = f"/o/{slug}/ehs/", f"/api/v1/o/{slug}/ehs/"
    aspect = _first(ctx, "ehs_aspect", Aspect)
    hazard = _first(ctx, "ehs_hazard", Hazard)
    incident = _first(ctx, "ehs_incident", Incident)
    event = _first(ctx, "ehs_event", ParticipationEvent)
    return [
        Page("ehs: aspect register", f"{base}aspects/", mr),
        Page("ehs: significant aspects", f"{base}aspects/?significant=yes", mr),
        Page("ehs: an aspect's page", f"{base}aspects/{aspect}/", mr),
        Page("ehs: hazard register", f"{base}hazards/", mr),
        Page("ehs: hazards controlled by PPE alone", f"{base}hazards/?flag=ppe_only", mr),
        Page("ehs: a hazard's page", f"{base}hazards/{hazard}/", mr),
        Page("ehs: incidents", f"{base}incidents/", mr),
        Page("ehs: open incidents", f"{base}incidents/?status=reported", mr),
        Page("ehs: an incident's page", f"{base}incidents/{incident}/", mr),
        Page("ehs: aspects in the API", f"{api}aspects/", mr),
        Page("ehs: hazards in the API", f"{api}hazards/", mr),
        Page("ehs: incidents in the API", f"{api}incidents/", mr),
        Page("ehs: consultation and participation", f"{base}participation/", mr),
        Page("ehs: participation on one topic", f"{base}participation/?topic=hazards", mr),
        Page("ehs: a participation event's page", f"{base}participation/{event}/", mr),
        Page("ehs: participation log in the API", f"{api}participation/", mr),
        Page("ehs: topics covered in the API", f"{api}participation/coverage/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    from django.test import Client

    client = Client()
    client.force_login(ctx.by_role["employee"])
    url = f"/o/{ctx.org.slug}/ehs/incidents/report/"

    def report() -> int:
        when = timezone.localtime() - datetime.timedelta(minutes=5)
        body = {
            "kind": "near_miss",
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "place": "Lathe bay 2",
            "description": "A chuck key left in the chuck flew out at start-up.",
        }
        return client.post(url, body).status_code

    return [
        Measure("ehs: the incident report form submitted", report, 100, check=lambda s: s == 302)
    ]

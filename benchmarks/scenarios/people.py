"""People and competence at scale: every member a person holding one of 300 job roles (large),
500 competences with 8 required per job role, 100,000 competence records of which 20,000 are
qualifications with an expiry, all with bulk_create.

Timed pages: the competence matrix for a department (50 people a page) and for one competence
across the organization, a person's profile; measured: the competences expiring in 30 days.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core.models import Department, Membership
from pdca.people.models import (
    Competence,
    CompetenceRecord,
    JobAssignment,
    JobRole,
    Person,
    Requirement,
)

ORDER = 60
SIZES = {
    # job roles, competences, records, of which qualifications with an expiry
    "demo": (30, 50, 4_000, 800),
    "large": (300, 500, 100_000, 20_000),
}
CHUNK = 5_000
PER_ROLE = 8


def generate(ctx: BenchContext) -> None:
    org = ctx.org
    if JobRole.objects.filter(organization=org).exists():
        return
    rng = random.Random(15)
    n_roles, n_competences, n_records, n_expiring = SIZES[ctx.scale]
    today = timezone.localdate()
    mr = ctx.by_role["mr"]
    with transaction.atomic():
        memberships = list(
            Membership.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True)
        )
        Person.objects.bulk_create(
            [Person(organization=org, membership_id=m) for m in memberships], batch_size=CHUNK
        )
        people = list(Person.objects.filter(organization=org).values_list("pk", flat=True))
        roles = JobRole.objects.bulk_create(
            [JobRole(organization=org, name=f"Job role {i:03d}") for i in range(n_roles)]
        )
        competences = Competence.objects.bulk_create(
            [
                Competence(
                    organization=org,
                    name=f"Competence {i:03d}",
                    kind=("skill", "knowledge", "licence", "qualification")[i % 4],
                )
                for i in range(n_competences)
            ]
        )
        required: dict[int, list[int]] = {}
        rows = []
        for role in roles:
            picked = rng.sample(competences, PER_ROLE)
            required[role.pk] = [c.pk for c in picked]
            rows += [
                Requirement(
                    organization=org,
                    job_role=role,
                    competence=c,
                    level=rng.choice((2, 3)),
                    renewal_months=rng.choice((None, 24, 36)),
                )
                for c in picked
            ]
        Requirement.objects.bulk_create(rows, batch_size=CHUNK)
        held = {p: rng.choice(roles).pk for p in people}
        JobAssignment.objects.bulk_create(
            [
                JobAssignment(
                    organization=org,
                    person_id=p,
                    job_role_id=r,
                    since=today - datetime.timedelta(days=800),
                )
                for p, r in held.items()
            ],
            batch_size=CHUNK,
        )
        for start in range(0, n_records, CHUNK):
            batch = []
            for i in range(start, min(n_records, start + CHUNK)):
                person = rng.choice(people)
                competence = rng.choice(required[held[person]])
                achieved = today - datetime.timedelta(days=rng.randrange(1, 1500))
                until = (
                    today + datetime.timedelta(days=rng.randrange(-200, 700))
                    if i < n_expiring
                    else None
                )
                if until is not None and until <= achieved:
                    until = achieved + datetime.timedelta(days=30)
                batch.append(
                    CompetenceRecord(
                        organization=org,
                        person_id=person,
                        competence_id=competence,
                        evidence="qualification" if until else "training",
                        level=rng.choice((2, 3, 4)),
                        achieved_on=achieved,
                        valid_until=until,
                        recorded_by=mr,
                    )
                )
            CompetenceRecord.objects.bulk_create(batch)
    ctx.extra["people_competence"] = competences[0].pk


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    department = Department.objects.filter(organization=ctx.org).order_by("pk").first()
    competence = (
        Requirement.objects.filter(organization=ctx.org)
        .order_by("competence_id")
        .values_list("competence_id", flat=True)
        .first()
    )
    person = (
        Person.objects.filter(organization=ctx.org).order_by("pk").values_list("pk", flat=True)[20]
    )
    base = f"/o/{slug}/competence/"
    return [
        Page("competence matrix, a department", f"{base}?department={department.pk}", mr),
        Page("competence matrix, one competence", f"{base}?competence={competence}", mr),
        Page("a person's competence profile", f"{base}people/{person}/", mr, target_ms=30),
        Page("job roles", f"{base}job-roles/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    from pdca.core.due import DueFilters, due_items

    membership = Membership.objects.get(organization=ctx.org, user=ctx.by_role["mr"])
    today = timezone.localdate()

    def expiring() -> Callable[[], Any]:
        def run() -> Any:
            return due_items(
                organization=ctx.org,
                viewer=membership,
                start=today,
                end=today + datetime.timedelta(days=30),
                today=today,
                filters=DueFilters(scope="everyone", kinds=["people.renewal"]),
                limit=200,
            )

        return run

    return [Measure("competences expiring in 30 days", expiring(), 50)]

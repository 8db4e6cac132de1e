"""Audits and nonconformities at scale: 500 audits with 20,000 findings, 10,000
nonconformities with 30,000 corrective actions (large), all with bulk_create.

Timed pages: the programme's coverage grid, the nonconformity list and the analysis page.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.audits.models import Audit, AuditProgramme, Finding
from pdca.core.models import Department
from pdca.improvement.models import Category, CorrectiveAction, Nonconformity, Source
from pdca.standards.models import Clause, Edition, OrgStandard, Process

ORDER = 50
SIZES = {
    # audits, findings, nonconformities, actions per nonconformity
    "demo": (50, 2_000, 1_000, 3),
    "large": (500, 20_000, 10_000, 3),
}
CHUNK = 5_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(5)
    org = ctx.org
    n_audits, n_findings, n_ncs, per_nc = SIZES[ctx.scale]
    today = timezone.localdate()
    mr = ctx.by_role["mr"]
    auditor = ctx.by_role["auditor"]
    owner = ctx.by_role["owner"]
    edition = Edition.objects.get(standard__code="iso9001", is_current=True)
    OrgStandard.objects.get_or_create(organization=org, edition=edition)
    clauses = list(Clause.objects.filter(edition=edition, kind="clause"))
    processes = list(Process.objects.filter(organization=org)[:40])
    if len(processes) < 20:
        processes += Process.objects.bulk_create(
            Process(organization=org, code=f"AU{i}", name=f"Audited process {i}", owner=owner)
            for i in range(20 - len(processes))
        )
    departments = list(Department.objects.filter(organization=org))
    with transaction.atomic():
        programme = AuditProgramme.objects.create(
            organization=org,
            title="Bench programme",
            cycle_start=datetime.date(today.year - 1, 1, 1),
            cycle_end=datetime.date(today.year + 1, 12, 31),
        )
        span = (programme.cycle_end - programme.cycle_start).days
        audits = Audit.objects.bulk_create(
            Audit(
                organization=org,
                programme=programme,
                reference=f"B-{i:05d}",
                title=f"Bench audit {i}",
                planned_start=(
                    start := programme.cycle_start + datetime.timedelta(days=rng.randrange(span))
                ),
                planned_end=start + datetime.timedelta(days=1),
                status=Audit.Status.CLOSED if start < today else Audit.Status.PLANNED,
                lead_auditor=auditor,
                created_by=mr,
            )
            for i in range(n_audits)
        )
        Audit.clauses.through.objects.bulk_create(
            [
                Audit.clauses.through(audit_id=a.pk, clause_id=c.pk)
                for a in audits
                for c in rng.sample(clauses, 4)
            ],
            batch_size=CHUNK,
        )
        Audit.processes.through.objects.bulk_create(  # type: ignore[attr-defined]
            [
                Audit.processes.through(audit_id=a.pk, process_id=p.pk)  # type: ignore[attr-defined]
                for a in audits
                for p in rng.sample(processes, 2)
            ],
            batch_size=CHUNK,
        )
        grades = [g.value for g in Finding.Grade]
        Finding.objects.bulk_create(
            (
                Finding(
                    organization=org,
                    audit=rng.choice(audits),
                    grade=rng.choice(grades),
                    clause=rng.choice(clauses),
                    process=rng.choice(processes),
                    statement=f"Bench finding {i}",
                    evidence="Record seen",
                    created_by=auditor,
                )
                for i in range(n_findings)
            ),
            batch_size=CHUNK,
        )
        statuses = [s.value for s in Nonconformity.Status]
        now = timezone.now()
        ncs = []
        for i in range(n_ncs):
            found = today - datetime.timedelta(days=rng.randrange(730))
            status = rng.choice(statuses)
            ncs.append(
                Nonconformity(
                    organization=org,
                    number=i + 1,
                    title=f"Bench nonconformity {i}",
                    description="Found during the benchmark",
                    source=rng.choice(Source.values),
                    severity=rng.choice(["minor", "minor", "major"]),
                    found_on=found,
                    department=rng.choice(departments) if departments else None,
                    process=rng.choice(processes),
                    owner=owner,
                    raised_by=mr,
                    status=status,
                    root_cause="Bench root cause" if status != "open" else "",
                    root_cause_category=rng.choice(Category.values) if status != "open" else "",
                    cancel_reason="Duplicate" if status == "cancelled" else "",
                    closed_at=now - datetime.timedelta(days=rng.randrange(200))
                    if status == "closed"
                    else None,
                )
            )
        ncs = Nonconformity.objects.bulk_create(ncs, batch_size=CHUNK)
        Nonconformity.clauses.through.objects.bulk_create(
            [
                Nonconformity.clauses.through(
                    nonconformity_id=nc.pk, clause_id=rng.choice(clauses[:30]).pk
                )
                for nc in ncs
            ],
            batch_size=CHUNK,
        )
        CorrectiveAction.objects.bulk_create(
            (
                CorrectiveAction(
                    organization=org,
                    nonconformity=nc,
                    title=f"Action {j}",
                    owner=owner,
                    due_on=today + datetime.timedelta(days=rng.randrange(-60, 90)),
                    status=rng.choice(["open", "in_progress", "done", "done"]),
                )
                for nc in ncs
                for j in range(per_nc)
            ),
            batch_size=CHUNK,
        )
    ctx.extra["audit_programme"] = programme.pk


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    # The nonconformity with the most actions: its page must not grow with them.
    nc = (
        Nonconformity.objects.filter(organization=ctx.org)
        .annotate(n=Count("actions"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[0]
    )
    return [
        Page("audit programme grid", f"/o/{slug}/audits/", mr),
        Page("audit list", f"/o/{slug}/audits/list/", mr),
        Page("nonconformity list", f"/o/{slug}/improvement/", mr),
        Page("nonconformity list, open", f"/o/{slug}/improvement/?status=open", mr),
        Page("nonconformity analysis", f"/o/{slug}/improvement/analysis/", mr),
        Page("a nonconformity page", f"/o/{slug}/improvement/{nc}/", mr),
        Page("nonconformity closure steps", f"/o/{slug}/improvement/{nc}/closure-steps/", mr),
        Page("dashboard (with NC attention)", f"/o/{slug}/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    """The pages whose figures are cached until the next change, the first time after one."""
    client = Client()
    client.force_login(ctx.by_role["mr"])
    slug = ctx.org.slug

    def first_view(url: str) -> Callable[[], Any]:
        def view() -> Any:
            cache.clear()  # as after any write in the organization
            return client.get(url)

        return view

    return [
        Measure("programme grid, first view after a change", first_view(f"/o/{slug}/audits/"), 50),
        Measure(
            "nonconformity analysis, first view after a change",
            first_view(f"/o/{slug}/improvement/analysis/"),
            50,
        ),
    ]

"""Standards at scale: all four standards chosen, every clause assessed, 20 evidence links per
clause. Times the gap analysis of ISO/IEC 27001 (clauses and 93 controls) and the readiness
computation for every standard of the organization."""

import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from benchmarks.common import BenchContext, Measure, Page
from pdca.standards import services
from pdca.standards.catalogue import load_catalogues
from pdca.standards.models import (
    Assessment,
    Clause,
    Edition,
    EvidenceLink,
    OrgStandard,
    Process,
)
from pdca.standards.selectors.readiness import readiness

ORDER = 10
LINKS_PER_CLAUSE = {"demo": 3, "large": 20}
STATUSES = list(Assessment.Status.values)


def generate(ctx: BenchContext) -> None:
    load_catalogues()
    org, mr = ctx.org, ctx.by_role["mr"]
    if OrgStandard.objects.filter(organization=org).exists():
        return
    rng = random.Random(3)
    with transaction.atomic():
        chosen = [
            services.org_standard_choose(actor=mr, organization=org, edition=edition)
            for edition in Edition.objects.filter(is_current=True).order_by("standard__code")
        ]
        clauses = list(Clause.objects.filter(edition__in=[c.edition for c in chosen]))
        owners = ctx.users[:50]
        assessments, seen = [], set()
        for c in clauses:
            key = ("hs", c.hs_id) if c.hs_id else ("clause", c.pk)
            if key in seen:
                continue
            seen.add(key)
            assessments.append(
                Assessment(
                    organization=org,
                    hs_id=c.hs_id,
                    clause=None if c.hs_id else c,
                    status=rng.choice(STATUSES),
                    owner=rng.choice(owners),
                )
            )
        Assessment.objects.bulk_create(assessments, batch_size=1000)
        n = LINKS_PER_CLAUSE[ctx.scale]
        processes = Process.objects.bulk_create(
            [
                Process(organization=org, code=f"B{i}", name=f"Bench process {i}", owner=mr)
                for i in range(n)
            ]
        )
        ct = ContentType.objects.get_for_model(Process)
        EvidenceLink.objects.bulk_create(
            [
                EvidenceLink(
                    organization=org, clause=c, content_type=ct, object_id=p.pk, label=p.name
                )
                for c in clauses
                for p in processes
            ],
            batch_size=5000,
        )
    ctx.extra["iso27001"] = next(c for c in chosen if c.edition.standard.code == "iso27001")


def _iso27001(ctx: BenchContext) -> OrgStandard:
    if "iso27001" not in ctx.extra:
        ctx.extra["iso27001"] = OrgStandard.objects.get(
            organization=ctx.org, edition__standard__code="iso27001"
        )
    return ctx.extra["iso27001"]


def pages(ctx: BenchContext) -> list[Page]:
    os = _iso27001(ctx)
    return [
        Page(
            "standards: gap analysis of ISO/IEC 27001 (clauses and 93 controls)",
            reverse("standards:gap", kwargs={"org": ctx.org.slug, "pk": os.pk}),
            ctx.by_role["mr"],
            target_ms=60,
        ),
        Page(
            "standards: one gap-analysis row opened for editing in place",
            reverse(
                "standards:gap_row",
                kwargs={
                    "org": ctx.org.slug,
                    "pk": os.pk,
                    "clause": Clause.objects.filter(edition_id=os.edition_id)
                    .order_by("sort_key")
                    .values_list("pk", flat=True)
                    .last(),
                },
            ),
            ctx.by_role["mr"],
            target_ms=60,
        ),
        Page(
            "standards: a clause page (its evidence choice lists processes, documents, records)",
            reverse(
                "standards:clause",
                kwargs={
                    "org": ctx.org.slug,
                    "pk": os.pk,
                    "clause": Clause.objects.get(edition_id=os.edition_id, number="9.3").pk,
                },
            ),
            ctx.by_role["mr"],
            target_ms=100,
        ),
        Page(
            "standards: readiness report",
            reverse("standards:readiness", kwargs={"org": ctx.org.slug}),
            ctx.by_role["mr"],
            target_ms=100,
        ),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    return [
        Measure("standards: readiness of all standards", lambda: readiness(ctx.org), target_ms=10),
        Measure(
            "standards: progress alone, without the stage 1 gates",
            lambda: readiness(ctx.org, gates=False),
            target_ms=10,
        ),
    ]

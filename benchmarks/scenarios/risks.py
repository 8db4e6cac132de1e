"""Risks at scale: 5,000 entries of the register under an approved method, 3,000 assets, every
Annex A control linked to risks (large), all with bulk_create.

Timed pages: the register (whole and filtered), the heat map, a risk's page, the assessment
runs and the Statement of Applicability with its risk links; and a new assessment run of the
ISMS risks (2,000 at the large scale) under 5 s.
"""

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.risks import isms
from pdca.risks.models import Asset, Risk, RiskMethod
from pdca.standards.models import Clause, Edition, OrgStandard, Process

ORDER = 70
SIZES = {
    # risks, of which ISMS risks, assets
    "demo": (500, 200, 300),
    "large": (5_000, 2_000, 3_000),
}
LEVELS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]


def generate(ctx: BenchContext) -> None:
    rng = random.Random(17)
    org = ctx.org
    n_risks, n_isms, n_assets = SIZES[ctx.scale]
    mr = ctx.by_role["mr"]
    owners = [ctx.by_role[r] for r in ("owner", "mr", "top")]
    today = timezone.localdate()
    edition = Edition.objects.get(standard__code="iso27001", is_current=True)
    OrgStandard.objects.get_or_create(organization=org, edition=edition)
    controls = list(Clause.objects.filter(edition=edition, kind="control", children=None))
    processes = list(Process.objects.filter(organization=org)[:20])
    with transaction.atomic():
        method = RiskMethod.objects.create(
            organization=org,
            number=(RiskMethod.objects.filter(organization=org).count() + 1),
            title="Bench method",
            likelihood_levels=LEVELS,
            consequence_levels=LEVELS,
            acceptance_threshold=6,
            owner=mr,
            status=RiskMethod.Status.APPROVED,
            approved_by=mr,
            approved_at=timezone.now(),
        )
        RiskMethod.objects.filter(organization=org).exclude(pk=method.pk).update(
            status=RiskMethod.Status.SUPERSEDED
        )
        assets = Asset.objects.bulk_create(
            Asset(organization=org, name=f"Bench asset {i}", kind=rng.choice(Asset.Kind.values))
            for i in range(n_assets)
        )
        start = Risk.objects.filter(organization=org).order_by("-number").first() or None
        first = (start.number if start else 0) + 1
        risks = []
        for i in range(n_risks):
            lk, c = rng.randint(1, 5), rng.randint(1, 5)
            treated = rng.random() < 0.7
            rl, rc = (max(1, lk - 1), c) if treated else (None, None)
            is_isms = i < n_isms
            risks.append(
                Risk(
                    organization=org,
                    number=first + i,
                    title=f"Bench risk {i}",
                    owner=rng.choice(owners),
                    process=rng.choice(processes) if processes else None,
                    method=method,
                    likelihood=lk,
                    consequence=c,
                    score=lk * c,
                    assessed_on=today,
                    treatment="modify" if treated else "",
                    residual_likelihood=rl,
                    residual_consequence=rc,
                    residual_score=rl * rc if rl and rc else None,
                    threat="Bench scenario" if is_isms else "",
                    confidentiality=is_isms,
                    availability=is_isms and i % 2 == 0,
                )
            )
        risks = Risk.objects.bulk_create(risks, batch_size=1000)
        isms_risks = risks[:n_isms]
        Risk.assets.through.objects.bulk_create(
            [Risk.assets.through(risk_id=r.pk, asset_id=rng.choice(assets).pk) for r in isms_risks],
            batch_size=2000,
        )
        # Every Annex A control is needed by some risks.
        Risk.controls.through.objects.bulk_create(
            [
                Risk.controls.through(risk_id=r.pk, clause_id=control.pk)
                for control in controls
                for r in rng.sample(isms_risks, min(5, len(isms_risks)))
            ],
            batch_size=2000,
        )
    ctx.extra["risk"] = risks[0].pk
    ctx.extra["org_standard_27001"] = OrgStandard.objects.get(organization=org, edition=edition).pk


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    # With --skip-generate the ids come from the data already there.
    risk = ctx.extra.get("risk") or (
        Risk.objects.filter(organization=ctx.org).values_list("pk", flat=True).first()
    )
    standard = ctx.extra.get("org_standard_27001") or (
        OrgStandard.objects.filter(organization=ctx.org, edition__standard__code="iso27001")
        .values_list("pk", flat=True)
        .first()
    )
    return [
        Page("risk register", f"/o/{slug}/risks/", mr),
        Page("risk register, score 12 and above", f"/o/{slug}/risks/?min_score=12", mr),
        Page("risk heat map", f"/o/{slug}/risks/heat-map/", mr),
        Page("a risk's page", f"/o/{slug}/risks/{risk}/", mr),
        Page("risk assessment runs", f"/o/{slug}/risks/assessments/", mr),
        Page(
            "Statement of Applicability with risk links",
            f"/o/{slug}/standards/{standard}/soa/",
            mr,
        ),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    def run() -> Any:
        return isms.assessment_run(actor=ctx.by_role["mr"], organization=ctx.org, reason="planned")

    return [Measure("a new assessment run of the ISMS risks", run, 5_000, once=True)]

"""The register of legal and other requirements at scale: 3,000 obligations with 30,000
evaluations of compliance (large), with bulk_create.

Timed pages: the register (whole, by discipline, by overdue amendment check), an obligation's
page with its evaluations, the evaluations with the compliance status, and the status in the
API.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Page
from pdca.compliance.models import (
    Discipline,
    Evaluation,
    EvaluationMethod,
    EvaluationResult,
    Obligation,
    ObligationType,
)

ORDER = 60
SIZES = {"demo": (300, 3_000), "large": (3_000, 30_000)}  # obligations, evaluations
CHUNK = 5_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(18)
    org = ctx.org
    n_obligations, n_evaluations = SIZES[ctx.scale]
    today = timezone.localdate()
    mr, owner = ctx.by_role["mr"], ctx.by_role["owner"]
    results = [r.value for r in EvaluationResult]
    with transaction.atomic():
        obligations = Obligation.objects.bulk_create(
            (
                Obligation(
                    organization=org,
                    title=f"Bench obligation {i:05d}",
                    discipline=rng.choice(Discipline.values),
                    kind=(kind := rng.choice(ObligationType.values)),
                    citation=f"§ {i}",
                    requirement="What the obligation requires, in plain words.",
                    permit_number=f"P-{i}" if kind in ("permit", "licence") else "",
                    permit_expires_on=today + datetime.timedelta(days=rng.randrange(-30, 900))
                    if kind in ("permit", "licence")
                    else None,
                    responsible=rng.choice([mr, owner]),
                    next_check_on=today + datetime.timedelta(days=rng.randrange(-60, 365)),
                    evaluation_months=rng.choice([3, 6, 12, 12, 24]),
                    next_evaluation_on=today + datetime.timedelta(days=rng.randrange(-30, 365)),
                    last_evaluated_on=today - datetime.timedelta(days=rng.randrange(365)),
                    last_result=rng.choice(results),
                )
                for i in range(n_obligations)
            ),
            batch_size=CHUNK,
        )
        Evaluation.objects.bulk_create(
            (
                Evaluation(
                    organization=org,
                    obligation=rng.choice(obligations),
                    evaluated_on=today - datetime.timedelta(days=rng.randrange(1_100)),
                    method=rng.choice(EvaluationMethod.values),
                    result=rng.choice(results),
                    evidence="Bench evidence",
                    evaluator=mr,
                )
                for _ in range(n_evaluations)
            ),
            batch_size=CHUNK,
        )
    ctx.extra["compliance_obligation"] = obligations[0].pk


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    base = f"/o/{slug}/compliance/"
    pk = ctx.extra.get("compliance_obligation") or (
        Obligation.objects.filter(organization=ctx.org).values_list("pk", flat=True).first()
    )
    return [
        Page("compliance: register", base, mr),
        Page("compliance: register, one discipline", f"{base}?discipline=environment", mr),
        Page("compliance: register, amendment check overdue", f"{base}?next_check=overdue", mr),
        Page("compliance: an obligation page", f"{base}{pk}/", mr),
        Page("compliance: evaluations and status", f"{base}evaluations/", mr),
        Page("compliance: status in the API", f"/api/v1/o/{slug}/compliance/status/", mr),
    ]

"""The management review's inputs this module compiles: changes in compliance obligations
(14001 and 45001 9.3 b) 2)) and the fulfilment of compliance obligations, from the evaluations
of compliance (9.3 d) 3)). Each reads one organization and period in a fixed number of queries.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from pdca.compliance.models import (
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Obligation,
    ObligationStatus,
    ObligationVersion,
)
from pdca.reviews.inputs import InputSummary, Period, set_input_provider


def _url(name: str, organization: Any) -> str:
    return reverse(name, kwargs={"org": organization.slug})


def obligation_changes(organization: Any, period: Period) -> InputSummary:
    in_period = Q(created_at__date__gte=period.start, created_at__date__lte=period.end)
    f = Obligation.objects.filter(organization=organization).aggregate(
        in_force=Count("pk", filter=Q(status=ObligationStatus.ACTIVE)),
        added=Count("pk", filter=in_period),
        withdrawn=Count(
            "pk",
            filter=Q(
                status=ObligationStatus.WITHDRAWN,
                updated_at__date__gte=period.start,
                updated_at__date__lte=period.end,
            ),
        ),
        checks_due=Count(
            "pk",
            filter=Q(status=ObligationStatus.ACTIVE, next_check_on__lte=timezone.localdate()),
        ),
    )
    f["amended"] = (
        ObligationVersion.objects.filter(
            obligation__organization=organization,
            changed_at__date__gte=period.start,
            changed_at__date__lte=period.end,
        )
        .values("obligation")
        .distinct()
        .count()
    )
    return InputSummary(
        _(
            "%(in_force)s compliance obligations in force; in the period %(added)s added, "
            "%(amended)s amended and %(withdrawn)s withdrawn; %(checks_due)s due to be checked "
            "for amendments."
        ),
        f,
        figures=[
            (_("In force"), str(f["in_force"])),
            (_("Added"), str(f["added"])),
            (_("Amended"), str(f["amended"])),
            (_("Withdrawn"), str(f["withdrawn"])),
            (_("Amendment checks due"), str(f["checks_due"])),
        ],
        links=[(_("Legal requirements"), _url("compliance:list", organization))],
    )


def fulfilment(organization: Any, period: Period) -> InputSummary:
    f = Evaluation.objects.filter(
        organization=organization,
        status=EvaluationStatus.RECORDED,
        evaluated_on__range=(period.start, period.end),
    ).aggregate(
        evaluations=Count("pk"),
        compliant=Count("pk", filter=Q(result=EvaluationResult.COMPLIANT)),
        non_compliant=Count("pk", filter=Q(result=EvaluationResult.NON_COMPLIANT)),
    )
    f.update(
        Obligation.objects.filter(
            organization=organization, status=ObligationStatus.ACTIVE
        ).aggregate(
            now_non_compliant=Count("pk", filter=Q(last_result=EvaluationResult.NON_COMPLIANT)),
            overdue=Count("pk", filter=Q(next_evaluation_on__lt=timezone.localdate())),
            never=Count("pk", filter=Q(last_evaluated_on__isnull=True)),
        )
    )
    return InputSummary(
        _(
            "%(evaluations)s evaluations of compliance in the period: %(compliant)s compliant, "
            "%(non_compliant)s non-compliant. Now %(now_non_compliant)s obligations stand "
            "non-compliant, %(overdue)s evaluations are overdue and %(never)s obligations were "
            "never evaluated."
        ),
        f,
        figures=[
            (_("Evaluations in the period"), str(f["evaluations"])),
            (_("Compliant"), str(f["compliant"])),
            (_("Non-compliant"), str(f["non_compliant"])),
            (_("Non-compliant now"), str(f["now_non_compliant"])),
            (_("Evaluations overdue"), str(f["overdue"])),
        ],
        links=[(_("Evaluations of compliance"), _url("compliance:evaluations", organization))],
    )


def register() -> None:
    set_input_provider("obligations", obligation_changes)
    set_input_provider("compliance", fulfilment)

"""The management review's inputs this module compiles: changes in the external and internal
issues (9.3 b) 1) and 9.3.2 b)), in the needs of interested parties, in the risks and
opportunities with the effectiveness of the actions taken on them, and for ISO/IEC 27001 the
results of the risk assessment and the status of the treatment plan (9.3.2 f)). Each reads
one organization and period in a fixed number of queries.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

import datetime
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from pdca.reviews.inputs import InputSummary, Period, set_input_provider
from pdca.risks.models import (
    AssessmentRun,
    ContextIssue,
    ContextProfile,
    Effectiveness,
    InterestedParty,
    PartyRequirement,
    Risk,
    RiskAction,
)


def _url(name: str, organization: Any) -> str:
    return reverse(name, kwargs={"org": organization.slug})


def _in(period: Period, field: str) -> Q:
    """Rows whose `field` (a timestamp) falls in the period, its last day included."""
    return Q(**{f"{field}__date__gte": period.start, f"{field}__date__lte": period.end})


def context_issues(organization: Any, period: Period) -> InputSummary:
    f = ContextIssue.objects.filter(organization=organization).aggregate(
        current=Count("pk", filter=Q(status=ContextIssue.Status.ACTIVE)),
        added=Count("pk", filter=_in(period, "created_at")),
        retired=Count(
            "pk", filter=Q(status=ContextIssue.Status.RETIRED) & _in(period, "updated_at")
        ),
        climate=Count("pk", filter=Q(status=ContextIssue.Status.ACTIVE, climate_related=True)),
        review_due=Count(
            "pk",
            filter=Q(status=ContextIssue.Status.ACTIVE, review_on__lte=timezone.localdate()),
        ),
    )
    profile = ContextProfile.objects.filter(organization=organization).first()
    reviewed = profile.reviewed_on.isoformat() if profile and profile.reviewed_on else "—"
    return InputSummary(
        _(
            "%(current)s current issues of the context (%(climate)s related to climate "
            "change); %(added)s added and %(retired)s no longer relevant in the period; "
            "%(review_due)s due for review. Context last reviewed: %(reviewed)s."
        ),
        {**f, "reviewed": reviewed},
        figures=[
            (_("Current issues"), str(f["current"])),
            (_("Added in the period"), str(f["added"])),
            (_("No longer relevant"), str(f["retired"])),
            (_("Related to climate change"), str(f["climate"])),
            (_("Due for review"), str(f["review_due"])),
        ],
        links=[(_("Context and interested parties"), _url("risks:context", organization))],
    )


def interested_parties(organization: Any, period: Period) -> InputSummary:
    parties = InterestedParty.objects.filter(organization=organization).aggregate(
        relevant=Count("pk", filter=Q(is_active=True)),
        added=Count("pk", filter=_in(period, "created_at")),
    )
    needs = PartyRequirement.objects.filter(organization=organization).aggregate(
        needs=Count("pk", filter=Q(is_active=True)),
        obligations=Count("pk", filter=Q(is_active=True, is_obligation=True)),
        changed=Count("pk", filter=_in(period, "updated_at")),
    )
    f = {**parties, **needs}
    return InputSummary(
        _(
            "%(relevant)s relevant interested parties (%(added)s added in the period) with "
            "%(needs)s needs and expectations, %(obligations)s of them compliance obligations; "
            "%(changed)s needs added or changed in the period."
        ),
        f,
        figures=[
            (_("Relevant parties"), str(f["relevant"])),
            (_("Needs and expectations"), str(f["needs"])),
            (_("Of them compliance obligations"), str(f["obligations"])),
            (_("Needs added or changed"), str(f["changed"])),
        ],
        links=[(_("Context and interested parties"), _url("risks:context", organization))],
    )


def _action_figures(organization: Any, today: datetime.date, isms: bool) -> dict[str, int]:
    actions = RiskAction.objects.filter(organization=organization)
    if isms:
        actions = actions.filter(
            Q(risk__confidentiality=True) | Q(risk__integrity=True) | Q(risk__availability=True)
        )
    return actions.aggregate(
        actions_open=Count("pk", filter=Q(status__in=RiskAction.OPEN_STATUSES)),
        actions_overdue=Count(
            "pk", filter=Q(status__in=RiskAction.OPEN_STATUSES, due_on__lt=today)
        ),
        actions_done=Count("pk", filter=Q(status=RiskAction.Status.DONE)),
    )


def risks_and_opportunities(organization: Any, period: Period) -> InputSummary:
    today = timezone.localdate()
    open_ = Q(status=Risk.Status.OPEN)
    f = (
        Risk.objects.filter(organization=organization)
        .annotate(level=Coalesce("residual_score", "score"))
        .aggregate(
            risks=Count("pk", filter=open_ & Q(kind="risk")),
            opportunities=Count("pk", filter=open_ & Q(kind="opportunity")),
            added=Count("pk", filter=_in(period, "created_at")),
            closed=Count("pk", filter=_in(period, "closed_at")),
            above=Count(
                "pk", filter=open_ & Q(kind="risk", level__gt=F("method__acceptance_threshold"))
            ),
            effective=Count(
                "pk",
                filter=Q(
                    effectiveness=Effectiveness.EFFECTIVE,
                    effectiveness_evaluated_on__range=(period.start, period.end),
                ),
            ),
            not_effective=Count(
                "pk",
                filter=Q(
                    effectiveness=Effectiveness.NOT_EFFECTIVE,
                    effectiveness_evaluated_on__range=(period.start, period.end),
                ),
            ),
        )
    )
    f.update(_action_figures(organization, today, isms=False))
    return InputSummary(
        _(
            "%(risks)s open risks (%(above)s above the acceptance criteria) and "
            "%(opportunities)s opportunities; %(added)s entered and %(closed)s closed in the "
            "period. Actions: %(actions_done)s done, %(actions_open)s open (%(actions_overdue)s "
            "overdue). Effectiveness evaluated in the period: %(effective)s effective, "
            "%(not_effective)s not effective."
        ),
        f,
        figures=[
            (_("Open risks"), str(f["risks"])),
            (_("Above the acceptance criteria"), str(f["above"])),
            (_("Open opportunities"), str(f["opportunities"])),
            (_("Actions open"), str(f["actions_open"])),
            (_("Actions overdue"), str(f["actions_overdue"])),
            (_("Actions found effective"), str(f["effective"])),
            (_("Actions found not effective"), str(f["not_effective"])),
        ],
        links=[(_("Risks and opportunities"), _url("risks:list", organization))],
    )


def risk_treatment(organization: Any, period: Period) -> InputSummary:
    today = timezone.localdate()
    isms = Q(confidentiality=True) | Q(integrity=True) | Q(availability=True)
    f = Risk.objects.filter(isms, organization=organization, status=Risk.Status.OPEN).aggregate(
        isms_risks=Count("pk"),
        untreated=Count("pk", filter=Q(treatment="")),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        awaiting_acceptance=Count("pk", filter=~Q(treatment="") & Q(accepted_at__isnull=True)),
    )
    f.update(_action_figures(organization, today, isms=True))
    runs = AssessmentRun.objects.filter(organization=organization)
    last = runs.order_by("-number").first()
    f["runs"] = runs.filter(run_on__range=(period.start, period.end)).count()
    f["last_run"] = last.run_on.isoformat() if last else "—"
    f["last_above"] = last.above_count if last else 0
    return InputSummary(
        _(
            "%(runs)s risk assessment runs in the period, the last on %(last_run)s with "
            "%(last_above)s risks above the acceptance criteria. %(isms_risks)s information "
            "security risks open: %(untreated)s without a treatment, %(accepted)s with the "
            "residual risk accepted by their owner, %(awaiting_acceptance)s awaiting "
            "acceptance. Treatment plan: %(actions_done)s actions done, %(actions_open)s open "
            "(%(actions_overdue)s overdue)."
        ),
        f,
        figures=[
            (_("Assessment runs in the period"), str(f["runs"])),
            (_("Last assessment"), str(f["last_run"])),
            (_("Information security risks open"), str(f["isms_risks"])),
            (_("Without a treatment"), str(f["untreated"])),
            (_("Residual risk accepted"), str(f["accepted"])),
            (_("Treatment actions open"), str(f["actions_open"])),
            (_("Treatment actions overdue"), str(f["actions_overdue"])),
        ],
        links=[(_("Risk assessments"), _url("risks:runs", organization))],
    )


def register() -> None:
    set_input_provider("issues", context_issues)
    set_input_provider("interested_parties", interested_parties)
    set_input_provider("risks", risks_and_opportunities)
    set_input_provider("risk_treatment", risk_treatment)

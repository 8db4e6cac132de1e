"""The management review's inputs this module compiles: the extent to which the objectives
have been met (9001 9.3.2 c) 2), 14001 and 45001 9.3 c), 27001 9.3.2 d) 4)), monitoring and
measurement results (the KPIs' ratings) and, for ISO 9001, process performance (the KPIs of
the processes). Each reads one organization in a fixed number of queries.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from pdca.objectives.models import Indicator, Objective, Rating
from pdca.reviews.inputs import InputSummary, Period, set_input_provider

S = Objective.Status


def _url(name: str, organization: Any) -> str:
    return reverse(name, kwargs={"org": organization.slug})


def objectives_met(organization: Any, period: Period) -> InputSummary:
    ended = Q(deadline__range=(period.start, period.end))
    f = Objective.objects.filter(organization=organization).aggregate(
        on_track=Count("pk", filter=Q(status=S.ON_TRACK)),
        at_risk=Count("pk", filter=Q(status=S.AT_RISK)),
        off_track=Count("pk", filter=Q(status=S.OFF_TRACK)),
        achieved=Count("pk", filter=Q(status=S.ACHIEVED) & ended),
        not_achieved=Count("pk", filter=Q(status=S.NOT_ACHIEVED) & ended),
        past_deadline=Count(
            "pk", filter=Q(status__in=Objective.OPEN_STATUSES, deadline__lt=timezone.localdate())
        ),
    )
    return InputSummary(
        _(
            "Objectives pursued: %(on_track)s on track, %(at_risk)s at risk, %(off_track)s off "
            "track (%(past_deadline)s past their deadline). With a deadline in the period: "
            "%(achieved)s achieved, %(not_achieved)s not achieved."
        ),
        f,
        figures=[
            (_("On track"), str(f["on_track"])),
            (_("At risk"), str(f["at_risk"])),
            (_("Off track"), str(f["off_track"])),
            (_("Achieved in the period"), str(f["achieved"])),
            (_("Not achieved in the period"), str(f["not_achieved"])),
        ],
        links=[
            (_("Objectives"), _url("objectives:list", organization)),
            (_("Performance"), _url("objectives:performance", organization)),
        ],
    )


def _kpi_figures(kpis: Any) -> dict[str, int]:
    return kpis.filter(is_active=True).aggregate(
        measured=Count("pk", filter=Q(last_period__isnull=False)),
        green=Count("pk", filter=Q(rating=Rating.GREEN)),
        amber=Count("pk", filter=Q(rating=Rating.AMBER)),
        red=Count("pk", filter=Q(rating=Rating.RED)),
        overdue=Count("pk", filter=Q(next_due_on__lt=timezone.localdate())),
    )


def monitoring(organization: Any, period: Period) -> InputSummary:
    f = _kpi_figures(Indicator.objects.filter(organization=organization))
    return InputSummary(
        _(
            "%(measured)s KPIs measured: %(green)s on target, %(amber)s below target, %(red)s "
            "off target; %(overdue)s measurements due and not entered."
        ),
        f,
        figures=[
            (_("On target"), str(f["green"])),
            (_("Below target"), str(f["amber"])),
            (_("Off target"), str(f["red"])),
            (_("Measurements overdue"), str(f["overdue"])),
        ],
        links=[(_("Performance"), _url("objectives:performance", organization))],
    )


def process_performance(organization: Any, period: Period) -> InputSummary:
    kpis = Indicator.objects.filter(organization=organization, process__isnull=False)
    f = _kpi_figures(kpis)
    f["processes"] = kpis.filter(is_active=True).values("process").distinct().count()
    return InputSummary(
        _(
            "%(measured)s KPIs of %(processes)s processes measured: %(green)s on target, "
            "%(amber)s below target, %(red)s off target; %(overdue)s measurements due and not "
            "entered. The conformity of products and services is entered by hand."
        ),
        f,
        figures=[
            (_("Processes with KPIs"), str(f["processes"])),
            (_("On target"), str(f["green"])),
            (_("Below target"), str(f["amber"])),
            (_("Off target"), str(f["red"])),
        ],
        links=[(_("Performance"), _url("objectives:performance", organization))],
    )


def register() -> None:
    set_input_provider("objectives", objectives_met)
    set_input_provider("monitoring", monitoring)
    set_input_provider("process_performance", process_performance)

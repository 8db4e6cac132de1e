"""The improvement app's charts on the dashboard: nonconformities opened and closed per month,
and how many corrective actions were overdue at the end of each month."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.core.attention import Chart, Figure, Series
from pdca.core.permissions import can
from pdca.improvement.models import CorrectiveAction, Nonconformity

MONTHS = 12


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `months` months, this one last."""
    index = today.year * 12 + today.month - 1
    return [datetime.date((i) // 12, (i) % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def _next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def nc_charts(membership: Any) -> list[Chart]:
    """Two charts in two queries (one aggregate each, whatever the number of rows)."""
    if not can(membership, "improvement.view_analysis") or not can(
        membership, "improvement.manage"
    ):
        return []
    org = membership.organization
    today = timezone.localdate()
    starts = month_starts(today)
    labels = [date_format(first, "YEAR_MONTH_FORMAT") for first in starts]
    ncs = Nonconformity.objects.filter(organization=org)
    figures = ncs.aggregate(
        **{
            f"opened{i}": Count(
                "pk",
                filter=Q(found_on__gte=first, found_on__lt=_next_month(first))
                & ~Q(status=Nonconformity.Status.CANCELLED),
            )
            for i, first in enumerate(starts)
        },
        **{
            f"closed{i}": Count(
                "pk",
                filter=Q(
                    status=Nonconformity.Status.CLOSED,
                    closed_at__date__gte=first,
                    closed_at__date__lt=_next_month(first),
                ),
            )
            for i, first in enumerate(starts)
        },
    )
    # Overdue at the end of each month (today for this one): due before that day and neither
    # done by then nor cancelled.
    ends = [min(_next_month(first) - datetime.timedelta(days=1), today) for first in starts]
    actions = CorrectiveAction.objects.filter(organization=org).exclude(
        status=CorrectiveAction.Status.CANCELLED
    )
    overdue = actions.aggregate(
        **{
            f"overdue{i}": Count(
                "pk",
                filter=Q(due_on__lt=end, created_at__date__lte=end)
                & (Q(done_on__isnull=True) | Q(done_on__gt=end)),
            )
            for i, end in enumerate(ends)
        }
    )
    url = reverse("improvement:analysis", kwargs={"org": org.slug})
    opened = [figures[f"opened{i}"] for i in range(len(starts))]
    closed = [figures[f"closed{i}"] for i in range(len(starts))]
    late = [overdue[f"overdue{i}"] for i in range(len(starts))]
    return [
        Chart(
            "improvement.nc-month",
            _("Nonconformities opened and closed per month"),
            labels,
            [
                Series(_("Opened"), opened, "#b42318"),
                Series(_("Closed"), closed, "#0f7b5f"),
            ],
            kind="bar",
            url=url,
            summary=_("In the last 12 months: %(opened)s opened, %(closed)s closed.")
            % {"opened": sum(opened), "closed": sum(closed)},
        ),
        Chart(
            "improvement.overdue",
            _("Overdue corrective actions"),
            labels,
            [Series(_("Overdue at the month's end"), late, "#b54708")],
            kind="line",
            url=reverse("improvement:list", kwargs={"org": org.slug}) + "?needs=overdue_actions",
            summary=_("Overdue today: %(n)s.") % {"n": late[-1]},
        ),
    ]


def nc_figures(membership: Any) -> list[Figure]:
    """Open nonconformities and overdue actions, for the page of a member's organizations."""
    if not can(membership, "improvement.view"):
        return []
    from pdca.improvement.selectors import OPEN_ACTION

    org = membership.organization
    today = timezone.localdate()
    open_ncs = Nonconformity.objects.filter(
        organization=org, status__in=Nonconformity.OPEN_STATUSES
    ).count()
    overdue = CorrectiveAction.objects.filter(
        organization=org, status__in=OPEN_ACTION, due_on__lt=today
    ).count()
    base = reverse("improvement:list", kwargs={"org": org.slug})
    return [
        Figure(_("Open nonconformities"), str(open_ncs), base + "?status=open"),
        Figure(
            _("Overdue corrective actions"),
            str(overdue),
            base + "?needs=overdue_actions",
            "danger" if overdue else "",
        ),
    ]

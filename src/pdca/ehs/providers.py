"""The management review's inputs this module compiles: changes in the significant
environmental aspects (14001 9.3 b) 3)) and the consultation and participation of workers
(45001 9.3 d) 5)), each in a fixed number of queries.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from pdca.ehs.models import Aspect, Barrier, EntryStatus
from pdca.ehs.services.participation import coverage
from pdca.reviews.inputs import InputSummary, Period, set_input_provider


def significant_aspects(organization: Any, period: Period) -> InputSummary:
    active = Q(status=EntryStatus.ACTIVE)
    f = Aspect.objects.filter(organization=organization).aggregate(
        current=Count("pk", filter=active),
        significant_count=Count("pk", filter=active & Q(significant=True)),
        added=Count(
            "pk", filter=Q(created_at__date__gte=period.start, created_at__date__lte=period.end)
        ),
        changed=Count(
            "pk",
            filter=active
            & Q(significant=True, updated_at__date__gte=period.start)
            & Q(updated_at__date__lte=period.end),
        ),
        withdrawn=Count(
            "pk",
            filter=Q(status=EntryStatus.WITHDRAWN, updated_at__date__gte=period.start)
            & Q(updated_at__date__lte=period.end),
        ),
    )
    return InputSummary(
        _(
            "%(significant_count)s of %(current)s current environmental aspects are "
            "significant; in the period %(added)s aspects were added, %(changed)s significant "
            "ones re-rated or changed and %(withdrawn)s withdrawn."
        ),
        f,
        figures=[
            (_("Significant aspects"), str(f["significant_count"])),
            (_("Current aspects"), str(f["current"])),
            (_("Added in the period"), str(f["added"])),
            (_("Withdrawn in the period"), str(f["withdrawn"])),
        ],
        links=[
            (
                _("Environmental aspects"),
                reverse("ehs:aspects", kwargs={"org": organization.slug}),
            )
        ],
    )


def worker_participation(organization: Any, period: Period) -> InputSummary:
    found = coverage(organization, period.start, period.end)
    barriers = Barrier.objects.filter(organization=organization).aggregate(
        open=Count("pk", filter=Q(removed_on__isnull=True)),
        removed=Count("pk", filter=Q(removed_on__gte=period.start) & Q(removed_on__lte=period.end)),
    )
    f = {
        "events": found.events,
        "workers": found.workers,
        "covered": found.covered,
        "total": found.total,
        "open_barriers": barriers["open"],
        "removed_barriers": barriers["removed"],
        "missing": len(found.missing),  # which ones: the linked page, in its reader's language
    }
    return InputSummary(
        _(
            "%(events)s consultation and participation events with %(workers)s non-managerial "
            "workers taking part; %(covered)s of the %(total)s topics of 5.4 d) and e) covered "
            "(%(missing)s not covered); %(open_barriers)s barriers to participation open, "
            "%(removed_barriers)s removed in the period."
        ),
        f,
        figures=[
            (_("Events"), str(f["events"])),
            (_("Non-managerial workers taking part"), str(f["workers"])),
            (_("Topics covered"), f"{f['covered']} / {f['total']}"),
            (_("Open barriers"), str(f["open_barriers"])),
        ],
        links=[
            (
                _("Consultation and participation of workers"),
                reverse("ehs:participation", kwargs={"org": organization.slug})
                + f"?start={period.start}&end={period.end}",
            )
        ],
    )


def register() -> None:
    set_input_provider("aspects", significant_aspects)
    set_input_provider("worker_participation", worker_participation)

"""The management review's input this module compiles: changes in the significant
environmental aspects (14001 9.3 b) 3)), in a fixed number of queries.

Sentences and labels are English message ids (`gettext_noop`): the review freezes them and
each page translates them for its reader."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from pdca.ehs.models import Aspect, EntryStatus
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


def register() -> None:
    set_input_provider("aspects", significant_aspects)

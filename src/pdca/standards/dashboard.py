"""What the standards app adds to the dashboard: attention items for the open gaps of the
Statement of Applicability and the mandatory documented information, the first steps of a new
organization, and the chart of readiness over time."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.core.attention import Attention, Chart, Figure, OnboardingStep, Series
from pdca.core.caching import org_cached
from pdca.core.permissions import can
from pdca.standards.models import OrgStandard, Process
from pdca.standards.selectors.readiness import Readiness, readiness

# One colour per standard, in the order they were chosen.
COLOURS = ("#175cd3", "#0f7b5f", "#b54708", "#7a2e9e", "#c11574")
CHART_POINTS = 12  # weekly points: a quarter of a year


def _results(organization: Any) -> list[Readiness]:
    # The same cached figures as the dashboard's readiness panel.
    return org_cached(organization, "standards.readiness.2", lambda: readiness(organization))


def gap_attention(membership: Any) -> list[Attention]:
    """Per standard, the clauses whose mandatory documented information is missing and the
    Annex A controls without an applicability decision: all of them for those who own the
    scope, and to each clause's owner (the gap assessment's) the ones that are theirs. Each card
    opens the gap analysis (or the Statement of Applicability) narrowed to exactly those."""
    if not can(membership, "standards.view"):
        return []
    manages = can(membership, "standards.manage_scope")
    items = []
    slug = membership.organization.slug
    user_id = membership.user_id
    for result in _results(membership.organization):
        os = result.org_standard
        gap_url = reverse("standards:gap", kwargs={"org": slug, "pk": os.pk})
        missing = len(result.missing_clause_ids)
        if missing and manages:
            items.append(
                Attention(
                    _("%(standard)s: clauses missing mandatory documented information")
                    % {"standard": os.edition.label},
                    gap_url + "?" + urlencode({"need": "missing"}),
                    missing,
                    "warning",
                    detail=_("Link the document or record the clause requires."),
                    module="standards",
                    icon="file-x",
                )
            )
        mine = result.missing_by_owner.get(user_id, 0)
        # A scope owner who owns every one of them is told once.
        if mine and not (manages and mine == missing):
            items.append(
                Attention(
                    _("%(standard)s: my clauses missing mandatory documented information")
                    % {"standard": os.edition.label},
                    gap_url + "?" + urlencode({"need": "missing", "owner": user_id}),
                    mine,
                    "warning",
                    detail=_("Clauses you own: link the document or record each requires."),
                    module="standards",
                    icon="file-x",
                )
            )
        if result.soa_undecided and manages:
            url = reverse("standards:soa", kwargs={"org": slug, "pk": os.pk})
            items.append(
                Attention(
                    _("%(standard)s: controls without an applicability decision")
                    % {"standard": os.edition.label},
                    url + "?" + urlencode({"need": "undecided"}),
                    result.soa_undecided,
                    "warning",
                    detail=_("Decide in the Statement of Applicability whether each applies."),
                    module="standards",
                    icon="circle-help",
                )
            )
        mine = result.undecided_by_owner.get(user_id, 0)
        if mine and not (manages and mine == result.soa_undecided):
            items.append(
                Attention(
                    _("%(standard)s: my controls without an applicability decision")
                    % {"standard": os.edition.label},
                    gap_url + "?" + urlencode({"need": "undecided", "owner": user_id}),
                    mine,
                    "warning",
                    detail=_(
                        "Controls you own: prepare whether each applies, for the Statement of "
                        "Applicability."
                    ),
                    module="standards",
                    icon="circle-help",
                )
            )
    return items


def onboarding_steps(membership: Any) -> list[OnboardingStep]:
    """Choose the standards, write the scope, map the processes: two queries."""
    steps: list[OnboardingStep] = []
    org = membership.organization
    slug = org.slug
    if can(membership, "standards.manage_scope"):
        chosen = list(
            OrgStandard.objects.filter(organization=org)
            .exclude(status=OrgStandard.Status.WITHDRAWN)
            .only("pk", "scope")
        )
        choose_url = reverse("standards:choose", kwargs={"org": slug})
        steps.append(
            OnboardingStep(
                _("Choose the standards"),
                bool(chosen),
                choose_url,
                _("ISO 9001, 14001, 45001 or 27001, alone or together."),
                icon="shield-check",
            )
        )
        unwritten = [os for os in chosen if not os.scope.strip()]
        target = unwritten[0] if unwritten else (chosen[0] if chosen else None)
        steps.append(
            OnboardingStep(
                _("Write the scope"),
                bool(chosen) and not unwritten,
                reverse("standards:scope", kwargs={"org": slug, "pk": target.pk})
                if target
                else choose_url,
                _("What the management system covers: sites, products and services."),
                icon="pen-line",
            )
        )
    if can(membership, "standards.manage_processes"):
        steps.append(
            OnboardingStep(
                _("Map the processes"),
                Process.objects.filter(organization=org).exists(),
                reverse("standards:process_create", kwargs={"org": slug}),
                _("The processes and their owners: every record hangs off them."),
                icon="workflow",
            )
        )
    return steps


def readiness_chart(membership: Any) -> list[Chart]:
    """Readiness per standard over the last weeks: the daily snapshots (standards.history),
    one point a week, ending with today's live figure."""
    if not can(membership, "standards.export"):
        return []
    from pdca.standards.history import readiness_history

    organization = membership.organization
    results = _results(organization)
    if not results:
        return []
    today = timezone.localdate()
    days = [today - datetime.timedelta(weeks=w) for w in range(CHART_POINTS - 1, -1, -1)]
    history = readiness_history(organization, today, days=7 * CHART_POINTS)
    series = []
    for index, result in enumerate(results):
        stored = history.get(result.org_standard.pk, {})
        values: list[float | int | None] = []
        for day in days[:-1]:
            # The snapshot of that day, or the latest one of the week before it.
            found = next(
                (stored[d] for d in (day - datetime.timedelta(n) for n in range(7)) if d in stored),
                None,
            )
            values.append(found)
        values.append(result.percent)
        series.append(
            Series(result.org_standard.edition.label, values, COLOURS[index % len(COLOURS)])
        )
    summary = "; ".join(f"{r.org_standard.edition.label}: {r.percent} %" for r in results)
    return [
        Chart(
            "standards.readiness",
            _("Readiness over time"),
            [date_format(day, "SHORT_DATE_FORMAT") for day in days],
            series,
            kind="line",
            url=reverse("standards:readiness", kwargs={"org": organization.slug}),
            summary=_("Readiness today: %(figures)s.") % {"figures": summary},
            unit="%",
        )
    ]


def readiness_figures(membership: Any) -> list[Figure]:
    """Readiness per standard, and the open decisions, for the page of a member's organizations."""
    if not can(membership, "standards.view"):
        return []
    slug = membership.organization.slug
    figures = []
    for result in _results(membership.organization):
        os = result.org_standard
        figures.append(
            Figure(
                _("Readiness %(standard)s") % {"standard": os.edition.label},
                f"{result.percent} %",
                reverse("standards:gap", kwargs={"org": slug, "pk": os.pk}),
                "danger" if result.percent < 50 else ("warning" if result.percent < 80 else ""),
            )
        )
        if result.soa_undecided:
            figures.append(
                Figure(
                    _("Controls undecided"),
                    str(result.soa_undecided),
                    reverse("standards:soa", kwargs={"org": slug, "pk": os.pk}) + "?need=undecided",
                    "warning",
                )
            )
    return figures

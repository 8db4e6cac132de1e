"""The inputs pdca compiles from its own modules: earlier reviews' actions, nonconformities and
corrective actions, audit results, and the state of the system (readiness and documented
information). Each reads one organization and period in a fixed number of queries.

A summary keeps its sentence and labels as English message ids with their figures apart, so
that each reader sees the frozen figures in their own language."""

import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

# Marked, not translated: the review keeps the English message id (see the docstring).
from django.utils.translation import gettext_noop as _

from pdca.reviews.inputs import InputSummary, Period, set_input_provider


def _url(name: str, organization: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": organization.slug, **kwargs})


def previous_actions(organization: Any, period: Period) -> InputSummary:
    """The outputs of earlier reviews: done, still open, overdue."""
    from pdca.reviews.models import Review, ReviewOutput

    today = timezone.localdate()
    counts = ReviewOutput.objects.filter(
        organization=organization, review__status=Review.Status.SIGNED
    ).aggregate(
        done=Count("pk", filter=Q(status=ReviewOutput.Status.DONE)),
        open=Count("pk", filter=Q(status__in=ReviewOutput.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ReviewOutput.OPEN_STATUSES, due_on__lt=today)),
        cancelled=Count("pk", filter=Q(status=ReviewOutput.Status.CANCELLED)),
    )
    total = sum(counts.values())
    text = _(
        "%(done)s of %(total)s actions from earlier reviews are done, %(open)s still open "
        "(%(overdue)s overdue)."
    )
    if not total:
        text = _("No earlier management review with actions is recorded in pdca.")
    return InputSummary(
        text,
        {**counts, "total": total},
        figures=[
            (_("Done"), str(counts["done"])),
            (_("Open"), str(counts["open"])),
            (_("Overdue"), str(counts["overdue"])),
            (_("Cancelled"), str(counts["cancelled"])),
        ],
        links=[(_("Management reviews"), _url("reviews:list", organization))],
    )


def nonconformities(organization: Any, period: Period) -> InputSummary:
    """Nonconformities raised and closed in the period, open ones, overdue corrective actions."""
    from pdca.improvement.models import CorrectiveAction, Nonconformity

    today = timezone.localdate()
    ncs = Nonconformity.objects.filter(organization=organization).aggregate(
        raised=Count("pk", filter=Q(found_on__gte=period.start, found_on__lte=period.end)),
        major=Count(
            "pk",
            filter=Q(found_on__gte=period.start, found_on__lte=period.end, severity="major"),
        ),
        closed=Count(
            "pk",
            filter=Q(
                status=Nonconformity.Status.CLOSED,
                closed_at__date__gte=period.start,
                closed_at__date__lte=period.end,
            ),
        ),
        open=Count("pk", filter=Q(status__in=Nonconformity.OPEN_STATUSES)),
    )
    actions = CorrectiveAction.objects.filter(organization=organization).aggregate(
        open=Count("pk", filter=Q(status__in=CorrectiveAction.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=CorrectiveAction.OPEN_STATUSES, due_on__lt=today)),
    )
    text = _(
        "%(raised)s nonconformities raised in the period (%(major)s major), %(closed)s closed; "
        "%(open)s open today, with %(actions)s corrective actions open (%(overdue)s overdue)."
    )
    return InputSummary(
        text,
        {**ncs, "actions": actions["open"], "overdue": actions["overdue"]},
        figures=[
            (_("Raised in the period"), str(ncs["raised"])),
            (_("Major"), str(ncs["major"])),
            (_("Closed in the period"), str(ncs["closed"])),
            (_("Open today"), str(ncs["open"])),
            (_("Corrective actions open"), str(actions["open"])),
            (_("Corrective actions overdue"), str(actions["overdue"])),
        ],
        links=[
            (_("Nonconformities"), _url("improvement:list", organization)),
            (_("Analysis"), _url("improvement:analysis", organization)),
        ],
    )


def audit_results(organization: Any, period: Period) -> InputSummary:
    """Audits that ended in the period, by kind, and their findings by grade."""
    from pdca.audits.models import Audit, Finding

    in_period = Q(planned_end__gte=period.start, planned_end__lte=period.end)
    audits = Audit.objects.filter(in_period, organization=organization).aggregate(
        internal=Count("pk", filter=Q(kind=Audit.Kind.INTERNAL)),
        signed=Count("pk", filter=Q(kind=Audit.Kind.INTERNAL, report__isnull=False)),
        external=Count("pk", filter=Q(kind=Audit.Kind.EXTERNAL)),
        supplier=Count("pk", filter=Q(kind=Audit.Kind.SUPPLIER)),
    )
    grades = dict(
        Finding.objects.filter(
            organization=organization,
            audit__planned_end__gte=period.start,
            audit__planned_end__lte=period.end,
        )
        .values_list("grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = [
        (_("Internal audits"), str(audits["internal"])),
        (_("of which with a signed report"), str(audits["signed"])),
        (_("External audits"), str(audits["external"])),
        (_("Supplier audits"), str(audits["supplier"])),
    ]
    # The choice's English label: it is translated where it is shown, like every label here.
    figures += [(str(Finding.Grade(g).label), str(grades.get(g, 0))) for g in Finding.Grade.values]
    text = _(
        "%(internal)s internal audits (%(signed)s with a signed report) and %(external)s "
        "external audits in the period; %(major)s major and %(minor)s minor nonconformities, "
        "%(ofi)s opportunities for improvement."
    )
    return InputSummary(
        text,
        {
            **audits,
            "major": grades.get("major", 0),
            "minor": grades.get("minor", 0),
            "ofi": grades.get("ofi", 0),
        },
        figures=figures,
        links=[
            (_("Audit programme"), _url("audits:programme", organization)),
            (_("Findings"), _url("audits:findings", organization)),
        ],
    )


def system_state(organization: Any, period: Period) -> InputSummary:
    """Readiness per standard and the documents: effective, overdue for review, revised."""
    from pdca.standards.selectors.readiness import readiness

    ready = [
        (str(r.org_standard.edition), f"{r.percent} %")
        for r in readiness(organization, gates=False)
    ]
    figures = list(ready)
    links = [(_("Readiness"), _url("standards:readiness", organization))]
    params: dict[str, Any] = {"readiness": ", ".join(f"{a} {b}" for a, b in ready) or "-"}
    text = _("Readiness: %(readiness)s.")
    if apps.is_installed("pdca.documents"):
        from pdca.documents.models import Document, DocumentStatus, Revision

        today = timezone.localdate()
        docs = Document.objects.filter(organization=organization).aggregate(
            effective=Count("pk", filter=Q(status=DocumentStatus.EFFECTIVE)),
            overdue=Count(
                "pk", filter=Q(status=DocumentStatus.EFFECTIVE, next_review_date__lt=today)
            ),
        )
        revised = Revision.objects.filter(
            organization=organization,
            effective_from__gte=period.start,
            effective_from__lte=period.end,
        ).count()
        figures += [
            (_("Effective documents"), str(docs["effective"])),
            (_("Documents overdue for review"), str(docs["overdue"])),
            (_("Revisions made effective in the period"), str(revised)),
        ]
        text = _(
            "Readiness: %(readiness)s. %(effective)s effective documents, %(overdue)s overdue "
            "for review; %(revised)s revisions made effective in the period."
        )
        params.update({**docs, "revised": revised})
        links.append((_("Documents"), _url("documents:list", organization)))
    return InputSummary(text, params, figures=figures, links=links)


def register() -> None:
    set_input_provider("previous_actions", previous_actions)
    set_input_provider("system_state", system_state)
    if apps.is_installed("pdca.improvement"):
        set_input_provider("nonconformities", nonconformities)
    if apps.is_installed("pdca.audits"):
        set_input_provider("audits", audit_results)


def period_before(planned_on: datetime.date, months: int = 12) -> datetime.date:
    """The start of a first review's period: `months` before its planned date."""
    year, month = divmod(planned_on.month - 1 - months, 12)
    day = min(planned_on.day, 28)
    return datetime.date(planned_on.year + year, month + 1, day)

"""Reads of the audits app: the programme's coverage grid, overdue audits, the risk hint."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pdca.audits.models import Audit, AuditProgramme, Finding
from pdca.audits.models.audit import quarter_of
from pdca.core.access import visible_rows
from pdca.core.caching import org_cached
from pdca.core.models import Organization
from pdca.improvement import selectors as improvement
from pdca.standards.models import Clause, Edition, OrgStandard, Process

RISK_THRESHOLD = 3  # findings + nonconformities in 12 months that call for a second audit a year


CELL_SHOWN = 3  # audits named in one grid cell; the rest are counted


@dataclass
class Cell:
    shown: list["AuditMark"]
    more: int
    done: bool


@dataclass
class GridRow:
    key: str
    label: str
    kind: str  # "clause" or "process"
    heading: bool = False
    cells: list[list[Any]] = field(default_factory=list)
    covered: bool = False
    risk: int = 0
    view: list["Cell"] = field(default_factory=list)


@dataclass
class Grid:
    programme: AuditProgramme
    quarters: list[tuple[int, int]]
    current: tuple[int, int]
    clause_rows: list[GridRow]
    process_rows: list[GridRow]
    overdue: list[Audit]  # the first OVERDUE_SHOWN
    overdue_count: int
    standards: list[Edition]

    @property
    def overdue_more(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def uncovered_clauses(self) -> list[GridRow]:
        return [r for r in self.clause_rows if not r.covered and not r.heading]

    @property
    def uncovered_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if not r.covered]

    @property
    def risky_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if r.risk >= RISK_THRESHOLD]


def current_programme(
    organization: Organization, programmes: list[AuditProgramme] | None = None
) -> AuditProgramme | None:
    """The programme whose cycle includes today, else the first; from `programmes` if given."""
    today = timezone.localdate()
    if programmes is None:
        programmes = list(AuditProgramme.objects.filter(organization=organization))
    current = [p for p in programmes if p.cycle_start <= today <= p.cycle_end]
    return next(iter(current or programmes), None)


def org_editions(organization: Organization) -> list[Edition]:
    editions = list(
        Edition.objects.filter(
            org_standards__organization=organization,
        )
        .exclude(org_standards__status=OrgStandard.Status.WITHDRAWN)
        .select_related("standard")
        .distinct()
    )
    return editions


def _row_key(number: str) -> str:
    """The grid row a clause number falls in: its first two levels (9.2.2 → 9.2)."""
    return ".".join(number.split(".")[:2])


class AuditMark(NamedTuple):
    """What a grid cell shows of an audit: a model instance per cell would cost far more."""

    pk: int
    reference: str
    title: str
    status: str


OVERDUE_SHOWN = 20  # overdue audits listed on the programme page; the card counts them all


def process_risk(organization: Organization, today: datetime.date) -> dict[int, int]:
    """Findings (other than conformity) and nonconformities per process in the last 12 months."""
    since = today - datetime.timedelta(days=365)
    risk: dict[int, int] = defaultdict(int)
    for process_id, n in (
        Finding.objects.filter(
            organization=organization,
            created_at__gte=timezone.now() - datetime.timedelta(days=365),
            process__isnull=False,
        )
        .exclude(grade=Finding.Grade.CONFORMITY)
        .order_by()  # the default order joins the audit table for nothing
        .values_list("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    ):
        risk[process_id] += n
    for process_id, n in improvement.counts_by_process(organization, since).items():
        risk[process_id] += n
    return dict(risk)


def programme_grid(programme: AuditProgramme, *, today: datetime.date | None = None) -> Grid:
    """The programme's coverage grid, computed once per change of the organization's data
    (every write appends to its audit trail; see core.caching) unless `today` is given."""
    if today is not None:
        return _programme_grid(programme, today)
    return org_cached(
        programme.organization,
        f"audits.grid.{programme.pk}",
        lambda: _programme_grid(programme, timezone.localdate()),
    )


def _programme_grid(programme: AuditProgramme, today: datetime.date) -> Grid:
    """Clauses 4–10 (two levels, shared clauses merged) and processes × quarters of the cycle.

    A fixed number of queries: editions, clauses, audits, audit clauses, processes, audit
    processes, overdue audits, the risk counts (findings and nonconformities per process).
    Rows are read as tuples and each clause number's rows are worked out once: at 500 audits
    the grid is mostly bookkeeping in Python.
    """
    org = programme.organization
    quarters = programme.quarters()
    qindex = {q: i for i, q in enumerate(quarters)}
    editions = org_editions(org)
    marks: dict[int, tuple[AuditMark, int | None]] = {}  # audit -> (mark, quarter index)
    for pk, reference, title, status, start in Audit.objects.filter(
        programme=programme
    ).values_list("pk", "reference", "title", "status", "planned_start"):
        marks[pk] = (AuditMark(pk, reference, title, status), qindex.get(quarter_of(start)))
    audit_clauses = list(
        Audit.clauses.through.objects.filter(audit__programme=programme)
        .values_list("audit_id", "clause__number", "clause__edition_id")
        .order_by()
    )
    if not editions:  # no standards chosen yet: show those the audits name
        ids = {e for _, _, e in audit_clauses}
        editions = list(Edition.objects.filter(pk__in=ids).select_related("standard"))
    clauses = list(
        Clause.objects.filter(edition__in=editions, kind=Clause.Kind.CLAUSE, depth__lte=1)
        .values_list("number", "title", "depth", "hs__title")
        .order_by("sort_key", "edition__standard__code")
    )
    rows: dict[str, GridRow] = {}
    for number, title, depth, hs_title in clauses:
        if number not in rows:
            rows[number] = GridRow(
                key=number,
                # A shared clause shows its harmonized title, not one standard's wording.
                label=f"{number} {hs_title or title}",
                kind="clause",
                heading=depth == 0,
                cells=[[] for _ in quarters],
            )
    targets_of: dict[str, list[GridRow]] = {}  # clause number -> the rows it counts for

    def targets(number: str) -> list[GridRow]:
        if number not in targets_of:
            top = number.split(".")[0]
            found = (
                [r for r in rows.values() if r.key.split(".")[0] == top]
                if "." not in number
                else [rows.get(_row_key(number)), rows.get(top)]
            )
            targets_of[number] = [r for r in found if r is not None]
        return targets_of[number]

    hits: dict[int, dict[str, GridRow]] = defaultdict(dict)  # audit -> the rows it covers
    for audit_id, number, _edition in audit_clauses:
        for row in targets(number):
            hits[audit_id][row.key] = row
    for audit_id, (mark, i) in marks.items():
        if i is not None and audit_id in hits:
            for row in hits[audit_id].values():
                row.cells[i].append(mark)
    prow = {
        pk: GridRow(key=str(pk), label=label, kind="process", cells=[[] for _ in quarters])
        for pk, label in (
            (p.pk, str(p))
            for p in Process.objects.filter(organization=org, is_active=True).only(
                "pk", "code", "name"
            )
        )
    }
    for audit_id, process_id in (
        Audit.processes.through.objects.filter(audit__programme=programme)  # type: ignore[attr-defined]
        .values_list("audit_id", "process_id")
        .order_by()
    ):
        mark, i = marks[audit_id]
        if i is not None and process_id in prow:
            prow[process_id].cells[i].append(mark)
    risk = process_risk(org, today)
    for pk, row in prow.items():
        row.risk = risk.get(pk, 0)
    for row in list(rows.values()) + list(prow.values()):
        row.view = []
        for cell in row.cells:
            done = any(a.status in Audit.DONE_STATUSES for a in cell)
            row.covered = row.covered or done
            row.view.append(Cell(cell[:CELL_SHOWN], max(0, len(cell) - CELL_SHOWN), done))
    overdue_qs = Audit.objects.filter(Audit.overdue_q(today), programme=programme).order_by(
        "planned_end", "pk"
    )
    overdue = list(overdue_qs[: OVERDUE_SHOWN + 1])
    return Grid(
        programme=programme,
        quarters=quarters,
        current=quarter_of(today),
        clause_rows=list(rows.values()),
        process_rows=list(prow.values()),
        overdue=overdue[:OVERDUE_SHOWN],
        overdue_count=overdue_qs.count() if len(overdue) > OVERDUE_SHOWN else len(overdue),
        standards=editions,
    )


def audit_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Audit]:
    """The audits the member may see (audits.policies), filtered."""
    qs = visible_rows(membership, Audit).select_related("lead_auditor")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("overdue"):
        qs = qs.filter(Audit.overdue_q(timezone.localdate()))
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(reference__icontains=filters["q"]))
    return qs.order_by("-planned_start", "-pk")


def nc_counts(audit_ids: list[int]) -> dict[int, int]:
    """Nonconformity findings per audit, for one page of the list."""
    return dict(
        Finding.objects.filter(audit_id__in=audit_ids, grade__in=Finding.NONCONFORMITIES)
        .values_list("audit")
        .annotate(n=Count("pk"))
        .values_list("audit", "n")
    )


def finding_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Finding]:
    """The findings the member may see; `to_acknowledge` keeps those on the member's own
    processes that nobody has acknowledged yet (conformities need no acknowledgement)."""
    qs = (
        visible_rows(membership, Finding)
        .select_related("audit", "clause__edition", "process")
        .defer("evidence", "requirement", "acknowledgement_note")
    )
    if filters.get("to_acknowledge"):
        qs = qs.filter(process__owner_id=membership.user_id, acknowledged_by__isnull=True).exclude(
            grade=Finding.Grade.CONFORMITY
        )
    if filters.get("grade"):
        qs = qs.filter(grade=filters["grade"])
    return qs.order_by("-created_at", "-pk")


def audits_attention(membership: Any) -> list[Any]:
    """The findings on my processes waiting for my acknowledgement (the list it opens)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from pdca.core.attention import Attention, capped_count
    from pdca.core.permissions import can

    if not can(membership, "audits.acknowledge"):
        return []
    waiting = capped_count(finding_list(membership, {"to_acknowledge": True}))
    if not waiting:
        return []
    url = reverse("audits:findings", kwargs={"org": membership.organization.slug})
    return [
        Attention(
            _("Audit findings on your processes to acknowledge"),
            url + "?to_acknowledge=1",
            waiting,
            "warning",
            detail=_("Confirm you were told of each finding, with your comment."),
            module="audits",
        )
    ]

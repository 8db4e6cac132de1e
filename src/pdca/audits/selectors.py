"""Reads of the audits app: the programme's coverage grid, overdue audits, the risk hint."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pdca.audits.models import Audit, AuditProgramme, Finding
from pdca.audits.models.audit import quarter_of
from pdca.core.models import Organization
from pdca.improvement import selectors as improvement
from pdca.standards.models import Clause, Edition, OrgStandard, Process

RISK_THRESHOLD = 3  # findings + nonconformities in 12 months that call for a second audit a year


CELL_SHOWN = 3  # audits named in one grid cell; the rest are counted


@dataclass
class Cell:
    shown: list[Audit]
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
    overdue: list[Audit]
    standards: list[Edition]

    @property
    def uncovered_clauses(self) -> list[GridRow]:
        return [r for r in self.clause_rows if not r.covered and not r.heading]

    @property
    def uncovered_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if not r.covered]

    @property
    def risky_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if r.risk >= RISK_THRESHOLD]


def current_programme(organization: Organization) -> AuditProgramme | None:
    today = timezone.localdate()
    programmes = AuditProgramme.objects.filter(organization=organization)
    return (
        programmes.filter(cycle_start__lte=today, cycle_end__gte=today).first()
        or programmes.first()
    )


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


def programme_grid(programme: AuditProgramme, *, today: datetime.date | None = None) -> Grid:
    """Clauses 4–10 (two levels, shared clauses merged) and processes × quarters of the cycle.

    A fixed number of queries: editions, clauses, audits, audit clauses, processes, audit
    processes, the risk counts (findings and nonconformities per process).
    """
    today = today or timezone.localdate()
    org = programme.organization
    quarters = programme.quarters()
    qindex = {q: i for i, q in enumerate(quarters)}
    editions = org_editions(org)
    audits = list(
        Audit.objects.filter(programme=programme).only(
            "pk", "reference", "title", "status", "planned_start", "planned_end", "kind"
        )
    )
    audit_by_id = {a.pk: a for a in audits}
    through_c = Audit.clauses.through
    audit_clauses = list(
        through_c.objects.filter(audit__programme=programme).values_list(
            "audit_id", "clause__number", "clause__edition_id"
        )
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
    placed: set[tuple[str, int, int]] = set()
    for audit_id, number, _edition in audit_clauses:
        audit = audit_by_id[audit_id]
        i = qindex.get(quarter_of(audit.planned_start))
        if i is None:
            continue
        top = number.split(".")[0]
        targets = (
            [r for r in rows.values() if r.key.split(".")[0] == top]
            if "." not in number
            else [rows.get(_row_key(number)), rows.get(top)]
        )
        for row in targets:
            if row is not None and (row.key, i, audit_id) not in placed:
                placed.add((row.key, i, audit_id))
                row.cells[i].append(audit)
    processes = list(
        Process.objects.filter(organization=org, is_active=True).only("pk", "code", "name")
    )
    prow = {
        p.pk: GridRow(key=str(p.pk), label=str(p), kind="process", cells=[[] for _ in quarters])
        for p in processes
    }
    for audit_id, process_id in Audit.processes.through.objects.filter(  # type: ignore[attr-defined]
        audit__programme=programme
    ).values_list("audit_id", "process_id"):
        audit = audit_by_id[audit_id]
        i = qindex.get(quarter_of(audit.planned_start))
        if i is not None and process_id in prow:
            prow[process_id].cells[i].append(audit)
    since = today - datetime.timedelta(days=365)
    findings = dict(
        Finding.objects.filter(
            organization=org,
            created_at__gte=timezone.now() - datetime.timedelta(days=365),
            process__isnull=False,
        )
        .exclude(grade=Finding.Grade.CONFORMITY)
        .values_list("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    )
    ncs = improvement.counts_by_process(org, since)
    for pk, row in prow.items():
        row.risk = findings.get(pk, 0) + ncs.get(pk, 0)
    done_or_planned = {Audit.Status.CLOSED, Audit.Status.REPORTING, Audit.Status.IN_PROGRESS}
    for row in list(rows.values()) + list(prow.values()):
        row.covered = any(a.status in done_or_planned for cell in row.cells for a in cell)
    for row in list(rows.values()) + list(prow.values()):
        row.view = [
            Cell(
                cell[:CELL_SHOWN],
                max(0, len(cell) - CELL_SHOWN),
                any(a.status in done_or_planned for a in cell),
            )
            for cell in row.cells
        ]
    overdue = sorted((a for a in audits if a.is_overdue(today)), key=lambda a: a.planned_end)
    return Grid(
        programme=programme,
        quarters=quarters,
        current=quarter_of(today),
        clause_rows=list(rows.values()),
        process_rows=list(prow.values()),
        overdue=overdue,
        standards=editions,
    )


def audit_list(organization: Organization, filters: dict[str, Any]) -> QuerySet[Audit]:
    qs = Audit.objects.filter(organization=organization).select_related("lead_auditor")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
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

"""Reads of the audits app: the programme's coverage grid, overdue audits, the risk hint."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits.models import Audit, AuditProgramme, Finding
from pdca.audits.models.audit import quarter_of
from pdca.core.access import visible_rows
from pdca.core.caching import org_cached
from pdca.core.models import Organization
from pdca.improvement import selectors as improvement
from pdca.standards.models import Clause, Edition, Exclusion, OrgStandard, Process, SoAEntry

RISK_THRESHOLD = 3  # findings + nonconformities in 12 months that call for a second audit a year


CELL_SHOWN = 3  # audits named in one grid cell; the rest are counted

# Clauses below the second level that get a row of their own: the substantive requirements of
# one discipline that an audit of their parent clause could pass over.
GRID_SUBCLAUSES = {
    "iso14001": ("6.1.2", "9.1.2"),
    "iso45001": ("6.1.2", "8.1.2"),
}
CYCLE_YEARS = 3  # ISO/IEC 17021-1: a certificate's cycle
CYCLE_SLACK = datetime.timedelta(days=92)  # a quarter either way still matches the cycle


@dataclass
class Cell:
    shown: list["AuditMark"]
    more: int
    done: bool
    # Audits that name only the heading above this row: they do not cover it.
    heading: list["AuditMark"] = field(default_factory=list)
    heading_more: int = 0


@dataclass
class GridRow:
    key: str
    label: str
    kind: str  # "clause", "control" (ISO/IEC 27001 Annex A) or "process"
    heading: bool = False
    cells: list[list[Any]] = field(default_factory=list)
    covered: bool = False
    risk: int = 0
    view: list["Cell"] = field(default_factory=list)
    heading_cells: list[list[Any]] = field(default_factory=list)
    # Not covered, but an audit done names the heading above it.
    heading_only: bool = False


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
    control_rows: list[GridRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # How the cycle was compared with certification, or why it could not be.
    cycle_note: str = ""

    @property
    def overdue_more(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def uncovered_clauses(self) -> list[GridRow]:
        return [r for r in self.clause_rows if not r.covered and not r.heading]

    @property
    def uncovered_controls(self) -> list[GridRow]:
        return [r for r in self.control_rows if not r.covered]

    @property
    def uncovered_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if not r.covered]

    @property
    def risky_processes(self) -> list[GridRow]:
        return [r for r in self.process_rows if r.risk >= RISK_THRESHOLD]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def programme_warnings(
    programme: AuditProgramme, org_standards: list[OrgStandard]
) -> tuple[list[str], str]:
    """What is wrong with the programme's cycle (longer than a certification cycle, or not the
    cycle of a certificate), and a note on what it was compared with.

    pdca holds no certification decisions yet: a certificate's cycle is taken as the three years
    up to the expiry date recorded on the chosen standard ("certificate valid until")."""
    warnings = []
    start, end = programme.cycle_start, programme.cycle_end
    if end >= add_years(start, CYCLE_YEARS):
        warnings.append(
            _(
                "The programme runs %(start)s to %(end)s, longer than a three-year "
                "certification cycle: plan one programme per cycle, so that every clause and "
                "process is audited before each recertification audit."
            )
            % {"start": start.isoformat(), "end": end.isoformat()}
        )
    certified = [
        os
        for os in org_standards
        if os.certified_until is not None and os.status == OrgStandard.Status.CERTIFIED
    ]
    for os in certified:
        expiry = os.certified_until
        assert expiry is not None
        cycle_start = add_years(expiry, -CYCLE_YEARS)
        if end < cycle_start - CYCLE_SLACK or start > expiry:
            continue  # a programme of another cycle
        if abs(start - cycle_start) > CYCLE_SLACK or abs(end - expiry) > CYCLE_SLACK:
            warnings.append(
                _(
                    "%(standard)s: the certificate is valid until %(expiry)s, so its cycle runs "
                    "from %(cycle_start)s; the programme runs %(start)s to %(end)s. Align the "
                    "programme with the certification cycle, so that it is complete before the "
                    "recertification audit."
                )
                % {
                    "standard": os.edition.standard,
                    "expiry": expiry.isoformat(),
                    "cycle_start": cycle_start.isoformat(),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                }
            )
    if certified:
        note = _(
            "A certification cycle is taken as the three years up to the expiry date recorded "
            "on each certified standard (certificate valid until)."
        )
    else:
        note = _(
            "No certified standard has its certificate's expiry date recorded: the programme "
            "cannot be compared with a certification cycle yet."
        )
    return warnings, str(note)


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
    """The programme's coverage grid, computed once per change of what it reads (audits, the
    standards' clauses, processes and decisions, nonconformities by process, certificates;
    see core.caching) unless `today` is given."""
    if today is not None:
        return _programme_grid(programme, today)
    return org_cached(
        programme.organization,
        f"audits.grid.{programme.pk}",
        lambda: _programme_grid(programme, timezone.localdate()),
        topics=("audits", "standards", "improvement", "certification", "core"),
    )


def _row_key(
    standard: str, edition: str, number: str, depth: int, kind: str, hs: str | None
) -> str:
    """A clause's row: its harmonized clause where it maps to one at the same level (the
    standards' shared clause), otherwise the clause of its own edition."""
    if kind == Clause.Kind.CLAUSE and hs is not None and hs.count(".") == depth:
        return f"hs:{hs}"
    return f"{standard}:{edition}:{number}"


def _programme_grid(programme: AuditProgramme, today: datetime.date) -> Grid:
    """Clauses 4–10 (two levels and the discipline-specific clauses of GRID_SUBCLAUSES, shared
    clauses merged through the harmonized structure, others kept per edition, those declared
    not applicable left out), the applicable Annex A controls, and processes × quarters of the
    cycle.

    A fixed number of queries: standards, clauses (with the Statement of Applicability),
    audits, audit clauses, processes, audit processes, overdue audits, the risk counts.
    Rows are read as tuples and each clause's rows are worked out once: at 500 audits the grid
    is mostly bookkeeping in Python.
    """
    org = programme.organization
    quarters = programme.quarters()
    qindex = {q: i for i, q in enumerate(quarters)}
    org_standards = list(
        OrgStandard.objects.filter(organization=org)
        .exclude(status=OrgStandard.Status.WITHDRAWN)
        .select_related("edition__standard")
    )
    editions = [os.edition for os in org_standards]
    marks: dict[int, tuple[AuditMark, int | None]] = {}  # audit -> (mark, quarter index)
    for pk, reference, title, status, start in Audit.objects.filter(
        programme=programme
    ).values_list("pk", "reference", "title", "status", "planned_start"):
        marks[pk] = (AuditMark(pk, reference, title, status), qindex.get(quarter_of(start)))
    audit_clauses = list(
        Audit.clauses.through.objects.filter(audit__programme=programme)
        .values_list("audit_id", "clause__edition_id", "clause__number", "clause__kind")
        .order_by()
    )
    if not editions:  # no standards chosen yet: show those the audits name
        ids = {e for _, e, _n, _k in audit_clauses}
        editions = list(Edition.objects.filter(pk__in=ids).select_related("standard"))
    sub_q = Q()
    for code, numbers in GRID_SUBCLAUSES.items():
        sub_q |= Q(edition__standard__code=code, number__in=numbers)
    shown_q = Q(kind=Clause.Kind.CLAUSE, depth__lte=1) | Q(kind=Clause.Kind.CONTROL)
    if sub_q:
        shown_q |= Q(kind=Clause.Kind.CLAUSE) & sub_q
    excluded = Exclusion.objects.filter(organization=org, is_active=True).values("clause_id")
    clauses = list(
        Clause.objects.filter(shown_q, edition__in=editions)
        # A control is applicable unless the Statement of Applicability excludes it; a clause
        # declared not applicable (or under one that is) is not audited.
        .exclude(
            kind=Clause.Kind.CONTROL,
            pk__in=SoAEntry.objects.filter(organization=org, applicable=False).values("clause_id"),
        )
        .exclude(pk__in=excluded)
        .exclude(parent__in=excluded)
        .values_list(
            "edition_id",
            "edition__code",
            "edition__standard__code",
            "edition__standard__name",
            "number",
            "title",
            "depth",
            "kind",
            "hs__number",
            "hs__title",
        )
        .order_by("sort_key", "edition__standard__code")
    )
    rows: dict[str, GridRow] = {}
    controls: dict[str, GridRow] = {}
    key_of: dict[tuple[int, str], str] = {}  # (edition, number) -> its row
    below: dict[tuple[int, str], list[str]] = defaultdict(list)  # (edition, heading) -> rows
    subrows: dict[tuple[int, str], list[str]] = defaultdict(list)  # (edition, 6.1) -> [6.1.2]
    # A shared row's clauses numbered otherwise than the harmonized one (ISO 9001 10.3 is HS 10.1).
    renumbered: dict[str, list[str]] = defaultdict(list)
    for edition, ed_code, code, name, number, title, depth, kind, hs_number, hs_title in clauses:
        key = _row_key(code, ed_code, number, depth, kind, hs_number)
        key_of[(edition, number)] = key
        target = controls if kind == Clause.Kind.CONTROL else rows
        if key not in target:
            target[key] = GridRow(
                key=key,
                # A shared clause shows its harmonized title, not one standard's wording.
                label=(
                    f"{hs_number} {hs_title}"
                    if key.startswith("hs:")
                    else f"{name} {number} {title}"
                ),
                kind="control" if kind == Clause.Kind.CONTROL else "clause",
                heading=depth == 0 and kind == Clause.Kind.CLAUSE,
                cells=[[] for _ in quarters],
                heading_cells=[[] for _ in quarters],
            )
        if key.startswith("hs:") and number != hs_number:
            renumbered[key].append(f"{name} {number}")
        if kind == Clause.Kind.CLAUSE and "." in number:
            parts = number.split(".")
            below[(edition, parts[0])].append(key)
            if len(parts) > 2:
                subrows[(edition, ".".join(parts[:2]))].append(key)
    for key, others in renumbered.items():
        rows[key].label += f" ({', '.join(others)})"
    every = {**rows, **controls}
    targets_of: dict[tuple[int, str], tuple[list[GridRow], list[GridRow]]] = {}

    def targets(edition: int, number: str, kind: str) -> tuple[list[GridRow], list[GridRow]]:
        """The rows an audit naming this clause covers, and those it names by heading only."""
        if (edition, number) in targets_of:
            return targets_of[(edition, number)]
        parts = number.split(".")
        full: list[str | None] = []
        by_heading: list[str] = []
        if kind == Clause.Kind.CONTROL:
            full = [key_of.get((edition, number))]
        elif len(parts) == 1:
            full = [key_of.get((edition, number))]
            by_heading = below.get((edition, number), [])
        else:
            two = ".".join(parts[:2])
            full = [key_of.get((edition, parts[0])), key_of.get((edition, two))]
            if len(parts) > 2:
                full.append(key_of.get((edition, ".".join(parts[:3]))))
            else:
                full += subrows.get((edition, two), [])
        covered = [every[k] for k in dict.fromkeys(full) if k is not None and k in every]
        named = {r.key for r in covered}
        heading_only = [every[k] for k in dict.fromkeys(by_heading) if k not in named]
        targets_of[(edition, number)] = (covered, heading_only)
        return covered, heading_only

    hits: dict[int, dict[str, GridRow]] = defaultdict(dict)  # audit -> the rows it covers
    heading_hits: dict[int, dict[str, GridRow]] = defaultdict(dict)
    for audit_id, edition, number, kind in audit_clauses:
        covered, heading_only = targets(edition, number, kind)
        for row in covered:
            hits[audit_id][row.key] = row
        for row in heading_only:
            heading_hits[audit_id][row.key] = row
    for audit_id, (mark, i) in marks.items():
        if i is None:
            continue
        for row in hits.get(audit_id, {}).values():
            row.cells[i].append(mark)
        for key, row in heading_hits.get(audit_id, {}).items():
            if key not in hits.get(audit_id, {}):
                row.heading_cells[i].append(mark)
    prow = {
        pk: GridRow(
            key=str(pk),
            label=label,
            kind="process",
            cells=[[] for _ in quarters],
            heading_cells=[[] for _ in quarters],
        )
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
    for row in [*rows.values(), *controls.values(), *prow.values()]:
        row.view = []
        heading_done = False
        for cell, heading in zip(row.cells, row.heading_cells, strict=True):
            done = any(a.status in Audit.DONE_STATUSES for a in cell)
            row.covered = row.covered or done
            heading_done = heading_done or any(a.status in Audit.DONE_STATUSES for a in heading)
            row.view.append(
                Cell(
                    cell[:CELL_SHOWN],
                    max(0, len(cell) - CELL_SHOWN),
                    done,
                    heading[:CELL_SHOWN],
                    max(0, len(heading) - CELL_SHOWN),
                )
            )
        row.heading_only = heading_done and not row.covered
    overdue_qs = Audit.objects.filter(Audit.overdue_q(today), programme=programme).order_by(
        "planned_end", "pk"
    )
    overdue = list(overdue_qs[: OVERDUE_SHOWN + 1])
    warnings, note = programme_warnings(programme, org_standards)
    return Grid(
        programme=programme,
        quarters=quarters,
        current=quarter_of(today),
        clause_rows=list(rows.values()),
        control_rows=list(controls.values()),
        process_rows=list(prow.values()),
        overdue=overdue[:OVERDUE_SHOWN],
        overdue_count=overdue_qs.count() if len(overdue) > OVERDUE_SHOWN else len(overdue),
        standards=editions,
        warnings=warnings,
        cycle_note=note,
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


def signed_report_editions(organization: Organization) -> set[int]:
    """The standards (edition ids) an internal audit with a signed report covered: the records
    of the audit programme's implementation and results that 9.2.2 asks to retain."""
    return set(
        Audit.editions.through.objects.filter(
            audit__organization=organization,
            audit__kind=Audit.Kind.INTERNAL,
            audit__report__isnull=False,
        )
        .values_list("edition_id", flat=True)
        .distinct()
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

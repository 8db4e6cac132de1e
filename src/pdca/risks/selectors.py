"""Reads of the register: the filtered list, the heat map, what other modules may ask."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from pdca.core.access import visible_rows
from pdca.core.models import Organization
from pdca.risks.models import Risk, RiskMethod


def register_list(membership: Any, data: dict[str, Any]) -> QuerySet[Risk]:
    """The register filtered by the list's filters, highest score first (its index)."""
    rows = visible_rows(membership, Risk).select_related("owner", "process", "method")
    status = data.get("status") or "open"
    if status != "all":
        rows = rows.filter(status=status)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("standard"):
        rows = rows.filter(standards=data["standard"])
    if data.get("process"):
        rows = rows.filter(process=data["process"])
    if data.get("owner"):
        rows = rows.filter(owner=data["owner"])
    if data.get("min_score"):
        rows = rows.filter(score__gte=data["min_score"])
    if data.get("control"):
        rows = rows.filter(controls=data["control"])
    if data.get("q"):
        rows = rows.filter(Q(title__icontains=data["q"]) | Q(cause__icontains=data["q"]))
    return rows.order_by("-score", "number")


@dataclass
class Cell:
    likelihood: int
    consequence: int
    score: int
    acceptable: bool
    before: int
    after: int


@dataclass
class HeatMap:
    method: RiskMethod
    rows: list[tuple[str, list[Cell]]]  # (likelihood label, cells by consequence), highest first
    older: int  # open entries scored under an older method version: not on this map
    untreated: int  # open entries with no residual level yet (after = before for them)


def heat_map(organization: Organization, method: RiskMethod, kind: str = "") -> HeatMap:
    """Open entries per cell of the method's matrix, before and after treatment (three
    queries whatever the size of the register)."""
    rows = Risk.objects.filter(organization=organization, status=Risk.Status.OPEN)
    if kind:
        rows = rows.filter(kind=kind)
    current = rows.filter(method=method)
    before = {
        (r["likelihood"], r["consequence"]): r["n"]
        for r in current.values("likelihood", "consequence").annotate(n=Count("pk"))
    }
    after: dict[tuple[int, int], int] = {}
    untreated = 0
    for r in current.values(
        "residual_likelihood", "residual_consequence", "likelihood", "consequence"
    ).annotate(n=Count("pk")):
        if r["residual_likelihood"] is None:
            key = (r["likelihood"], r["consequence"])
            untreated += r["n"]
        else:
            key = (r["residual_likelihood"], r["residual_consequence"])
        after[key] = after.get(key, 0) + r["n"]
    older = rows.exclude(method=method).count()
    grid = []
    n_c = len(method.consequence_levels)
    for lk in range(len(method.likelihood_levels), 0, -1):
        cells = [
            Cell(
                likelihood=lk,
                consequence=c,
                score=lk * c,
                acceptable=lk * c <= method.acceptance_threshold,
                before=before.get((lk, c), 0),
                after=after.get((lk, c), 0),
            )
            for c in range(1, n_c + 1)
        ]
        grid.append((method.likelihood_levels[lk - 1], cells))
    return HeatMap(method=method, rows=grid, older=older, untreated=untreated)


SOA_RISKS_SHOWN = 5
"""The risks the Statement of Applicability names per control; the rest are one link away (the
register filtered by the control), so the page stays the same size however many risks a
control treats."""


def soa_risk_reasons(org_standard: Any, clause_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The open risks whose treatment needs each control (two queries: the first few per
    control by number, and how many there are): the Statement of Applicability's reasons for
    including it."""
    from django.db.models import Count, F, Window
    from django.db.models.functions import RowNumber
    from django.urls import reverse
    from django.utils.translation import ngettext

    slug = org_standard.organization.slug
    needed = Risk.controls.through.objects.filter(
        clause_id__in=clause_ids,
        risk__organization_id=org_standard.organization_id,
        risk__status=Risk.Status.OPEN,
    )
    links = (
        needed.annotate(
            rank=Window(
                RowNumber(), partition_by=[F("clause_id")], order_by=F("risk__number").asc()
            )
        )
        .filter(rank__lte=SOA_RISKS_SHOWN)
        .order_by("clause_id", "risk__number")
        .values_list("clause_id", "risk_id", "risk__number", "risk__kind", "risk__title")
    )
    found: dict[int, list[tuple[str, str]]] = {}
    # One reverse() for all the links: the page names several hundred risks at scale.
    head, tail = reverse("risks:detail", kwargs={"org": slug, "pk": 0}).rsplit("/0/", 1)
    for clause_id, risk_id, number, kind, title in links:
        prefix = "O" if kind == "opportunity" else "R"
        url = f"{head}/{risk_id}/{tail}"
        found.setdefault(clause_id, []).append((f"{prefix}-{number:04d} {title}", url))
    full = [c for c, shown in found.items() if len(shown) == SOA_RISKS_SHOWN]
    if full:
        register = reverse("risks:list", kwargs={"org": slug})
        counts = needed.filter(clause_id__in=full).values("clause_id").annotate(n=Count("pk"))
        for row in counts:
            more = row["n"] - SOA_RISKS_SHOWN
            if more > 0:
                label = ngettext("and %(n)s more risk", "and %(n)s more risks", more) % {"n": more}
                found[row["clause_id"]].append((label, f"{register}?control={row['clause_id']}"))
    return found


def excluded_but_needed(organization: Organization) -> list[tuple[str, str]]:
    """(control number, risk reference) for each control a risk needs that the Statement of
    Applicability excludes (one query)."""
    from pdca.standards.models import SoAEntry

    excluded = SoAEntry.objects.filter(organization=organization, applicable=False).values(
        "clause_id"
    )
    rows = (
        Risk.controls.through.objects.filter(
            clause_id__in=excluded,
            risk__organization=organization,
            risk__status=Risk.Status.OPEN,
        )
        .order_by("clause__sort_key", "risk__number")
        .values_list("clause__number", "risk__number")
    )
    return [(number, f"R-{risk:04d}") for number, risk in rows]

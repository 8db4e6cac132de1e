"""Hooks other modules plug into, so that this app never imports them.

- `register_evidence_kind("documents.document", "maintain", valid=Q(status="effective"))`:
  evidence links to objects of that model count as the documents ("maintain") or records
  ("retain") a clause requires, but only while the object matches `valid` (a draft or obsolete
  document, or a disposed record, is linked evidence yet not documented information present).
- `register_nc_source("audits.finding", link=fn)`: nonconformities may be raised from objects of
  that model (an audit finding, later a complaint, an incident, a KPI off target), with
  fn(obj) -> (label, url name, url kwargs) for the link on the nonconformity's page; the
  nonconformity keeps the object as a generic source, so improvement imports none of these.
- `register_record_source("9.2.2", editions=fn)`: records another module keeps itself (signed
  audit reports, nonconformities with their corrective actions) are the "retain" items of the
  clauses on that harmonized-structure clause (and their sub-clauses); fn(organization) -> ids of
  the editions it holds such a record for, in one query.
- `register_process_section(fn)`: fn(request, process) -> HTML (or "") shown on the process page,
  e.g. the documents, KPIs, risks or audits of that process.
- `register_soa_reasons(fn)`: fn(org_standard, clause_ids) -> {clause id: [(label, url)]}, the
  risks (or other reasons) that call for each Annex A control, shown on its line of the
  Statement of Applicability, with a warning on a line excluded yet called for (fixed queries).
- `register_nc_section(fn)`: fn(request, membership, nonconformity) -> HTML (or "") shown on the
  nonconformity's page under its step on risks and opportunities (10.2.1 e)), e.g. the risks
  opened or updated from it and the link to do so.
- `register_soa_approval(fn)`: fn(organization) -> ids of the org standards whose Statement of
  Applicability has an approved revision; once a module registers one, readiness counts the
  Statement (the 6.1.3 d) item) only when every control is decided and a revision is approved.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q

EVIDENCE_KINDS: dict[str, set[str]] = {"maintain": set(), "retain": set()}
EVIDENCE_VALIDITY: dict[str, Q] = {}  # app_label.model -> what makes an object count
EVIDENCE_LABEL_RELATED: dict[str, tuple[str, ...]] = {}  # app_label.model -> what its label reads
PROCESS_SECTIONS: list[tuple[int, Callable[[Any, Any], str]]] = []
NC_SOURCES: dict[str, Callable[[Any], tuple[str, str, dict[str, Any]]]] = {}
RECORD_SOURCES: dict[str, Callable[[Any], set[int]]] = {}  # HS clause number -> editions(org)
SOA_REASONS: list[Callable[[Any, list[int]], dict[int, list[tuple[str, str]]]]] = []
SOA_APPROVALS: list[Callable[[Any], set[int]]] = []
NC_SECTIONS: list[Callable[[Any, Any, Any], str]] = []


def register_record_source(hs_number: str, *, editions: Callable[[Any], set[int]]) -> None:
    """Count records another module keeps as the retain items on HS clause `hs_number`."""
    RECORD_SOURCES[hs_number] = editions


def register_nc_source(
    app_label_model: str, *, link: Callable[[Any], tuple[str, str, dict[str, Any]]]
) -> None:
    """Let nonconformities be raised from `app_label.model` objects (see the module's doc)."""
    if app_label_model.count(".") != 1:
        raise ValueError("Name the model as 'app_label.model', e.g. 'audits.finding'.")
    NC_SOURCES[app_label_model.lower()] = link


def nc_source_link(obj: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(label, url name, url kwargs) of a nonconformity's source object, if it has one."""
    if obj is None:
        return None
    link = NC_SOURCES.get(obj._meta.label_lower)
    return link(obj) if link is not None else None


def register_evidence_kind(
    app_label_model: str,
    kind: str,
    *,
    valid: Q | None = None,
    label_related: tuple[str, ...] = (),
) -> None:
    """Count evidence links to `app_label.model` objects as documented information of `kind`.

    With `valid`, only linked objects matching it count (the filter runs on the model's table).
    `label_related` names the relations the object's label reads (an evaluation names its
    obligation): the clause page's choice list joins them instead of a query per object.
    """
    if kind not in EVIDENCE_KINDS:
        raise ValueError(f"Unknown kind {kind!r}: use 'maintain' or 'retain'.")
    if app_label_model.count(".") != 1:
        raise ValueError("Name the model as 'app_label.model', e.g. 'documents.document'.")
    EVIDENCE_KINDS[kind].add(app_label_model.lower())
    EVIDENCE_LABEL_RELATED[app_label_model.lower()] = label_related
    if valid is not None:
        EVIDENCE_VALIDITY[app_label_model.lower()] = valid
    else:
        EVIDENCE_VALIDITY.pop(app_label_model.lower(), None)


def register_process_section(section: Callable[[Any, Any], str], order: int = 100) -> None:
    if all(s is not section for _, s in PROCESS_SECTIONS):
        PROCESS_SECTIONS.append((order, section))
        PROCESS_SECTIONS.sort(key=lambda pair: pair[0])


def process_sections(request: Any, process: Any) -> list[str]:
    return [html for _, section in PROCESS_SECTIONS if (html := section(request, process))]


def register_soa_reasons(
    reasons: Callable[[Any, list[int]], dict[int, list[tuple[str, str]]]],
) -> None:
    if reasons not in SOA_REASONS:
        SOA_REASONS.append(reasons)


def soa_reasons(org_standard: Any, clause_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Every registered reason for each control, merged: {clause id: [(label, url)]}."""
    merged: dict[int, list[tuple[str, str]]] = {}
    for reasons in SOA_REASONS:
        for clause_id, found in reasons(org_standard, clause_ids).items():
            merged.setdefault(clause_id, []).extend(found)
    return merged


def register_soa_approval(approved: Callable[[Any], set[int]]) -> None:
    if approved not in SOA_APPROVALS:
        SOA_APPROVALS.append(approved)


def soa_approved(organization: Any) -> set[int] | None:
    """The org standards whose Statement of Applicability is approved, or None when no module
    keeps approvals (then a fully decided Statement counts)."""
    if not SOA_APPROVALS:
        return None
    return set().union(*(approved(organization) for approved in SOA_APPROVALS))


def register_nc_section(section: Callable[[Any, Any, Any], str]) -> None:
    if section not in NC_SECTIONS:
        NC_SECTIONS.append(section)


def nc_sections(request: Any, membership: Any, nonconformity: Any) -> list[str]:
    return [
        html for section in NC_SECTIONS if (html := section(request, membership, nonconformity))
    ]

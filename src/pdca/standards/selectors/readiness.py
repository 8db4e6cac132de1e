"""Readiness for certification, computed from live data in a fixed number of queries.

`load(organization)` fetches everything with a handful of flat queries (clauses of the chosen
editions, assessments, evidence counts, exclusions, the Statement of Applicability, required
documented information); `readiness()` then computes each standard's figure in Python, so the
cost does not grow in queries with the amount of data.

How the figure is made (and shown to the user): every leaf clause of the standard counts (and,
for ISO/IEC 27001, every Annex A control), except those not applicable: a clause through an
exclusion of it or of one of its parents, a control through the Statement of Applicability.
Each counts with the weight of its status; "verified" counts as such only with its basis (a
closed internal audit of the clause with no open nonconformity on it, or valid evidence), else
as implemented. The percentage is progress; whether a standard is ready for its stage 1 audit
is the pass/fail checklist of `pdca.standards.gates`.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_scopes import scope

from pdca.standards.models import (
    Assessment,
    AssessmentConfirmation,
    Clause,
    Edition,
    EvidenceLink,
    Exclusion,
    HarmonizedClause,
    OrgStandard,
    RequiredInformation,
    SoAEntry,
    Theme,
)
from pdca.standards.registry import (
    EVIDENCE_KINDS,
    EVIDENCE_VALIDITY,
    RECORD_SOURCES,
    soa_approved,
)
from pdca.standards.selectors.basis import audited_clause_ids, open_nonconformity_clause_ids

S = Assessment.Status
WEIGHTS: dict[str, float] = {
    S.NOT_STARTED: 0.0,
    S.PLANNED: 0.1,
    S.PARTLY: 0.5,
    S.IMPLEMENTED: 0.9,
    S.VERIFIED: 1.0,
}
STATUS_LABELS = dict(S.choices)
COUNTED_STATUSES = list(WEIGHTS)


@dataclass
class ClauseInfo:
    id: int
    edition_id: int
    number: str
    title: str
    kind: str
    theme_id: int | None
    parent_id: int | None
    hs_id: int | None
    may_be_excluded: bool
    depth: int
    is_leaf: bool = True
    # Where its assessment and shared evidence live: the HS clause, else the clause. Worked
    # out once (the catalogue is cached): readiness looks it up for every clause every time.
    key: tuple[str, int] = field(init=False)
    section: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = ("hs", self.hs_id) if self.hs_id else ("clause", self.id)
        self.section = self.number.split(".")[0] if self.kind == "clause" else ""


@dataclass
class AssessmentInfo:
    id: int | None
    status: str
    owner_id: int | None
    owner_name: str
    target_date: Any
    version: int
    # The chosen standards a shared (HS) assessment was confirmed for.
    confirmed_for: frozenset[int] = frozenset()
    # Set when a shared assessment is shown for a standard it is not confirmed for: the status
    # other standards gave it, which counts here only once someone confirms it.
    unconfirmed_status: str = ""

    @property
    def unconfirmed_label(self) -> str:
        if not self.unconfirmed_status:
            return ""
        return _("Other standards: %(status)s — not confirmed here") % {
            "status": STATUS_LABELS[self.unconfirmed_status]
        }


NO_ASSESSMENT = AssessmentInfo(None, S.NOT_STARTED, None, "", None, 0)
VERIFIED = S.VERIFIED.value  # a plain string compares faster than the enum
# The Statement of Applicability, a document ISO/IEC 27001 requires (6.1.3 d): pdca keeps it.
SOA_ITEM_CODE = "6.1.3.d"


@dataclass
class RequiredRow:
    clause_id: int
    clause_number: str
    code: str
    title: str
    kind: str
    present: bool
    # Why the item is not required (its clause is not applicable), or "".
    not_required: str = ""


@dataclass
class Part:
    code: str
    title: Any  # a str, or a lazy translation (the result is cached for every language)
    counted: int = 0
    points: float = 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.counted) if self.counted else 0


@dataclass
class GapRow:
    clause: ClauseInfo
    status: str
    owner_name: str
    target_date: Any
    missing_required: list[str]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def reason(self) -> str:
        if self.missing_required:
            return _("Mandatory documented information missing: %(items)s") % {
                "items": "; ".join(self.missing_required)
            }
        return self.status_label


@dataclass
class Readiness:
    org_standard: OrgStandard
    counted: int = 0
    points: float = 0.0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WEIGHTS, 0))
    excluded: list[tuple[ClauseInfo, str]] = field(default_factory=list)
    sections: list[Part] = field(default_factory=list)
    themes: list[Part] = field(default_factory=list)
    required: list[RequiredRow] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)
    soa_undecided: int = 0
    # Whose they are (owner's user id -> how many): the clauses missing mandatory documented
    # information and the controls without an applicability decision, for the owners' cards.
    missing_by_owner: dict[int, int] = field(default_factory=dict)
    undecided_by_owner: dict[int, int] = field(default_factory=dict)
    gates: list[Any] = field(default_factory=list)  # gates.CheckedGate, the stage 1 checklist

    @property
    def gates_passed(self) -> int:
        return sum(1 for g in self.gates if g.state == "pass")

    @property
    def stage1_ready(self) -> bool:
        """Every gate passed ("not yet possible" is not passed: someone checks it by hand)."""
        return bool(self.gates) and self.gates_passed == len(self.gates)

    # Shared clauses other standards assessed that wait for confirmation for this one.
    unconfirmed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.counted) if self.counted else 0

    verified_by_audit: int = 0
    verified_by_evidence: int = 0
    verified_unsupported: int = 0  # set to verified without a basis: counted as implemented

    @property
    def required_missing(self) -> list[RequiredRow]:
        return [r for r in self.required if not r.present and not r.not_required]

    @property
    def missing_clause_ids(self) -> set[int]:
        """The clauses whose mandatory documented information is missing (excluded and
        not-applicable clauses demand nothing): the dashboard's card and the gap list's filter."""
        return {r.clause_id for r in self.required_missing}

    @property
    def required_applicable(self) -> list[RequiredRow]:
        return [r for r in self.required if not r.not_required]

    @property
    def weight_rows(self) -> list[dict[str, Any]]:
        """Which count with which weight: the figure explains itself."""
        return [
            {
                "status": status,
                "label": STATUS_LABELS[status],
                "count": self.by_status[status],
                "weight": weight,
                "points": round(self.by_status[status] * weight, 1),
            }
            for status, weight in WEIGHTS.items()
        ]

    @property
    def explanation(self) -> str:
        # English writes the status in lower case inside the sentence; German keeps its nouns.
        lower = (get_language() or "en").startswith("en")
        parts = ", ".join(
            _("%(count)s %(status)s × %(weight)s")
            % {
                "count": r["count"],
                "status": str(r["label"]).lower() if lower else str(r["label"]),
                "weight": number_format(Decimal(f"{r['weight']:g}")),
            }
            for r in self.weight_rows
            if r["count"]
        )
        text = _(
            "%(counted)s requirements count (%(parts)s): "
            "%(points)s of %(counted)s points = %(percent)s%%."
        ) % {
            "counted": self.counted,
            "parts": parts or _("none assessed"),
            "points": number_format(self.points, 1),
            "percent": self.percent,
        }
        if self.excluded:
            text += " " + _("%(n)s declared not applicable are left out.") % {
                "n": len(self.excluded)
            }
        if self.verified_by_audit or self.verified_by_evidence:
            text += " " + _(
                "Verified: %(audit)s by a closed internal audit with no open nonconformity, "
                "%(evidence)s by valid evidence."
            ) % {"audit": self.verified_by_audit, "evidence": self.verified_by_evidence}
        if self.verified_unsupported:
            text += " " + _(
                "%(n)s set to verified have neither a closed internal audit nor valid evidence "
                "and count as implemented."
            ) % {"n": self.verified_unsupported}
        missing = len(self.required_missing)
        if missing:
            text += " " + _("%(n)s mandatory documented information items are missing.") % {
                "n": missing
            }
        if self.unconfirmed:
            text += " " + _(
                "%(n)s shared clauses assessed for other standards count here once confirmed "
                "for this one."
            ) % {"n": self.unconfirmed}
        if self.soa_undecided:
            text += " " + _("%(n)s Annex A controls have no applicability decision yet.") % {
                "n": self.soa_undecided
            }
        return text


@dataclass
class OrgData:
    """Everything readiness and the gap analysis need, for one organization."""

    org_standards: list[OrgStandard]
    clauses: dict[int, list[ClauseInfo]]  # by edition id, in clause order
    assessments: dict[tuple[str, int], AssessmentInfo]
    evidence: dict[tuple[str, int], int]  # number of links per assessment key
    items_evidenced: set[int]  # required-information ids proven by evidence for their standard
    exclusions: dict[tuple[int, int], str]  # (org standard, clause) -> justification
    soa: dict[tuple[int, int], dict[str, Any]]  # (org standard, clause) -> entry values
    required: dict[int, list[dict[str, Any]]]  # by clause id
    themes: dict[int, list[Theme]]  # by edition id
    # Assessment keys with valid evidence, and with a closed internal audit naming the clause
    # and no open nonconformity on it: what "verified" may rest on.
    valid_evidence: set[tuple[str, int]] = field(default_factory=set)
    audited: set[tuple[str, int]] = field(default_factory=set)
    # The clause ids closed internal audits name, when loaded (the stage 1 gate reuses them).
    audited_clauses: set[int] | None = None
    _applicability: dict[int, dict[int, str]] = field(default_factory=dict)

    evidence_by_clause: dict[int, int] = field(default_factory=dict)  # links to the clause
    soa_approved: set[int] | None = None  # org standards with an approved SoA revision

    def assessment(
        self, clause: ClauseInfo, org_standard: OrgStandard | None = None
    ) -> AssessmentInfo:
        """The clause's assessment as it holds for `org_standard`: a shared assessment not
        confirmed for it counts as not started there (its other standards' status is kept
        in `unconfirmed_status` so the page can ask "also valid for this standard?")."""
        found = self.assessments.get(clause.key, NO_ASSESSMENT)
        if (
            org_standard is None
            or found.id is None
            or clause.key[0] != "hs"
            or org_standard.id in found.confirmed_for
        ):
            return found
        return replace(found, status=S.NOT_STARTED, unconfirmed_status=found.status)

    def verified_basis(self, clause: ClauseInfo) -> str:
        """What a "verified" status rests on: "audit", "evidence" or "" (nothing)."""
        if clause.key in self.audited:
            return "audit"
        if clause.key in self.valid_evidence:
            return "evidence"
        return ""

    def not_applicable_map(self, org_standard: OrgStandard) -> dict[int, str]:
        """Clause id -> why it is not applicable, for one standard, worked out once.

        The one register of applicability: a clause through an exclusion of it or of one of
        its parents (an exclusion covers the sub-clauses), a control through the Statement of
        Applicability. The gap assessment shows this and cannot decide it.
        """
        found = self._applicability.get(org_standard.id)
        if found is not None:
            return found
        result: dict[int, str] = {}
        if self.exclusions or self.soa:  # most organizations have few or none: skip the walk
            numbers: dict[int, str] = {}
            for info in self.clauses.get(org_standard.edition_id, []):  # parents come first
                numbers[info.id] = info.number
                place = (org_standard.id, info.id)
                why = self.exclusions.get(place)
                if why is not None:
                    result[info.id] = _("Excluded from the scope: %(why)s") % {"why": why}
                elif info.parent_id in result:
                    result[info.id] = result[info.parent_id]
                soa = self.soa.get(place)
                if soa is not None and not soa["applicable"]:
                    result[info.id] = _(
                        "Not applicable in the Statement of Applicability: %(why)s"
                    ) % {"why": soa["justification"]}
        self._applicability[org_standard.id] = result
        return result

    def not_applicable(self, org_standard: OrgStandard, clause: ClauseInfo) -> str | None:
        """Why this requirement is left out of the standard's figure, or None."""
        return self.not_applicable_map(org_standard).get(clause.id)


def _kind_content_types() -> dict[int, tuple[str, ContentType]]:
    """Content type id -> (documented-information kind, content type), from the registry."""
    result: dict[int, tuple[str, ContentType]] = {}
    for kind, names in EVIDENCE_KINDS.items():
        for name in names:
            app_label, model = name.split(".")
            try:
                ct = ContentType.objects.get_by_natural_key(app_label, model)
            except ContentType.DoesNotExist:
                continue
            result[ct.pk] = (kind, ct)
    return result


def _has_validity(ct: ContentType) -> bool:
    return f"{ct.app_label}.{ct.model}" in EVIDENCE_VALIDITY


def _valid_kind_links(
    organization: Any, kind_cts: dict[int, tuple[str, ContentType]]
) -> list[tuple[int, int | None, int]]:
    """(clause id, named item id, content type id) of links whose object is valid evidence.

    One query per kind registered with a validity filter: a fixed number, whatever the data.
    """
    pairs: list[tuple[int, int | None, int]] = []
    for ct_id, (_kind, ct) in kind_cts.items():
        valid = EVIDENCE_VALIDITY.get(f"{ct.app_label}.{ct.model}")
        model = ct.model_class()
        if valid is None or model is None:
            continue
        # Per link, a primary-key lookup of its object: cheaper than listing every valid
        # object (a large organization keeps hundreds of thousands of records).
        with scope(organization=organization):  # the objects of this organization only
            valid_object = model._default_manager.filter(valid, pk=OuterRef("object_id"))
        pairs.extend(
            (clause_id, required_id, ct_id)
            for clause_id, required_id in EvidenceLink.objects.filter(
                organization=organization, content_type_id=ct_id
            )
            .filter(Exists(valid_object))
            .values_list("clause_id", "required_id")
            .order_by()
            .distinct()
        )
    return pairs


@dataclass
class Catalogue:
    """The static catalogue rows of every edition, cached per process until a file changes."""

    key: tuple[tuple[int, str], ...]
    clauses: dict[int, list[ClauseInfo]]  # by edition id, in clause order
    hs_of: dict[int, int | None]  # clause id -> HS clause id, for every clause
    required: dict[int, list[dict[str, Any]]]  # by clause id
    themes: dict[int, list[Theme]]  # by edition id
    required_kind: dict[int, str] = field(default_factory=dict)  # required id -> kind
    # (edition id, HS clause number) -> ids of the retain items on that HS clause or below it
    retain_on_hs: dict[tuple[int, str], list[int]] = field(default_factory=dict)


_CATALOGUE: list[Catalogue] = []


def catalogue(editions: list[Edition]) -> Catalogue:
    """The catalogue, from the process cache while the chosen editions' files are unchanged
    (a reloaded file changes its edition's checksum, which refreshes the cache)."""
    wanted = {(e.pk, e.checksum) for e in editions}
    if _CATALOGUE and wanted <= set(_CATALOGUE[0].key):
        return _CATALOGUE[0]
    key = tuple(Edition.objects.order_by("pk").values_list("pk", "checksum"))
    clauses: dict[int, list[ClauseInfo]] = defaultdict(list)
    parents: set[int] = set()
    hs_of: dict[int, int | None] = {}
    for row in Clause.objects.order_by("edition_id", "sort_key").values_list(
        "id",
        "edition_id",
        "number",
        "title",
        "kind",
        "theme_id",
        "parent_id",
        "hs_id",
        "may_be_excluded",
        "depth",
    ):
        info = ClauseInfo(*row)
        clauses[info.edition_id].append(info)
        hs_of[info.id] = info.hs_id
        if info.parent_id:
            parents.add(info.parent_id)
    for infos in clauses.values():
        for info in infos:
            info.is_leaf = info.id not in parents
    required: dict[int, list[dict[str, Any]]] = defaultdict(list)
    required_kind: dict[int, str] = {}
    for pk, clause_id, code, title, kind in RequiredInformation.objects.values_list(
        "pk", "clause_id", "code", "title", "kind"
    ):
        required[clause_id].append({"id": pk, "code": code, "title": title, "kind": kind})
        required_kind[pk] = kind
    hs_numbers = dict(HarmonizedClause.objects.values_list("pk", "number"))
    by_id = {info.id: info for infos in clauses.values() for info in infos}
    retain_on_hs: dict[tuple[int, str], list[int]] = defaultdict(list)
    for clause_id, items in required.items():
        node = by_id.get(clause_id)
        while node is not None and not node.hs_id:  # a sub-clause sits on its parent's HS
            node = by_id.get(node.parent_id or 0)
        if node is not None and node.hs_id:
            place = (node.edition_id, hs_numbers[node.hs_id])
            retain_on_hs[place] += [r["id"] for r in items if r["kind"] == "retain"]
    themes: dict[int, list[Theme]] = defaultdict(list)
    for theme in Theme.objects.order_by("code"):
        themes[theme.edition_id].append(theme)
    _CATALOGUE[:] = [
        Catalogue(
            key,
            dict(clauses),
            hs_of,
            dict(required),
            dict(themes),
            required_kind,
            dict(retain_on_hs),
        )
    ]
    return _CATALOGUE[0]


def items_evidenced(
    cat: Catalogue,
    links: list[tuple[int, int | None, str]],
    records_held: dict[str, set[int]],
) -> set[int]:
    """Which mandatory items evidence proves: the rule of which evidence satisfies which item.

    - A link counts for the standard of its clause only (evidence of one discipline never
      proves another's item: the same object proves it once linked there too).
    - A link naming an item proves that item, when the object is of its kind (a document for
      a document to maintain, a record for a record to retain); a link naming none proves its
      own clause's items of its kind.
    - Records other modules keep themselves (`records_held`: HS clause number -> edition ids,
      e.g. signed audit reports on 9.2.2) prove the retain items on that HS clause.

    `links` are (clause id, named item id, documented-information kind) of valid evidence.
    """
    proven: set[int] = set()
    for clause_id, required_id, kind in links:
        if required_id is not None:
            if cat.required_kind.get(required_id) == kind:
                proven.add(required_id)
            continue
        proven.update(r["id"] for r in cat.required.get(clause_id, []) if r["kind"] == kind)
    for hs_number, editions in records_held.items():
        for edition_id in editions:
            proven.update(cat.retain_on_hs.get((edition_id, hs_number), []))
    return proven


def soa_held(data: "OrgData", org_standard: OrgStandard) -> bool:
    """pdca holds the standard's Statement of Applicability: every Annex A control decided and,
    once a module keeps approved revisions (the risks app), one approved."""
    controls = [i for i in data.clauses.get(org_standard.edition_id, []) if i.kind == "control"]
    if data.soa_approved is not None and org_standard.id not in data.soa_approved:
        return False  # a module keeps the Statement's approved revisions: none is approved
    return bool(controls) and all((org_standard.id, i.id) in data.soa for i in controls)


def required_present(
    data: "OrgData", org_standard: OrgStandard, info: ClauseInfo, req: dict[str, Any]
) -> bool:
    """Is this mandatory item of the standard present (see `items_evidenced`)?"""
    if req["id"] in data.items_evidenced:
        return True
    return req["code"] == SOA_ITEM_CODE and soa_held(data, org_standard)


def load(organization: Any, org_standards: list[OrgStandard] | None = None) -> OrgData:
    if org_standards is None:
        org_standards = list(
            OrgStandard.objects.filter(organization=organization)
            .exclude(status=OrgStandard.Status.WITHDRAWN)
            .select_related("edition__standard")
        )
    cat = catalogue([os.edition for os in org_standards])
    confirmed: dict[int, set[int]] = defaultdict(set)
    for assessment_id, os_id in AssessmentConfirmation.objects.filter(
        assessment__organization=organization
    ).values_list("assessment_id", "org_standard_id"):
        confirmed[assessment_id].add(os_id)
    assessments = {}
    for (
        pk,
        hs_id,
        clause_id,
        status,
        owner_id,
        name,
        email,
        target,
        version,
    ) in Assessment.objects.filter(organization=organization).values_list(
        "id",
        "hs_id",
        "clause_id",
        "status",
        "owner_id",
        "owner__full_name",
        "owner__email",
        "target_date",
        "version",
    ):
        key = ("hs", hs_id) if hs_id else ("clause", clause_id)
        assessments[key] = AssessmentInfo(
            pk,
            status,
            owner_id,
            name or email or "",
            target,
            version,
            frozenset(confirmed.get(pk, ())) if hs_id else frozenset(),
        )
    kind_cts = _kind_content_types()
    evidence: dict[tuple[str, int], int] = defaultdict(int)
    evidence_by_clause: dict[int, int] = defaultdict(int)
    valid_links: list[tuple[int, int | None, str]] = []
    link_counts = list(
        EvidenceLink.objects.filter(organization=organization)
        .values_list("clause_id", "content_type_id", "required_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    valid_evidence: set[tuple[str, int]] = set()
    for clause_id, ct_id, required_id, n in link_counts:
        hs = cat.hs_of.get(clause_id)
        key = ("hs", hs) if hs else ("clause", clause_id)
        evidence[key] += n
        evidence_by_clause[clause_id] += n
        if ct_id not in kind_cts or not _has_validity(kind_cts[ct_id][1]):
            valid_evidence.add(key)  # nothing makes such an object invalid
        if ct_id in kind_cts and not _has_validity(kind_cts[ct_id][1]):
            valid_links.append((clause_id, required_id, kind_cts[ct_id][0]))
    linked = {ct_id for _, ct_id, _, _ in link_counts}
    for clause_id, required_id, ct_id in _valid_kind_links(
        organization, {k: v for k, v in kind_cts.items() if k in linked}
    ):
        valid_links.append((clause_id, required_id, kind_cts[ct_id][0]))
        valid_evidence.add(_key(cat, clause_id))
    records_held = {hs: editions(organization) for hs, editions in RECORD_SOURCES.items()}
    audited: set[tuple[str, int]] = set()
    audited_clauses: set[int] | None = None
    if any(a.status == VERIFIED for a in assessments.values()):  # only "verified" needs it
        open_ncs = {_key(cat, c) for c in open_nonconformity_clause_ids(organization)}
        audited_clauses = audited_clause_ids(organization)
        audited = {_key(cat, c) for c in audited_clauses} - open_ncs
    exclusions = {
        (os_id, c_id): why
        for os_id, c_id, why in Exclusion.objects.filter(
            organization=organization, is_active=True
        ).values_list("org_standard_id", "clause_id", "justification")
    }
    soa: dict[tuple[int, int], dict[str, Any]] = {
        (e["org_standard_id"], e["clause_id"]): dict(e)
        for e in SoAEntry.objects.filter(organization=organization).values(
            "id", "org_standard_id", "clause_id", "applicable", "justification", "version"
        )
    }
    return OrgData(
        org_standards,
        cat.clauses,
        assessments,
        evidence,
        items_evidenced(cat, valid_links, records_held),
        exclusions,
        soa,
        cat.required,
        cat.themes,
        valid_evidence=valid_evidence,
        audited=audited,
        audited_clauses=audited_clauses,
        evidence_by_clause=dict(evidence_by_clause),
        soa_approved=soa_approved(organization),
    )


def _key(cat: Catalogue, clause_id: int) -> tuple[str, int]:
    hs = cat.hs_of.get(clause_id)
    return ("hs", hs) if hs else ("clause", clause_id)


def verified_basis_for(organization: Any, clause: Clause) -> str:
    """What setting `clause` to verified would rest on: "audit", "evidence" or "".

    The same rule as `OrgData.verified_basis`, for one clause (the assessment service asks it
    before it accepts "verified"): a closed internal audit naming the clause with no open
    nonconformity on it, or at least one valid evidence link. An HS clause is assessed once,
    so any clause sharing its HS clause counts.
    """
    ids = (
        list(Clause.objects.filter(hs_id=clause.hs_id).values_list("pk", flat=True))
        if clause.hs_id
        else [clause.pk]
    )
    if audited_clause_ids(organization, ids) - open_nonconformity_clause_ids(organization, ids):
        return "audit"
    links = EvidenceLink.objects.filter(organization=organization, clause_id__in=ids)
    kind_cts = _kind_content_types()
    for ct_id in set(links.values_list("content_type_id", flat=True)):
        ct = kind_cts[ct_id][1] if ct_id in kind_cts else None
        valid = EVIDENCE_VALIDITY.get(f"{ct.app_label}.{ct.model}") if ct else None
        model = ct.model_class() if ct else None
        if valid is None or model is None:
            return "evidence"
        with scope(organization=organization):
            ok = model._default_manager.filter(valid, pk=OuterRef("object_id"))
        if links.filter(content_type_id=ct_id).filter(Exists(ok)).exists():
            return "evidence"
    return ""


def mandatory_item_present(
    data: OrgData, org_standard: OrgStandard, clause: ClauseInfo, item: dict[str, Any]
) -> bool:
    """Whether the organization holds a required documented-information item, current.

    The one place that decides it (readiness, the gap analysis and the stage 1 checklist all
    ask here): valid evidence of the item's kind (a document to maintain, a record to retain)
    linked to the clause; "valid" is the kind's registered filter (an effective document, a
    record not disposed of), so an obsolete document or a disposed record does not count.
    """
    return required_present(data, org_standard, clause, item)


SECTION_TITLES: dict[str, Any] = {
    "4": gettext_lazy("Context"),
    "5": gettext_lazy("Leadership"),
    "6": gettext_lazy("Planning"),
    "7": gettext_lazy("Support"),
    "8": gettext_lazy("Operation"),
    "9": gettext_lazy("Performance evaluation"),
    "10": gettext_lazy("Improvement"),
}


def _count_for_owner(counts: dict[int, int], assessment: AssessmentInfo) -> None:
    if assessment.owner_id:
        counts[assessment.owner_id] = counts.get(assessment.owner_id, 0) + 1


def compute(data: OrgData, org_standard: OrgStandard) -> Readiness:
    result = Readiness(org_standard)
    infos = data.clauses.get(org_standard.edition_id, [])
    sections: dict[str, Part] = {}
    titles = {i.number: i.title for i in infos if i.depth == 0 and i.kind == "clause"}
    themes = {t.pk: Part(t.code, t.title) for t in data.themes.get(org_standard.edition_id, [])}
    not_applicable = data.not_applicable_map(org_standard)
    for info in infos:
        why = not_applicable.get(info.id)
        missing_required = []
        for req in data.required.get(info.id, []):
            # A clause that does not apply demands no documented information.
            present = why is None and mandatory_item_present(data, org_standard, info, req)
            result.required.append(
                RequiredRow(
                    info.id,
                    info.number,
                    req["code"],
                    req["title"],
                    req["kind"],
                    present,
                    _("not required: not applicable") if why is not None else "",
                )
            )
            if not present and why is None:
                missing_required.append(req["title"])
        if missing_required:
            _count_for_owner(result.missing_by_owner, data.assessment(info, org_standard))
        if not info.is_leaf:
            continue
        if info.kind == "control" and (org_standard.id, info.id) not in data.soa:
            result.soa_undecided += 1
            _count_for_owner(result.undecided_by_owner, data.assessment(info, org_standard))
        if why is not None:
            result.excluded.append((info, why))
            continue
        assessment = data.assessment(info, org_standard)
        if assessment.unconfirmed_status:
            result.unconfirmed += 1
        status = assessment.status
        if status == VERIFIED:
            basis = data.verified_basis(info)
            if basis == "audit":
                result.verified_by_audit += 1
            elif basis == "evidence":
                result.verified_by_evidence += 1
            else:
                result.verified_unsupported += 1
                status = S.IMPLEMENTED.value
        weight = WEIGHTS[status]
        result.counted += 1
        result.points += weight
        result.by_status[status] += 1
        if info.kind == "clause":
            part = sections.setdefault(
                info.section,
                Part(
                    info.section,
                    titles.get(info.section) or SECTION_TITLES.get(info.section, ""),
                ),
            )
        else:
            part = themes[info.theme_id] if info.theme_id in themes else Part("?", "")
        part.counted += 1
        part.points += weight
        if weight < WEIGHTS[S.IMPLEMENTED] or missing_required:
            result.gaps.append(
                GapRow(
                    info,
                    status,
                    assessment.owner_name,
                    assessment.target_date,
                    missing_required,
                )
            )
    result.sections = sorted(sections.values(), key=lambda p: int(p.code or 0))
    result.themes = list(themes.values())
    # What blocks certification first: missing mandatory documented information, then the
    # management-system clauses (an auditor cannot certify without them), least progressed
    # first, then Annex A controls.
    result.gaps.sort(
        key=lambda g: (
            0 if g.missing_required else 1,
            0 if g.clause.kind == "clause" else 1,
            WEIGHTS[g.status],
        )
    )  # stable: ties stay in clause order
    return result


def readiness(
    organization: Any, org_standards: list[OrgStandard] | None = None, *, gates: bool = True
) -> list[Readiness]:
    """Readiness of every chosen standard (withdrawn ones aside), with its stage 1 checklist,
    in a fixed number of queries per standard."""
    from pdca.standards.gates import GateContext, run_gates

    data = load(organization, org_standards)
    results = [compute(data, os) for os in data.org_standards]
    if gates:
        shared: dict[str, Any] = {}  # organization-wide figures, read once for all standards
        for result in results:
            result.gates = run_gates(
                GateContext(organization, result.org_standard, result, data, shared)
            )
    return results

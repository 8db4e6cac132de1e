"""Reads of the standards app: the gap analysis of a standard, processes, roadmap, attention."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from pdca.core.access import visible_rows
from pdca.core.attention import Attention, capped_count
from pdca.core.permissions import can
from pdca.standards.models import (
    Clause,
    EvidenceLink,
    OrgStandard,
    Process,
    RequiredInformation,
    RoadmapAction,
)
from pdca.standards.registry import EVIDENCE_KINDS, EVIDENCE_LABEL_RELATED
from pdca.standards.selectors.readiness import (
    STATUS_LABELS,
    AssessmentInfo,
    ClauseInfo,
    OrgData,
    Readiness,
    compute,
    load,
)


@dataclass
class GapLine:
    clause: ClauseInfo
    assessment: AssessmentInfo
    evidence: int
    not_applicable: str | None
    soa: dict[str, Any] | None
    required: int
    unsupported: bool = False  # verified with neither audit nor evidence: counts as implemented

    @property
    def status_label(self) -> str:
        if self.not_applicable:
            return _("Not applicable")
        if self.unsupported:
            return _("Verified, counted as implemented (no audit or evidence)")
        return str(STATUS_LABELS[self.assessment.status])

    @property
    def status_badge(self) -> str:
        if self.not_applicable:
            return "muted"
        return {
            "verified": "ok",
            "implemented": "ok",
            "partly": "warn",
            "planned": "info",
        }.get(self.assessment.status, "danger")


def gap_analysis(
    org_standard: OrgStandard,
    *,
    section: str = "",
    status: str = "",
    owner: int | None = None,
    query: str = "",
    need: str = "",
) -> tuple[list[GapLine], Readiness, OrgData]:
    """Every clause (and control) of one chosen standard, with its shared assessment, evidence
    count and applicability; filtered; plus the standard's readiness. Fixed number of queries.

    `need`: "missing" keeps the clauses whose mandatory documented information is missing,
    "undecided" the controls without an applicability decision (the dashboard's cards)."""
    data = load(org_standard.organization, [org_standard])
    result = compute(data, org_standard)
    required_count: dict[int, int] = {}
    for row in result.required_applicable:
        required_count[row.clause_id] = required_count.get(row.clause_id, 0) + 1
    missing = result.missing_clause_ids
    lines = []
    query = query.lower().strip()
    themes = {t.pk: t.code for t in data.themes.get(org_standard.edition_id, [])}
    for info in data.clauses.get(org_standard.edition_id, []):
        assessment = data.assessment(info, org_standard)
        why = data.not_applicable(org_standard, info)
        if section:
            where = themes.get(info.theme_id or 0, "") if info.kind == "control" else info.section
            if where != section:
                continue
        if status and (("na" if why else assessment.status) != status or not info.is_leaf):
            continue
        if owner and assessment.owner_id != owner:
            continue
        if query and query not in f"{info.number} {info.title}".lower():
            continue
        if need == "missing" and info.id not in missing:
            continue
        if need == "undecided" and not (
            info.kind == "control" and info.is_leaf and (org_standard.pk, info.id) not in data.soa
        ):
            continue
        lines.append(
            GapLine(
                info,
                assessment,
                data.evidence_by_clause.get(info.id, 0),
                why,
                data.soa.get((org_standard.pk, info.id)),
                required_count.get(info.id, 0),
                assessment.status == "verified" and not data.verified_basis(info),
            )
        )
    return lines, result, data


def stage1_checklist(organization: Any, edition: Any) -> list[Any]:
    """The stage 1 readiness gates (`gates.CheckedGate`) of the organization's chosen
    `edition`, or [] when the standard is not chosen. Other modules call this."""
    from pdca.standards.selectors.readiness import readiness

    org_standard = (
        OrgStandard.objects.filter(organization=organization, edition=edition)
        .select_related("edition__standard")
        .first()
    )
    if org_standard is None:
        return []
    return readiness(organization, [org_standard])[0].gates


def chosen_standards(organization: Any) -> QuerySet[OrgStandard]:
    return OrgStandard.objects.filter(organization=organization).select_related("edition__standard")


def clauses_by_reference(organization: Any, refs: list[str]) -> list[Clause]:
    """ "9001:4.3"-style references as clauses of the editions the organization has chosen
    (another edition of the same standard, such as a draft of the next one, is never meant)."""
    chosen = OrgStandard.objects.filter(organization=organization).values("edition_id")
    found = []
    for ref in refs:
        code, number = ref.split(":")
        clause = Clause.objects.filter(
            edition_id__in=chosen, edition__standard__code__icontains=code, number=number
        ).first()
        if clause is not None:
            found.append(clause)
    return found


def sharing_standards(organization: Any, clause: Clause) -> list[tuple[OrgStandard, Clause]]:
    """The organization's standards that share this clause's HS clause (and so its assessment)."""
    if not clause.hs_id:
        return []
    clauses = {
        c.edition_id: c
        for c in Clause.objects.filter(hs_id=clause.hs_id).exclude(pk=clause.pk).order_by("-depth")
    }
    return [
        (os, clauses[os.edition_id])
        for os in chosen_standards(organization)
        if os.edition_id in clauses
    ]


def evidence_for(organization: Any, clause: Clause) -> QuerySet[EvidenceLink]:
    """Evidence for a clause: links to it and, for an HS clause, to every clause sharing it
    (those of other standards count here only once linked here too)."""
    where = Q(clause__hs_id=clause.hs_id) if clause.hs_id else Q(clause=clause)
    return (
        EvidenceLink.objects.filter(where, organization=organization)
        .select_related("content_type", "clause__edition", "clause__hs", "required__clause")
        .order_by("-created_at")
    )


EVIDENCE_CHOICES_SHOWN = 50  # per kind of object, most recent first (twenty kinds: a long list)


def evidence_models() -> list[str]:
    """The models whose objects may be linked as evidence: processes, and every kind of
    documented information another module registered (documents, records)."""
    return ["standards.process", *sorted(set().union(*EVIDENCE_KINDS.values()))]


def evidence_choices(organization: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the clause page offers to link, grouped by kind: ("app.model:pk", label)."""
    groups = []
    for name in evidence_models():
        model = django_apps.get_model(name)
        with scope(organization=organization):
            qs = model._default_manager.filter(organization=organization)
            if name == "standards.process":
                qs = qs.filter(is_active=True)
            related = EVIDENCE_LABEL_RELATED.get(name, ())
            if related:  # (select_related() with no names would join every relation)
                qs = qs.select_related(*related)
            rows = list(qs.order_by("-pk")[:EVIDENCE_CHOICES_SHOWN])
        if rows:
            label = str(model._meta.verbose_name_plural).capitalize()
            groups.append((label, [(f"{name}:{o.pk}", str(o)[:120]) for o in rows]))
    return groups


def evidence_object(organization: Any, value: str) -> Any:
    """The object a link form's "app.model:pk" names, in this organization, or None."""
    name, _sep, pk = value.partition(":")
    if name not in evidence_models() or not pk.isdigit():
        return None
    model = django_apps.get_model(name)
    with scope(organization=organization):
        return model._default_manager.filter(organization=organization, pk=int(pk)).first()


def items_of(clause: Clause) -> QuerySet[RequiredInformation]:
    """The mandatory items of a clause and of its sub-clauses: what a link there may prove."""
    return (
        RequiredInformation.objects.filter(clause__edition_id=clause.edition_id)
        .filter(Q(clause=clause) | Q(clause__number__startswith=clause.number + "."))
        .select_related("clause")
        .order_by("clause__sort_key", "code")
    )


def processes(
    membership: Any, *, query: str = "", owner: int | None = None, category: str = ""
) -> QuerySet[Process]:
    """The processes the member may see (standards.policies), filtered."""
    qs = (
        visible_rows(membership, Process)
        .select_related("owner")
        .annotate(
            n_interactions=Count("interacts_with", distinct=True),
            n_clauses=Count("clauses", distinct=True),
        )
    )
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if owner:
        qs = qs.filter(owner_id=owner)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-is_active", "code", "name")


def roadmap_actions(
    organization: Any, *, status: str = "open", owner: int | None = None, overdue: bool = False
) -> QuerySet[RoadmapAction]:
    """The roadmap's actions, filtered: what the roadmap shows and its dashboard cards count."""
    qs = RoadmapAction.objects.filter(organization=organization)
    if status == "open":
        qs = qs.filter(status__in=[RoadmapAction.Status.OPEN, RoadmapAction.Status.IN_PROGRESS])
    elif status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate())
    return qs


def roadmap_by_month(
    organization: Any, *, status: str = "open", owner: int | None = None, overdue: bool = False
) -> "OrderedDict[datetime.date, list[RoadmapAction]]":
    qs = roadmap_actions(organization, status=status, owner=owner, overdue=overdue)
    qs = qs.select_related("owner", "clause__edition")
    months: OrderedDict[datetime.date, list[RoadmapAction]] = OrderedDict()
    for action in qs.order_by("due_on", "pk")[:500]:
        months.setdefault(action.due_on.replace(day=1), []).append(action)
    return months


# The gap-analysis statuses at which a clause's owner has nothing left to do.
DONE_STATUSES = ("verified", "na", "implemented")


def my_open_clauses(organization: Any, user: Any) -> QuerySet[Any]:
    """The gap-analysis clauses this person owns that are not yet implemented."""
    from pdca.standards.models import Assessment

    return Assessment.objects.filter(organization=organization, owner=user).exclude(
        status__in=DONE_STATUSES
    )


def standards_attention(membership: Any) -> list[Attention]:
    """Overdue roadmap actions, the user's own open actions and the clauses assigned to them;
    each card counts what the page it opens lists."""
    if not can(membership, "standards.view"):
        return []
    org, user = membership.organization, membership.user
    roadmap = reverse("standards:roadmap", kwargs={"org": org.slug})
    items = []
    if can(membership, "standards.manage_roadmap"):
        overdue = capped_count(roadmap_actions(org, overdue=True))
        if overdue:
            items.append(
                Attention(
                    _("Overdue roadmap actions"),
                    roadmap + "?overdue=1",
                    overdue,
                    "danger",
                    module="standards",
                )
            )
    mine = roadmap_actions(org, owner=user.pk).count()
    if mine:
        items.append(
            Attention(
                _("Your roadmap actions"),
                roadmap + "?mine=1",
                mine,
                "warning",
                module="standards",
            )
        )
    assigned = my_open_clauses(org, user).count()
    if assigned:
        items.append(
            Attention(
                _("Clauses assigned to you"),
                reverse("standards:home", kwargs={"org": org.slug}) + "?mine=1",
                assigned,
                "info",
                detail=_("Gap-analysis clauses you own that are not yet implemented"),
                module="standards",
            )
        )
    return items

"""Reads of the people module: the people a member may see, a person's profile and the
competence matrix (people × the competences their job roles require).

The matrix costs the same few queries however many people and competences it shows: the
people of the page, their job roles, those roles' requirements, the people's records of those
competences and their planned training are each read once, and the cells are worked out here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pdca.core.access import visible_rows
from pdca.core.attention import Attention
from pdca.core.dates import add_months
from pdca.core.models import Membership
from pdca.core.roles import Role
from pdca.people.models import (
    Attendance,
    CompetenceRecord,
    JobAssignment,
    Level,
    Person,
    RecordStatus,
    Requirement,
    SessionStatus,
)

EXPIRING_DAYS = 30


class Cell:
    """The state of one person's required competence."""

    MET = "met"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    IN_TRAINING = "in_training"
    MISSING = "missing"
    NOT_REQUIRED = "not_required"

    LABELS = {
        MET: _("Competent"),
        EXPIRING: _("Competent, expiring soon"),
        EXPIRED: _("Expired"),
        IN_TRAINING: _("In training"),
        MISSING: _("Missing"),
        NOT_REQUIRED: _("Not required"),
    }
    UP_TO_DATE = (MET, EXPIRING, NOT_REQUIRED)
    BADGES = {
        MET: "ok",
        EXPIRING: "warn",
        EXPIRED: "danger",
        IN_TRAINING: "info",
        MISSING: "danger",
        NOT_REQUIRED: "muted",
    }


def visible_people(membership: Membership) -> QuerySet[Person]:
    """The people `membership` may see (the policy's visibility rule), with what lists show."""
    return visible_rows(membership, Person).select_related(
        "membership__user", "membership__department", "site"
    )


def record_expiry(
    achieved_on: datetime.date, valid_until: datetime.date | None, renewal_months: int | None
) -> datetime.date | None:
    """When a record stops counting for a requirement: its own expiry, or the requirement's
    renewal interval from when it was achieved, whichever comes first."""
    renewal = add_months(achieved_on, renewal_months) if renewal_months else None
    dates = [d for d in (valid_until, renewal) if d is not None]
    return min(dates) if dates else None


@dataclass
class MatrixCell:
    state: str
    level: int | None = None
    until: datetime.date | None = None
    required_level: int | None = None

    @property
    def label(self) -> str:
        return str(Cell.LABELS[self.state])

    @property
    def badge(self) -> str:
        return Cell.BADGES[self.state]

    @property
    def required_label(self) -> str:
        return str(Level(self.required_level).label) if self.required_level else ""


@dataclass
class MatrixRow:
    person: Person
    job_roles: list[str]
    cells: list[MatrixCell]
    competences: list[Any] = field(default_factory=list)
    awareness: Any = None  # the person's `Awareness`, where the page shows it

    @property
    def items(self) -> list[tuple[Any, MatrixCell]]:
        return list(zip(self.competences, self.cells, strict=True))

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cells if c.state not in Cell.UP_TO_DATE)


@dataclass
class Matrix:
    competences: list[Any] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)


def matrix_people(membership: Membership, data: dict[str, Any]) -> QuerySet[Person]:
    """The people the matrix lists: those the member sees who hold a job role, filtered by
    department, site, job role and competence required."""
    qs = visible_people(membership).filter(assignments__isnull=False, left_on__isnull=True)
    if data.get("department"):
        qs = qs.filter(membership__department=data["department"])
    if data.get("site"):
        qs = qs.filter(site=data["site"])
    if data.get("job_role"):
        qs = qs.filter(assignments__job_role=data["job_role"])
    if data.get("competence"):
        qs = qs.filter(assignments__job_role__requirements__competence=data["competence"])
    if data.get("q"):
        qs = qs.filter(membership__user__full_name__icontains=data["q"])
    return qs.distinct().order_by("membership__user__full_name", "pk")


def matrix(
    people: list[Person],
    competence: Any = None,
    today: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> Matrix:
    """The cells of `people` (one page of them) for the competences their job roles require
    (only `competence` when given): four queries whatever their number. With `as_of`, the
    cells as they stood at the end of that day: only the records achieved by then count."""
    today = as_of or today or timezone.localdate()
    if not people:
        return Matrix()
    ids = [p.pk for p in people]
    roles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person_id, role_id, role_name in JobAssignment.objects.filter(
        person_id__in=ids
    ).values_list("person_id", "job_role_id", "job_role__name"):
        roles[person_id].append((role_id, role_name))
    role_ids = {r for items in roles.values() for r, _name in items}
    requirements = Requirement.objects.filter(job_role_id__in=role_ids).select_related("competence")
    if competence is not None:
        requirements = requirements.filter(competence=competence)
    by_role: dict[int, list[Requirement]] = defaultdict(list)
    competences: dict[int, Any] = {}
    for req in requirements:
        by_role[req.job_role_id].append(req)
        competences[req.competence_id] = req.competence
    records: dict[tuple[int, int], list[tuple[int, datetime.date, datetime.date | None]]] = (
        defaultdict(list)
    )
    held = CompetenceRecord.objects.filter(
        person_id__in=ids, competence_id__in=list(competences), status=RecordStatus.VALID
    )
    if as_of is not None:
        held = held.filter(achieved_on__lte=as_of)
    for person_id, comp_id, level, achieved, until in held.values_list(
        "person_id", "competence_id", "level", "achieved_on", "valid_until"
    ):
        records[(person_id, comp_id)].append((level, achieved, until))
    training = set(
        Attendance.objects.filter(
            person_id__in=ids,
            session__status=SessionStatus.PLANNED,
            session__course__competences__in=list(competences),
        ).values_list("person_id", "session__course__competences")
    )
    columns = sorted(competences.values(), key=lambda c: (c.name.lower(), c.pk))
    rows = []
    for person in people:
        needed: dict[int, Requirement] = {}
        for role_id, _name in roles.get(person.pk, []):
            for req in by_role.get(role_id, []):
                known = needed.get(req.competence_id)
                if known is None or req.level > known.level:
                    needed[req.competence_id] = req
        cells = [
            _cell(
                needed.get(c.pk),
                records.get((person.pk, c.pk), []),
                (person.pk, c.pk) in training,
                today,
            )
            for c in columns
        ]
        rows.append(
            MatrixRow(person, sorted(n for _r, n in roles.get(person.pk, [])), cells, columns)
        )
    return Matrix(columns, rows)


def _cell(
    req: Requirement | None,
    records: list[tuple[int, datetime.date, datetime.date | None]],
    in_training: bool,
    today: datetime.date,
) -> MatrixCell:
    if req is None:
        return MatrixCell(Cell.NOT_REQUIRED)
    best: MatrixCell | None = None
    lapsed = False
    since = req.competence.current_since
    for level, achieved, until in records:
        if level < req.level:
            continue
        if since is not None and achieved < since:
            lapsed = True  # from before the revision that needs retraining
            continue
        expiry = record_expiry(achieved, until, req.renewal_months)
        if expiry is not None and expiry < today:
            lapsed = True
            continue
        soon = expiry is not None and expiry <= today + datetime.timedelta(days=EXPIRING_DAYS)
        cell = MatrixCell(Cell.EXPIRING if soon else Cell.MET, level, expiry, req.level)
        if best is None or (best.state == Cell.EXPIRING and cell.state == Cell.MET):
            best = cell
    if best is not None:
        return best
    if in_training:
        return MatrixCell(Cell.IN_TRAINING, required_level=req.level)
    return MatrixCell(Cell.EXPIRED if lapsed else Cell.MISSING, required_level=req.level)


def person_profile(person: Person, today: datetime.date | None = None) -> dict[str, Any]:
    """What a person's page shows: their job roles, their row of the matrix (every competence
    required), their records and their training."""
    today = today or timezone.localdate()
    row_matrix = matrix([person], today=today)
    return {
        "assignments": list(person.assignments.select_related("job_role")),
        "matrix": row_matrix,
        "row": row_matrix.rows[0] if row_matrix.rows else None,
        "records": list(
            person.competence_records.select_related("competence").order_by("-achieved_on", "-pk")
        ),
        "attendances": list(
            person.attendances.select_related("session__course", "session__trainer").order_by(
                "-session__held_on"
            )
        ),
    }


TEAM_CAP = 500  # a manager's team larger than this is counted on its first 500 people


def team(membership: Membership) -> QuerySet[Person]:
    """The people `membership` answers for: those whose line manager or head of department
    they are (not themselves)."""
    user_id = membership.user_id
    return (
        Person.objects.filter(organization=membership.organization, left_on__isnull=True)
        .filter(Q(membership__manager_id=user_id) | Q(membership__department__head_id=user_id))
        .exclude(membership=membership)
    )


def people_attention(membership: Membership) -> list[Attention]:
    """The dashboard's cards: for a manager, how many of their people are not up to date; for
    everyone, their own competences that have expired or expire within 30 days. A fixed number
    of queries (the team's matrix is four)."""
    from pdca.core.permissions import can

    if not can(membership, "people.view"):
        return []
    today = timezone.localdate()
    org = membership.organization
    cards: list[Attention] = []
    people = list(team(membership).order_by("pk")[:TEAM_CAP])
    behind = sum(1 for row in matrix(people, today=today).rows if row.gaps)
    if behind:
        cards.append(
            Attention(
                ngettext(
                    "%(n)s of your %(total)s people is not up to date",
                    "%(n)s of your %(total)s people are not up to date",
                    behind,
                )
                % {"n": behind, "total": len(people)},
                reverse("people:matrix", kwargs={"org": org.slug}),
                0,  # the matrix lists every person the manager sees, not only those behind
                "warning",
                module="people",
                icon="user-check",
            )
        )
    own = Person.objects.filter(membership=membership).first()
    pending = _own_pending_awareness(membership, own)
    if pending:
        cards.append(
            Attention(
                gettext("Awareness items for you to acknowledge"),
                reverse("people:awareness_list", kwargs={"org": org.slug}),
                len(pending),
                "warning",
                detail=", ".join(i.title for i in pending[:5]),
                module="people",
                icon="user-check",
            )
        )
    if own is not None:
        row = matrix([own], today=today).rows
        lapsed = [c for c in (row[0].cells if row else []) if c.state not in Cell.UP_TO_DATE]
        soon = [c for c in (row[0].cells if row else []) if c.state == Cell.EXPIRING]
        url = reverse("people:person", kwargs={"org": org.slug, "pk": own.pk})
        if lapsed:
            cards.append(
                Attention(
                    gettext("Competences your job roles require that you do not hold (valid)"),
                    url,
                    0,  # the profile is no list: the card says what, not how many rows
                    "danger",
                    detail=", ".join(str(c.label) for c in lapsed),
                    module="people",
                    icon="user-check",
                )
            )
        if soon:
            cards.append(
                Attention(
                    gettext("Your competences that expire within 30 days"),
                    url,
                    0,
                    "warning",
                    detail=", ".join(str(c.until) for c in soon),
                    module="people",
                    icon="user-check",
                )
            )
    return cards


def _own_pending_awareness(membership: Membership, own: Person | None) -> list[Any]:
    """The active awareness items that concern `membership` and that they have not
    acknowledged in the current round (for someone without a profile: those for everyone)."""
    from pdca.people.models import AwarenessItem

    if own is not None:
        return awareness_of(membership.organization, [own])[own.pk].pending
    if membership.has_role(Role.EXTERNAL_AUDITOR):
        return []
    return [
        i
        for i in AwarenessItem.objects.filter(
            organization=membership.organization, is_active=True
        ).prefetch_related("job_roles")
        if not i.job_roles.all()
    ]


def awareness_evidence_editions(organization: Any) -> set[int]:
    """The standards (edition ids) of the organization for which it retains evidence of
    awareness (7.3): any acknowledgement recorded; one query."""
    from django.db.models import Exists, OuterRef

    from pdca.people.models import Acknowledgement
    from pdca.standards.models import OrgStandard

    acks = Acknowledgement.objects.filter(organization=OuterRef("organization"))
    return set(
        OrgStandard.objects.filter(organization=organization)
        .filter(Exists(acks))
        .values_list("edition_id", flat=True)
    )


def competence_evidence_editions(organization: Any) -> set[int]:
    """The standards (edition ids) of the organization for which it retains evidence of
    competence (7.2 d): any competence record still valid today, of someone who has not left
    or under retention, counts; one query."""
    from django.db.models import Exists, OuterRef

    from pdca.standards.models import OrgStandard

    today = timezone.localdate()
    valid = CompetenceRecord.objects.filter(
        organization=OuterRef("organization"), status=RecordStatus.VALID
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return set(
        OrgStandard.objects.filter(organization=organization)
        .filter(Exists(valid))
        .values_list("edition_id", flat=True)
    )


# Awareness (7.3) --------------------------------------------------------------------------


def awareness_audience(item: Any) -> QuerySet[Membership]:
    """The memberships an awareness item concerns: the current internal members holding one
    of its job roles, or all of them when it names none (not those who have left)."""
    from pdca.core.assignable import assignable_memberships

    qs = assignable_memberships(item.organization_id).exclude(person__left_on__isnull=False)
    role_ids = [r.pk for r in item.job_roles.all()]
    if role_ids:
        qs = qs.filter(person__assignments__job_role__in=role_ids).distinct()
    return qs


@dataclass
class Awareness:
    """One person's awareness: the items that concern them and those they acknowledged in
    the items' current rounds."""

    items: list[Any] = field(default_factory=list)
    acknowledged: dict[int, Any] = field(default_factory=dict)  # item id -> acknowledged at

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.pk in self.acknowledged)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def pending(self) -> list[Any]:
        return [i for i in self.items if i.pk not in self.acknowledged]

    @property
    def badge(self) -> str:
        if not self.items:
            return "muted"
        return "ok" if self.done == self.total else "warn"

    @property
    def rows(self) -> list[tuple[Any, Any]]:
        return [(i, self.acknowledged.get(i.pk)) for i in self.items]


def awareness_of(organization: Any, people: list[Person]) -> dict[int, Awareness]:
    """Each person's awareness (person id -> `Awareness`), in three queries whatever the
    number of people and items: the active items with their job roles, the people's job
    roles, their acknowledgements."""
    from pdca.people.models import Acknowledgement, AwarenessItem

    if not people:
        return {}
    items = list(
        AwarenessItem.objects.filter(organization=organization, is_active=True)
        .prefetch_related("job_roles")
        .order_by("title", "pk")
    )
    if not items:
        return {p.pk: Awareness() for p in people}
    ids = [p.pk for p in people]
    held: dict[int, set[int]] = defaultdict(set)
    for person_id, role_id in JobAssignment.objects.filter(person_id__in=ids).values_list(
        "person_id", "job_role_id"
    ):
        held[person_id].add(role_id)
    rounds = {i.pk: i.round for i in items}
    targets = {i.pk: {r.pk for r in i.job_roles.all()} for i in items}
    acks: dict[tuple[int, int], Any] = {}
    for person_id, item_id, rnd, at in Acknowledgement.objects.filter(
        person_id__in=ids, item_id__in=list(rounds)
    ).values_list("person_id", "item_id", "round", "acknowledged_at"):
        if rounds[item_id] == rnd:
            acks[(person_id, item_id)] = at
    result = {}
    for person in people:
        roles = held.get(person.pk, set())
        mine = [i for i in items if not targets[i.pk] or roles & targets[i.pk]]
        result[person.pk] = Awareness(
            mine, {i.pk: acks[(person.pk, i.pk)] for i in mine if (person.pk, i.pk) in acks}
        )
    return result


@dataclass
class ItemProgress:
    item: Any
    audience: int
    acknowledged: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.audience) if self.audience else 0


def awareness_progress(organization: Any, items: list[Any]) -> list[ItemProgress]:
    """How many of the people each item concerns acknowledged its current round: four
    queries whatever the number of items and people."""
    from pdca.core.assignable import assignable_memberships
    from pdca.people.models import Acknowledgement

    if not items:
        return []
    members = set(
        assignable_memberships(organization)
        .exclude(person__left_on__isnull=False)
        .values_list("pk", flat=True)
    )
    role_ids = {r.pk for i in items for r in i.job_roles.all()}
    by_role: dict[int, set[int]] = defaultdict(set)
    for role_id, membership_id in JobAssignment.objects.filter(
        job_role_id__in=role_ids
    ).values_list("job_role_id", "person__membership_id"):
        if membership_id in members:
            by_role[role_id].add(membership_id)
    acked: dict[int, set[int]] = defaultdict(set)
    rounds = {i.pk: i.round for i in items}
    for item_id, rnd, membership_id in Acknowledgement.objects.filter(
        item_id__in=list(rounds)
    ).values_list("item_id", "round", "person__membership_id"):
        if rounds[item_id] == rnd:
            acked[item_id].add(membership_id)
    out = []
    for item in items:
        roles = [r.pk for r in item.job_roles.all()]
        audience = set().union(*(by_role[r] for r in roles)) if roles else members
        out.append(ItemProgress(item, len(audience), len(acked[item.pk] & audience)))
    return out


def auditor_qualifications(*, organization: Any, users: list[Any], on: datetime.date) -> list[Any]:
    """The audits app's question (`audits.qualification`): which of `users` hold no valid
    record, on `on`, of a competence marked as the internal auditor qualification ("missing")
    or only lapsed ones ("expired"). Nothing when the organization marks no such competence.
    Two queries."""
    from pdca.audits.qualification import EXPIRED, MISSING, AuditorQualification
    from pdca.people.models import Competence

    marked = list(
        Competence.objects.filter(
            organization=organization, is_auditor_qualification=True, is_active=True
        ).values_list("pk", flat=True)
    )
    if not marked:
        return []
    ids = [u.pk for u in users]
    valid: set[int] = set()
    lapsed: set[int] = set()
    for user_id, until in CompetenceRecord.objects.filter(
        organization=organization,
        competence_id__in=marked,
        status=RecordStatus.VALID,
        person__membership__user_id__in=ids,
        achieved_on__lte=on,
    ).values_list("person__membership__user_id", "valid_until"):
        (valid if until is None or until >= on else lapsed).add(user_id)
    out = []
    for user in users:
        if user.pk in valid:
            continue
        if user.pk in lapsed:
            message = gettext(
                "%(user)s's internal auditor qualification has expired: it is not valid on %(day)s."
            ) % {"user": user, "day": on}
            out.append(AuditorQualification(user.pk, EXPIRED, message))
        else:
            message = gettext("%(user)s holds no internal auditor qualification.") % {"user": user}
            out.append(AuditorQualification(user.pk, MISSING, message))
    return out

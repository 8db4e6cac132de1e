"""Every write to people, job roles, the competence catalogue, competence records and training.

Each service checks the policy, the organization of what it links and the people it puts in
charge, runs in one transaction and records one trail entry (through `core.updating`).
Competence records and attendance are records in the sense of 7.5.3: never deleted, corrected
with a reason or withdrawn with a reason. A passed attendance is itself the evidence of the
competences its course teaches: it creates their competence records.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.dates import add_months
from pdca.core.models import Membership, Organization, User
from pdca.core.updating import (
    check_same_organization,
    model_create,
    model_save,
    model_transition,
    model_update,
)
from pdca.people import notifications
from pdca.people.models import (
    Acknowledgement,
    Attendance,
    AwarenessItem,
    AwarenessKind,
    Competence,
    CompetenceRecord,
    Course,
    Effectiveness,
    Evidence,
    JobAssignment,
    JobRole,
    Level,
    Person,
    RecordStatus,
    Requirement,
    Result,
    SessionStatus,
    TrainingSession,
)

PERSON_FIELDS = ("site", "start_date", "left_on")
JOB_ROLE_FIELDS = ("name", "description", "department", "is_active")
COMPETENCE_FIELDS = (
    "name",
    "kind",
    "description",
    "retrain_on_revision",
    "is_auditor_qualification",
    "is_active",
    "documents",
    "clauses",
)
REQUIREMENT_FIELDS = ("job_role", "competence", "level", "shown_by", "renewal_months")
RECORD_FIELDS = ("evidence", "level", "achieved_on", "valid_until", "reference", "notes")
COURSE_FIELDS = (
    "title",
    "method",
    "duration_hours",
    "level",
    "validity_months",
    "is_active",
    "competences",
)
SESSION_FIELDS = ("course", "held_on", "trainer", "place", "evaluate_on")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _not_in_future(field: str, day: datetime.date | None, today: datetime.date) -> None:
    if day is not None and day > today:
        raise ValidationError({field: _("This date lies in the future.")})


def _level(value: Any, field: str = "level") -> int:
    """A level of the scale, or the refusal on `field` (a level that does not exist)."""
    if isinstance(value, bool) or value not in Level.values:
        raise ValidationError(
            {field: _("Choose one of the levels: aware, trained, competent, can train others.")}
        )
    return int(value)


# People ---------------------------------------------------------------------------------


def person_for(*, actor: User | None, membership: Membership) -> Person:
    """The person of `membership`, created (and recorded) the first time it is needed."""
    existing = Person.objects.filter(membership=membership).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        return model_create(
            model=Person,
            organization=membership.organization,
            actor=actor,
            fields={},
            allowed=PERSON_FIELDS,
            defaults={"membership": membership},
            action="people.person.created",
        )


def person_update(
    *, actor: User, person: Person, expected_version: int | None, **values: Any
) -> Person:
    """Change a person's site, start date or the date they left (their records stay)."""
    organization = person.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.assign")
    check_same_organization(organization, "site", values.get("site"))
    return model_update(
        instance=person,
        actor=actor,
        fields=values,
        allowed=PERSON_FIELDS,
        expected_version=expected_version,
        action="people.person.updated",
    )[0]


# Job roles ------------------------------------------------------------------------------


def job_role_save(
    *,
    actor: User,
    organization: Organization,
    job_role: JobRole | None = None,
    version: int | None = None,
    **values: Any,
) -> JobRole:
    """Create a job role, or change one (its `version` is required)."""
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    check_same_organization(organization, "department", values.get("department"))
    return model_save(
        model=JobRole,
        instance=job_role,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=JOB_ROLE_FIELDS,
        expected_version=version,
        action="people.jobrole",
    )


def job_assign(
    *,
    actor: User,
    membership: Membership,
    job_role: JobRole,
    since: datetime.date | None,
    today: datetime.date | None = None,
) -> JobAssignment:
    """Give a member a job role (a person holds each job role once)."""
    organization = membership.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.assign")
    check_same_organization(organization, "job_role", job_role)
    if not job_role.is_active:
        raise ValidationError({"job_role": _("This job role is no longer in use.")})
    if since is None:
        raise ValidationError({"since": _("Give the date they took up the job role.")})
    with transaction.atomic():
        person = person_for(actor=actor, membership=membership)
        if JobAssignment.objects.filter(person=person, job_role=job_role).exists():
            raise ValidationError(
                {"job_role": _("%(person)s already holds this job role.") % {"person": person}}
            )
        return model_create(
            model=JobAssignment,
            organization=organization,
            actor=actor,
            fields={"job_role": job_role, "since": since},
            allowed=("job_role", "since"),
            defaults={"person": person},
            action="people.assignment.created",
        )


def job_unassign(*, actor: User, assignment: JobAssignment, reason: str) -> None:
    """Take a job role from a person; the trail keeps who held it since when. Their
    competence records stay (they are records, not part of the job role)."""
    organization = assignment.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.assign")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the job role ends.")})
    with transaction.atomic():
        locked = JobAssignment.objects.select_for_update(no_key=True).get(pk=assignment.pk)
        trail.record(
            action="people.assignment.ended",
            actor=actor,
            organization=organization,
            obj=locked.person,
            changes={
                "job_role": [trail.jsonable(locked.job_role), None],
                "since": [trail.jsonable(locked.since), None],
            },
            reason=reason,
        )
        locked.delete()


# The competence catalogue ---------------------------------------------------------------


def competence_save(
    *,
    actor: User,
    organization: Organization,
    competence: Competence | None = None,
    version: int | None = None,
    documents: Iterable[Any] | None = None,
    clauses: Iterable[Any] | None = None,
    **values: Any,
) -> Competence:
    """Create a competence of the catalogue, or change one; optionally tied to documents (of
    this organization) and to clauses."""
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    related: dict[str, list[Any]] = {}
    if documents is not None:
        related["documents"] = list(documents)
        check_same_organization(organization, "documents", related["documents"])
    if clauses is not None:
        related["clauses"] = list(clauses)
    return model_save(
        model=Competence,
        instance=competence,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=COMPETENCE_FIELDS,
        expected_version=version,
        action="people.competence",
        related=related,
    )


def requirement_save(
    *,
    actor: User,
    organization: Organization,
    requirement: Requirement | None = None,
    version: int | None = None,
    **values: Any,
) -> Requirement:
    """Require a competence of a job role at a level, shown in a way, renewed every N months
    (or change such a requirement)."""
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    for name in ("job_role", "competence"):
        check_same_organization(organization, name, values.get(name))
    if "level" in values:
        values["level"] = _level(values["level"])
    months = values.get("renewal_months")
    if months is not None and not 1 <= months <= 240:
        raise ValidationError(
            {"renewal_months": _("Renew at most every 240 months, or leave it empty.")}
        )

    def unique(row: Requirement) -> None:
        clash = Requirement.objects.filter(
            job_role_id=row.job_role_id, competence_id=row.competence_id
        ).exclude(pk=row.pk)
        if clash.exists():
            raise ValidationError(
                {"competence": _("This job role already requires this competence.")}
            )

    return model_save(
        model=Requirement,
        instance=requirement,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=REQUIREMENT_FIELDS,
        expected_version=version,
        action="people.requirement",
        validate=unique,
    )


def requirement_remove(*, actor: User, requirement: Requirement, reason: str) -> None:
    """A job role no longer requires a competence (the records of it stay)."""
    organization = requirement.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the requirement is removed.")})
    with transaction.atomic():
        locked = Requirement.objects.select_for_update(no_key=True).get(pk=requirement.pk)
        trail.record(
            action="people.requirement.removed",
            actor=actor,
            organization=organization,
            obj=locked.job_role,
            changes={"competence": [trail.jsonable(locked.competence), None]},
            reason=reason,
        )
        locked.delete()


# Competence records ---------------------------------------------------------------------


def competence_record_create(
    *,
    actor: User,
    membership: Membership,
    competence: Competence,
    evidence: str,
    level: Any,
    achieved_on: datetime.date,
    valid_until: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
    today: datetime.date | None = None,
) -> CompetenceRecord:
    """Record that a person holds a competence: how it is shown, at which level, since when and,
    for a licence or certificate, until when."""
    organization = membership.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.record")
    check_same_organization(organization, "competence", competence)
    check_same_organization(organization, "person", membership)
    if evidence not in Evidence.values:
        raise ValidationError({"evidence": _("Choose how the competence is shown.")})
    level = _level(level)
    if achieved_on is None:
        raise ValidationError({"achieved_on": _("Give the date it was achieved.")})
    _not_in_future("achieved_on", achieved_on, _today(today))
    with transaction.atomic():
        person = person_for(actor=actor, membership=membership)
        return model_create(
            model=CompetenceRecord,
            organization=organization,
            actor=actor,
            fields={
                "evidence": evidence,
                "level": level,
                "achieved_on": achieved_on,
                "valid_until": valid_until,
                "reference": reference,
                "notes": notes,
            },
            allowed=RECORD_FIELDS,
            defaults={"person": person, "competence": competence, "recorded_by": actor},
            action="people.record.created",
        )


def competence_record_correct(
    *,
    actor: User,
    record: CompetenceRecord,
    expected_version: int | None,
    reason: str = "",
    today: datetime.date | None = None,
    **values: Any,
) -> CompetenceRecord:
    """Correct a competence record, with the reason (the trail keeps the old values)."""
    organization = record.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.record")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    if "level" in values:
        values["level"] = _level(values["level"])
    _not_in_future("achieved_on", values.get("achieved_on"), _today(today))

    def still_valid(locked: CompetenceRecord) -> None:
        if locked.status != RecordStatus.VALID:
            raise ValidationError(_("A withdrawn record cannot be corrected."))

    return model_update(
        instance=record,
        actor=actor,
        fields=values,
        allowed=RECORD_FIELDS,
        expected_version=expected_version,
        action="people.record.corrected",
        reason=reason,
        validate=still_valid,
    )[0]


def competence_record_withdraw(
    *, actor: User, record: CompetenceRecord, reason: str
) -> CompetenceRecord:
    """Withdraw a record that should not count (entered for the wrong person, a licence
    revoked): it stays, marked withdrawn with the reason."""
    ensure_allowed(actor=actor, organization=record.organization, permission="people.record")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is withdrawn.")})

    def check(locked: CompetenceRecord) -> None:
        if locked.status == RecordStatus.WITHDRAWN:
            raise ValidationError(_("This record is already withdrawn."))

    return model_transition(
        instance=record,
        actor=actor,
        action="people.record.withdrawn",
        to={"status": RecordStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
    )


# Training -------------------------------------------------------------------------------


def course_save(
    *,
    actor: User,
    organization: Organization,
    course: Course | None = None,
    version: int | None = None,
    competences: Iterable[Competence] | None = None,
    **values: Any,
) -> Course:
    """Create a course (what it teaches, to which level, how long that lasts) or change one."""
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    related: dict[str, list[Any]] = {}
    if competences is not None:
        related["competences"] = list(competences)
        check_same_organization(organization, "competences", related["competences"])
        if not related["competences"]:
            raise ValidationError({"competences": _("Name at least one competence it teaches.")})
    elif course is None:
        raise ValidationError({"competences": _("Name at least one competence it teaches.")})
    if "level" in values:
        values["level"] = _level(values["level"])
    return model_save(
        model=Course,
        instance=course,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=COURSE_FIELDS,
        expected_version=version,
        action="people.course",
        related=related,
    )


def session_plan(
    *,
    actor: User,
    course: Course,
    held_on: datetime.date,
    trainer: User,
    place: str = "",
    evaluate_on: datetime.date | None = None,
    invited: Iterable[Membership] = (),
) -> TrainingSession:
    """Plan a session of a course with its trainer and the people invited."""
    organization = course.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.record")
    check_assignable(organization, trainer, "trainer")
    if not course.is_active:
        raise ValidationError({"course": _("This course is no longer in use.")})
    if evaluate_on is not None and held_on is not None and evaluate_on <= held_on:
        raise ValidationError(
            {"evaluate_on": _("The effectiveness is evaluated some time after the session.")}
        )
    members = list(invited)
    check_same_organization(organization, "invited", members)
    if any(m.user_id == trainer.pk for m in members):
        raise ValidationError({"invited": _("The trainer cannot be one of the trainees.")})
    with transaction.atomic():
        session = model_create(
            model=TrainingSession,
            organization=organization,
            actor=actor,
            fields={
                "course": course,
                "held_on": held_on,
                "trainer": trainer,
                "place": place,
                "evaluate_on": evaluate_on,
            },
            allowed=SESSION_FIELDS,
            action="people.session.planned",
        )
        _invite(actor, session, members)
    return session


def session_invite(*, actor: User, session: TrainingSession, invited: Iterable[Membership]) -> int:
    """Invite more people to a planned session; those already invited stay as they are."""
    organization = session.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.record")
    members = list(invited)
    check_same_organization(organization, "invited", members)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Only a planned session takes more people."))
    if any(m.user_id == session.trainer_id for m in members):
        raise ValidationError({"invited": _("The trainer cannot be one of the trainees.")})
    with transaction.atomic():
        return _invite(actor, session, members)


def _invite(actor: User, session: TrainingSession, members: list[Membership]) -> int:
    if not members:
        return 0
    people = [person_for(actor=actor, membership=m) for m in members]
    known = set(session.attendances.values_list("person_id", flat=True))
    new = [p for p in people if p.pk not in known]
    users = [m.user_id for m, p in zip(members, people, strict=True) if p.pk not in known]
    Attendance.objects.bulk_create(
        [Attendance(organization=session.organization, session=session, person=p) for p in new]
    )
    if new:
        trail.record(
            action="people.session.invited",
            actor=actor,
            organization=session.organization,
            obj=session,
            changes={"people": [None, sorted(str(m.user) for m in members if m.user_id in users)]},
        )
        notifications.invited(session=session, user_ids=users)
    return len(new)


def attendance_record(
    *,
    actor: User,
    session: TrainingSession,
    membership: Membership,
    attended: bool,
    result: str = "",
    score: int | None = None,
    confirm_uninvited: bool = False,
    today: datetime.date | None = None,
) -> Attendance:
    """Record whether a person attended a held session and their result. A session in the
    future has no attendance yet; someone not invited needs `confirm_uninvited`; no one
    records their own result (a trainer is never their own trainee). Passing gives the
    competences the course teaches, at its level, valid for its validity."""
    organization = session.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.record")
    check_same_organization(organization, "person", membership)
    today = _today(today)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if session.held_on > today:
        raise ValidationError(
            {"held_on": _("The session lies in the future: record attendance once it is held.")}
        )
    if membership.user_id == actor.pk:
        raise ValidationError({"person": _("No one records their own attendance or result.")})
    if membership.user_id == session.trainer_id:
        raise ValidationError({"person": _("The trainer cannot be one of the trainees.")})
    if result and result not in Result.values:
        raise ValidationError({"result": _("Choose passed or failed.")})
    if result and not attended:
        raise ValidationError({"result": _("Only someone who attended has a result.")})
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("A score runs from 0 to 100.")})
    with transaction.atomic():
        person = person_for(actor=actor, membership=membership)
        row = (
            Attendance.objects.select_for_update(no_key=True)
            .filter(session=session, person=person)
            .first()
        )
        if row is None:
            if not confirm_uninvited:
                raise ValidationError(
                    {
                        "confirm_uninvited": _(
                            "%(person)s was not invited to this session: confirm that they "
                            "attended all the same."
                        )
                        % {"person": person}
                    }
                )
            row = Attendance.objects.create(
                organization=organization, session=session, person=person, invited=False
            )
        if hasattr(row, "competence_record") and row.competence_record is not None:
            raise ValidationError(
                _("This result is already recorded; correct its competence record instead.")
            )
        row, _changes = model_update(
            instance=row,
            actor=actor,
            fields={
                "attended": attended,
                "result": result,
                "score": score,
                "recorded_by": actor,
            },
            allowed=("attended", "result", "score", "recorded_by"),
            expected_version=row.version,
            action="people.attendance.recorded",
            record_on=session,
            context={"person": [None, str(person)]},
        )
        if session.status == SessionStatus.PLANNED:
            model_transition(
                instance=session,
                actor=actor,
                action="people.session.held",
                to={"status": SessionStatus.HELD},
            )
        if attended and result == Result.PASSED:
            _passed(actor, session, person, row)
    return row


def _passed(actor: User, session: TrainingSession, person: Person, row: Attendance) -> None:
    course = session.course
    valid_until = (
        add_months(session.held_on, course.validity_months) if course.validity_months else None
    )
    # One record per competence the course teaches; the first is tied to the attendance.
    for index, competence in enumerate(course.competences.order_by("pk")):
        model_create(
            model=CompetenceRecord,
            organization=session.organization,
            actor=actor,
            fields={
                "evidence": Evidence.TRAINING,
                "level": course.level,
                "achieved_on": session.held_on,
                "valid_until": valid_until,
                "reference": str(course)[:100],
            },
            allowed=RECORD_FIELDS,
            defaults={
                "person": person,
                "competence": competence,
                "recorded_by": actor,
                "attendance": row if index == 0 else None,
            },
            action="people.record.created",
        )


def attendance_confirm(*, actor: User, attendance: Attendance) -> Attendance:
    """The person confirms the attendance and result recorded for them."""
    ensure_allowed(
        actor=actor,
        organization=attendance.organization,
        permission="people.confirm",
        obj=attendance,
    )

    def check(locked: Attendance) -> None:
        if locked.attended is None:
            raise ValidationError(_("Nothing has been recorded to confirm yet."))
        if locked.confirmed_at is not None:
            raise ValidationError(_("You have already confirmed this."))

    return model_transition(
        instance=attendance,
        actor=actor,
        action="people.attendance.confirmed",
        to={"confirmed_at": timezone.now()},
        check=check,
    )


def session_cancel(*, actor: User, session: TrainingSession, reason: str) -> TrainingSession:
    ensure_allowed(actor=actor, organization=session.organization, permission="people.record")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the session is cancelled.")})

    def check(locked: TrainingSession) -> None:
        if locked.status != SessionStatus.PLANNED:
            raise ValidationError(_("Only a planned session can be cancelled."))

    return model_transition(
        instance=session,
        actor=actor,
        action="people.session.cancelled",
        to={"status": SessionStatus.CANCELLED},
        check=check,
        reason=reason,
    )


def session_evaluate(
    *,
    actor: User,
    session: TrainingSession,
    expected_version: int | None,
    evaluated_on: datetime.date,
    evaluation_method: str,
    effectiveness: str,
    evaluation_notes: str = "",
    today: datetime.date | None = None,
) -> TrainingSession:
    """Evaluate whether a held session achieved what it was for (7.2 c). "Not effective" needs
    the further action planned, in the notes."""
    ensure_allowed(actor=actor, organization=session.organization, permission="people.record")
    _not_in_future("evaluated_on", evaluated_on, _today(today))
    if effectiveness not in Effectiveness.values:
        raise ValidationError({"effectiveness": _("Choose effective or not effective.")})
    if not evaluation_method.strip():
        raise ValidationError({"evaluation_method": _("Say how the effectiveness was judged.")})
    if effectiveness == Effectiveness.NOT_EFFECTIVE and not evaluation_notes.strip():
        raise ValidationError(
            {"evaluation_notes": _("Not effective: say which further action is planned.")}
        )

    def check(locked: TrainingSession) -> None:
        if locked.status != SessionStatus.HELD:
            raise ValidationError(_("Only a session that was held can be evaluated."))
        if evaluated_on < locked.held_on:
            raise ValidationError({"evaluated_on": _("The evaluation comes after the session.")})

    return model_transition(
        instance=session,
        actor=actor,
        action="people.session.evaluated",
        to={
            "evaluated_on": evaluated_on,
            "evaluation_method": evaluation_method,
            "effectiveness": effectiveness,
            "evaluation_notes": evaluation_notes,
        },
        check=check,
        expected_version=expected_version,
    )


# Awareness (7.3) ------------------------------------------------------------------------

AWARENESS_FIELDS = ("title", "kind", "description", "document", "is_active", "job_roles")


def awareness_item_save(
    *,
    actor: User,
    organization: Organization,
    item: AwarenessItem | None = None,
    version: int | None = None,
    job_roles: Iterable[JobRole] | None = None,
    today: datetime.date | None = None,
    **values: Any,
) -> AwarenessItem:
    """Create an awareness item (what people are to know and acknowledge; for the holders of
    some job roles, or everyone) or change one. Changing it does not ask again: that is
    `awareness_ask_again` (or a new revision of its document)."""
    ensure_allowed(actor=actor, organization=organization, permission="people.manage")
    check_same_organization(organization, "document", values.get("document"))
    if "kind" in values and values["kind"] not in AwarenessKind.values:
        raise ValidationError({"kind": _("Choose what kind of awareness this is.")})
    related: dict[str, list[Any]] = {}
    if job_roles is not None:
        related["job_roles"] = list(job_roles)
        check_same_organization(organization, "job_roles", related["job_roles"])

    def unique(row: AwarenessItem) -> None:
        clash = AwarenessItem.objects.filter(
            organization=organization, title__iexact=row.title
        ).exclude(pk=row.pk)
        if clash.exists():
            raise ValidationError({"title": _("An awareness item of this title exists.")})

    if item is None:
        document = values.get("document")
        return model_create(
            model=AwarenessItem,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=AWARENESS_FIELDS,
            action="people.awareness.created",
            related=related,
            validate=unique,
            defaults={
                "asked_since": _today(today),
                "revision": _current_revision(document) if document else "",
            },
        )
    return model_update(
        instance=item,
        actor=actor,
        fields=values,
        allowed=AWARENESS_FIELDS,
        expected_version=version,
        action="people.awareness.updated",
        related=related,
        validate=unique,
    )[0]


def _current_revision(document: Any) -> str:
    current = getattr(document, "current_revision", None)
    return str(current)[:100] if current is not None else ""


def awareness_ask_again(
    *,
    actor: User,
    item: AwarenessItem,
    reason: str,
    revision: str = "",
    today: datetime.date | None = None,
    check_permission: bool = True,
) -> AwarenessItem:
    """Ask everyone the item concerns to acknowledge it again (the policy was revised, the
    objectives changed): a new round; acknowledgements of earlier rounds no longer count. Each
    person concerned is told."""
    if check_permission:
        ensure_allowed(actor=actor, organization=item.organization, permission="people.manage")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why everyone is asked again.")})

    def check(locked: AwarenessItem) -> None:
        if not locked.is_active:
            raise ValidationError(_("This awareness item is no longer in use."))

    item.refresh_from_db(fields=["round"])
    saved = model_transition(
        instance=item,
        actor=actor,
        action="people.awareness.asked_again",
        to={
            "round": item.round + 1,
            "asked_since": _today(today),
            "revision": (revision or item.revision)[:100],
        },
        check=check,
        reason=reason,
    )
    from pdca.people.selectors import awareness_audience

    users = list(awareness_audience(saved).values_list("user_id", flat=True))
    notifications.asked_again(item=saved, user_ids=users)
    return saved


def awareness_acknowledge(*, actor: User, item: AwarenessItem) -> Acknowledgement:
    """The person themselves acknowledges that they know the item (its current round)."""
    organization = item.organization
    ensure_allowed(actor=actor, organization=organization, permission="people.acknowledge")
    from pdca.people.selectors import awareness_audience

    membership = Membership.objects.filter(organization=organization, user=actor).first()
    if membership is None or not item.is_active:
        raise ValidationError(_("This awareness item is not for you to acknowledge."))
    if not awareness_audience(item).filter(pk=membership.pk).exists():
        raise ValidationError(_("This awareness item does not concern your job roles."))
    with transaction.atomic():
        locked = AwarenessItem.objects.select_for_update(no_key=True).get(pk=item.pk)
        person = person_for(actor=actor, membership=membership)
        if Acknowledgement.objects.filter(item=locked, person=person, round=locked.round).exists():
            raise ValidationError(_("You have already acknowledged this."))
        return model_create(
            model=Acknowledgement,
            organization=organization,
            actor=actor,
            fields={"round": locked.round, "revision": locked.revision},
            allowed=("round", "revision"),
            defaults={"item": locked, "person": person, "acknowledged_at": timezone.now()},
            action="people.awareness.acknowledged",
        )

"""The rules of people, job roles, competence records and training, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from pdca.core.models import TrailEntry
from pdca.core.roles import Role
from pdca.core.updating import ConflictError
from pdca.people import services
from pdca.people.models import (
    CompetenceRecord,
    Effectiveness,
    Evidence,
    Level,
    RecordStatus,
    Result,
    SessionStatus,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def fields_of(caught: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(caught.value.message_dict)


def record(world, **extra):
    values = {
        "actor": world.mr,
        "membership": world.memberships[Role.EMPLOYEE],
        "competence": world.extra["people_forklift"],
        "evidence": Evidence.QUALIFICATION,
        "level": Level.COMPETENT,
        "achieved_on": TODAY - datetime.timedelta(days=10),
        "valid_until": TODAY + datetime.timedelta(days=700),
    }
    values.update(extra)
    return services.competence_record_create(**values)


def test_a_member_becomes_a_person_once_and_holds_a_job_role_once(world):
    person = world.extra["people_person"]
    assert person.membership == world.memberships[Role.EMPLOYEE]
    again = services.person_for(actor=world.mr, membership=person.membership)
    assert again.pk == person.pk
    with pytest.raises(ValidationError) as caught:
        services.job_assign(
            actor=world.mr,
            membership=person.membership,
            job_role=world.extra["people_job_role"],
            since=TODAY,
        )
    assert fields_of(caught) == {"job_role"}


def test_job_role_from_another_organization_is_refused(world):
    other = services.job_role_save(
        actor=world.outsider, organization=world.other_org, name="Globex welder"
    )
    with pytest.raises(ValidationError) as caught:
        services.job_assign(
            actor=world.mr, membership=world.memberships[Role.EMPLOYEE], job_role=other, since=TODAY
        )
    assert "job_role" in fields_of(caught)


def test_only_management_gives_job_roles_and_only_keepers_keep_the_catalogue(world):
    with pytest.raises(ValidationError):
        services.job_assign(
            actor=world.owner,
            membership=world.memberships[Role.INTERNAL_AUDITOR],
            job_role=world.extra["people_job_role"],
            since=TODAY,
        )
    with pytest.raises(ValidationError):
        services.job_role_save(actor=world.employee, organization=world.org, name="Painter")
    with pytest.raises(ValidationError):
        record(world, actor=world.employee)


def test_ending_a_job_role_needs_a_reason_and_is_recorded(world):
    assignment = world.extra["people_assignment"]
    with pytest.raises(ValidationError) as caught:
        services.job_unassign(actor=world.mr, assignment=assignment, reason=" ")
    assert fields_of(caught) == {"reason"}
    services.job_unassign(actor=world.mr, assignment=assignment, reason="Moved to assembly")
    assert TrailEntry.objects.filter(action="people.assignment.ended").exists()
    # The competence records of the person stay.
    assert CompetenceRecord.objects.filter(person=assignment.person).exists()


def test_a_requirement_names_an_existing_level_and_a_sane_renewal(world):
    values = {
        "actor": world.mr,
        "organization": world.org,
        "job_role": world.extra["people_job_role"],
    }
    extra = services.competence_save(actor=world.mr, organization=world.org, name="First aid")
    for bad in (0, 5, "3", True):
        with pytest.raises(ValidationError) as caught:
            services.requirement_save(**values, competence=extra, level=bad)
        assert fields_of(caught) == {"level"}
    with pytest.raises(ValidationError) as caught:
        services.requirement_save(**values, competence=extra, level=2, renewal_months=0)
    assert fields_of(caught) == {"renewal_months"}
    with pytest.raises(ValidationError) as caught:
        services.requirement_save(**values, competence=world.extra["people_competence"], level=2)
    assert fields_of(caught) == {"competence"}


def test_requirement_edit_needs_the_current_version(world):
    requirement = world.extra["people_requirement"]
    with pytest.raises(ConflictError):
        services.requirement_save(
            actor=world.mr,
            organization=world.org,
            requirement=requirement,
            version=requirement.version + 1,
            level=Level.TRAINER,
        )
    changed = services.requirement_save(
        actor=world.mr,
        organization=world.org,
        requirement=requirement,
        version=requirement.version,
        level=Level.TRAINER,
    )
    assert changed.level == Level.TRAINER


def test_a_record_refuses_a_future_date_an_expiry_before_issue_and_a_missing_level(world):
    with pytest.raises(ValidationError) as caught:
        record(world, achieved_on=TODAY + datetime.timedelta(days=1))
    assert fields_of(caught) == {"achieved_on"}
    with pytest.raises(ValidationError) as caught:
        record(world, valid_until=TODAY - datetime.timedelta(days=20))
    assert fields_of(caught) == {"valid_until"}
    with pytest.raises(ValidationError) as caught:
        record(world, level=9)
    assert fields_of(caught) == {"level"}
    with pytest.raises(ValidationError) as caught:
        record(world, evidence="hearsay")
    assert fields_of(caught) == {"evidence"}


def test_a_record_is_corrected_with_a_reason_or_withdrawn_never_deleted(world):
    row = record(world)
    with pytest.raises(ValidationError) as caught:
        services.competence_record_correct(
            actor=world.mr, record=row, expected_version=row.version, reason="", level=2
        )
    assert fields_of(caught) == {"reason"}
    with pytest.raises(ConflictError):
        services.competence_record_correct(
            actor=world.mr, record=row, expected_version=row.version + 1, reason="x", level=2
        )
    row = services.competence_record_correct(
        actor=world.mr, record=row, expected_version=row.version, reason="Typo", level=2
    )
    assert row.level == Level.TRAINED
    entry = TrailEntry.objects.get(action="people.record.corrected", object_id=str(row.pk))
    assert entry.reason == "Typo" and entry.changes["level"] == [3, 2]
    row = services.competence_record_withdraw(actor=world.mr, record=row, reason="Revoked")
    assert row.status == RecordStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.competence_record_withdraw(actor=world.mr, record=row, reason="Again")
    with pytest.raises(ValidationError):
        services.competence_record_correct(
            actor=world.mr, record=row, expected_version=row.version, reason="x", level=3
        )
    assert CompetenceRecord.objects.filter(pk=row.pk).exists()


def test_attendance_rules(world):
    session = world.extra["people_session"]
    employee = world.memberships[Role.EMPLOYEE]
    # No one records their own result.
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.employee, session=session, membership=employee, attended=True
        )
    # (the employee may not record at all; the service says so)
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.mr,
            session=session,
            membership=world.memberships[Role.MANAGEMENT_REP],
            attended=True,
        )
    assert fields_of(caught) == {"person"}
    # The trainer is not a trainee.
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.mr,
            session=session,
            membership=world.memberships[Role.PROCESS_OWNER],
            attended=True,
        )
    assert fields_of(caught) == {"person"}
    # Someone not invited asks for confirmation.
    top = world.memberships[Role.CONSULTANT]
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(actor=world.mr, session=session, membership=top, attended=True)
    assert fields_of(caught) == {"confirm_uninvited"}
    row = services.attendance_record(
        actor=world.mr, session=session, membership=top, attended=True, confirm_uninvited=True
    )
    assert row.invited is False
    # A result for someone absent, or a score out of range, is refused.
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.mr, session=session, membership=employee, attended=False, result="passed"
        )
    assert fields_of(caught) == {"result"}
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.mr, session=session, membership=employee, attended=True, score=101
        )
    assert fields_of(caught) == {"score"}


def test_attendance_of_a_future_session_is_refused(world):
    session = services.session_plan(
        actor=world.mr,
        course=world.extra["people_course"],
        held_on=TODAY + datetime.timedelta(days=7),
        trainer=world.owner,
        invited=[world.memberships[Role.EMPLOYEE]],
    )
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            actor=world.mr,
            session=session,
            membership=world.memberships[Role.EMPLOYEE],
            attended=True,
        )
    assert fields_of(caught) == {"held_on"}


def test_passing_gives_the_courses_competence_until_its_validity_and_the_person_confirms(world):
    session = world.extra["people_session"]
    employee = world.memberships[Role.EMPLOYEE]
    row = services.attendance_record(
        actor=world.mr,
        session=session,
        membership=employee,
        attended=True,
        result=Result.PASSED,
        score=92,
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    given = CompetenceRecord.objects.get(attendance=row)
    assert given.competence == world.extra["people_forklift"]
    assert given.level == Level.COMPETENT and given.evidence == Evidence.TRAINING
    assert given.valid_until.year == session.held_on.year + 3
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=world.mr, session=session, membership=employee, attended=True, result="passed"
        )
    # Only the person confirms, once.
    with pytest.raises(ValidationError):
        services.attendance_confirm(actor=world.mr, attendance=row)
    row = services.attendance_confirm(actor=world.employee, attendance=row)
    assert row.confirmed_at is not None
    with pytest.raises(ValidationError):
        services.attendance_confirm(actor=world.employee, attendance=row)


def test_the_trainer_cannot_be_invited(world):
    with pytest.raises(ValidationError) as caught:
        services.session_plan(
            actor=world.mr,
            course=world.extra["people_course"],
            held_on=TODAY,
            trainer=world.owner,
            invited=[world.memberships[Role.PROCESS_OWNER]],
        )
    assert fields_of(caught) == {"invited"}
    with pytest.raises(ValidationError) as caught:
        services.session_plan(
            actor=world.mr,
            course=world.extra["people_course"],
            held_on=TODAY,
            trainer=world.external,
        )
    assert fields_of(caught) == {"trainer"}


def test_effectiveness_evaluation(world):
    session = services.session_plan(
        actor=world.mr,
        course=world.extra["people_course"],
        held_on=TODAY - datetime.timedelta(days=3),
        trainer=world.owner,
        invited=[world.memberships[Role.EMPLOYEE]],
    )
    with pytest.raises(ValidationError):  # not held yet
        services.session_evaluate(
            actor=world.mr,
            session=session,
            expected_version=session.version,
            evaluated_on=TODAY,
            evaluation_method="Observation at the machine",
            effectiveness=Effectiveness.EFFECTIVE,
        )
    services.attendance_record(
        actor=world.mr,
        session=session,
        membership=world.memberships[Role.EMPLOYEE],
        attended=True,
        result=Result.FAILED,
    )
    session.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.session_evaluate(
            actor=world.mr,
            session=session,
            expected_version=session.version,
            evaluated_on=TODAY,
            evaluation_method="Observation",
            effectiveness=Effectiveness.NOT_EFFECTIVE,
        )
    assert fields_of(caught) == {"evaluation_notes"}
    with pytest.raises(ValidationError) as caught:
        services.session_evaluate(
            actor=world.mr,
            session=session,
            expected_version=session.version,
            evaluated_on=TODAY + datetime.timedelta(days=1),
            evaluation_method="Observation",
            effectiveness=Effectiveness.EFFECTIVE,
        )
    assert fields_of(caught) == {"evaluated_on"}
    with pytest.raises(ConflictError):
        services.session_evaluate(
            actor=world.mr,
            session=session,
            expected_version=session.version - 1,
            evaluated_on=TODAY,
            evaluation_method="Observation",
            effectiveness=Effectiveness.EFFECTIVE,
        )
    done = services.session_evaluate(
        actor=world.mr,
        session=session,
        expected_version=session.version,
        evaluated_on=TODAY,
        evaluation_method="Observation",
        effectiveness=Effectiveness.NOT_EFFECTIVE,
        evaluation_notes="Second session with practical test planned",
    )
    assert done.effectiveness == Effectiveness.NOT_EFFECTIVE
    assert TrailEntry.objects.filter(action="people.session.evaluated").exists()


def test_a_course_teaches_at_least_one_competence(world):
    with pytest.raises(ValidationError) as caught:
        services.course_save(
            actor=world.mr, organization=world.org, title="Empty course", competences=[]
        )
    assert fields_of(caught) == {"competences"}

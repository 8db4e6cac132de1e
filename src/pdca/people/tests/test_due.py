"""What falls due in the people module (expiring competences, planned sessions, evaluations
of effectiveness), the dashboard's cards and the invitation notice."""

import datetime

import pytest

from pdca.core.due import DueFilters, due_items
from pdca.core.models import Notification
from pdca.core.roles import Role
from pdca.people import services
from pdca.people.models import Evidence, Level, Result
from pdca.people.selectors import people_attention

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def items(world, viewer, kinds, end_days=120):
    return due_items(
        organization=world.org,
        viewer=viewer,
        start=None,
        end=TODAY + datetime.timedelta(days=end_days),
        today=TODAY,
        filters=DueFilters(scope="everyone", kinds=kinds),
    )


def expiring_licence(world, role=Role.EMPLOYEE, days=25):
    return services.competence_record_create(
        actor=world.mr,
        membership=world.memberships[role],
        competence=world.extra["people_forklift"],
        evidence=Evidence.QUALIFICATION,
        level=Level.COMPETENT,
        achieved_on=TODAY - datetime.timedelta(days=1000),
        valid_until=TODAY + datetime.timedelta(days=days),
    )


def test_an_expiring_competence_falls_due_for_its_holder_until_renewed(world):
    # The world's CNC record expires in 400 days: outside the window.
    assert items(world, None, ["people.renewal"]) == []
    expiring_licence(world)
    found = items(world, world.memberships[Role.MANAGEMENT_REP], ["people.renewal"])
    assert [i.title for i in found] == ["Employee person: Forklift licence"]
    assert found[0].owner_id == world.employee.pk and not found[0].overdue
    # The employee sees their own; the internal auditor sees everyone; the reminder run too.
    assert items(world, world.memberships[Role.EMPLOYEE], ["people.renewal"])
    assert items(world, None, ["people.renewal"])
    # Renewed: a later record of the same competence outlasts it, so it no longer falls due.
    services.competence_record_create(
        actor=world.mr,
        membership=world.memberships[Role.EMPLOYEE],
        competence=world.extra["people_forklift"],
        evidence=Evidence.QUALIFICATION,
        level=Level.COMPETENT,
        achieved_on=TODAY,
        valid_until=TODAY + datetime.timedelta(days=730),
    )
    assert items(world, None, ["people.renewal"]) == []


def test_someone_elses_expiring_competence_is_not_shown_to_an_employee(world):
    expiring_licence(world)
    expiring_licence(world, Role.INTERNAL_AUDITOR, days=5)
    mine = items(world, world.memberships[Role.EMPLOYEE], ["people.renewal"])
    assert [i.owner_id for i in mine] == [world.employee.pk]
    assert len(items(world, world.memberships[Role.MANAGEMENT_REP], ["people.renewal"])) == 2


def test_a_planned_session_and_then_its_evaluation_fall_due_for_the_trainer(world):
    # The world's session is held already: it no longer falls due.
    assert items(world, None, ["people.session", "people.evaluation"]) == []
    session = services.session_plan(
        actor=world.mr,
        course=world.extra["people_course"],
        held_on=TODAY - datetime.timedelta(days=2),
        trainer=world.owner,
        evaluate_on=TODAY + datetime.timedelta(days=40),
        invited=[world.memberships[Role.EMPLOYEE]],
    )
    found = items(world, world.memberships[Role.MANAGEMENT_REP], ["people.session"])
    assert [(i.object_id, i.owner_id, i.overdue) for i in found] == [
        (session.pk, world.owner.pk, True)
    ]
    services.attendance_record(
        actor=world.mr,
        session=session,
        membership=world.memberships[Role.EMPLOYEE],
        attended=True,
        result=Result.FAILED,
    )
    assert items(world, None, ["people.session"]) == []
    assert [i.object_id for i in items(world, None, ["people.evaluation"])] == [session.pk]


def test_the_due_sources_cost_the_same_queries_for_more_rows(world, django_assert_max_num_queries):
    viewer = world.memberships[Role.PROCESS_OWNER]
    kinds = ["people.renewal", "people.session", "people.evaluation"]
    with django_assert_max_num_queries(10) as few:
        items(world, viewer, kinds)
    for i in range(5):
        services.session_plan(
            actor=world.mr,
            course=world.extra["people_course"],
            held_on=TODAY + datetime.timedelta(days=i + 1),
            trainer=world.owner,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(items(world, viewer, kinds)) >= 5


def test_a_manager_is_told_how_many_of_their_people_are_not_up_to_date(world):
    employee = world.memberships[Role.EMPLOYEE]
    employee.manager = world.owner
    employee.save(update_fields=["manager"])
    cards = people_attention(world.memberships[Role.PROCESS_OWNER])
    assert [c.title for c in cards] == ["1 of your 1 people is not up to date"]
    # The employee sees their own gap (the forklift licence) and, once they hold one that
    # expires within 30 days, that too.
    own = [c.severity for c in people_attention(employee)]
    assert own == ["danger"]
    expiring_licence(world)
    own = [c.severity for c in people_attention(employee)]
    assert own == ["warning"]
    assert people_attention(world.memberships[Role.EXTERNAL_AUDITOR]) == []


def test_people_invited_to_a_session_are_notified(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_plan(
            actor=world.mr,
            course=world.extra["people_course"],
            held_on=TODAY + datetime.timedelta(days=3),
            trainer=world.owner,
            invited=[world.memberships[Role.INTERNAL_AUDITOR]],
        )
    note = Notification.objects.get(kind="people.session_invited", recipient=world.auditor)
    assert str(session.pk) in note.url

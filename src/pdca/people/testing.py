"""Example people, job roles, competences and training for the shared test world, and the ids
every people URL is opened with.

The employee is a CNC machinist in Production; the machinist role requires CNC turning
(competent, renewed every 24 months) and a forklift licence, which the employee lacks.
"""

import datetime
from typing import Any

from pdca.core.roles import Role
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.people import services
from pdca.people.models import AwarenessKind, CompetenceKind, Evidence, Level


def _people_world(world: World) -> None:
    org, mr = world.org, world.mr
    today = datetime.date.today()
    employee = world.memberships[Role.EMPLOYEE]
    machinist = services.job_role_save(
        actor=mr, organization=org, name="CNC machinist", department=world.department
    )
    turning = services.competence_save(
        actor=mr, organization=org, name="CNC turning", kind=CompetenceKind.SKILL
    )
    forklift = services.competence_save(
        actor=mr, organization=org, name="Forklift licence", kind=CompetenceKind.LICENCE
    )
    requirement = services.requirement_save(
        actor=mr,
        organization=org,
        job_role=machinist,
        competence=turning,
        level=Level.COMPETENT,
        shown_by=Evidence.ASSESSMENT,
        renewal_months=24,
    )
    services.requirement_save(
        actor=mr,
        organization=org,
        job_role=machinist,
        competence=forklift,
        level=Level.COMPETENT,
        shown_by=Evidence.QUALIFICATION,
    )
    assignment = services.job_assign(
        actor=mr, membership=employee, job_role=machinist, since=today - datetime.timedelta(400)
    )
    record = services.competence_record_create(
        actor=mr,
        membership=employee,
        competence=turning,
        evidence=Evidence.ASSESSMENT,
        level=Level.COMPETENT,
        achieved_on=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=400),
    )
    course = services.course_save(
        actor=mr,
        organization=org,
        title="Forklift driver training",
        competences=[forklift],
        level=Level.COMPETENT,
        validity_months=36,
    )
    session = services.session_plan(
        actor=mr,
        course=course,
        held_on=today - datetime.timedelta(days=1),
        trainer=world.owner,
        place="Hall 2",
        invited=[employee],
    )
    # Held: its top-management trainee attended (not invited); the employee's result is still
    # to be recorded. A held session no longer falls due, so the shared world's calendar and
    # reminders carry none of this module's items.
    services.attendance_record(
        actor=mr,
        session=session,
        membership=world.memberships[Role.TOP_MANAGEMENT],
        attended=True,
        confirm_uninvited=True,
    )
    # Awareness: the machinists' safety briefing, acknowledged by the employee (so no one of
    # the shared world is asked for anything new on their dashboard).
    briefing = services.awareness_item_save(
        actor=mr,
        organization=org,
        title="Machining hazards briefing",
        kind=AwarenessKind.HAZARDS,
        description="Rotating parts, chips and coolant: the controls at each machine.",
        job_roles=[machinist],
    )
    acknowledgement = services.awareness_acknowledge(actor=employee.user, item=briefing)
    world.extra.update(
        people_awareness=briefing,
        people_acknowledgement=acknowledgement,
        people_person=assignment.person,
        people_job_role=machinist,
        people_assignment=assignment,
        people_competence=turning,
        people_forklift=forklift,
        people_requirement=requirement,
        people_record=record,
        people_course=course,
        people_session=session,
        people_attendance=session.attendances.get(person=assignment.person),
    )


def _people_urls(world: World) -> dict[str, dict[str, Any]]:
    x = world.extra
    return {
        "people:person": {"pk": x["people_person"].pk},
        "people:person_edit": {"pk": x["people_person"].pk},
        "people:record_create": {"pk": x["people_person"].pk},
        "people:job_role": {"pk": x["people_job_role"].pk},
        "people:job_role_edit": {"pk": x["people_job_role"].pk},
        "people:requirement_create": {"pk": x["people_job_role"].pk},
        "people:requirement_edit": {"pk": x["people_requirement"].pk},
        "people:competence_edit": {"pk": x["people_competence"].pk},
        "people:record": {"pk": x["people_record"].pk},
        "people:record_correct": {"pk": x["people_record"].pk},
        "people:record_withdraw": {"pk": x["people_record"].pk},
        "people:course_edit": {"pk": x["people_course"].pk},
        "people:session": {"pk": x["people_session"].pk},
        "people:attendance_record": {"pk": x["people_session"].pk},
        "people:session_evaluate": {"pk": x["people_session"].pk},
        "people:attendance_confirm": {"pk": x["people_attendance"].pk},
        "api-people-person": {"pk": x["people_person"].pk},
        "api-people-job-role": {"pk": x["people_job_role"].pk},
        "api-people-competence": {"pk": x["people_competence"].pk},
        "api-people-record": {"pk": x["people_record"].pk},
        "people:awareness": {"pk": x["people_awareness"].pk},
        "people:awareness_edit": {"pk": x["people_awareness"].pk},
        "people:awareness_ask_again": {"pk": x["people_awareness"].pk},
        "people:awareness_acknowledge": {"pk": x["people_awareness"].pk},
        "api-people-awareness": {"pk": x["people_awareness"].pk},
        "api-people-awareness-ask-again": {"pk": x["people_awareness"].pk},
        "api-people-awareness-acknowledge": {"pk": x["people_awareness"].pk},
    }


register_world_builder(_people_world)
register_url_examples(_people_urls)

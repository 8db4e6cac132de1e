"""The people pages: the matrix and its fixed number of queries, who sees whose profile, forms
that show the service's refusal next to the field, and the German pages."""

import datetime

import pytest
from django.urls import reverse

from pdca.core import services as core_services
from pdca.core.roles import Role
from pdca.core.testing import assert_page_translated, make_user
from pdca.people import selectors, services
from pdca.people.models import CompetenceRecord, JobRole, Level
from pdca.people.selectors import Cell

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, **kw):
    return reverse(f"people:{name}", kwargs={"org": "acme", **kw})


def add_machinists(world, n):
    role = world.extra["people_job_role"]
    for i in range(n):
        user = make_user(f"machinist{i}-{n}@acme.test", f"Machinist {i:03d}")
        member = core_services.membership_add(
            actor=None,
            organization=world.org,
            user=user,
            roles=[Role.EMPLOYEE],
            department=world.department,
        )
        services.job_assign(actor=world.mr, membership=member, job_role=role, since=TODAY)
        services.competence_record_create(
            actor=world.mr,
            membership=member,
            competence=world.extra["people_competence"],
            evidence="assessment",
            level=Level.COMPETENT,
            achieved_on=TODAY,
        )


def states(person, today=TODAY):
    return {c.name: cell.state for c, cell in selectors.matrix([person], today=today).rows[0].items}


def test_the_matrix_shows_each_cell_state(world):
    person = world.extra["people_person"]
    assert states(person) == {"CNC turning": Cell.MET, "Forklift licence": Cell.MISSING}
    # A record below the level required does not count.
    services.competence_record_create(
        actor=world.mr,
        membership=person.membership,
        competence=world.extra["people_forklift"],
        evidence="qualification",
        level=Level.AWARE,
        achieved_on=TODAY,
    )
    assert states(person)["Forklift licence"] == Cell.MISSING
    # A planned session of a course that teaches it: in training.
    services.session_plan(
        actor=world.mr,
        course=world.extra["people_course"],
        held_on=TODAY + datetime.timedelta(days=5),
        trainer=world.owner,
        invited=[person.membership],
    )
    assert states(person)["Forklift licence"] == Cell.IN_TRAINING
    # A licence that expires within 30 days, then after it expired.
    services.competence_record_create(
        actor=world.mr,
        membership=person.membership,
        competence=world.extra["people_forklift"],
        evidence="qualification",
        level=Level.COMPETENT,
        achieved_on=TODAY - datetime.timedelta(days=700),
        valid_until=TODAY + datetime.timedelta(days=20),
    )
    assert states(person)["Forklift licence"] == Cell.EXPIRING
    later = states(person, TODAY + datetime.timedelta(days=25))
    assert later["Forklift licence"] == Cell.IN_TRAINING  # expired, but booked on a session
    # The renewal interval ends a record without an expiry of its own: CNC turning needs
    # renewing every 24 months.
    assert states(person, TODAY + datetime.timedelta(days=500))["CNC turning"] == Cell.EXPIRED
    assert selectors.record_expiry(TODAY - datetime.timedelta(days=800), None, 24) < TODAY


def add_team(world, manager, n=1):
    """Members whose line manager is `manager`."""
    team = []
    for i in range(n):
        user = make_user(f"report{i}@acme.test", f"Report {i:03d}")
        team.append(
            core_services.membership_add(
                actor=None,
                organization=world.org,
                user=user,
                roles=[Role.EMPLOYEE],
                department=world.department,
                manager=manager,
            )
        )
        services.job_assign(
            actor=world.mr,
            membership=team[-1],
            job_role=world.extra["people_job_role"],
            since=TODAY,
        )
    return team


def test_the_matrix_page_costs_the_same_queries_for_more_people(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    add_machinists(world, 2)
    client.get(url("matrix"))  # warm the caches of the layout
    with django_assert_max_num_queries(40) as few:
        assert client.get(url("matrix")).status_code == 200
    add_machinists(world, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = client.get(url("matrix")).content.decode()
    assert "Machinist 014" in content and "badge ok" in content


def test_the_matrix_filters_by_job_role_and_competence(world, login):
    client = login(world.mr)
    other = services.job_role_save(actor=world.mr, organization=world.org, name="Painter")
    content = client.get(url("matrix"), {"job_role": other.pk}).content.decode()
    assert "No one matches these filters." in content
    content = client.get(
        url("matrix"), {"competence": world.extra["people_forklift"].pk}
    ).content.decode()
    assert "Forklift licence" in content and "CNC turning</th>" not in content


def test_an_employee_sees_their_own_profile_and_their_manager_sees_it(world, login):
    person = world.extra["people_person"]
    assert login(world.employee).get(url("person", pk=person.pk)).status_code == 200
    auditor = services.person_for(
        actor=world.mr, membership=world.memberships[Role.INTERNAL_AUDITOR]
    )
    # Someone else's profile does not exist for an employee.
    assert login(world.employee).get(url("person", pk=auditor.pk)).status_code == 404
    record = world.extra["people_record"]
    assert login(world.employee).get(url("record", pk=record.pk)).status_code == 200
    # As a line manager, the employee sees their report.
    report = add_team(world, world.employee)[0]
    assert login(world.employee).get(url("person", pk=report.person.pk)).status_code == 200


def test_a_manager_sees_only_their_people_in_the_matrix(world, login):
    add_team(world, world.employee)
    add_machinists(world, 1)
    content = login(world.employee).get(url("matrix")).content.decode()
    assert world.employee.display_name in content and "Report 000" in content
    assert "Machinist 000" not in content
    everyone = login(world.owner).get(url("matrix")).content.decode()
    assert "Machinist 000" in everyone and "Report 000" in everyone


def test_recording_a_competence_with_a_future_date_shows_the_error_at_the_field(world, login):
    person = world.extra["people_person"]
    response = login(world.mr).post(
        url("record_create", pk=person.pk),
        {
            "competence": world.extra["people_forklift"].pk,
            "evidence": "qualification",
            "level": 3,
            "achieved_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "This date lies in the future." in response.context["form"].errors["achieved_on"][0]
    response = login(world.mr).post(
        url("record_create", pk=person.pk),
        {
            "competence": world.extra["people_forklift"].pk,
            "evidence": "qualification",
            "level": 7,
            "achieved_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 400 and "level" in response.context["form"].errors
    response = login(world.mr).post(
        url("record_create", pk=person.pk),
        {
            "competence": world.extra["people_forklift"].pk,
            "evidence": "qualification",
            "level": 3,
            "achieved_on": TODAY.isoformat(),
            "valid_until": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400 and "valid_until" in response.context["form"].errors
    response = login(world.mr).post(
        url("record_create", pk=person.pk),
        {
            "competence": world.extra["people_forklift"].pk,
            "evidence": "qualification",
            "level": 3,
            "achieved_on": TODAY.isoformat(),
            "valid_until": (TODAY + datetime.timedelta(days=365)).isoformat(),
            "reference": "FL-2291",
        },
    )
    assert response.status_code == 302
    assert CompetenceRecord.objects.filter(reference="FL-2291", person=person).exists()


def test_job_role_and_requirement_pages(world, login):
    client = login(world.mr)
    response = client.post(url("job_role_create"), {"name": "", "is_active": "on"})
    assert response.status_code == 400 and "name" in response.context["form"].errors
    response = client.post(url("job_role_create"), {"name": "Forklift driver", "is_active": "on"})
    assert response.status_code == 302
    role = JobRole.objects.get(name="Forklift driver")
    response = client.post(
        url("requirement_create", pk=role.pk),
        {
            "competence": world.extra["people_forklift"].pk,
            "level": 3,
            "shown_by": "qualification",
            "renewal_months": 60,
        },
    )
    assert response.status_code == 302
    again = client.post(
        url("requirement_create", pk=role.pk),
        {"competence": world.extra["people_forklift"].pk, "level": 3, "shown_by": "training"},
    )
    assert again.status_code == 400 and "competence" in again.context["form"].errors
    page = client.get(url("job_role", pk=role.pk)).content.decode()
    assert "Forklift licence" in page


def test_stale_edit_of_a_record_answers_409(world, login):
    record = world.extra["people_record"]
    response = login(world.mr).post(
        url("record_correct", pk=record.pk),
        {
            "version": record.version + 5,
            "evidence": "assessment",
            "level": 3,
            "achieved_on": record.achieved_on.isoformat(),
            "reason": "Typo",
        },
    )
    assert response.status_code == 409


def test_attendance_of_someone_not_invited_asks_for_confirmation_on_the_page(world, login):
    session = world.extra["people_session"]
    top = world.memberships[Role.CONSULTANT]
    response = login(world.mr).post(
        url("attendance_record", pk=session.pk),
        {"membership": top.pk, "attended": "on", "result": "passed"},
    )
    assert response.status_code == 400
    assert "confirm_uninvited" in response.context["form"].errors
    response = login(world.mr).post(
        url("attendance_record", pk=session.pk),
        {"membership": world.memberships[Role.MANAGEMENT_REP].pk, "attended": "on"},
    )
    assert response.status_code == 400 and "membership" in response.context["form"].errors


def test_empty_states(world, login):
    client = login(world.outsider)
    for name in ("matrix", "job_roles", "competences", "training"):
        response = client.get(reverse(f"people:{name}", kwargs={"org": "globex"}))
        assert response.status_code == 200
        assert 'class="empty"' in response.content.decode(), name


def test_pages_in_german(world, login):
    client = login(world.mr)
    assert_page_translated(
        client, url("matrix"), ["Competence matrix", "Expired"], ["Kompetenzmatrix", "Stellen"]
    )
    assert_page_translated(
        client,
        url("person", pk=world.extra["people_person"].pk),
        ["Required competences", "Line manager"],
        ["Geforderte Kompetenzen", "Vorgesetzte Person"],
    )
    assert_page_translated(
        client, url("training"), ["Sessions", "valid"], ["Schulungstermine", "Monate gültig"]
    )


def test_the_gap_list_plans_training_for_its_people_in_one_step(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    forklift = world.extra["people_forklift"]
    employee = world.memberships[Role.EMPLOYEE]
    client.get(url("gaps"))
    with django_assert_max_num_queries(40) as few:
        content = client.get(url("gaps")).content.decode()
    assert "Forklift licence" in content and "Missing" in content
    plan = f"competence={forklift.pk}&amp;invited={employee.pk}"
    assert plan in content
    add_machinists(world, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = client.get(url("gaps")).content.decode()
    assert "Plan training for 11 people" in content
    # The session form comes with the course that teaches it and the people invited.
    form = client.get(url("session_create"), {"competence": forklift.pk, "invited": employee.pk})
    page = form.content.decode()
    course = world.extra["people_course"]
    assert f'<option value="{course.pk}" selected>' in page
    assert f'<option value="{employee.pk}" selected>' in page
    # Bad parameters are ignored, not an error.
    assert client.get(url("session_create"), {"competence": "x", "invited": "y"}).status_code == 200
    # An employee sees only their own gaps.
    content = login(world.employee).get(url("gaps")).content.decode()
    assert "Machinist 001" not in content and "Plan training" not in content


def test_the_matrix_exports_to_xlsx_as_filtered(world, login):
    import io

    from openpyxl import load_workbook

    from pdca.core.testing import export_via_job

    add_machinists(world, 3)
    response = export_via_job(login(world.mr), url("matrix_export") + "?q=Machinist")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Person", "Department", "Job roles") and "Awareness" in rows[0]
    assert [r[0] for r in rows[1:]] == ["Machinist 000", "Machinist 001", "Machinist 002"]
    turning = rows[0].index("CNC turning")
    assert rows[1][turning].startswith("Competent (")  # until its renewal
    assert rows[1][rows[0].index("Forklift licence")] == "Missing"
    # An employee's export holds only their own row.
    mine = export_via_job(login(world.employee), url("matrix_export"))
    rows = list(load_workbook(io.BytesIO(mine.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [world.employee.display_name]

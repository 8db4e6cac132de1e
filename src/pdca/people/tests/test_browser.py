"""The issue's "done when" in a real browser: the management representative's new revision of
a work instruction needing training outdates three machinists' competence; the production
manager (the process owner) schedules a session and the matrix shows them in training; the
trainer records attendance and the cells turn competent. A forklift licence past its expiry
turns its cell red and shows on the person's and their manager's dashboard and in the
calendar; readiness for 7.2 counts the records; the employee acknowledges the policy from
their profile and the matrix's awareness column follows."""

import datetime
import re

import pytest
from django.urls import reverse

from pdca.core import services as core_services
from pdca.core.models import Membership
from pdca.core.roles import Role
from pdca.core.testing import PASSWORD, make_user
from pdca.people import selectors, services
from pdca.people.models import AwarenessKind, Evidence, Level
from pdca.people.selectors import Cell
from pdca.people.tests.test_revisions import release

TODAY = datetime.date.today()


def sign_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def machinists(world):
    """The employee and two more CNC machinists, each competent in CNC turning, managed by
    the process owner (the production manager)."""
    role, turning = world.extra["people_job_role"], world.extra["people_competence"]
    members = [world.memberships[Role.EMPLOYEE]]
    for email, name in (("m.keller@acme.test", "Mia Keller"), ("p.roth@acme.test", "Paul Roth")):
        member = core_services.membership_add(
            actor=None,
            organization=world.org,
            user=make_user(email, name),
            roles=[Role.EMPLOYEE],
            department=world.department,
        )
        services.job_assign(actor=world.mr, membership=member, job_role=role, since=TODAY)
        services.competence_record_create(
            actor=world.mr,
            membership=member,
            competence=turning,
            evidence=Evidence.ASSESSMENT,
            level=Level.COMPETENT,
            achieved_on=TODAY - datetime.timedelta(days=30),
        )
        members.append(member)
    Membership.objects.filter(pk__in=[m.pk for m in members]).update(manager=world.owner)
    return members


def cnc_states(world, members):
    people = [m.person for m in members]
    turning = world.extra["people_competence"]
    return [
        dict((c.pk, cell.state) for c, cell in row.items)[turning.pk]
        for row in selectors.matrix(people).rows
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_revision_training_attendance_expiry_and_awareness(live_server, browser, world):
    base = live_server.url
    turning, forklift = world.extra["people_competence"], world.extra["people_forklift"]
    members = machinists(world)
    services.competence_save(
        actor=world.mr,
        organization=world.org,
        competence=turning,
        version=turning.version,
        retrain_on_revision=True,
        documents=[world.extra["document"]],
    )
    course = services.course_save(
        actor=world.mr,
        organization=world.org,
        title="CNC turning, new revision",
        competences=[turning],
        level=Level.COMPETENT,
    )
    # The employee's forklift licence ran out yesterday.
    services.competence_record_create(
        actor=world.mr,
        membership=members[0],
        competence=forklift,
        evidence=Evidence.QUALIFICATION,
        level=Level.COMPETENT,
        achieved_on=TODAY - datetime.timedelta(days=1000),
        valid_until=TODAY - datetime.timedelta(days=1),
        reference="FL-1187",
    )
    policy = services.awareness_item_save(
        actor=world.mr,
        organization=world.org,
        title="Quality policy",
        kind=AwarenessKind.POLICY,
        document=world.extra["document"],
    )
    assert cnc_states(world, members) == [Cell.MET] * 3

    # 1. The management representative's new revision, needing training, becomes effective.
    release(world, world.extra["draft_revision"])
    assert cnc_states(world, members) == [Cell.EXPIRED] * 3

    # 2. The production manager sees it in the matrix and schedules a session.
    context, page = sign_in(browser, live_server, world.owner)
    page.goto(base + url("people:matrix") + f"?competence={turning.pk}")
    assert page.locator("td .badge.danger", has_text="Expired").count() >= 3
    page.goto(base + url("people:session_create"))
    page.select_option("#id_course", str(course.pk))
    page.fill("#id_held_on", TODAY.isoformat())
    page.select_option("#id_trainer", str(world.mr.pk))
    page.fill("#id_place", "Lathe cell 2")
    page.select_option("#id_invited", [str(m.pk) for m in members])
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/training/sessions/\d+/$"))
    session_url = page.url
    assert cnc_states(world, members) == [Cell.IN_TRAINING] * 3
    page.goto(base + url("people:matrix") + f"?competence={turning.pk}")
    assert page.locator("td .badge", has_text="In training").count() == 3
    # The manager's dashboard: their people are not up to date.
    page.goto(base + url("core:dashboard"))
    assert page.get_by_text(re.compile(r"of your \d+ people (is|are) not up to date")).count()
    context.close()

    # 3. The trainer records attendance; the cells turn competent.
    context, page = sign_in(browser, live_server, world.mr)
    for member in members:
        page.goto(session_url + "attendance/")
        page.select_option("#id_membership", str(member.pk))
        page.select_option("#id_result", "passed")
        page.click("main form button[type=submit]")
        page.wait_for_url(session_url)
    assert cnc_states(world, members) == [Cell.MET] * 3
    page.goto(base + url("people:matrix") + f"?competence={turning.pk}")
    assert page.locator("td .badge.ok", has_text="Competent").count() == 3
    # The expired licence is red in the employee's row.
    person = members[0].person
    page.goto(base + url("people:person", pk=person.pk))
    assert page.locator("li", has_text="Forklift licence").locator(".badge.danger").count()
    # Readiness for 7.2 counts the competence records.
    from pdca.people.selectors import competence_evidence_editions

    assert competence_evidence_editions(world.org)
    context.close()

    # 4. The employee: the expired licence on the dashboard and in the calendar; they
    # acknowledge the policy from their profile.
    context, page = sign_in(browser, live_server, world.employee)
    page.goto(base + url("core:dashboard"))
    assert page.get_by_text("Competences your job roles require that you do not hold").count()
    page.goto(base + url("core:calendar_agenda"))
    assert page.get_by_text("Forklift licence").count()
    page.goto(base + url("people:person", pk=person.pk))
    page.click(f"a[href='{url('people:awareness_acknowledge', pk=policy.pk)}']")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/awareness/{policy.pk}/$"))
    assert page.get_by_text("acknowledged on").count()
    context.close()
    awareness = selectors.awareness_of(world.org, [person])[person.pk]
    assert policy not in awareness.pending

"""A new revision of a document tied to a competence asks its holders to retrain: the matrix
shows them not up to date, then in training, then competent again."""

import datetime

import pytest

from pdca.core.models import Notification, TrailEntry
from pdca.core.roles import Role
from pdca.core.testing import PASSWORD
from pdca.documents import services as documents
from pdca.documents.models import Meaning
from pdca.people import selectors, services
from pdca.people.models import Level, Result
from pdca.people.selectors import Cell

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def release(world, revision):
    documents.revision_submit(actor=world.owner, revision=revision)
    documents.revision_sign(
        actor=world.auditor, revision=revision, password=PASSWORD, meaning=Meaning.REVIEWED
    )
    documents.revision_sign(
        actor=world.mr, revision=revision, password=PASSWORD, meaning=Meaning.APPROVED
    )
    documents.revision_release(
        actor=world.mr, revision=revision, password=PASSWORD, effective_from=TODAY
    )


def cnc_state(world):
    person = world.extra["people_person"]
    row = selectors.matrix([person]).rows[0]
    return {c.name: cell.state for c, cell in row.items}["CNC turning"]


def test_a_revision_needing_training_outdates_the_records_until_retrained(
    world, django_capture_on_commit_callbacks
):
    turning = world.extra["people_competence"]
    services.competence_save(
        actor=world.mr,
        organization=world.org,
        competence=turning,
        version=turning.version,
        retrain_on_revision=True,
        documents=[world.extra["document"]],
    )
    assert cnc_state(world) == Cell.MET
    with django_capture_on_commit_callbacks(execute=True):
        release(world, world.extra["draft_revision"])
    turning.refresh_from_db()
    assert turning.current_since == TODAY
    assert cnc_state(world) == Cell.EXPIRED
    assert TrailEntry.objects.filter(action="people.competence.retraining").exists()
    assert Notification.objects.filter(kind="people.retraining", recipient=world.employee).exists()
    # Reading is assigned by documents as before.
    revision = world.extra["draft_revision"]
    assert revision.acknowledgements.filter(user=world.employee).exists()
    course = services.course_save(
        actor=world.mr,
        organization=world.org,
        title="CNC turning, revision B",
        competences=[turning],
        level=Level.COMPETENT,
    )
    session = services.session_plan(
        actor=world.mr,
        course=course,
        held_on=TODAY,
        trainer=world.owner,
        invited=[world.memberships[Role.EMPLOYEE]],
    )
    assert cnc_state(world) == Cell.IN_TRAINING
    services.attendance_record(
        actor=world.mr,
        session=session,
        membership=world.memberships[Role.EMPLOYEE],
        attended=True,
        result=Result.PASSED,
    )
    assert cnc_state(world) == Cell.MET


def test_a_competence_not_marked_for_retraining_keeps_its_records(world):
    turning = world.extra["people_competence"]
    services.competence_save(
        actor=world.mr,
        organization=world.org,
        competence=turning,
        version=turning.version,
        documents=[world.extra["document"]],
    )
    release(world, world.extra["draft_revision"])
    turning.refresh_from_db()
    assert turning.current_since is None and cnc_state(world) == Cell.MET

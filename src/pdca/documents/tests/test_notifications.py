"""Who is told what as a revision goes through review, approval and release."""

import pytest
from django.core import mail

from pdca.core.models import Notification
from pdca.core.testing import PASSWORD
from pdca.documents import services
from pdca.documents.models import Meaning
from pdca.documents.testing import make_effective_document

pytestmark = pytest.mark.django_db


def _told(kind, obj):
    return set(
        Notification.objects.filter(kind=kind, target_id=obj.pk).values_list(
            "recipient_id", flat=True
        )
    )


def _sign(world, user, rev, meaning, comment=""):
    return services.revision_sign(
        actor=user, revision=rev, password=PASSWORD, meaning=meaning, comment=comment
    )


def test_reviewers_first_then_approvers_once_every_reviewer_signed(
    world, draft_doc, django_capture_on_commit_callbacks
):
    draft_doc.reviewers.add(world.consultant)
    rev = draft_doc.latest_revision
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_submit(actor=world.owner, revision=rev)
    assert _told("documents.review_requested", rev) == {world.auditor.pk, world.consultant.pk}
    assert _told("documents.approval_requested", rev) == set()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.auditor.email, world.consultant.email]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _sign(world, world.auditor, rev, Meaning.REVIEWED)
    assert _told("documents.approval_requested", rev) == set()
    assert _told("documents.revision_signed", rev) == {world.owner.pk}
    with django_capture_on_commit_callbacks(execute=True):
        _sign(world, world.consultant, rev, Meaning.REVIEWED)
    assert _told("documents.approval_requested", rev) == {world.mr.pk}
    assert mail.outbox[-1].to == [world.mr.email] or any(
        m.to == [world.mr.email] for m in mail.outbox
    )


def test_without_reviewers_the_approvers_are_told_at_once(world, draft_doc):
    draft_doc.reviewers.clear()
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    assert _told("documents.approval_requested", rev) == {world.mr.pk}


def test_the_author_is_told_of_a_rejection_and_a_resubmission_asks_again(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    _sign(world, world.auditor, rev, Meaning.REJECTED, comment="Scope is missing")
    rejected = Notification.objects.get(kind="documents.revision_rejected", target_id=rev.pk)
    assert rejected.recipient == world.owner and rejected.data["comment"] == "Scope is missing"
    rev.refresh_from_db()
    services.revision_submit(actor=world.owner, revision=rev)
    assert (
        Notification.objects.filter(
            kind="documents.review_requested", target_id=rev.pk, recipient=world.auditor
        ).count()
        == 2
    )


def test_approval_tells_the_author(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    _sign(world, world.auditor, rev, Meaning.REVIEWED)
    _sign(world, world.mr, rev, Meaning.APPROVED)
    assert (
        Notification.objects.filter(
            kind="documents.revision_signed", target_id=rev.pk, recipient=world.owner
        ).count()
        == 2
    )


def test_an_effective_revision_tells_the_people_it_is_distributed_to(world):
    doc = make_effective_document(world, title="Handling of returns")
    told = _told("documents.reading_assigned", doc.current_revision)
    assert world.employee.pk in told
    assert told == set(doc.current_revision.acknowledgements.values_list("user_id", flat=True))

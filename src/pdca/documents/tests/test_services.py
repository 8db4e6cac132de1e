import datetime

import pytest
from django.core.exceptions import ValidationError

from pdca.core.models import TrailEntry
from pdca.core.services import ConflictError
from pdca.core.testing import PASSWORD
from pdca.documents import services
from pdca.documents.models import (
    Document,
    DocumentStatus,
    Meaning,
    NumberingScheme,
    Revision,
    RevisionStatus,
    Signature,
)
from pdca.documents.signing import verify_signature
from pdca.documents.testing import make_effective_document

pytestmark = pytest.mark.django_db


def _through_approval(world, rev):
    services.revision_submit(actor=world.owner, revision=rev)
    services.revision_sign(actor=world.auditor, revision=rev, password=PASSWORD, meaning="reviewed")
    return services.revision_sign(
        actor=world.mr, revision=rev, password=PASSWORD, meaning="approved"
    )


def test_numbers_come_from_the_scheme_of_the_type(world):
    services.scheme_save(
        actor=world.mr, organization=world.org, doc_type="manual", prefix="QP", digits=4
    )
    a = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="manual",
        title="A",
        owner=world.mr,
        text="x",
    )
    b = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="manual",
        title="B",
        owner=world.mr,
        text="x",
    )
    assert (a.number, b.number) == ("QP-0001", "QP-0002")
    c = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="policy",
        title="C",
        owner=world.mr,
        text="x",
    )
    assert c.number == "POL-001"
    assert NumberingScheme.objects.get(organization=world.org, doc_type="manual").next_number == 3


def test_a_number_already_in_use_is_refused(world, draft_doc):
    with pytest.raises(ValidationError) as error:
        services.document_create(
            actor=world.mr,
            organization=world.org,
            doc_type="procedure",
            title="Dup",
            owner=world.mr,
            text="x",
            number=draft_doc.number.lower(),
        )
    assert "already in use" in str(error.value)
    other = services.document_create(
        actor=world.mr, organization=world.org, doc_type="form", title="F", owner=world.mr, text="x"
    )
    with pytest.raises(ValidationError):
        services.document_update(
            actor=world.mr, document=other, version=other.version, number=draft_doc.number
        )


def test_allocation_skips_numbers_taken_by_hand(world):
    services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="form",
        title="A",
        owner=world.mr,
        text="x",
        number="FRM-001",
    )
    b = services.document_create(
        actor=world.mr, organization=world.org, doc_type="form", title="B", owner=world.mr, text="x"
    )
    assert b.number == "FRM-002"


def test_the_same_number_is_allowed_in_another_organization(world, draft_doc):
    services.document_create(
        actor=world.outsider,
        organization=world.other_org,
        doc_type="procedure",
        title="X",
        owner=world.outsider,
        text="x",
        number=draft_doc.number,
    )


def test_full_workflow_draft_review_approve_effective(world, draft_doc):
    rev = draft_doc.latest_revision
    rev = _through_approval(world, rev)
    assert rev.status == RevisionStatus.APPROVED
    services.revision_release(
        actor=world.mr, revision=rev, password=PASSWORD, effective_from=datetime.date.today()
    )
    rev.refresh_from_db()
    draft_doc.refresh_from_db()
    assert rev.status == RevisionStatus.EFFECTIVE
    assert draft_doc.status == DocumentStatus.EFFECTIVE
    assert draft_doc.current_revision == rev
    assert draft_doc.next_review_date == services.add_months(datetime.date.today(), 12)
    meanings = list(rev.signatures.values_list("meaning", flat=True))
    assert meanings == ["reviewed", "approved", "released"]
    actions = set(TrailEntry.objects.filter(object_id=str(rev.pk)).values_list("action", flat=True))
    assert {
        "documents.revision.reviewed",
        "documents.revision.approved",
        "documents.revision.effective",
    } <= actions


def test_signature_records_name_meaning_and_hash_of_what_was_signed(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    services.revision_sign(
        actor=world.auditor, revision=rev, password=PASSWORD, meaning="reviewed", comment="ok"
    )
    sig = Signature.objects.get(revision=rev)
    assert sig.full_name == world.auditor.full_name
    assert sig.content_hash == rev.content_hash
    assert len(sig.signed_hash) == 64
    assert verify_signature(sig)
    Revision.objects.filter(pk=rev.pk).update(content_hash="0" * 64)
    sig.refresh_from_db()
    assert not verify_signature(sig)


def test_wrong_password_is_refused_and_recorded(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    with pytest.raises(ValidationError) as error:
        services.revision_sign(
            actor=world.auditor, revision=rev, password="wrong", meaning="reviewed"
        )
    assert "password" in error.value.message_dict
    assert not Signature.objects.filter(revision=rev).exists()
    assert TrailEntry.objects.filter(
        action="documents.signature.failed", actor=world.auditor
    ).exists()


def test_author_cannot_approve_own_revision(world):
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="policy",
        title="Quality policy",
        owner=world.mr,
        text="We care.",
        approvers=[world.mr],
    )
    rev = doc.latest_revision
    services.revision_submit(actor=world.mr, revision=rev)
    with pytest.raises(ValidationError, match="author"):
        services.revision_sign(actor=world.mr, revision=rev, password=PASSWORD, meaning="approved")


def test_approval_needs_every_reviewer_first(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    with pytest.raises(ValidationError, match="Every reviewer"):
        services.revision_sign(actor=world.mr, revision=rev, password=PASSWORD, meaning="approved")


def test_only_assigned_people_sign(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    with pytest.raises(ValidationError, match="not a reviewer"):
        services.revision_sign(actor=world.top, revision=rev, password=PASSWORD, meaning="reviewed")


def test_rejection_needs_a_comment_and_returns_to_draft(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    with pytest.raises(ValidationError):
        services.revision_sign(
            actor=world.auditor, revision=rev, password=PASSWORD, meaning="rejected"
        )
    rev = services.revision_sign(
        actor=world.auditor,
        revision=rev,
        password=PASSWORD,
        meaning="rejected",
        comment="Scope missing",
    )
    assert rev.status == RevisionStatus.DRAFT


def test_submit_needs_an_approver(world):
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="policy",
        title="P",
        owner=world.mr,
        text="x",
    )
    with pytest.raises(ValidationError, match="approver"):
        services.revision_submit(actor=world.mr, revision=doc.latest_revision)


def test_new_effective_revision_supersedes_previous(world):
    doc = make_effective_document(world)
    first = doc.current_revision
    second = services.revision_start(actor=world.owner, document=doc, change_reason="Update")
    services.revision_update(
        actor=world.owner,
        revision=second,
        version=second.version,
        text="New text",
        change_reason="Update",
    )
    second.refresh_from_db()
    _through_approval(world, second)
    services.revision_release(
        actor=world.mr, revision=second, password=PASSWORD, effective_from=datetime.date.today()
    )
    first.refresh_from_db()
    doc.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    assert first.ended_on == datetime.date.today()
    assert doc.current_revision_id == second.pk
    assert Revision.objects.filter(document=doc, status="effective").count() == 1


def test_future_effective_date_waits_for_the_daily_run(world, draft_doc):
    from pdca.documents.reminders import run_daily

    rev = _through_approval(world, draft_doc.latest_revision)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    services.revision_release(
        actor=world.mr, revision=rev, password=PASSWORD, effective_from=tomorrow
    )
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.APPROVED
    run_daily(today=tomorrow)
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.EFFECTIVE


def test_editing_an_effective_document_starts_a_new_draft(world):
    doc = make_effective_document(world)
    with pytest.raises(ValidationError, match="Only a draft"):
        services.revision_update(
            actor=world.owner,
            revision=doc.current_revision,
            version=doc.current_revision.version,
            text="changed",
            change_reason="x",
        )
    new = services.revision_start(actor=world.owner, document=doc, change_reason="Clarify scope")
    assert new.status == RevisionStatus.DRAFT and new.seq == 2
    assert new.text == doc.current_revision.text
    with pytest.raises(ValidationError, match="in progress"):
        services.revision_start(actor=world.owner, document=doc, change_reason="again")


def test_concurrent_draft_save_is_refused_with_conflict(world, draft_doc):
    rev = draft_doc.latest_revision
    v = rev.version
    services.revision_update(
        actor=world.owner, revision=rev, version=v, text="Mine", change_reason="a"
    )
    with pytest.raises(ConflictError, match="Someone else changed"):
        services.revision_update(
            actor=world.mr, revision=rev, version=v, text="Theirs", change_reason="b"
        )
    rev.refresh_from_db()
    assert rev.text == "Mine"


def test_stale_document_metadata_save_is_refused(world, draft_doc):
    v = draft_doc.version
    services.document_update(actor=world.mr, document=draft_doc, version=v, title="New title")
    with pytest.raises(ConflictError):
        services.document_update(actor=world.mr, document=draft_doc, version=v, title="Other")


def test_effective_acknowledgements_created_for_distribution(world):
    doc = make_effective_document(world)
    acks = doc.current_revision.acknowledgements
    assert list(acks.values_list("user", flat=True)) == [world.employee.pk]
    ack = acks.get()
    services.reading_opened(actor=world.employee, revision=ack.revision)
    ack.refresh_from_db()
    services.acknowledgement_confirm(actor=world.employee, acknowledgement=ack)
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    assert TrailEntry.objects.filter(action="documents.acknowledgement.acknowledged").exists()
    with pytest.raises(ValidationError):
        services.acknowledgement_confirm(actor=world.mr, acknowledgement=ack)


def test_distribution_by_department_and_name(world):
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="work_instruction",
        title="Deburring",
        owner=world.owner,
        text="x",
        reviewers=[],
        approvers=[world.mr],
    )
    services.distribution_set(
        actor=world.mr, document=doc, departments=[world.department], users=[world.auditor]
    )
    users = set(services.distributed_users(doc))
    assert users == {world.owner.pk, world.employee.pk, world.auditor.pk}


def test_periodic_review_no_change_is_signed_and_reschedules(world):
    doc = make_effective_document(world)
    Document.objects.filter(pk=doc.pk).update(
        next_review_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    doc.refresh_from_db()
    assert doc.review_state(datetime.date.today()) == "overdue"
    with pytest.raises(ValidationError):
        services.document_review_confirm(actor=world.owner, document=doc, password="nope")
    doc = services.document_review_confirm(actor=world.owner, document=doc, password=PASSWORD)
    assert doc.next_review_date == services.add_months(datetime.date.today(), 12)
    assert doc.current_revision.signatures.filter(meaning=Meaning.REVIEWED_NO_CHANGE).exists()


def test_obsolete_document_keeps_revision_readable(world):
    doc = make_effective_document(world)
    rev = doc.current_revision
    doc = services.document_make_obsolete(
        actor=world.mr, document=doc, password=PASSWORD, reason="Merged"
    )
    rev.refresh_from_db()
    assert doc.status == DocumentStatus.OBSOLETE and doc.current_revision is None
    assert rev.status == RevisionStatus.OBSOLETE
    with pytest.raises(ValidationError):
        services.revision_start(actor=world.owner, document=doc, change_reason="revive")


def test_reminders_email_owners_of_due_reviews(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from pdca.documents.reminders import send_review_reminders

    doc = make_effective_document(world)
    Document.objects.filter(pk=doc.pk).update(next_review_date=datetime.date.today())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 1
    assert mailoutbox[0].to == [world.owner.email]
    assert doc.number in mailoutbox[0].body
    # Run again the same day (hourly, or two schedulers at once): nothing new is sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 0
    assert len(mailoutbox) == 1


def test_remind_documents_command_runs(world, capsys):
    from django.core.management import call_command

    call_command("remind-documents")
    assert "reminder" in capsys.readouterr().out


def test_documents_link_to_clauses_as_evidence(world):
    from pdca.standards.evidence import clauses_for
    from pdca.standards.models import Clause

    clause = Clause.objects.filter(number="7.5").first()
    assert clause is not None
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="procedure",
        title="Doc control",
        owner=world.mr,
        text="x",
        clauses=[clause],
    )
    assert clauses_for(world.org, doc) == [clause]


def test_document_is_registered_as_maintained_information():
    from pdca.standards.registry import EVIDENCE_KINDS

    assert "documents.document" in EVIDENCE_KINDS["maintain"]

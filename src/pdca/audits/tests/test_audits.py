"""Planning, independence, checklists (including concurrent answers), findings and the report."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.audits import services
from pdca.audits.models import Audit, ChecklistAnswerRevision, Finding
from pdca.audits.selectors import programme_grid
from pdca.audits.testing import PNG, clauses, editions, make_signable
from pdca.core.models import Department, TrailEntry
from pdca.core.testing import PASSWORD
from pdca.improvement.selectors import raised_from
from pdca.standards.models import EvidenceLink

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def plan(world, **extra):
    values = {
        "title": "Purchasing",
        "planned_start": TODAY,
        "planned_end": TODAY,
        "lead_auditor": world.auditor,
        "programme": world.extra["au_programme"],
    }
    values.update(extra)
    return services.audit_save(actor=world.mr, organization=world.org, **values)


def test_lead_auditor_cannot_audit_own_department(world):
    membership = world.memberships["auditor"]
    membership.department = world.department
    membership.save()
    with pytest.raises(ValidationError) as err:
        plan(world, departments=[world.department])
    assert "Production department" in str(err.value)
    assert "their own department" in str(err.value)


def test_team_member_cannot_audit_a_process_they_own(world):
    process = world.extra["audit_process"]
    with pytest.raises(ValidationError) as err:
        plan(world, team=[world.owner], processes=[process])
    assert f"process {process}" in str(err.value)
    audit = plan(world, team=[world.top], processes=[process])
    with pytest.raises(ValidationError, match="they own it"):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            audit=audit,
            expected_version=audit.version,
            lead_auditor=world.owner,
        )


def test_plan_refuses_other_org_objects_and_bad_dates(world):
    foreign = Department.objects.create(organization=world.other_org, name="Theirs")
    with pytest.raises(ValidationError):
        plan(world, departments=[foreign])
    with pytest.raises(ValidationError, match="before it starts"):
        plan(world, planned_end=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="current internal members"):
        plan(world, team=[world.outsider])


def test_checklist_asks_shared_clauses_once_in_integrated_audit(world):
    audit = world.extra["au_audit"]
    # 8.5 and 9.2 chosen in both ISO 9001 and ISO 14001: the 9.2 family is harmonized.
    hs_questions = [
        q for q in audit.questions.all() if q.clause and q.clause.number.startswith("9.2")
    ]
    numbers = [q.clause.number for q in hs_questions]
    assert len(numbers) == len(set(numbers))
    shared = next(q for q in hs_questions if q.clause.number == "9.2")
    assert {c.edition.standard.code for c in shared.also_clauses.all()} == {"iso14001"} - {
        shared.clause.edition.standard.code
    } or shared.also_clauses.exists()
    again = services.checklist_generate(actor=world.auditor, audit=audit)
    assert again == 0  # generating twice adds nothing


def test_checklist_asks_about_each_effective_document_of_the_audited_processes(world, login):
    from pdca.documents import services as documents
    from pdca.documents.models import Document
    from pdca.documents.testing import make_effective_document
    from pdca.standards.models import Process

    audit = world.extra["au_audit"]
    process = world.extra["audit_process"]
    followed = make_effective_document(world, title="First-off inspection")
    restricted = make_effective_document(world, title="Pricing rules")
    elsewhere = make_effective_document(world, title="Warehouse picking")
    other = Process.objects.create(organization=world.org, code="P-09", name="Warehouse")
    Document.objects.filter(pk__in=[followed.pk, restricted.pk]).update(process=process)
    Document.objects.filter(pk=restricted.pk).update(
        confidentiality="restricted", allowed_roles=["top"]
    )
    Document.objects.filter(pk=elsewhere.pk).update(process=other)
    draft = documents.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="work_instruction",
        title="Draft setting-up sheet",
        owner=world.owner,
        process=process,
        text="Not yet in force.",
    )

    added = services.checklist_generate(actor=world.auditor, audit=audit)

    # Only the effective document of an audited process that the auditor may see is asked about.
    assert added == 1
    question = audit.questions.get(document__isnull=False)
    assert question.document_id == followed.pk and question.process_id == process.pk
    assert followed.number in question.text and "First-off inspection" in question.text
    assert f"revision {followed.current_revision.label}" in question.guidance
    assert not audit.questions.filter(document__in=[restricted, elsewhere, draft]).exists()
    assert services.checklist_generate(actor=world.auditor, audit=audit) == 0
    page = login(world.auditor).get(
        reverse("audits:checklist", kwargs={"org": world.org.slug, "pk": audit.pk})
    )
    assert f'/documents/{followed.pk}/"' in page.content.decode()


def test_answers_are_idempotent_and_concurrent_edits_keep_both(world):
    question = world.extra["au_question"]
    first = services.answer_submit(
        actor=world.auditor,
        question=question,
        client_id="a-1",
        base_version=0,
        answer="conform",
        notes="phone A",
    )
    assert first.outcome == "saved" and first.question.version == 1
    resent = services.answer_submit(
        actor=world.auditor,
        question=question,
        client_id="a-1",
        base_version=0,
        answer="conform",
        notes="phone A",
    )
    assert resent.outcome == "duplicate"
    other = services.answer_submit(
        actor=world.mr,
        question=question,
        client_id="b-1",
        base_version=0,
        answer="nonconform",
        notes="tablet B",
    )
    assert other.outcome == "conflict"
    question.refresh_from_db()
    assert (question.answer, question.notes, question.has_conflict) == ("conform", "phone A", True)
    kept = ChecklistAnswerRevision.objects.get(client_id="b-1")
    assert (kept.accepted, kept.notes, kept.answer) == (False, "tablet B", "nonconform")
    assert TrailEntry.objects.filter(action="audits.checklist.conflict").exists()
    services.conflict_resolve(actor=world.auditor, question=question)
    question.refresh_from_db()
    assert not question.has_conflict
    assert ChecklistAnswerRevision.objects.filter(question=question).count() == 2


def test_answer_refused_for_non_team_member_and_bad_input(world):
    question = world.extra["au_question"]
    with pytest.raises(ValidationError, match="audit team"):
        services.answer_submit(
            actor=world.top, question=question, client_id="x", base_version=0, answer="conform"
        )
    with pytest.raises(ValidationError):
        services.answer_submit(
            actor=world.auditor, question=question, client_id="y", base_version=0, answer="maybe"
        )
    with pytest.raises(ValidationError):
        services.answer_submit(
            actor=world.auditor, question=question, client_id="", base_version=0, answer="conform"
        )


def test_photos_are_checked_by_content_and_size(world):
    question = world.extra["au_question"]
    with pytest.raises(ValidationError, match="not a JPEG"):
        services.photo_add(
            actor=world.auditor,
            question=question,
            client_id="p1",
            name="x.png",
            data=b"<html>not an image</html>",
        )
    with pytest.raises(ValidationError, match="5 MB"):
        services.photo_add(
            actor=world.auditor,
            question=question,
            client_id="p2",
            name="x.png",
            data=PNG + b"0" * (5 * 1024 * 1024),
        )
    photo = services.photo_add(
        actor=world.auditor, question=question, client_id="p3", name="ok.png", data=PNG
    )
    again = services.photo_add(
        actor=world.auditor, question=question, client_id="p3", name="ok.png", data=PNG
    )
    assert photo.pk == again.pk and photo.content_type == "image/png"


def test_nonconformity_finding_raises_nonconformity_in_one_step(world):
    finding = world.extra["au_finding"]
    nc = raised_from(finding)
    assert (
        nc.source == "audit"
        and nc.severity == "minor"
        and nc.process == world.extra["audit_process"]
    )
    assert list(nc.clauses.all()) == [finding.clause]
    assert services.finding_raise_nonconformity(actor=world.auditor, finding=finding) == nc
    obs = services.finding_record(
        actor=world.auditor,
        audit=world.extra["au_audit"],
        grade=Finding.Grade.OBSERVATION,
        statement="Labels fading",
    )
    assert raised_from(obs) is None
    with pytest.raises(ValidationError) as err:
        services.finding_record(
            actor=world.auditor,
            audit=world.extra["au_audit"],
            grade=Finding.Grade.MAJOR,
            statement="No calibration",
        )
    assert {"requirement", "evidence"} <= set(err.value.message_dict)


def test_auditee_acknowledges_once(world):
    finding = world.extra["au_finding"]
    services.finding_acknowledge(actor=world.owner, finding=finding, note="Agreed")
    with pytest.raises(ValidationError, match="already"):
        services.finding_acknowledge(actor=world.owner, finding=finding)


def test_lead_auditor_signs_report_closes_audit_and_links_9_2_evidence(world):
    audit = make_signable(world)
    with pytest.raises(ValidationError, match="lead auditor"):
        services.report_sign(actor=world.mr, audit=audit, password=PASSWORD, conclusion="ok")
    with pytest.raises(ValidationError, match="password"):
        services.report_sign(actor=world.auditor, audit=audit, password="nope", conclusion="ok")
    with pytest.raises(ValidationError, match="conclusion"):
        services.report_sign(actor=world.auditor, audit=audit, password=PASSWORD, conclusion=" ")
    report = services.report_sign(
        actor=world.auditor,
        audit=audit,
        password=PASSWORD,
        summary="Good shape",
        conclusion="Effective, one minor NC",
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.CLOSED
    import hashlib

    assert report.sha256 == hashlib.sha256(report.content.encode()).hexdigest()
    assert bytes(report.pdf).startswith(b"%PDF")
    links = EvidenceLink.objects.filter(
        content_type=ContentType.objects.get_for_model(report), object_id=report.pk
    )
    assert {(link.clause.edition.standard.code, link.clause.number) for link in links} == {
        ("iso9001", "9.2"),
        ("iso9001", "9.2.2"),
        ("iso14001", "9.2"),
        ("iso14001", "9.2.2"),
    }
    with pytest.raises(ValidationError, match="closed"):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            audit=audit,
            expected_version=audit.version,
            title="x",
        )
    with pytest.raises(ValidationError):
        services.report_sign(actor=world.auditor, audit=audit, password=PASSWORD, conclusion="x")


def test_programme_grid_shows_uncovered_clauses_overdue_and_risk(world):
    programme = world.extra["au_programme"]
    grid = programme_grid(programme)
    uncovered = {r.key for r in grid.uncovered_clauses}
    assert "hs:9.2" in uncovered  # planned only: not audited yet
    services.audit_set_status(actor=world.mr, audit=world.extra["au_audit"], status="in_progress")
    grid = programme_grid(programme)
    uncovered = {r.key for r in grid.uncovered_clauses}
    assert "hs:9.2" not in uncovered and "iso9001:2015:8.5" not in uncovered
    assert "hs:4.1" in uncovered
    late = plan(
        world,
        title="Late",
        planned_start=TODAY - datetime.timedelta(days=10),
        planned_end=TODAY - datetime.timedelta(days=9),
        clauses=clauses(("iso9001",), ("7.5",)),
    )
    grid = programme_grid(programme)
    assert late in grid.overdue
    for i in range(3):
        services.finding_record(
            actor=world.auditor,
            audit=world.extra["au_audit"],
            grade=Finding.Grade.OBSERVATION,
            statement=f"obs {i}",
            process=world.extra["audit_process"],
        )
    grid = programme_grid(programme)
    assert [r.label for r in grid.risky_processes] == [str(world.extra["audit_process"])]


def test_programme_grid_query_count_is_fixed(world, django_assert_max_num_queries):
    programme = world.extra["au_programme"]
    for i in range(15):
        plan(
            world,
            title=f"A{i}",
            planned_start=TODAY + datetime.timedelta(days=30 * i),
            planned_end=TODAY + datetime.timedelta(days=30 * i),
            clauses=clauses(("iso9001",), ("7.5", "8.4")),
            editions=editions("iso9001"),
        )
    # Organization, editions, audits, their clauses and processes, clauses, processes, overdue,
    # the two risk counts, and the trail head that keys the cached grid.
    with django_assert_max_num_queries(11):
        grid = programme_grid(programme)
    assert grid.clause_rows
    with django_assert_max_num_queries(1):  # until the next change: only the trail head
        assert programme_grid(programme).clause_rows == grid.clause_rows


def test_templates_save_and_reuse(world):
    audit = world.extra["au_audit"]
    other = plan(world, title="Reuse")
    added = services.template_apply(
        actor=world.auditor, audit=other, template=world.extra["au_template"]
    )
    assert added == audit.questions.count() == other.questions.count()
    with pytest.raises(ValidationError, match="exists"):
        services.template_save(actor=world.auditor, audit=audit, name="Base")


def test_answered_question_cannot_be_removed(world):
    question = world.extra["au_question"]
    services.answer_submit(
        actor=world.auditor, question=question, client_id="r1", base_version=0, answer="conform"
    )
    with pytest.raises(ValidationError, match="stays"):
        services.question_remove(actor=world.auditor, question=question)

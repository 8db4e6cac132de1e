"""The report is signed only when the audit has happened: in progress or reporting, its dates
reached, every checklist question answered (or not checked, with a reason), every nonconformity
acknowledged or its refusal recorded; the report carries the checklist results."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pdca.audits import services
from pdca.audits.models import Audit, ChecklistQuestion, Finding
from pdca.audits.testing import make_signable
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def sign(world, audit):
    return services.report_sign(
        actor=world.auditor, audit=audit, password=PASSWORD, conclusion="Effective."
    )


def test_a_planned_audit_cannot_be_signed(world):
    audit = make_signable(world)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.PLANNED)
    with pytest.raises(ValidationError, match="in progress or reporting"):
        sign(world, audit)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.PREPARATION)
    with pytest.raises(ValidationError, match="in progress or reporting"):
        sign(world, audit)
    assert Audit.objects.get(pk=audit.pk).status != Audit.Status.CLOSED


def test_an_audit_before_its_last_day_cannot_be_signed(world):
    audit = make_signable(world)
    Audit.objects.filter(pk=audit.pk).update(planned_end=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="on or after its last day"):
        sign(world, audit)


def test_every_question_is_answered_or_not_checked_with_a_reason(world):
    audit = make_signable(world)
    first, *_rest = audit.questions.all()
    ChecklistQuestion.objects.filter(pk=first.pk).update(answer="")
    with pytest.raises(ValidationError, match="not answered: 1"):
        sign(world, audit)
    ChecklistQuestion.objects.filter(pk=first.pk).update(answer="not_checked", notes=" ")
    with pytest.raises(ValidationError, match="not checked without a reason: 1"):
        sign(world, audit)
    ChecklistQuestion.objects.filter(pk=first.pk).update(has_conflict=True, notes="Shut down")
    with pytest.raises(ValidationError, match="conflicting edits"):
        sign(world, audit)
    ChecklistQuestion.objects.filter(pk=first.pk).update(has_conflict=False)
    report = sign(world, audit)
    assert "Why not checked: Shut down" in report.content


def test_every_nonconformity_is_acknowledged_or_its_refusal_recorded(world, login):
    audit = make_signable(world)
    finding = world.extra["au_finding"]
    Finding.objects.filter(pk=finding.pk).update(acknowledged_by=None, acknowledged_at=None)
    with pytest.raises(ValidationError, match="not acknowledged"):
        sign(world, audit)
    client = login(world.auditor)
    r = client.post(url("audits:finding_refusal", pk=finding.pk), {"reason": ""})
    assert r.status_code == 400
    r = client.post(
        url("audits:finding_refusal", pk=finding.pk),
        {"reason": "The owner says first-off checks are optional for repeat orders."},
    )
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.refusal_recorded_by == world.auditor and finding.acknowledgement_settled
    assert TrailEntry.objects.filter(action="audits.finding.acknowledgement_refused").exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.finding_refusal_record(actor=world.auditor, finding=finding, reason="again")
    # Only the team records it.
    r = login(world.employee).post(url("audits:finding_refusal", pk=finding.pk), {"reason": "x"})
    assert r.status_code == 403
    report = sign(world, audit)
    assert "Not acknowledged by the auditee: The owner says" in report.content


def test_the_report_carries_the_checklist_results(world, login):
    audit = make_signable(world)
    questions = list(audit.questions.all())
    answers = ["nonconform", "observation", "not_checked"]
    for q, answer in zip(questions, answers, strict=False):
        ChecklistQuestion.objects.filter(pk=q.pk).update(answer=answer, notes="Line stopped")
    client = login(world.auditor)
    page = client.get(url("audits:report", pk=audit.pk)).content.decode()
    for label in ("Conform", "Nonconform", "Observation", "Not checked"):
        assert label in page
    assert "Line stopped" in page
    report = sign(world, audit)
    conform = len(questions) - len(answers)
    line = f"Conform {conform}, Nonconform 1, Observation 1, Not checked 1"
    assert line in report.content
    assert questions[0].text in report.content
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(report.pdf))).pages)
    assert "Nonconform 1" in pdf and "Not checked 1" in pdf


def test_the_sign_page_and_api_list_what_is_missing(world, login):
    audit = world.extra["au_audit"]  # planned, its checklist open
    client = login(world.auditor)
    page = client.get(url("audits:sign", pk=audit.pk)).content.decode()
    assert "The report cannot be signed yet" in page and "in progress or reporting" in page
    r = client.post(url("audits:sign", pk=audit.pk), {"conclusion": "x", "password": PASSWORD})
    assert r.status_code == 400
    status = client.get(url("api-audits-sign", pk=audit.pk)).json()
    assert status["signed"] is False and status["problems"]
    r = client.post(
        url("api-audits-sign", pk=audit.pk),
        {"password": PASSWORD, "conclusion": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "in progress or reporting" in str(r.json())
    assert Audit.objects.get(pk=audit.pk).status != Audit.Status.CLOSED
    make_signable(world, audit)
    assert client.get(url("api-audits-sign", pk=audit.pk)).json()["problems"] == []
    page = client.get(url("audits:sign", pk=audit.pk)).content.decode()
    assert "The report cannot be signed yet" not in page and 'name="password"' in page

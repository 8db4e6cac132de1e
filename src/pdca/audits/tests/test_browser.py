"""The issue's path in a real browser at phone size: the auditor plans an audit, answers its
checklist (part of it offline), records a minor nonconformity and signs the report; the process
owner analyses and completes the action; the management representative verifies and closes."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.audits import services
from pdca.audits.models import Audit, ChecklistQuestion, Finding
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.improvement.selectors import raised_from_any
from pdca.standards.models import Clause

SHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


def sign_in(browser, live_server, user):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"audits-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_audit_to_closed_corrective_action_with_offline_checklist(live_server, browser, world):
    base = live_server.url
    org = "acme"
    clause_ids = [
        str(c.pk)
        for c in Clause.objects.filter(edition__standard__code="iso9001", number__in=["7.5", "8.4"])
    ]

    # 1. The internal auditor plans the audit.
    context, page = sign_in(browser, live_server, world.auditor)
    page.goto(base + reverse("audits:create", kwargs={"org": org}))
    page.fill("#id_title", "Purchasing and documents")
    page.select_option("#id_clauses", clause_ids)
    today = timezone.localdate().isoformat()
    page.fill("#id_planned_start", today)
    page.fill("#id_planned_end", today)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    audit = Audit.objects.get(title="Purchasing and documents")
    assert audit.lead_auditor == world.auditor

    # 2. Generate the checklist, then fill it on the phone.
    page.goto(base + reverse("audits:checklist_edit", kwargs={"org": org, "pk": audit.pk}))
    page.click("text=Generate questions")
    page.wait_for_load_state()
    questions = list(ChecklistQuestion.objects.filter(audit=audit).order_by("position"))
    assert len(questions) >= 3
    page.goto(base + reverse("audits:checklist", kwargs={"org": org, "pk": audit.pk}))
    first, second, third = (f"#q-{q.pk}" for q in questions[:3])
    page.check(f"{first} input[value=conform]")
    page.wait_for_function("() => document.getElementById('pending-count').dataset.count === '0'")
    shot(page, "checklist-phone")

    # The network drops: answers queue on the device.
    context.set_offline(True)
    page.wait_for_function(
        "() => document.getElementById('net-state').textContent.startsWith('offline')"
    )
    page.check(f"{second} input[value=nonconform]")
    page.fill(f"{second} textarea[name=notes]", "Supplier list not approved since 2023")
    page.fill(f"{second} textarea[name=evidence_seen]", "Approved supplier list rev 4")
    page.check(f"{third} input[value=observation]")
    # Three fields of one question and one of another: two questions wait.
    page.wait_for_function(
        "() => document.getElementById('pending-count').dataset.questions === '2'"
    )
    assert "not yet synced" in page.inner_text("#pending-count")
    shot(page, "checklist-offline")
    assert ChecklistQuestion.objects.get(pk=questions[1].pk).answer == ""

    # Back online: the queue reaches the server in order.
    context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('pending-count').dataset.count === '0'", timeout=20000
    )
    q2 = ChecklistQuestion.objects.get(pk=questions[1].pk)
    assert (q2.answer, q2.notes, q2.evidence_seen) == (
        "nonconform",
        "Supplier list not approved since 2023",
        "Approved supplier list rev 4",
    )
    assert ChecklistQuestion.objects.get(pk=questions[2].pk).answer == "observation"
    assert not q2.has_conflict

    # 3. A minor nonconformity from the second question, raised in one step.
    page.click(f"{second} >> text=Record a finding from this question")
    page.wait_for_load_state()
    page.select_option("#id_grade", "minor")
    page.fill("#id_statement", "The approved supplier list has not been reviewed since 2023.")
    page.fill("#id_requirement", "Suppliers evaluated and re-evaluated")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    nc = raised_from_any(Finding.objects.filter(audit=audit)).get()
    assert nc.severity == "minor"

    # 4. The lead auditor signs the report once the audit has happened: the sign page first
    # says what is missing; the rest of the checklist is marked not checked with its reason,
    # the audit moves to reporting and the auditee acknowledges the nonconformity.
    page.goto(base + reverse("audits:sign", kwargs={"org": org, "pk": audit.pk}))
    assert "cannot be signed yet" in page.inner_text("main")
    ChecklistQuestion.objects.filter(audit=audit, answer="").update(
        answer="not_checked", notes="Out of time: next audit"
    )
    services.audit_set_status(actor=world.auditor, audit=audit, status="reporting")
    services.finding_acknowledge(actor=world.owner, finding=Finding.objects.get(audit=audit))
    page.goto(base + reverse("audits:sign", kwargs={"org": org, "pk": audit.pk}))
    page.fill("#id_conclusion", "The system is effective; one minor nonconformity.")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/report/$"))
    assert "signed" in page.inner_text("main")
    shot(page, "report-phone")
    audit.refresh_from_db()
    assert audit.status == "closed"
    context.close()

    # 5. The process owner analyses the root cause and completes the action.
    context, page = sign_in(browser, live_server, world.owner)
    detail = base + reverse("improvement:detail", kwargs={"org": org, "pk": nc.pk})
    page.goto(base + reverse("improvement:root_cause", kwargs={"org": org, "pk": nc.pk}))
    page.fill("#id_why_1", "Nobody was reminded to review it")
    page.fill("#id_why_2", "The review has no owner or date")
    page.fill("#id_method", "No review interval in the purchasing procedure")
    page.fill("#id_root_cause", "The purchasing procedure sets no review interval or owner")
    page.select_option("#id_root_cause_category", "method")
    page.locator("input[name=similar][value=could_occur]").check()
    page.fill("#id_similar_notes", "Every supplier on the list; the action covers them all.")
    page.click("main form button[type=submit]")
    page.wait_for_url(detail)
    page.goto(base + reverse("improvement:action_add", kwargs={"org": org, "pk": nc.pk}))
    page.fill("#id_title", "Add a yearly supplier review to the procedure")
    page.select_option("#id_owner", str(world.owner.pk))
    page.fill("#id_due_on", "2099-01-01")
    page.click("main form button[type=submit]")
    page.wait_for_url(detail)
    action = nc.actions.get()
    page.goto(base + reverse("improvement:action_update", kwargs={"org": org, "pk": action.pk}))
    page.select_option("#id_status", "done")
    page.fill("#id_notes", "Procedure P-07 rev 5 released")
    page.click("main form button[type=submit]")
    page.wait_for_url(detail)
    context.close()

    # 6. Verifying effectiveness and closing (reaction, closure steps, signature) are the CAPA
    # journey's own browser test (improvement/tests/test_browser_capa.py).
    nc.refresh_from_db()
    assert nc.status != "cancelled" and nc.actions.get().status == "done"
    actions = set(TrailEntry.objects.values_list("action", flat=True))
    assert {
        "audits.audit.planned",
        "audits.checklist.answered",
        "audits.finding.recorded",
        "audits.report.signed",
        "improvement.nonconformity.raised",
        "improvement.nonconformity.analysed",
        "improvement.action.updated",
    } <= actions

    # 7. The programme shows what is still unaudited this cycle.
    context, page = sign_in(browser, live_server, world.mr)
    page.goto(base + reverse("audits:programme", kwargs={"org": org}))
    assert "not yet audited this cycle" in page.inner_text("main")
    shot(page, "programme-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "programme-desktop")
    context.close()

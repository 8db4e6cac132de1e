"""Pages, the JSON sync endpoint, the API, the org boundary and query counts."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pdca.audits import services
from pdca.audits.models import Audit, ChecklistAnswerRevision
from pdca.audits.testing import PNG, make_signable
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_sync_endpoint_saves_in_order_is_idempotent_and_keeps_conflicts(world, login):
    audit, question = world.extra["au_audit"], world.extra["au_question"]
    client = login(world.auditor)
    endpoint = url("audits:checklist_sync", pk=audit.pk)
    batch = {
        "answers": [
            {
                "client_id": "c1",
                "question": question.pk,
                "base_version": 0,
                "answer": "conform",
                "notes": "one",
            },
            {
                "client_id": "c2",
                "question": question.pk,
                "base_version": 1,
                "answer": "observation",
                "notes": "two",
            },
        ]
    }
    r = client.post(endpoint, json.dumps(batch), content_type="application/json")
    assert r.status_code == 200
    assert [x["outcome"] for x in r.json()["results"]] == ["saved", "saved"]
    r = client.post(endpoint, json.dumps(batch), content_type="application/json")
    assert [x["outcome"] for x in r.json()["results"]] == ["duplicate", "duplicate"]
    stale = {
        "client_id": "c3",
        "question": question.pk,
        "base_version": 1,
        "answer": "nonconform",
        "notes": "other device",
    }
    r = client.post(endpoint, json.dumps(stale), content_type="application/json")
    assert r.json()["results"][0]["outcome"] == "conflict"
    question.refresh_from_db()
    assert (question.answer, question.notes, question.version) == ("observation", "two", 2)
    assert ChecklistAnswerRevision.objects.get(client_id="c3").notes == "other device"
    page = client.get(url("audits:checklist", pk=audit.pk))
    assert b"Conflicting edits" in page.content and b"other device" in page.content


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"answers": []}),
        json.dumps({"answers": [{"question": "x"}]}),
        json.dumps({"question": 999999, "base_version": 0, "client_id": "z"}),
        json.dumps({"answers": ["nope"]}),
    ],
)
def test_sync_endpoint_rejects_bad_input(world, login, body):
    client = login(world.auditor)
    r = client.post(
        url("audits:checklist_sync", pk=world.extra["au_audit"].pk),
        body,
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["ok"] is False


def test_sync_endpoint_refuses_non_team_member_with_reason(world, login):
    client = login(world.top)
    body = {
        "client_id": "t1",
        "question": world.extra["au_question"].pk,
        "base_version": 0,
        "answer": "conform",
    }
    r = client.post(
        url("audits:checklist_sync", pk=world.extra["au_audit"].pk),
        json.dumps(body),
        content_type="application/json",
    )
    assert r.status_code == 403 and "audit team" in json.dumps(r.json())


def test_photo_upload_checks_magic_bytes(world, login):
    client = login(world.auditor)
    endpoint = url("audits:photo_upload", pk=world.extra["au_audit"].pk)
    q = world.extra["au_question"].pk
    bad = SimpleUploadedFile("x.jpg", b"MZ\x90\x00 executable", content_type="image/jpeg")
    r = client.post(endpoint, {"client_id": "ph1", "question": q, "photo": bad})
    assert r.status_code == 400 and "not a JPEG" in json.dumps(r.json())
    good = SimpleUploadedFile("x.png", PNG, content_type="image/png")
    r = client.post(endpoint, {"client_id": "ph2", "question": q, "photo": good})
    assert r.status_code == 200
    photo = client.get(url("audits:photo", pk=r.json()["photo"]))
    assert photo["Content-Type"] == "image/png" and photo.content == PNG
    r = client.post(endpoint, {"client_id": "ph3", "question": q})
    assert r.status_code == 400


def test_plan_page_refuses_dependent_auditor_naming_the_process(world, login):
    client = login(world.mr)
    process = world.extra["audit_process"]
    r = client.post(
        url("audits:create"),
        {
            "title": "Self audit",
            "kind": "internal",
            "planned_start": TODAY,
            "planned_end": TODAY,
            "lead_auditor": world.owner.pk,
            "processes": [process.pk],
        },
    )
    assert r.status_code == 200
    assert f"cannot audit the process {process}" in r.content.decode()
    assert not Audit.objects.filter(title="Self audit").exists()


def test_plan_page_bad_input_shows_errors(world, login):
    client = login(world.mr)
    r = client.post(url("audits:create"), {"title": "", "planned_start": "x"})
    assert r.status_code == 200 and b"errorlist" in r.content


def test_finding_page_raises_nc_and_sign_page_closes(world, login):
    audit = world.extra["au_audit"]
    client = login(world.auditor)
    r = client.post(
        url("audits:finding_create", pk=audit.pk),
        {
            "grade": "minor",
            "statement": "Gauge overdue for calibration",
            "evidence": "Gauge G-12",
            "requirement": "Calibrated measuring equipment",
            "clause": world.extra["au_finding"].clause_id,
            "raise_nonconformity": "on",
        },
    )
    assert r.status_code == 302
    make_signable(world, audit)
    r = client.post(url("audits:sign", pk=audit.pk), {"conclusion": "Fine", "password": "bad"})
    assert r.status_code == 400 and b"not correct" in r.content
    refused = TrailEntry.objects.filter(
        action="audits.report.signature_refused", actor=world.auditor
    )
    assert refused.count() == 1 and Audit.objects.get(pk=audit.pk).status != "closed"
    r = client.post(url("audits:sign", pk=audit.pk), {"conclusion": "Fine", "password": PASSWORD})
    assert r.status_code == 302
    pdf = client.get(url("audits:report_pdf", pk=audit.pk))
    assert pdf.content.startswith(b"%PDF")
    cut = client.get(url("audits:report", pk=audit.pk) + "?standard=iso14001")
    assert cut.status_code == 200


def test_org_boundary_other_org_gets_404(world, login):
    client = login(world.outsider)
    assert client.get(url("audits:detail", pk=world.extra["au_audit"].pk)).status_code == 404
    client = login(world.auditor)
    other = reverse("audits:detail", kwargs={"org": "globex", "pk": world.extra["au_audit"].pk})
    assert client.get(other).status_code == 404


def test_programme_page_query_count_independent_of_audits(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    for i in range(12):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            title=f"Q{i}",
            programme=world.extra["au_programme"],
            lead_auditor=world.auditor,
            planned_start=TODAY + datetime.timedelta(days=20 * i),
            planned_end=TODAY + datetime.timedelta(days=20 * i),
        )
    with django_assert_max_num_queries(22):
        r = client.get(url("audits:programme"))
    assert r.status_code == 200 and b"not yet audited" in r.content
    with django_assert_max_num_queries(20):
        assert client.get(url("audits:list")).status_code == 200


def test_programme_grid_escapes_audit_titles(world, login):
    services.audit_save(
        actor=world.mr,
        organization=world.org,
        title="<script>alert(1)</script>",
        programme=world.extra["au_programme"],
        lead_auditor=world.auditor,
        planned_start=TODAY,
        planned_end=TODAY,
        processes=[world.extra["audit_process"]],
    )
    html = login(world.mr).get(url("audits:programme")).content.decode()
    assert 'title="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>alert(1)" not in html


def test_api_create_audit_answer_and_sign(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-audits-audits"),
        {
            "title": "API audit",
            "planned_start": str(TODAY),
            "planned_end": str(TODAY),
            "lead_auditor": world.auditor.pk,
            "programme": world.extra["au_programme"].pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = client.post(
        url("api-audits-audits"),
        {"title": "x", "planned_start": "nope"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "planned_start" in r.json()["errors"]
    r = client.post(
        url("api-audits-audits"),
        {
            "title": "x",
            "planned_start": str(TODAY),
            "planned_end": str(TODAY),
            "processes": [999999],
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    audit = world.extra["au_audit"]
    q = world.extra["au_question"]
    auditor = login(world.auditor)
    r = auditor.post(
        url("api-audits-checklist", pk=audit.pk),
        {"question": q.pk, "client_id": "api-1", "base_version": 0, "answer": "conform"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["outcome"] == "saved"
    r = auditor.post(
        url("api-audits-checklist", pk=audit.pk),
        {"question": q.pk, "client_id": "api-2", "base_version": 0, "answer": "bad"},
        content_type="application/json",
    )
    assert r.status_code == 400
    make_signable(world, audit)
    r = auditor.post(
        url("api-audits-sign", pk=audit.pk),
        {"password": "x", "conclusion": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = auditor.post(
        url("api-audits-sign", pk=audit.pk),
        {"password": PASSWORD, "conclusion": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 201 and len(r.json()["sha256"]) == 64
    grid = client.get(url("api-audits-grid", pk=world.extra["au_programme"].pk)).json()
    assert "not_covered" in grid and grid["quarters"]


def test_api_refuses_employee_planning(world, login):
    client = login(world.employee)
    r = client.post(url("api-audits-audits"), {"title": "x"}, content_type="application/json")
    assert r.status_code == 403


def test_refusals_carry_one_sentence_for_a_person(world, login):
    client = login(world.auditor)
    endpoint = url("audits:photo_upload", pk=world.extra["au_audit"].pk)
    page = SimpleUploadedFile("evidence.jpg", b"<!doctype html><p>no", content_type="image/jpeg")
    question = world.extra["au_question"].pk
    r = client.post(endpoint, {"client_id": "ph9", "question": question, "photo": page})
    assert r.status_code == 400
    assert r.json()["message"] == "This is not a JPEG, PNG, GIF or WebP image."
    r = client.get(endpoint)
    assert r.status_code == 405 and r.json()["message"] == "Send the photo with POST."


def test_sync_state_renews_the_csrf_cookie(world, login):
    client = login(world.auditor)
    r = client.get(url("audits:checklist_sync", pk=world.extra["au_audit"].pk))
    assert r.json()["csrf_token"] and "csrftoken" in r.cookies


def test_checklist_names_the_checklists_kept_offline(world, login):
    client = login(world.auditor)
    audit = world.extra["au_audit"]
    r = client.get(url("audits:checklist", pk=audit.pk))
    offline = r.context["offline"]
    assert offline["pages"][0]["url"] == url("audits:checklist", pk=audit.pk)
    assert offline["serviceWorker"] == "/sw.js" and len(offline["user"]) == 32
    other = login(world.mr).get(url("audits:checklist", pk=audit.pk)).context["offline"]
    assert other["user"] != offline["user"]


def test_checklist_query_count_independent_of_audits_kept_offline(world, login):
    client = login(world.auditor)
    page = url("audits:checklist", pk=world.extra["au_audit"].pk)
    client.get(page)
    with CaptureQueriesContext(connection) as before:
        client.get(page)
    for i in range(8):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            title=f"Kept {i}",
            programme=world.extra["au_programme"],
            lead_auditor=world.auditor,
            planned_start=TODAY,
            planned_end=TODAY,
        )
    with CaptureQueriesContext(connection) as after:
        r = client.get(page)
    assert len(r.context["offline"]["pages"]) == 9
    assert len(after) == len(before)

"""The audit report PDF prints every character of the signed text, or signing is refused."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pdca.audits import services
from pdca.audits.models import Audit
from pdca.audits.testing import make_signable
from pdca.core.models import Job
from pdca.core.testing import PASSWORD, export_via_job

pytestmark = pytest.mark.django_db

CONCLUSION = "Effective. Δ ≠ 0, 3 ≤ n ≥ 1, 50 Ω. Ελληνικά и кириллица."


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_signed_report_pdf_prints_the_signed_text(world, login):
    audit = make_signable(world)
    Audit.objects.filter(pk=audit.pk).update(title="Audit ≠ inspection – Ω")
    report = services.report_sign(
        actor=world.auditor, audit=audit, password=PASSWORD, conclusion=CONCLUSION
    )
    text = pdf_text(bytes(report.pdf))
    for expected in ["≠", "≤", "≥", "Ω", "Ελληνικά", "кириллица", "Audit ≠ inspection – Ω"]:
        assert expected in text
    assert report.sha256 in text
    response = login(world.auditor).get(url("audits:report_pdf", pk=audit.pk))
    assert response.status_code == 200 and response.content == bytes(report.pdf)


def test_signing_is_refused_when_the_report_cannot_be_printed(world, login):
    audit = make_signable(world)
    client = login(world.auditor)
    body = {"conclusion": "OK 品質", "password": PASSWORD}
    r = client.post(url("audits:sign", pk=audit.pk), body)
    assert r.status_code == 400 and "U+54C1" in r.content.decode()
    r = client.post(
        url("api-audits-sign", pk=audit.pk),
        {"conclusion": "OK 品質", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 400 and "U+54C1" in str(r.json())
    assert Audit.objects.get(pk=audit.pk).status != Audit.Status.CLOSED


def test_unsigned_report_pdf_refuses_an_unprintable_character(world, login):
    audit = world.extra["au_audit"]
    Audit.objects.filter(pk=audit.pk).update(summary="Scope 品質")
    response = export_via_job(login(world.auditor), url("audits:report_pdf", pk=audit.pk))
    assert response.status_code == 422 and "U+54C1" in response.content.decode()
    job = Job.objects.get(requested_by=world.auditor)
    assert job.status == Job.Status.FAILED and not job.result


def test_unsigned_report_pdf_is_printed_on_a_worker(world, login):
    audit = world.extra["au_audit"]
    client = login(world.auditor)
    assert client.get(url("audits:report_pdf", pk=audit.pk)).status_code == 302
    response = export_via_job(client, url("audits:report_pdf", pk=audit.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert f'filename="{audit.reference}.pdf"' in response["Content-Disposition"]
    assert audit.reference in pdf_text(response.content)
    part = export_via_job(client, url("audits:report_pdf", pk=audit.pk), "standard=iso9001")
    assert f'filename="{audit.reference}-iso9001.pdf"' in part["Content-Disposition"]

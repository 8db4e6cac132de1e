"""The issue's path in a real browser, as far as it is built: the management representative
makes the stage 1 documentation pack and downloads it; the body's auditor, let into the stage 1
audit, opens the audit, downloads the pack, opens two records and asks for evidence; the
management representative sees what was opened and answers with a link."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from pdca.certification.models import DocumentationPack, EvidenceRequest
from pdca.core.testing import PASSWORD

SHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


def sign_in(browser, live_server, user, viewport=None):
    context = browser.new_context(viewport=viewport or PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"certification-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pack_auditor_access_requests_and_what_was_opened(live_server, browser, world):
    base = live_server.url
    audit = world.extra["external_audit"]
    record = world.extra["record"]
    audit_url = base + reverse("certification:audit", kwargs={"org": "acme", "pk": audit.pk})

    # 1. The MR makes the pack on the stage 1 audit's page and downloads it from the job.
    context, page = sign_in(browser, live_server, world.mr, {"width": 1280, "height": 900})
    page.goto(audit_url)
    page.get_by_role("button", name="Make the documentation pack").click()
    page.wait_for_url("**/jobs/*/")
    page.get_by_text("Your export is ready.").wait_for(timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"Download .*\.zip")).click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert "manifest.csv" in archive.namelist() and "01-scope.pdf" in archive.namelist()
    pack = DocumentationPack.objects.filter(audit=audit).latest("pk")
    context.close()

    # 2. The body's auditor opens the audit, downloads the kept pack, opens two records.
    context, page = sign_in(browser, live_server, world.external)
    page.goto(audit_url)
    assert page.get_by_role("heading", name="Documentation pack").is_visible()
    shot(page, "auditor-audit-phone")
    with page.expect_download() as download_info:
        page.locator(f'[data-pack="{pack.pk}"] a', has_text="ZIP").click()
    assert download_info.value.suggested_filename == pack.file_name
    record_url = reverse("records:detail", kwargs={"org": "acme", "pk": record.pk})
    page.goto(base + record_url)
    list_url = reverse("records:list", kwargs={"org": "acme"})
    page.goto(base + list_url)
    # ... and asks for evidence.
    page.goto(audit_url)
    page.get_by_role("button", name="Ask for evidence").click()
    page.fill("#id_text", "Show me the calibration records of the CMM for 2026")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/audits/\d+/"))
    asked = EvidenceRequest.objects.get(audit=audit, text__startswith="Show me the calibration")
    context.close()

    # 3. The MR sees what was opened and answers with a link.
    context, page = sign_in(browser, live_server, world.mr, {"width": 1280, "height": 900})
    page.goto(audit_url)
    page.get_by_role("link", name="What the auditor opened").click()
    page.wait_for_url("**/opened/")
    log = page.locator("main").inner_text()
    assert record_url in log and list_url in log
    assert reverse("certification:pack_download", kwargs={"org": "acme", "pk": pack.pk}) in log
    shot(page, "opened-log")
    page.goto(audit_url)
    page.locator(f'[data-request="{asked.pk}"] a', has_text="Answer").click()
    page.fill("#id_answer", "The 2026 calibration records")
    page.fill("#id_links", base + record_url)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/audits/\d+/"))
    asked.refresh_from_db()
    assert asked.status == "answered" and asked.links == [record_url]
    context.close()

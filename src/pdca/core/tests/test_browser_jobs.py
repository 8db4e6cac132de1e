"""In a real browser: the master-list export runs on a worker, its progress bar moves on the page
(htmx polling) and the file downloads when it is done."""

import io
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from openpyxl import load_workbook

from pdca.config.celery import app
from pdca.core.jobs import Progress
from pdca.core.models import Job
from pdca.core.testing import PASSWORD
from pdca.documents.models import Document

SCREENSHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"
SECONDS = 5.0  # how long the export is made to take, so that the page can be seen polling


@pytest.fixture
def worker(monkeypatch):
    """A worker thread in this process (the live server's), on the tests' in-memory broker,
    with every row of an export slowed down."""
    step = Progress.step

    def slow_step(self, n=1):
        time.sleep(SECONDS / max(self.job.progress_total, 1))
        step(self, n)

    monkeypatch.setattr(Progress, "step", slow_step)
    monkeypatch.setattr(Progress, "INTERVAL", 0.0)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        app.conf.task_always_eager = eager


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_long_export_shows_progress_and_downloads_when_done(live_server, browser, world, worker):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(world.mr.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    original = Document.objects.get(pk=world.extra["document"].pk)
    for i in range(30):  # a list long enough for the bar to be seen moving
        original.pk = None
        original.number = f"SOP-{100 + i}"
        original.save()
    page.goto(f"{live_server.url}/o/acme/documents/")
    page.get_by_role("button", name="Export XLSX").click()
    page.wait_for_url("**/jobs/*/")
    assert page.get_by_role("heading", name="Export: Master list").is_visible()
    total = Document.objects.filter(organization=world.org).count()
    page.get_by_text(f" of {total} rows").wait_for(timeout=20_000)
    # The bar moves while the worker writes the rows, without reloading the page.
    page.wait_for_function(
        "() => { const v = +document.querySelector('#job-progress progress')"
        ".getAttribute('value'); return v > 0 && v < 100; }",
        timeout=20_000,
    )
    bar = page.locator("#job-progress progress")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jobs-progress.png"), full_page=True)
    page.get_by_text("Your export is ready.").wait_for(timeout=30_000)
    assert bar.get_attribute("value") == "100"
    page.screenshot(path=str(SCREENSHOTS / "jobs-ready.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download master-list-acme.xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "master-list-acme.xlsx"
    rows = list(load_workbook(io.BytesIO(download.path().read_bytes())).active.values)
    assert rows[0][0] == "Number" and len(rows) == total + 1
    job = Job.objects.get(kind="documents.master_list")
    assert job.requested_by == world.mr and job.status == "done"

"""In a real browser: a revision submitted for review rings each reviewer's bell and writes a
console e-mail; the approver hears nothing until the last reviewer has signed."""

import re

import pytest

from pdca.core.models import Notification
from pdca.documents import services
from pdca.documents.tests.test_browser import _page_as, _sign

BELL = "#notification-bell .bell-count"


def _bell(page, base):
    page.goto(f"{base}/")
    count = page.locator(BELL)
    return int(count.inner_text()) if count.count() else 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reviewers_then_the_approver_are_told_in_the_bell_and_by_email(
    live_server, browser, world, settings, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    doc = services.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="procedure",
        title="Calibration of gauges",
        owner=world.owner,
        text="# Calibration\nEvery gauge yearly.\n",
        reviewers=[world.auditor, world.consultant],
        approvers=[world.mr],
    )
    rev = doc.latest_revision
    base = f"{live_server.url}/o/acme/documents"
    auditor = _page_as(browser, live_server, world.auditor)
    consultant = _page_as(browser, live_server, world.consultant)
    mr = _page_as(browser, live_server, world.mr)
    before = {name: _bell(p, base) for name, p in (("a", auditor), ("c", consultant), ("m", mr))}
    capsys.readouterr()

    owner = _page_as(browser, live_server, world.owner)
    owner.goto(f"{base}/revisions/{rev.pk}/")
    owner.get_by_role("button", name="Submit for review").click()
    owner.wait_for_load_state()

    assert _bell(auditor, base) == before["a"] + 1
    assert _bell(consultant, base) == before["c"] + 1
    assert _bell(mr, base) == before["m"]
    log = capsys.readouterr().out
    assert f"To: {world.auditor.email}" in log and f"To: {world.consultant.email}" in log
    assert f"To: {world.mr.email}" not in log
    assert "Calibration of gauges" in log

    # The reviewer opens the bell's list and follows the link to the revision.
    auditor.goto(f"{base}/")
    auditor.locator("#notification-bell").click()
    auditor.get_by_role("link", name=re.compile("Calibration of gauges")).click()
    auditor.wait_for_url(re.compile(rf"/revisions/{rev.pk}/$"))
    assert _bell(auditor, base) == before["a"]

    _sign(auditor, f"{base}/revisions/{rev.pk}/sign/", "Reviewed")
    assert _bell(mr, base) == before["m"]
    assert f"To: {world.mr.email}" not in capsys.readouterr().out
    _sign(consultant, f"{base}/revisions/{rev.pk}/sign/", "Reviewed")
    assert _bell(mr, base) == before["m"] + 1
    assert f"To: {world.mr.email}" in capsys.readouterr().out
    assert Notification.objects.filter(
        kind="documents.approval_requested", recipient=world.mr, target_id=rev.pk
    ).exists()

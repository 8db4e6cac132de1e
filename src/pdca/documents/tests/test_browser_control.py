"""In a real browser, on a desktop and on a 390 px phone: a procedure is drafted, reviewed,
approved and released, and read. The approver is asked only once the reviewer has signed; the
reader confirms only after opening the document."""

import datetime

import pytest

from pdca.core.testing import PASSWORD
from pdca.documents.models import Document, RevisionStatus


def _page_as(browser, live_server, user, width):
    context = browser.new_context(viewport={"width": width, "height": 860})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


WIDER = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + '.' + e.className).slice(0, 8)"""


def _no_sideways_scroll(page):
    wide = page.evaluate(WIDER)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide


def _sign(page, url, meaning):
    page.goto(url)
    page.get_by_label(meaning, exact=True).check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_document_control_journey(live_server, browser, world, width):
    base = f"{live_server.url}/o/acme/documents"
    title = f"Calibration of gauges {width}"
    owner = _page_as(browser, live_server, world.owner, width)
    owner.goto(f"{base}/new/")
    owner.locator("#id_doc_type").select_option("procedure")
    owner.locator("#id_title").fill(title)
    owner.locator("#id_owner").select_option(str(world.owner.pk))
    owner.locator("#id_reviewers").select_option([str(world.auditor.pk)])
    owner.locator("#id_approvers").select_option([str(world.mr.pk)])
    owner.locator("#id_text").fill(
        "# Purpose\nEvery gauge is **calibrated** before use.\n\n| Gauge | Interval |\n"
        "|---|---|\n| Caliper | 12 months |\n"
    )
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_load_state()
    doc = Document.objects.get(title=title)
    rev = doc.revisions.get()

    mr = _page_as(browser, live_server, world.mr, width)
    mr.goto(f"{base}/{doc.pk}/distribution/")
    mr.get_by_label("Employee", exact=True).check()
    mr.get_by_role("button", name="Save").click()
    mr.wait_for_load_state()

    owner.goto(f"{base}/revisions/{rev.pk}/")
    owner.get_by_role("button", name="Submit for review").click()
    owner.wait_for_load_state()
    assert owner.get_by_text("Submitted for review.").is_visible()

    # The approver's turn has not come: the revision waits on the reviewer, no Sign button.
    mr.goto(f"{base}/revisions/{rev.pk}/")
    assert mr.get_by_text("Waiting on the reviewers").is_visible()
    assert mr.get_by_role("link", name="Sign…").count() == 0
    _no_sideways_scroll(mr)
    mr.goto(f"{base}/?awaiting=me")
    assert mr.get_by_text(title).count() == 0

    auditor = _page_as(browser, live_server, world.auditor, width)
    auditor.goto(f"{base}/revisions/{rev.pk}/")
    auditor.get_by_role("link", name="Sign…").first.click()
    auditor.wait_for_load_state()
    assert auditor.get_by_text(rev.content_hash).is_visible()
    _no_sideways_scroll(auditor)
    _sign(auditor, f"{base}/revisions/{rev.pk}/sign/", "Reviewed")
    assert auditor.get_by_text("Signed: Reviewed.").is_visible()

    # Now it is the approver's turn.
    mr.goto(f"{base}/?awaiting=me")
    assert mr.get_by_text(title).first.is_visible()
    mr.goto(f"{base}/revisions/{rev.pk}/")
    assert mr.get_by_text("This revision waits for your signature.").is_visible()
    _sign(mr, f"{base}/revisions/{rev.pk}/sign/", "Approved")
    assert mr.get_by_text("Signed: Approved.").is_visible()
    mr.goto(f"{base}/revisions/{rev.pk}/release/")
    mr.get_by_label("Effective from").fill(datetime.date.today().isoformat())
    mr.get_by_label("Your password").fill(PASSWORD)
    mr.get_by_role("button", name="Release (sign)").click()
    mr.wait_for_load_state()
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.EFFECTIVE

    # The signatures name what each hash covers.
    mr.goto(f"{base}/revisions/{rev.pk}/")
    assert mr.get_by_text("matches the record below").first.is_visible()
    _no_sideways_scroll(mr)

    # Reading: the list opens the document; the confirmation comes after its text.
    staff = _page_as(browser, live_server, world.employee, width)
    staff.goto(f"{base}/reading/")
    row = staff.locator("tr", has_text=doc.number)
    assert row.get_by_role("button", name="I have read it").count() == 0
    row.get_by_role("button", name="Open and read").click()
    staff.wait_for_load_state()
    assert staff.locator("article.document-text strong", has_text="calibrated").is_visible()
    assert staff.locator("article.document-text table").is_visible()
    _no_sideways_scroll(staff)
    staff.get_by_role("button", name="I have read and understood it").click()
    staff.wait_for_load_state()
    ack = rev.acknowledgements.get(user=world.employee)
    assert ack.opened_at is not None and ack.acknowledged_at is not None
    assert ack.opened_at <= ack.acknowledged_at

    # The PDF of the effective revision is a controlled copy.
    response = staff.request.get(f"{base}/revisions/{rev.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"

"""In a real browser: a procedure goes draft → review → approval → effective (signed), staff
acknowledge it, it comes due for review and is revised; every step is in the audit trail."""

import datetime
from pathlib import Path

import pytest

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.documents.models import Document, RevisionStatus

SCREENSHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"


def _page_as(browser, live_server, user, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def _sign(page, url, meaning, password=PASSWORD):
    page.goto(url)
    page.get_by_label(meaning, exact=True).check()
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_load_state()


def _shot(page, name):
    if page.viewport_size["width"] < 1000 and not name.endswith("-phone"):
        return  # the journey's pictures are the desktop's, and two of a phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"documents-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_procedure_lifecycle_in_the_browser(live_server, browser, world, width):
    base = f"{live_server.url}/o/acme/documents"
    owner = _page_as(browser, live_server, world.owner, width)
    owner.goto(f"{base}/new/")
    owner.locator("#id_doc_type").select_option("procedure")
    owner.locator("#id_title").fill("Control of nonconforming output")
    owner.locator("#id_owner").select_option(str(world.owner.pk))
    owner.locator("#id_reviewers").select_option([str(world.auditor.pk)])
    owner.locator("#id_approvers").select_option([str(world.mr.pk)])
    owner.locator("#id_text").fill("# Purpose\nQuarantine suspect parts with a red tag.\n")
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_load_state()
    doc = Document.objects.get(title="Control of nonconforming output")
    assert owner.get_by_role(
        "heading", name=f"{doc.number} Control of nonconforming output"
    ).is_visible()

    mr = _page_as(browser, live_server, world.mr, width)
    mr.goto(f"{base}/{doc.pk}/distribution/")
    mr.get_by_label("Employee", exact=True).check()
    mr.get_by_role("button", name="Save").click()
    mr.wait_for_load_state()

    rev = doc.revisions.get()
    owner.goto(f"{base}/revisions/{rev.pk}/")
    owner.get_by_role("button", name="Submit for review").click()
    owner.wait_for_load_state()
    assert owner.get_by_text("Submitted for review.").is_visible()

    auditor = _page_as(browser, live_server, world.auditor, width)
    _sign(auditor, f"{base}/revisions/{rev.pk}/sign/", "Reviewed", password="wrong")
    assert auditor.get_by_text("The password is not correct").is_visible()
    _sign(auditor, f"{base}/revisions/{rev.pk}/sign/", "Reviewed")
    assert auditor.get_by_text("Signed: Reviewed.").is_visible()

    _sign(mr, f"{base}/revisions/{rev.pk}/sign/", "Approved")
    mr.goto(f"{base}/revisions/{rev.pk}/release/")
    mr.get_by_label("Effective from").fill(datetime.date.today().isoformat())
    mr.get_by_label("Your password").fill(PASSWORD)
    mr.get_by_role("button", name="Release (sign)").click()
    mr.wait_for_load_state()
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.EFFECTIVE
    _shot(mr, "document")

    staff = _page_as(browser, live_server, world.employee, width)
    staff.goto(f"{base}/reading/")
    assert staff.get_by_text(doc.number).first.is_visible()
    _shot(staff, "reading")
    staff.locator("tr", has_text=doc.number).get_by_role("button", name="Open and read").click()
    staff.wait_for_load_state()
    staff.get_by_role("button", name="I have read and understood it").click()
    staff.wait_for_load_state()
    assert rev.acknowledgements.get(user=world.employee).acknowledged_at is not None

    # A year later: the review is due and the owner revises the procedure.
    Document.objects.filter(pk=doc.pk).update(next_review_date=datetime.date.today())
    owner.goto(f"{base}/{doc.pk}/")
    assert owner.get_by_text("Periodic review due").is_visible()
    owner.get_by_role("link", name="Review: start a new revision").click()
    owner.locator("#id_change_reason").fill("Periodic review: add disposition by MRB")
    owner.get_by_role("button", name="Start the draft").click()
    owner.wait_for_load_state()
    owner.locator("#id_text").fill(
        "# Purpose\nQuarantine suspect parts with a red tag.\n## Disposition\nThe MRB decides.\n"
    )
    owner.get_by_role("button", name="Save draft").click()
    owner.wait_for_load_state()
    owner.get_by_role("button", name="Submit for review").click()
    owner.wait_for_load_state()
    rev2 = doc.revisions.get(seq=2)
    _sign(auditor, f"{base}/revisions/{rev2.pk}/sign/", "Reviewed")
    _sign(mr, f"{base}/revisions/{rev2.pk}/sign/", "Approved")
    mr.goto(f"{base}/revisions/{rev2.pk}/release/")
    mr.get_by_label("Your password").fill(PASSWORD)
    mr.get_by_role("button", name="Release (sign)").click()
    mr.wait_for_load_state()
    rev.refresh_from_db()
    rev2.refresh_from_db()
    assert (rev.status, rev2.status) == (RevisionStatus.SUPERSEDED, RevisionStatus.EFFECTIVE)
    mr.goto(f"{base}/revisions/{rev2.pk}/diff/{rev.pk}/")
    assert mr.get_by_text("Disposition").first.is_visible()
    mr.goto(f"{base}/revisions/{rev.pk}/")
    assert mr.get_by_text("SUPERSEDED — not the current revision").is_visible()
    _shot(mr, "superseded")
    mr.goto(f"{base}/")
    _shot(mr, "list")
    phone = _page_as(browser, live_server, world.mr, width=390)
    phone.goto(f"{base}/{doc.pk}/")
    _shot(phone, "document-phone")
    phone.goto(f"{base}/")
    _shot(phone, "list-phone")

    actions = set(
        TrailEntry.objects.filter(organization=world.org).values_list("action", flat=True)
    )
    assert {
        "documents.document.created",
        "documents.revision.submitted",
        "documents.signature.failed",
        "documents.revision.reviewed",
        "documents.revision.approved",
        "documents.revision.released",
        "documents.revision.effective",
        "documents.acknowledgement.acknowledged",
        "documents.revision.created",
        "documents.revision.superseded",
    } <= actions

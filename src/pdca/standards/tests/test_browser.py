"""In the browser: the management representative sets a clause's status and readiness moves."""

from pathlib import Path

import pytest
from django.urls import reverse

from pdca.core.testing import PASSWORD
from pdca.standards.models import Clause

DOCS = Path(__file__).resolve().parents[4] / "docs"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_management_representative_sets_a_status_and_sees_readiness_move(
    world, live_server, browser
):
    os9 = world.extra["iso9001"]
    clause = Clause.objects.get(edition=os9.edition, number="5.1.2")
    gap_url = live_server.url + reverse("standards:gap", kwargs={"org": "acme", "pk": os9.pk})
    page = browser.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.fill("input[name=email]", world.mr.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/o/**")
    page.goto(gap_url)
    assert page.get_by_test_id("readiness").inner_text() == "0%"
    page.click(f"text={clause.number} {clause.title}")
    page.select_option("select[name=status]", "implemented")
    page.click("text=Save the assessment")
    page.wait_for_selector("text=5.1.2 saved.")
    after = page.get_by_test_id("readiness").inner_text()
    assert after != "0%" and after.endswith("%")
    page.goto(gap_url)
    assert page.get_by_test_id("readiness").inner_text() == after


def _page_as(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/o/**")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desk", "phone"],
)
def test_gap_analysis_rows_are_edited_in_place_and_in_bulk(world, live_server, browser, viewport):
    from pdca.core.models import TrailEntry
    from pdca.standards.models import Assessment, EvidenceLink

    os9 = world.extra["iso9001"]
    one = Clause.objects.get(edition=os9.edition, number="5.1.2")
    several = [Clause.objects.get(edition=os9.edition, number=n) for n in ("7.1.2", "7.1.3")]
    gap_url = live_server.url + reverse("standards:gap", kwargs={"org": "acme", "pk": os9.pk})
    page = _page_as(browser, live_server, world.mr, viewport)
    page.goto(gap_url)
    assert page.get_by_test_id("readiness").inner_text() == "0%"
    # One row, in place: no page load, the row shows the saved status.
    row = page.locator(f"#gap-row-{one.pk}")
    row.get_by_role("button", name=f"Edit {one.number}").click()
    page.select_option(f"#row-status-{one.pk}", "implemented")
    page.fill(f"#row-target-{one.pk}", "2027-03-31")
    page.locator(f"#gap-row-{one.pk}").get_by_role("button", name="Save").click()
    page.wait_for_selector(f"#gap-row-{one.pk} >> text=Implemented")
    assert Assessment.objects.get(clause=one).status == "implemented"
    # Several rows at once.
    for c in several:
        page.check(f"#gap-row-{c.pk} input[type=checkbox]")
    page.select_option("#gap-bulk select[name=status]", "partly")
    page.click("text=Apply to the selected")
    page.wait_for_selector("text=2 clauses saved.")
    assert {Assessment.objects.get(clause=c).status for c in several} == {"partly"}
    assert page.get_by_test_id("readiness").inner_text() != "0%"
    assert TrailEntry.objects.filter(action="standards.assessment.status_changed").count() >= 3
    if viewport["width"] > 1000:  # the picture in the README, taken as the journey runs
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "screenshot-gap-analysis.png"))
    # The clause page links a document as the record a sub-clause requires.
    parent = Clause.objects.get(edition=os9.edition, number="5.2")
    page.goto(f"{gap_url}clauses/{parent.pk}/")
    page.select_option("select[name=target]", label=str(world.extra["document"])[:120])
    page.select_option("select[name=required]", index=1)
    page.click("text=Link as evidence")
    page.wait_for_selector("text=linked as evidence")
    assert EvidenceLink.objects.filter(clause=parent, required__isnull=False).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1

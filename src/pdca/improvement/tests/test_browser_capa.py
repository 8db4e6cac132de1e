"""In a real browser, at desktop and phone size: a nonconformity goes from its reaction through
the analysis (with similar nonconformities), the action, the verification by the named verifier
before its date (with the reason), the last steps (risks and opportunities, the management
system) to the signed closure."""

from pathlib import Path

import pytest

from pdca.core.testing import PASSWORD
from pdca.improvement.models import Nonconformity

SCREENSHOTS = Path(__file__).resolve().parents[4] / "var" / "screenshots"


def _page_as(browser, live_server, user, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def _fits(page, width):
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def _submit(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("label", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)]
)
def test_capa_journey_in_the_browser(live_server, browser, world, label, width, height):
    nc = world.extra["im_nc"]
    action = world.extra["im_action"]
    check = world.extra["im_check"]  # planned in 60 days, the MR verifies
    base = f"{live_server.url}/o/acme/improvement"
    page = _page_as(browser, live_server, world.mr, width, height)
    page.goto(f"{base}/{nc.pk}/")
    assert page.get_by_text("not recorded").first.is_visible()
    _fits(page, width)

    page.goto(f"{base}/{nc.pk}/edit/")
    page.locator("#id_containment").fill("Batch quarantined and re-measured.")
    _submit(page, "Save")

    page.goto(f"{base}/{nc.pk}/root-cause/")
    page.locator("#id_why_1").fill("No first-off check")
    page.locator("#id_root_cause").fill("The traveller has no first-off check.")
    page.locator("#id_root_cause_category").select_option("method")
    page.locator("input[name=similar][value=could_occur]").check()
    _submit(page, "Save the analysis")
    assert page.get_by_text("Say where, and what is done about them.").is_visible()
    page.locator("#id_similar_notes").fill("Line 3 uses the same traveller; added to the action.")
    _submit(page, "Save the analysis")
    assert "/root-cause/" not in page.url

    page.goto(f"{base}/actions/{action.pk}/")
    page.locator("#id_status").select_option("done")
    page.locator("#id_notes").fill("First-off check added to the traveller.")
    _submit(page, "Save")

    page.goto(f"{base}/checks/{check.pk}/")
    page.locator("input[name=result][value=effective]").check()
    page.locator("#id_evidence").fill("Ten batches without scrap.")
    _submit(page, "Record the result")
    assert page.get_by_text("say why it can be verified already").is_visible()
    page.locator("#id_early_reason").fill("Ten batches made already; the risk is low.")
    _submit(page, "Record the result")
    assert "/checks/" not in page.url

    page.goto(f"{base}/{nc.pk}/close/")
    assert page.get_by_text("risks and opportunities were updated").first.is_visible()
    page.goto(f"{base}/{nc.pk}/closure-steps/")
    page.locator("input[name=risks_outcome][value=not_needed]").check()
    page.locator("input[name=system_change_outcome][value=changed]").check()
    page.locator("#id_system_change_process").select_option(str(world.extra["process"].pk))
    page.locator("#id_system_change_notes").fill("First-off check in the process description.")
    _submit(page, "Save")
    _fits(page, width)

    page.goto(f"{base}/{nc.pk}/close/")
    page.locator("#id_password").fill(PASSWORD)
    _submit(page, "Sign and close")
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.CLOSED
    page.goto(f"{base}/{nc.pk}/")
    assert page.get_by_text("First-off check in the process description.").first.is_visible()
    _fits(page, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"capa-closed-{label}.png"), full_page=True)

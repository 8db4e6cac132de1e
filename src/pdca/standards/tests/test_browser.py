"""In the browser: the management representative sets a clause's status and readiness moves."""

import pytest
from django.urls import reverse

from pdca.core.testing import PASSWORD
from pdca.standards.models import Clause


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

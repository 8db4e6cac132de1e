"""In a real browser: an employee makes an anonymous suggestion from a phone, the management
representative accepts it as an improvement action, and no page they open shows who made it
(the issue's "Done when", its suggestion part)."""

import datetime

import pytest
from django.urls import reverse

from tests.browsing import DESKTOP, PHONE, sign_in

IDEA = "Second torque wrench for assembly"


def _main(page):
    return page.locator("#main").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_anonymous_suggestion_from_a_phone_becomes_an_action_and_names_nobody(
    live_server, browser, world
):
    from pdca.engagement.models import Suggestion
    from pdca.improvement.models import Nonconformity

    base = live_server.url
    org = world.org.slug
    employee = world.employee
    context, page, _errors = sign_in(browser, base, employee, PHONE)
    page.goto(base + reverse("engagement:suggest", kwargs={"org": org}))
    # The form fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_label("Your suggestion in a line").fill(IDEA)
    page.get_by_label("What would you change, and why?").fill(
        "The only calibrated torque wrench is often at the other bench."
    )
    page.get_by_label("Make it anonymously").check()
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_url(lambda url: "/suggestions/" in url and "/new/" not in url)
    assert "made anonymously" in page.content()
    assert employee.full_name not in _main(page)
    context.close()

    suggestion = Suggestion.objects.get(title=IDEA)
    assert suggestion.anonymous and suggestion.author_id is None

    context, page, _errors = sign_in(browser, base, world.mr, DESKTOP)
    page.goto(
        base + reverse("engagement:suggestion_accept", kwargs={"org": org, "pk": suggestion.pk})
    )
    page.get_by_label("Improvement action").fill("Buy and calibrate a second torque wrench")
    # The owner is the management representative, as the form suggests.
    page.get_by_label("Due date").fill(
        (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(f"/suggestions/{suggestion.pk}"))
    text = _main(page)
    assert "Buy and calibrate a second torque wrench" in text and "Anonymous" in text
    nc = Nonconformity.objects.get(source_id=suggestion.pk, title__contains=suggestion.reference)
    for path in (
        reverse("engagement:suggestion", kwargs={"org": org, "pk": suggestion.pk}),
        reverse("improvement:detail", kwargs={"org": org, "pk": nc.pk}),
    ):
        page.goto(base + path)
        shown = _main(page)
        assert employee.full_name not in shown and employee.email not in shown, path
    # On the lists, the rows about it (the employee's named suggestions are theirs to show).
    for path in (
        reverse("engagement:suggestions", kwargs={"org": org}),
        reverse("core:trail", kwargs={"org": org}),
    ):
        page.goto(base + path)
        rows = page.locator("tr", has_text=IDEA[:20]).all_inner_texts()
        assert rows, path
        for row in rows:
            assert employee.full_name not in row and employee.email not in row, path
    context.close()

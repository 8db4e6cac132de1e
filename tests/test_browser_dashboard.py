"""Each demo role's dashboard in a real browser, photographed for the README (docs/screenshots):
the cards, their legend, the icons and the trend charts render, and every card's link opens."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from pdca.core.demo import DEMO_PASSWORD

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

ROLES = [
    ("top-management", "top@acme.example"),
    ("management-representative", "mr@acme.example"),
    ("process-owner", "owner@acme.example"),
    ("internal-auditor", "auditor@acme.example"),
    ("employee", "staff@acme.example"),
    ("external-auditor", "cb@acme.example"),
    ("consultant", "consultant@pdca.example"),
]


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_roles_dashboard_renders_and_is_photographed(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    DOCS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    for label, email in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
        _sign_in(page, base, email)
        if label == "consultant":
            # Several organizations: the summary of each comes first.
            assert page.get_by_role("heading", name="Your organizations").is_visible()
            page.screenshot(path=str(DOCS / "organizations-consultant.png"), full_page=True)
        page.goto(f"{base}/o/acme/")
        assert page.get_by_role("heading", name="Needs your attention").is_visible()
        assert page.title().endswith("· pdca")
        assert page.locator("nav.sidebar svg.icon").count() >= 3
        if page.locator("canvas[data-chart]").count():
            page.wait_for_function(
                "Array.from(document.querySelectorAll('canvas[data-chart]'))"
                ".every(c => window.Chart && window.Chart.getChart(c))"
            )
        page.screenshot(path=str(DOCS / f"dashboard-{label}.png"), full_page=True)
        assert not errors, errors
        # Every card opens its list.
        for href in page.locator(".attention a.card").evaluate_all(
            "cards => cards.map(c => c.getAttribute('href'))"
        ):
            response = page.request.get(f"{base}{href}")
            assert response.status == 200, (email, href)
        page.goto(f"{base}/o/acme/my-work/")
        assert page.get_by_role("heading", name="My work").is_visible()
        if label == "process-owner":
            page.screenshot(path=str(DOCS / "my-work-process-owner.png"), full_page=True)
        context.close()

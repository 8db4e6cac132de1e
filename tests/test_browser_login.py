"""A person signs in with e-mail and password in a real browser and reaches the dashboard."""

from pathlib import Path

import pytest

from pdca.core import services
from pdca.core.models import Organization, User
from pdca.core.roles import Role

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture
def demo_like_user():
    org = services.organization_create(actor=None, name="Acme Precision Ltd", slug="acme")
    services.site_save(actor=None, organization=org, name="Sheffield plant")  # type: ignore[arg-type]
    user = User.objects.create_user(
        email="mr@acme.example",
        password="demo",
        full_name="Daniel Okafor",
        job_title="Quality & Environment Manager",
    )
    services.membership_add(actor=None, organization=org, user=user, roles=[Role.MANAGEMENT_REP])
    return user, org


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("label", "width", "height"), [("desktop", 1280, 800), ("phone", 390, 844)]
)
def test_sign_in_reaches_the_dashboard(live_server, browser, demo_like_user, label, width, height):
    user, org = demo_like_user
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.screenshot(path=str(SCREENSHOTS / f"login-{label}.png"), full_page=True)

    page.get_by_label("E-mail").fill("mr@acme.example")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("do not match an active account").is_visible()
    assert page.get_by_label("E-mail").input_value() == "mr@acme.example"

    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/o/{org.slug}/")
    assert page.get_by_role("heading", name=org.name).is_visible()
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{label}.png"), full_page=True)

    # The people and audit-trail pages open too, styled (the stylesheet is served).
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    page.goto(f"{live_server.url}/o/{org.slug}/trail/")
    assert page.get_by_role("heading", name="Audit trail").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"trail-{label}.png"), full_page=True)
    page.goto(f"{live_server.url}/o/{org.slug}/people/")
    assert page.get_by_text(user.email).first.is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"people-{label}.png"), full_page=True)
    assert Organization.objects.filter(slug="acme").exists()

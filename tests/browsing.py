"""What the browser tests share: signing in in a fresh context, and sending a form."""

from typing import Any

from django.urls import reverse

from pdca.core.testing import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def sign_in(browser: Any, base: str, user: Any, viewport: dict[str, int] = DESKTOP) -> Any:
    """A new context signed in as `user`: (context, page, errors), `errors` collecting the
    page's JavaScript errors."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + reverse("core:login"))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page, errors


def submit(page: Any, field: str) -> None:
    """Send the form holding `field` and wait for the next page."""
    with page.expect_navigation():
        page.click(f"form:has([name={field}]) button[type=submit]")

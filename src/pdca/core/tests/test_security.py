"""Security headers and session limits (ASVS level 2): what every response carries, and the
idle and absolute session limits. The production-only parts (HSTS, the HTTPS redirect) are
checked under the real production settings in tests/test_deployment.py."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from pdca.core import services
from pdca.core.security import LAST_SEEN, SIGNED_IN_AT, permissions_policy
from pdca.core.testing import url_examples
from pdca.core.tests.test_permissions_walk import ALL_URLS

PACKAGE = Path(__file__).resolve().parents[2]

# What a strict Content-Security-Policy refuses to run or apply in a page.
INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "htmx hx-on attribute": re.compile(r"\b(?:data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def inline_code(html: str) -> list[str]:
    return [f"{what}: {m.group(0)[:80]}" for what, rx in INLINE.items() for m in rx.finditer(html)]


def csp_directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def test_no_template_holds_inline_script_style_or_handler():
    templates = [
        path
        for folder in ("templates", "jinja2")
        for path in PACKAGE.rglob(f"{folder}/**/*.html")
        if "static" not in path.parts
    ]
    assert len(templates) > 50
    found = [
        f"{path.relative_to(PACKAGE)}: {hit}"
        for path in templates
        for hit in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_no_page_renders_inline_script_style_or_handler(world, client):
    """Also what Python code and Jinja2 rows put into the pages, full and as htmx partials."""
    examples = url_examples(world)
    client.force_login(world.mr)
    found, pages = [], 0
    for name, _, pattern in ALL_URLS:
        kwargs = dict(examples.get(name, {}))
        if "<slug:org>" in pattern:
            kwargs["org"] = world.org.slug
        url = reverse(name, kwargs=kwargs)
        if url.startswith("/api/v1/") and name != "api-docs":
            continue
        # List pages also answer htmx requests with their rows alone.
        variants = [{}] if "<int:" in pattern else [{}, {"HX-Request": "true"}]
        for headers in variants:
            response = client.get(url, headers=headers)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            pages += 1
            found += [f"{url}: {hit}" for hit in inline_code(response.content.decode())]
    assert pages > 60
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_signed_in_page_carries_every_security_header(world, client):
    client.force_login(world.mr)
    response = client.get(reverse("core:dashboard", kwargs={"org": world.org.slug}))
    assert response.status_code == 200
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_answers_and_the_sign_in_page_are_not_stored(world, client):
    assert "no-store" in client.get(reverse("core:login"))["Cache-Control"]
    client.force_login(world.mr)
    response = client.get(reverse("api-me"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching_and_carry_no_no_store(client):
    response = client.get(settings.STATIC_URL + "pdca/pdca.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_pdf_is_left_without_csp_for_the_browser_pdf_viewer(world, client):
    from django.test import TestCase

    client.force_login(world.mr)
    audit = world.extra["au_audit"]
    # A draft report is printed by a job; its PDF is then downloaded from the job.
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = client.post(
            reverse("audits:report_pdf", kwargs={"org": world.org.slug, "pk": audit.pk})
        )["Location"]
    response = client.get(job + "download/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/pdf")
    assert "Content-Security-Policy" not in response
    assert "no-store" in response["Cache-Control"]


def test_permissions_policy_format():
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


# --- Session limits ------------------------------------------------------------------------


def _dashboard(world) -> str:
    return reverse("core:dashboard", kwargs={"org": world.org.slug})


def _set_session(client, **values) -> None:
    session = client.session
    session.update(values)
    session.save()


@pytest.mark.django_db
def test_a_request_records_sign_in_time_and_last_activity(world, client):
    client.force_login(world.mr)
    before = int(time.time())
    assert client.get(_dashboard(world)).status_code == 200
    session = client.session
    assert session[SIGNED_IN_AT] >= before
    assert session[LAST_SEEN] >= before


@pytest.mark.django_db
def test_signing_in_starts_the_clocks(world, client, password):
    response = client.post(reverse("core:login"), {"email": world.mr.email, "password": password})
    assert response.status_code == 302
    assert SIGNED_IN_AT in client.session and LAST_SEEN in client.session


@pytest.mark.django_db
def test_idle_session_is_signed_out_and_sent_to_sign_in_with_a_message(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    idle = settings.PDCA_SESSION_IDLE_SECONDS
    _set_session(client, **{SIGNED_IN_AT: now - idle - 5, LAST_SEEN: now - idle - 1})
    response = client.get(_dashboard(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login") + "?next=")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert "without activity" in login_page.content.decode()
    # Signed out for good: the next request is anonymous too.
    assert client.get(_dashboard(world)).status_code == 302


@pytest.mark.django_db
def test_recent_activity_keeps_the_session(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    idle = settings.PDCA_SESSION_IDLE_SECONDS
    _set_session(client, **{SIGNED_IN_AT: now - 2 * idle, LAST_SEEN: now - idle + 120})
    assert client.get(_dashboard(world)).status_code == 200
    assert client.session[LAST_SEEN] >= now  # the activity moved the idle clock on


@pytest.mark.django_db
def test_absolute_lifetime_ends_an_active_session(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    _set_session(client, **{SIGNED_IN_AT: now - settings.SESSION_COOKIE_AGE, LAST_SEEN: now})
    response = client.get(_dashboard(world), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))
    assert "maximum length" in response.content.decode()


@pytest.mark.django_db
def test_idle_api_session_is_refused_without_a_message(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    _set_session(client, **{SIGNED_IN_AT: now, LAST_SEEN: now - 10 * 3600})
    response = client.get(reverse("api-me"))
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert not list(get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_idle_htmx_request_is_told_to_load_the_sign_in_page(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    _set_session(client, **{SIGNED_IN_AT: now, LAST_SEEN: now - 10 * 3600})
    page = _dashboard(world)
    response = client.get(
        reverse("records:list", kwargs={"org": world.org.slug}),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("core:login") + f"?next={page}"


@pytest.mark.django_db
@override_settings(PDCA_SESSION_IDLE_SECONDS=0)
def test_idle_limit_can_be_turned_off(world, client):
    client.force_login(world.mr)
    now = int(time.time())
    _set_session(client, **{SIGNED_IN_AT: now, LAST_SEEN: now - 10 * 3600})
    assert client.get(_dashboard(world)).status_code == 200


@pytest.mark.django_db
def test_token_request_creates_no_session(world, client):
    _, secret = services.api_token_create(actor=world.mr, name="ci")
    response = client.get(reverse("api-me"), headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies

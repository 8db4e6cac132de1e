"""The production path as an operator follows it: collectstatic, migrate, gunicorn, sign in.

Runs the real commands in subprocesses under `pdca.config.settings.production`, so that a
missing static file, a setting that only breaks with DEBUG off, or a server that answers 500
on every page fails here instead of on the first deployment.
"""

import re
import time

import pytest

from tests.servers import Client, gunicorn, production_env, run_pdca

CREATE_USER = """
from pdca.core import services
from pdca.core.models import User
from pdca.core.roles import Role
org = services.organization_create(actor=None, name="Acme Precision Ltd", slug="acme")
user = User.objects.create_user(email="mr@acme.example", password="a long deploy password")
services.membership_add(actor=None, organization=org, user=user, roles=[Role.MANAGEMENT_REP])
"""


@pytest.fixture(name="production_env")
def _production_env(tmp_path):
    return production_env(tmp_path)


def assert_security_headers(headers: dict) -> None:
    """What every page carries in production (ASVS level 2)."""
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    csp = {d.split()[0]: d.split()[1:] for d in headers["content-security-policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in headers["permissions-policy"]
    assert "no-store" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_production_settings_deploy_and_serve_a_signed_in_page(production_env, tmp_path):
    # Django's deployment checklist finds nothing to warn about (preloading HSTS is the
    # operator's choice, off by default: turned on here so that the check can be strict; a
    # deployment of several workers names its shared cache, which the check does not connect to).
    run_pdca(
        {
            **production_env,
            "PDCA_HSTS_PRELOAD": "1",
            "PDCA_REDIS_URL": "redis://127.0.0.1:6379/14",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    run_pdca(production_env, "collectstatic", "--noinput")
    assert list((tmp_path / "static" / "vendor").glob("chart-*.min.js"))
    run_pdca(production_env, "migrate", "--noinput")
    run_pdca(production_env, "shell", "-c", CREATE_USER)
    run_pdca(production_env, "trail-checkpoint")
    run_pdca(production_env, "verify-trail", "--require-checkpoint")
    assert (tmp_path / "trail-checkpoints.jsonl").exists()

    with gunicorn(production_env, tmp_path) as port:
        client = Client(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, page = client.request("GET", "/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert status == 200, page[-2000:]
        assert_security_headers(headers)

        # Plain HTTP (the proxy says so by not sending X-Forwarded-Proto) goes to HTTPS.
        status, plain, _ = client.request("GET", "/o/acme/", https=False)
        assert status == 301
        assert plain["location"] == "https://localhost/o/acme/"

        # The page's assets come from the collected, hashed files.
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets)
        status, headers, _ = client.request("GET", stylesheets[0])
        assert status == 200
        assert "max-age" in headers.get("cache-control", "")
        assert "no-store" not in headers["cache-control"]

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        form = f"csrfmiddlewaretoken={token.group(1)}&email=mr%40acme.example"
        form += "&password=a+long+deploy+password"
        status, headers, _ = client.request("POST", "/accounts/login/", form)
        assert status == 302, "sign-in was refused"
        assert "secure" in client.cookie_flags["sessionid"]
        assert "httponly" in client.cookie_flags["sessionid"]

        status, headers, page = client.request("GET", "/o/acme/")
        assert status == 200
        assert "Acme Precision Ltd" in page
        assert_security_headers(headers)

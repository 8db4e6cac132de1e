"""The production path as an operator follows it: collectstatic, migrate, gunicorn, sign in.

Runs the real commands in subprocesses under `pdca.config.settings.production`, so that a
missing static file, a setting that only breaks with DEBUG off, or a server that answers 500
on every page fails here instead of on the first deployment.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

CREATE_USER = """
from pdca.core import services
from pdca.core.models import User
from pdca.core.roles import Role
org = services.organization_create(actor=None, name="Acme Precision Ltd", slug="acme")
user = User.objects.create_user(email="mr@acme.example", password="a long deploy password")
services.membership_add(actor=None, organization=org, user=user, roles=[Role.MANAGEMENT_REP])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A tiny HTTP client that keeps cookies by hand: the production cookies are Secure, and
    the proxy in front of gunicorn (played by the X-Forwarded-Proto header) terminates TLS."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.cookie_flags: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str = "", https: bool = True
    ) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {
            "Host": "localhost",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "https://localhost/accounts/login/"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
                self.cookie_flags[key] = rest.lower()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


@pytest.fixture
def production_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PDCA_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pdca.config.settings.production",
        PDCA_SECRET_KEY="deployment-test-" + "x" * 40,
        PDCA_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'pdca.sqlite3'}",
        PDCA_ALLOWED_HOSTS="localhost",
        PDCA_CSRF_TRUSTED_ORIGINS="https://localhost",
    )
    return env


def _run(env: dict, *args: str) -> None:
    result = subprocess.run(
        [str(BIN / "pdca"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"pdca {' '.join(args)} failed:\n{result.stderr[-3000:]}"


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
    # operator's choice, off by default: turned on here so that the check can be strict).
    _run(
        {**production_env, "PDCA_HSTS_PRELOAD": "1"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    _run(production_env, "collectstatic", "--noinput")
    assert list((tmp_path / "static" / "vendor").glob("chart-*.min.js"))
    _run(production_env, "migrate", "--noinput")
    _run(production_env, "shell", "-c", CREATE_USER)

    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "pdca.config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env=production_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        client = Client(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, page = client.request("GET", "/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "gunicorn did not start"
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
    finally:
        server.terminate()
        server.wait(timeout=20)

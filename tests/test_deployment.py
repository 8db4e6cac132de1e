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


def test_production_settings_deploy_and_serve_a_signed_in_page(production_env, tmp_path):
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
                status, _, page = client.request("GET", "/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert status == 200, page[-2000:]

        # The page's assets come from the collected, hashed files.
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", s) for s in stylesheets)
        status, headers, _ = client.request("GET", stylesheets[0])
        assert status == 200
        assert "max-age" in headers.get("cache-control", "")

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        form = f"csrfmiddlewaretoken={token.group(1)}&email=mr%40acme.example"
        form += "&password=a+long+deploy+password"
        status, headers, _ = client.request("POST", "/accounts/login/", form)
        assert status == 302, "sign-in was refused"

        status, _, page = client.request("GET", "/o/acme/")
        assert status == 200
        assert "Acme Precision Ltd" in page

"""Two app servers, one PostgreSQL and one Redis: what a user sees does not depend on which
server answers. Two gunicorn servers (two workers each) run under the production settings
against a database of this test's own and a Redis database; one browser and one attacker talk
to both in turn: a session, the login throttle, the API rate limit and the cached figures hold
across them. Skipped with a reason when no PostgreSQL or Redis answers."""

import json
import os
import re
import subprocess
import urllib.parse

import psycopg
import pytest
import redis

from tests.servers import BIN, Client, gunicorn, moto_s3, production_env, run_pdca

POSTGRES = os.environ.get("PDCA_MULTI_SERVER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# One database per run, so that two runs on one machine (SQLite and PostgreSQL passes) cannot meet.
DATABASE = f"pdca_several_servers_{os.getpid()}"
REDIS_URL = os.environ.get("PDCA_MULTI_SERVER_REDIS", "redis://127.0.0.1:6379/8")
PASSWORD = "a long deploy password"
FAILURE_LIMIT = 3
API_RATE = 5

SETUP = """
from django_scopes import scopes_disabled
from pdca.core import services
from pdca.core.models import User
from pdca.core.roles import Role
from pdca.improvement.services import nonconformity_raise
PASSWORD = "a long deploy password"
with scopes_disabled():
    org = services.organization_create(actor=None, name="Acme Precision Ltd", slug="acme")
    for email in ("mr@acme.example", "api@acme.example", "locked@acme.example"):
        user = User.objects.create_user(email=email, password=PASSWORD)
        roles = [Role.MANAGEMENT_REP]
        services.membership_add(actor=None, organization=org, user=user, roles=roles)
    nonconformity_raise(
        actor=user, organization=org, title="Burr on shaft", description="Lot 7", source="employee"
    )
"""

# Changes the data behind pdca's back: no service, no audit-trail entry, so the cached figure's
# key (the trail head) stays the same and a server that reads the shared cache keeps the old one.
BEHIND_THE_BACK = """
from django_scopes import scopes_disabled
from pdca.improvement.models import Nonconformity
with scopes_disabled():
    Nonconformity.objects.update(source="customer")
"""


def _database_url() -> str:
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at {POSTGRES}: {error}")
    return f"{POSTGRES}/{DATABASE}"


def _redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return REDIS_URL


def _sign_in(client: Client, email: str, password: str) -> int:
    status, _, page = client.request("GET", "/accounts/login/")
    assert status == 200, page[-2000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "email": email, "password": password}
    )
    status, _, _ = client.request("POST", "/accounts/login/", form)
    return status


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("several")
    env = production_env(
        tmp,
        DATABASE_URL=_database_url(),
        PDCA_REDIS_URL=_redis(),
        PDCA_LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
        PDCA_API_RATE=f"{API_RATE}/hour",
    )
    run_pdca(env, "collectstatic", "--noinput")
    run_pdca(env, "migrate", "--noinput")
    run_pdca(env, "shell", "-c", SETUP)
    with gunicorn(env, tmp) as a, gunicorn(env, tmp) as b:
        yield env, a, b
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def test_a_session_started_on_one_server_is_used_and_ended_on_the_other(servers):
    _, a, b = servers
    browser = Client(a)
    assert _sign_in(browser, "mr@acme.example", PASSWORD) == 302
    browser.port = b
    status, _, page = browser.request("GET", "/o/acme/")
    assert status == 200 and "Acme Precision Ltd" in page
    status, _, _ = browser.request(
        "POST", "/accounts/logout/", headers={"X-CSRFToken": browser.cookies["csrftoken"]}
    )
    assert status == 302
    browser.port = a
    status, headers, _ = browser.request("GET", "/o/acme/")
    assert status == 302 and "/accounts/login/" in headers["location"]


def test_wrong_passwords_on_both_servers_add_up_to_one_lock(servers):
    _, a, b = servers
    attacker = Client(a)
    for attempt in range(FAILURE_LIMIT):
        attacker.port = (a, b)[attempt % 2]
        assert _sign_in(attacker, "locked@acme.example", "wrong password") != 302
    # The next try is refused on either server, even with the right password.
    for port in (a, b):
        attacker.port = port
        assert _sign_in(attacker, "locked@acme.example", PASSWORD) != 302
        status, _, _ = attacker.request("GET", "/o/acme/")
        assert status == 302  # not signed in


def test_the_api_rate_limit_counts_calls_on_both_servers(servers):
    _, a, b = servers
    client = Client(a)
    assert _sign_in(client, "api@acme.example", PASSWORD) == 302
    answers = []
    for call in range(API_RATE + 1):
        client.port = (a, b)[call % 2]
        status, _, _ = client.request("GET", "/api/v1/o/acme/improvement/nonconformities/")
        answers.append(status)
    assert answers == [200] * API_RATE + [429]


def test_a_figure_computed_on_one_server_is_read_from_the_shared_cache_on_the_other(servers):
    env, a, b = servers
    client = Client(a)
    assert _sign_in(client, "mr@acme.example", PASSWORD) == 302
    status, _, body = client.request("GET", "/api/v1/o/acme/improvement/analysis/")
    assert status == 200, body[-2000:]
    on_a = json.loads(body)
    assert "employee" in body and "customer" not in body

    run_pdca(env, "shell", "-c", BEHIND_THE_BACK)
    client.port = b
    status, _, body = client.request("GET", "/api/v1/o/acme/improvement/nonconformities/")
    assert '"customer"' in body  # the database has changed ...
    status, _, body = client.request("GET", "/api/v1/o/acme/improvement/analysis/")
    assert json.loads(body) == on_a  # ... and B answers with the figure A put in the cache


def test_uploaded_files_go_to_the_object_store_in_production(tmp_path):
    with moto_s3() as endpoint:
        env = production_env(
            tmp_path,
            PDCA_S3_BUCKET="pdca-production",
            PDCA_S3_ENDPOINT_URL=endpoint,
            PDCA_S3_REGION="us-east-1",
            PDCA_S3_ACCESS_KEY_ID="testing",
            PDCA_S3_SECRET_ACCESS_KEY="testing",
        )
        script = (
            "import boto3\n"
            "from django.core.files.base import ContentFile\n"
            "from django.core.files.storage import default_storage\n"
            f"s3 = boto3.client('s3', endpoint_url='{endpoint}', region_name='us-east-1',"
            " aws_access_key_id='testing', aws_secret_access_key='testing')\n"
            "s3.create_bucket(Bucket='pdca-production')\n"
            "name = default_storage.save('records/1/a.pdf', ContentFile(b'%PDF-1.4'))\n"
            "keys = [o['Key'] for o in s3.list_objects_v2(Bucket='pdca-production')['Contents']]\n"
            "print(type(default_storage._wrapped).__name__, name, keys)\n"
        )
        out = run_pdca(env, "shell", "-c", script)
    assert "S3Storage records/1/a.pdf ['records/1/a.pdf']" in out
    assert not (tmp_path / "media").exists()


def _check_deploy(env: dict) -> str:
    result = subprocess.run(
        [str(BIN / "pdca"), "check", "--deploy"], env=env, capture_output=True, text=True
    )
    return result.stdout + result.stderr


def test_production_without_a_shared_cache_says_limits_are_per_process(tmp_path):
    output = _check_deploy(production_env(tmp_path))
    assert "pdca.W001" in output and "per worker process" in output
    assert "pdca.W001" not in _check_deploy(production_env(tmp_path, PDCA_REDIS_URL=REDIS_URL))

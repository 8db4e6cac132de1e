"""A request past its deadline is stopped with a clear answer instead of holding its worker."""

import time

import pytest
from django.db import connection
from django.test import Client

from pdca.core import deadline


@pytest.fixture
def cut_off(settings, monkeypatch):
    settings.PDCA_REQUEST_TIMEOUT = 1
    # What the WSGI entry point marks, and what a web server's new connection is given.
    monkeypatch.setattr(deadline, "web_process", True)
    deadline.on_connection_created(None, connection)


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_a_slow_page_is_stopped_at_the_deadline_with_a_page_that_says_so(world, cut_off):
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    started = time.monotonic()
    response = client.get("/slow/")
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    html = response.content.decode()
    assert "This took too long" in html and "longer than 1 seconds" in html
    assert "Nothing was changed" in html


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_a_slow_api_call_is_stopped_with_json(world, cut_off):
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    response = client.get("/api/v1/slow/")
    assert response.status_code == 503
    assert response.json()["status"] == 503 and "longer than 1 seconds" in response.json()["detail"]


@pytest.mark.django_db
def test_without_a_deadline_nothing_is_cut_off(world, client, settings):
    settings.PDCA_REQUEST_TIMEOUT = 0
    client.force_login(world.employee)
    assert client.get(f"/o/{world.org.slug}/").status_code == 200
    assert deadline._deadline.get() is None


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_the_deadline_ends_with_the_request(world, settings):
    settings.PDCA_REQUEST_TIMEOUT = 1
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    client.get("/broken/")
    # Outside a request (a job, the worker, a management command) no deadline applies.
    assert deadline._deadline.get() is None
    time.sleep(1.1)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000)"
            " SELECT count(*) FROM c"
        )
        assert cursor.fetchone()[0] == 300000


def test_the_server_warms_up_before_it_forks():
    from pdca.config import gunicorn
    from pdca.core.warmup import warm

    assert gunicorn.preload_app and gunicorn.worker_class == "gthread"
    assert gunicorn.timeout > 20  # after the request deadline, never before it
    assert warm() > 100

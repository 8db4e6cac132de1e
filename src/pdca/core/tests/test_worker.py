"""A real worker (`pdca worker`, a subprocess) takes a job from the real Redis and writes its
result to the test database: the same task code as production, across processes.

Redis database 15 on 127.0.0.1:6379 (PDCA_TEST_REDIS_BROKER to change it); skipped with a
reason when no Redis answers, unless PDCA_REQUIRE_REDIS is set (as in CI). On PostgreSQL the
worker connects to the test database itself; on SQLite, whose test database lives in this
process's memory, the worker is given a copy in a file and the test reads the copy back.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from pdca.config.celery import app
from pdca.core import tasks
from pdca.core.models import Job

REDIS_URL = os.environ.get("PDCA_TEST_REDIS_BROKER", "redis://127.0.0.1:6379/15")
BIN = Path(sys.executable).parent


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError as error:
        if os.environ.get("PDCA_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return client


def _database_url(tmp_path: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    copy = tmp_path / "test-database.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _read_back(database_url: str) -> None:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as source:
            source.backup(connection.connection)
        source.close()


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [str(BIN / "pdca"), "worker", "--concurrency", "1", "--without-heartbeat"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_runs_a_job_and_writes_to_the_test_database(world, tmp_path):
    broker = _redis()
    broker.flushdb()  # database 15 is the tests' own
    job = Job.objects.create(
        organization=world.org,
        requested_by=world.mr,
        kind="core.trail",
        parameters={"action": "core.membership"},
    )
    database_url = _database_url(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PDCA_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "pdca.config.settings.test",
        "PDCA_TEST_DATABASE_URL": database_url,
        "PDCA_TEST_BROKER_URL": REDIS_URL,
        "PDCA_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = tmp_path / "worker.log"
    worker = _worker(env, log)
    try:
        # Queued as production queues it, over Redis rather than run in this process.
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            with app.connection_for_write(REDIS_URL) as conn:
                tasks.run_job.apply_async(args=[job.pk], connection=conn)
        finally:
            app.conf.task_always_eager = eager
        assert broker.llen("celery") + broker.dbsize() > 0  # the message is in Redis
        deadline = time.monotonic() + 90
        status = "queued"
        while time.monotonic() < deadline and status not in ("done", "failed"):
            time.sleep(0.5)
            assert worker.poll() is None, log.read_text()
            status = _status(database_url, job.pk)
        assert status == "done", log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    _read_back(database_url)
    job.refresh_from_db()
    assert job.status == "done" and job.progress_done == job.progress_total > 0
    assert job.result_name.startswith("audit-trail-acme-")
    assert job.result.storage.open(job.result.name).read(2) == b"PK"  # an XLSX (zip) file
    assert "succeeded" in log.read_text()
    assert broker.llen("celery") == 0  # taken and acknowledged


def _status(database_url: str, pk: int) -> str:
    if connection.vendor == "sqlite":
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=5) as db:
            row = db.execute("SELECT status FROM core_job WHERE id = ?", (pk,)).fetchone()
        db.close()
        return row[0]
    connection.close()  # a fresh snapshot
    return Job.objects.values_list("status", flat=True).get(pk=pk)

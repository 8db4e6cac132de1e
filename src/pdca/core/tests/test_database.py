"""How pdca sets up its database connections."""

import pytest
from django.db import connection

from pdca.config.settings.base import database_from_url

pytestmark = pytest.mark.django_db


def test_postgresql_connections_run_without_jit_compiler_or_parallel_workers():
    config = database_from_url("postgres://pdca@db.example:5432/pdca")
    assert "jit=off" in config["OPTIONS"]["options"]
    assert "max_parallel_workers_per_gather=0" in config["OPTIONS"]["options"]
    if connection.vendor != "postgresql":
        pytest.skip("the live setting needs PostgreSQL (set PDCA_TEST_POSTGRES_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_sqlite_connections_write_ahead_and_take_the_write_lock_up_front():
    options = database_from_url("sqlite:////tmp/pdca.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]

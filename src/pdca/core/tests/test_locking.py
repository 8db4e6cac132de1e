"""Rows are locked FOR NO KEY UPDATE, never FOR UPDATE.

pdca never changes a primary key. On PostgreSQL, FOR UPDATE also blocks the FOR KEY SHARE lock
that a concurrent transaction's foreign-key check takes on the same row at commit: raising a
nonconformity (which locks its organization to number it) deadlocked against any write
appending to the trail in the soak benchmark. FOR NO KEY UPDATE serializes the writers alike
without blocking those checks.
"""

import re
from pathlib import Path

import pytest
from django.db import connection, transaction

from pdca.core.models import Organization

SRC = Path(__file__).resolve().parents[2]


def test_no_service_locks_rows_for_update():
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"select_for_update\((?!no_key=True)", line)
    ]
    assert not offenders, f"Lock with select_for_update(no_key=True): {offenders}"


@pytest.mark.django_db(transaction=True)
def test_a_locked_row_does_not_block_a_foreign_key_check(world):
    if connection.vendor != "postgresql":
        pytest.skip("row lock modes are PostgreSQL's")
    import psycopg

    settings = connection.settings_dict
    other = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )
    try:
        with transaction.atomic():
            Organization.objects.select_for_update(no_key=True).get(pk=world.org.pk)
            # What a concurrent insert's foreign-key check takes at commit; NOWAIT fails at
            # once if the lock above would make it wait.
            other.execute(
                "SELECT 1 FROM core_organization WHERE id = %s FOR KEY SHARE NOWAIT",
                [world.org.pk],
            )
    finally:
        other.close()

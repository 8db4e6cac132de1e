"""Database triggers that keep the audit trail append-only below the ORM.

The model and its queryset refuse to change or delete entries, but that guards only code that
goes through them. These triggers make the database itself refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE) of trail entries, refuse deleting a chain head, and let a head move only
forward. A database owner can still drop them: that is what the keyed hashes and the
checkpoints outside the database are for.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

REFUSED = "the audit trail is append-only"

_SQLITE_CREATE = [
    f"""CREATE TRIGGER core_trailentry_no_update BEFORE UPDATE ON core_trailentry
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: entries cannot be changed'); END""",
    f"""CREATE TRIGGER core_trailentry_no_delete BEFORE DELETE ON core_trailentry
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: entries cannot be deleted'); END""",
    f"""CREATE TRIGGER core_trailchain_no_delete BEFORE DELETE ON core_trailchain
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: chain heads cannot be deleted'); END""",
    f"""CREATE TRIGGER core_trailchain_forward_only BEFORE UPDATE ON core_trailchain
    WHEN NEW."key" <> OLD."key" OR NEW.last_seq <= OLD.last_seq
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: chain heads only move forward'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_trailentry_no_update",
    "DROP TRIGGER IF EXISTS core_trailentry_no_delete",
    "DROP TRIGGER IF EXISTS core_trailchain_no_delete",
    "DROP TRIGGER IF EXISTS core_trailchain_forward_only",
]

_POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION core_trail_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED}: % on % refused', TG_OP, TG_TABLE_NAME;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION core_trailchain_forward_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW."key" <> OLD."key" OR NEW.last_seq <= OLD.last_seq THEN
            RAISE EXCEPTION '{REFUSED}: chain heads only move forward';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER core_trailentry_no_change BEFORE UPDATE OR DELETE ON core_trailentry
    FOR EACH ROW EXECUTE FUNCTION core_trail_refuse()""",
    """CREATE TRIGGER core_trailentry_no_truncate BEFORE TRUNCATE ON core_trailentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_trail_refuse()""",
    """CREATE TRIGGER core_trailchain_no_delete BEFORE DELETE ON core_trailchain
    FOR EACH ROW EXECUTE FUNCTION core_trail_refuse()""",
    """CREATE TRIGGER core_trailchain_no_truncate BEFORE TRUNCATE ON core_trailchain
    FOR EACH STATEMENT EXECUTE FUNCTION core_trail_refuse()""",
    """CREATE TRIGGER core_trailchain_forward_only BEFORE UPDATE ON core_trailchain
    FOR EACH ROW EXECUTE FUNCTION core_trailchain_forward_only()""",
]
_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS core_trailentry_no_change ON core_trailentry",
    "DROP TRIGGER IF EXISTS core_trailentry_no_truncate ON core_trailentry",
    "DROP TRIGGER IF EXISTS core_trailchain_no_delete ON core_trailchain",
    "DROP TRIGGER IF EXISTS core_trailchain_no_truncate ON core_trailchain",
    "DROP TRIGGER IF EXISTS core_trailchain_forward_only ON core_trailchain",
    "DROP FUNCTION IF EXISTS core_trail_refuse()",
    "DROP FUNCTION IF EXISTS core_trailchain_forward_only()",
]

CREATE = {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRESQL_CREATE}
DROP = {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRESQL_DROP}


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise NotImplementedError(f"No append-only triggers for {connection.vendor}.")
    with connection.cursor() as cursor:
        for sql in statements[connection.vendor]:
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (they must not exist yet: `remove` first to recreate them)."""
    _run(connection, CREATE)


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, DROP)


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The triggers dropped for the duration of one transaction, and put back before it
    commits: for emptying every table (a test's flush), never for changing entries."""
    with transaction.atomic(using=connection.alias):
        remove(connection)
        yield
        install(connection)

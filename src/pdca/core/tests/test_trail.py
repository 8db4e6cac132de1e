"""The tamper-evident audit trail: hash chain, append-only entries and `pdca verify-trail`.

The tampering tests act as an attacker who owns the database but not the trail key: they drop
the append-only triggers first, then rewrite the trail with raw SQL.
"""

import hashlib
import hmac
import io
import itertools
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from pdca.core import append_only, trail
from pdca.core.models import Organization, TrailChain, TrailEntry
from pdca.core.models.trail import GENESIS_HASH, AppendOnlyError, entry_payload
from pdca.core.trail_keys import canonical


def _org_entries(org: Organization) -> list[TrailEntry]:
    return list(TrailEntry.objects.filter(chain=org.pk).order_by("seq"))


def _raw(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _as_database_owner() -> None:
    """What an attacker with the database owner's rights does first (undone with the test's
    transaction)."""
    append_only.remove(connection)


def _verify() -> str:
    """Run `pdca verify-trail`; return its error output, or "" when the trail is intact."""
    err = io.StringIO()
    try:
        call_command("verify-trail", stdout=io.StringIO(), stderr=err)
    except CommandError:
        return err.getvalue() or "broken"
    return ""


@pytest.mark.django_db
def test_record_appends_with_the_predecessor_hash(world):
    first = trail.record(
        action="core.organization.updated", actor=world.mr, organization=world.org, obj=world.org
    )
    second = trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.org,
        obj=world.org,
        changes={"name": ["A", "B"]},
        reason="typo",
    )
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert second.hash == second.compute_hash()
    assert len(second.hash) == 64 and second.key_id
    head = TrailChain.objects.get(key=world.org.pk)
    assert (head.last_seq, head.last_hash) == (second.seq, second.hash)
    entries = _org_entries(world.org)
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


@pytest.mark.django_db
def test_record_many_chains_its_entries_in_order_and_moves_the_head_once(
    world, django_assert_max_num_queries
):
    before = TrailChain.objects.get(key=world.org.pk)
    items = [
        trail.Pending("core.organization.updated", world.org, {"name": [str(n), str(n + 1)]})
        for n in range(50)
    ]
    # The head is read and moved once, the entries written together: not four queries each.
    with django_assert_max_num_queries(8):
        entries = trail.record_many(actor=world.mr, organization=world.org, items=items)
    assert [e.seq for e in entries] == list(range(before.last_seq + 1, before.last_seq + 51))
    assert entries[0].prev_hash == before.last_hash
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert all(e.pk is not None and e.hash == e.compute_hash() for e in entries)
    head = TrailChain.objects.get(key=world.org.pk)
    assert (head.last_seq, head.last_hash) == (entries[-1].seq, entries[-1].hash)
    assert _verify() == ""
    # An unregistered action refuses the whole batch before anything is written.
    with pytest.raises(ValueError):
        trail.record_many(
            actor=world.mr,
            organization=world.org,
            items=[items[0], trail.Pending("core.nothing.registered")],
        )
    assert TrailChain.objects.get(key=world.org.pk).last_seq == head.last_seq
    assert trail.record_many(actor=None, organization=world.org, items=[]) == []


@pytest.mark.django_db
def test_each_organization_has_its_own_chain(world):
    a = trail.record(action="core.organization.updated", actor=None, organization=world.org)
    b = trail.record(action="core.organization.updated", actor=None, organization=world.other_org)
    assert a.chain == world.org.pk and b.chain == world.other_org.pk
    assert b.prev_hash == _org_entries(world.other_org)[-2].hash


@pytest.mark.django_db
def test_saving_an_existing_entry_is_refused(world):
    entry = _org_entries(world.org)[0]
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()


@pytest.mark.django_db
def test_deleting_an_entry_is_refused(world):
    entry = _org_entries(world.org)[0]
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(world):
    with pytest.raises(AppendOnlyError):
        TrailEntry.objects.filter(chain=world.org.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        TrailEntry.objects.filter(chain=world.org.pk).delete()
    assert TrailEntry.objects.filter(chain=world.org.pk, reason="x").count() == 0


@pytest.mark.django_db
def test_unregistered_action_code_is_refused(world):
    before = TrailEntry.objects.count()
    with pytest.raises(ValueError, match="Unregistered"):
        trail.record(action="core.nothing.happened", actor=world.mr, organization=world.org)
    assert TrailEntry.objects.count() == before


@pytest.mark.django_db
def test_entry_records_request_ip_and_ids_from_context(world):
    from pdca.core import context

    tokens = context.bind(request_id="req-123", client_ip="198.51.100.4")
    client_token = context.bind_client_request_id("proxy-7")
    try:
        entry = trail.record(action="core.organization.updated", actor=None, organization=world.org)
    finally:
        context.unbind(tokens)
        context.unbind_client_request_id(client_token)
    assert (entry.ip, entry.request_id, entry.client_request_id) == (
        "198.51.100.4",
        "req-123",
        "proxy-7",
    )


@pytest.fixture
def demo_db(db):
    call_command("demo", stdout=io.StringIO())
    return Organization.objects.get(slug="acme")


def test_verify_trail_passes_on_the_demo_database(demo_db):
    out = io.StringIO()
    call_command("verify-trail", stdout=out)
    assert "intact" in out.getvalue()


def test_demo_is_idempotent_and_keeps_the_trail_intact(demo_db):
    count = TrailEntry.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert TrailEntry.objects.count() == count
    assert _verify() == ""


def test_verify_trail_detects_edits_in_the_global_chain(world):
    entry = TrailEntry.objects.filter(chain=0).order_by("seq").first()
    assert entry is not None
    _as_database_owner()
    _raw("UPDATE core_trailentry SET actor_label = %s WHERE id = %s", ["x@y.z", entry.pk])
    assert f"chain 0: entry #{entry.seq} (id {entry.pk}): content was altered" in _verify()


# The eleven tamperings. Each takes the chain key and its entries (in order) as they were
# before, rewrites the database, and returns what `pdca verify-trail` must report.


def _forge_from(key: int, seq: int, guessed_key: bytes | None) -> None:
    """Recompute every hash from `seq` to the end and move the head to match: all an attacker
    without the trail key can do (plain SHA-256 as pdca once used, or HMAC under a guess)."""
    prev = TrailEntry.objects.get(chain=key, seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    last = seq - 1
    for entry in TrailEntry.objects.filter(chain=key, seq__gte=seq).order_by("seq"):
        entry.prev_hash = prev
        data = canonical(entry_payload(entry))
        if guessed_key is None:
            prev = hashlib.sha256(data).hexdigest()
        else:
            prev = hmac.digest(guessed_key, data, "sha256").hex()
        _raw(
            "UPDATE core_trailentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [entry.prev_hash, prev, entry.pk],
        )
        last = entry.seq
    _move_head(key, last, prev)


def _move_head(key: int, seq: int, hash_: str) -> None:
    _raw(
        'UPDATE core_trailchain SET last_seq = %s, last_hash = %s WHERE "key" = %s',
        [seq, hash_, key],
    )


def _delete(*entries: TrailEntry) -> None:
    for entry in entries:
        _raw("DELETE FROM core_trailentry WHERE id = %s", [entry.pk])


def edit_a_field(key: int, e: list[TrailEntry]) -> str:
    _raw("UPDATE core_trailentry SET reason = %s WHERE id = %s", ["forged", e[5].pk])
    return f"chain {key}: entry #{e[5].seq} (id {e[5].pk}): content was altered"


def delete_a_middle_entry(key: int, e: list[TrailEntry]) -> str:
    victim = e[len(e) // 2]
    _delete(victim)
    return f"chain {key}: #{victim.seq}: missing"


def delete_the_newest(key: int, e: list[TrailEntry]) -> str:
    _delete(e[-1])
    return f"chain {key}: #{e[-1].seq}: entries at the end of the chain were removed"


def delete_the_newest_and_move_the_head(key: int, e: list[TrailEntry]) -> str:
    _delete(e[-1])
    _move_head(key, e[-2].seq, e[-2].hash)
    return f"chain {key}: #{e[-1].seq}: missing: the checkpoint of"


def delete_the_last_ten(key: int, e: list[TrailEntry]) -> str:
    _delete(*e[-10:])
    return f"chain {key}: #{e[-1].seq}: entries at the end of the chain were removed"


def delete_the_last_ten_and_move_the_head(key: int, e: list[TrailEntry]) -> str:
    _delete(*e[-10:])
    _move_head(key, e[-11].seq, e[-11].hash)
    return f"up to #{e[-1].seq}, now #{e[-11].seq}"


def swap_two_entries(key: int, e: list[TrailEntry]) -> str:
    a, b = e[3], e[4]
    _raw("UPDATE core_trailentry SET seq = %s WHERE id = %s", [10**12, a.pk])
    _raw("UPDATE core_trailentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
    _raw("UPDATE core_trailentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    return f"chain {key}: entry #{a.seq} (id {b.pk}): predecessor hash does not match"


def edit_and_rehash_to_the_end(key: int, e: list[TrailEntry]) -> str:
    _raw("UPDATE core_trailentry SET reason = %s WHERE id = %s", ["forged", e[5].pk])
    _forge_from(key, e[5].seq, guessed_key=None)
    return f"chain {key}: entry #{e[5].seq} (id {e[5].pk}): content was altered"


def edit_and_rehash_with_a_guessed_key(key: int, e: list[TrailEntry]) -> str:
    _raw("UPDATE core_trailentry SET reason = %s WHERE id = %s", ["forged", e[5].pk])
    _forge_from(key, e[5].seq, guessed_key=secrets.token_bytes(32))
    return f"chain {key}: entry #{e[5].seq} (id {e[5].pk}): content was altered"


def delete_and_renumber(key: int, e: list[TrailEntry]) -> str:
    _delete(e[5])
    for entry in e[6:]:
        _raw("UPDATE core_trailentry SET seq = %s WHERE id = %s", [entry.seq - 1, entry.pk])
    _forge_from(key, e[5].seq, guessed_key=None)
    return f"chain {key}: entry #{e[5].seq} (id {e[6].pk}): content was altered"


def delete_the_whole_chain_with_its_head(key: int, e: list[TrailEntry]) -> str:
    _raw("DELETE FROM core_trailentry WHERE chain = %s", [key])
    _raw('DELETE FROM core_trailchain WHERE "key" = %s', [key])
    return f"chain {key}: #{e[-1].seq}: the whole chain is missing"


TAMPERINGS: list[Callable[[int, list[TrailEntry]], str]] = [
    edit_a_field,
    delete_a_middle_entry,
    delete_the_newest,
    delete_the_newest_and_move_the_head,
    delete_the_last_ten,
    delete_the_last_ten_and_move_the_head,
    swap_two_entries,
    edit_and_rehash_to_the_end,
    edit_and_rehash_with_a_guessed_key,
    delete_and_renumber,
    delete_the_whole_chain_with_its_head,
]


@pytest.fixture
def checkpointed_chain(world) -> tuple[int, list[TrailEntry]]:
    """The organization's chain, 30 entries or more, signed by a checkpoint and intact."""
    for i in range(30):
        trail.record(
            action="core.organization.updated",
            actor=world.mr,
            organization=world.org,
            obj=world.org,
            changes={"name": [f"n{i}", f"n{i + 1}"]},
        )
    call_command("trail-checkpoint", stdout=io.StringIO())
    assert _verify() == ""
    return world.org.pk, _org_entries(world.org)


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda t: t.__name__)
def test_verify_trail_names_each_tampering(checkpointed_chain, tamper):
    key, entries = checkpointed_chain
    _as_database_owner()
    expected = tamper(key, entries)
    report = _verify()
    assert expected in report, report


def test_verify_trail_names_a_truncation_against_a_kept_receipt(checkpointed_chain, tmp_path):
    # The checkpoint file itself may be gone: a receipt kept elsewhere still shows the cut.
    key, entries = checkpointed_chain
    org = Organization.objects.get(pk=key)
    from pdca.core import checkpoints

    receipt = checkpoints.receipt_for(org, checkpoints.latest())  # type: ignore[arg-type]
    assert receipt is not None
    kept = tmp_path / "receipt.json"
    kept.write_text(receipt.to_json())
    _as_database_owner()
    delete_the_last_ten_and_move_the_head(key, entries)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify-trail", "--receipt", str(kept), stdout=io.StringIO(), stderr=err)
    assert f"chain {key}: #{entries[-1].seq}: missing: the receipt of" in err.getvalue()


# The database's own refusal.


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic():
            _raw(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def test_the_database_refuses_to_change_or_delete_entries(world):
    entry = _org_entries(world.org)[0]
    assert _refused("UPDATE core_trailentry SET reason = %s WHERE id = %s", ["x", entry.pk])
    assert _refused("DELETE FROM core_trailentry WHERE id = %s", [entry.pk])
    assert _refused("DELETE FROM core_trailentry", [])
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks in the way
        assert _refused("TRUNCATE core_trailentry CASCADE", [])
    assert TrailEntry.objects.get(pk=entry.pk).reason == entry.reason


def test_the_database_lets_chain_heads_move_only_forward(world):
    head = TrailChain.objects.get(key=world.org.pk)
    back = 'UPDATE core_trailchain SET last_seq = %s WHERE "key" = %s'
    assert _refused(back, [head.last_seq - 1, head.key])
    assert _refused('UPDATE core_trailchain SET last_hash = %s WHERE "key" = %s', ["0", head.key])
    assert _refused('DELETE FROM core_trailchain WHERE "key" = %s', [head.key])
    # Appending still moves it forward.
    entry = trail.record(action="core.organization.updated", actor=None, organization=world.org)
    assert TrailChain.objects.get(key=world.org.pk).last_seq == entry.seq == head.last_seq + 1


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_trail_and_leaves_the_triggers_standing():
    from pdca.core import services

    services.organization_create(actor=None, name="Flush Ltd", slug="flush")
    call_command("flush", interactive=False, verbosity=0)
    assert not TrailEntry.objects.exists() and not TrailChain.objects.exists()
    org = services.organization_create(actor=None, name="Flush Ltd", slug="flush")
    entry = TrailEntry.objects.filter(chain=org.pk).first()
    assert entry is not None
    assert _refused("DELETE FROM core_trailentry WHERE id = %s", [entry.pk])

"""The tamper-evident audit trail: hash chain, append-only entries and `pdca verify-trail`."""

import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pdca.core import trail
from pdca.core.models import Organization, TrailChain, TrailEntry
from pdca.core.models.trail import GENESIS_HASH, AppendOnlyError


def _org_entries(org: Organization) -> list[TrailEntry]:
    return list(TrailEntry.objects.filter(chain=org.pk).order_by("seq"))


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
    assert len(second.hash) == 64
    head = TrailChain.objects.get(key=world.org.pk)
    assert (head.last_seq, head.last_hash) == (second.seq, second.hash)
    entries = _org_entries(world.org)
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))


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
def test_entry_records_request_ip_and_id_from_context(world):
    from pdca.core import context

    tokens = context.bind(request_id="req-123", client_ip="198.51.100.4")
    try:
        entry = trail.record(action="core.organization.updated", actor=None, organization=world.org)
    finally:
        context.unbind(tokens)
    assert (entry.ip, entry.request_id) == ("198.51.100.4", "req-123")


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


def test_verify_trail_names_an_entry_edited_with_raw_sql(demo_db):
    entries = _org_entries(demo_db)
    assert len(entries) >= 3
    victim = entries[1]
    _raw("UPDATE core_trailentry SET object_repr = %s WHERE id = %s", ["forged", victim.pk])
    report = _verify()
    assert f"chain {demo_db.pk}: entry #{victim.seq} (id {victim.pk})" in report
    assert "altered" in report


def test_verify_trail_detects_a_rewritten_hash(demo_db):
    # Recomputing the edited entry's own hash still breaks its successor's link.
    entries = _org_entries(demo_db)
    victim, successor = entries[0], entries[1]
    _raw("UPDATE core_trailentry SET reason = %s WHERE id = %s", ["forged", victim.pk])
    forged = TrailEntry.objects.get(pk=victim.pk)
    _raw("UPDATE core_trailentry SET hash = %s WHERE id = %s", [forged.compute_hash(), victim.pk])
    report = _verify()
    assert f"entry #{successor.seq} (id {successor.pk})" in report
    assert "predecessor" in report


def test_verify_trail_names_a_deleted_middle_entry(demo_db):
    entries = _org_entries(demo_db)
    victim = entries[len(entries) // 2]
    _raw("DELETE FROM core_trailentry WHERE id = %s", [victim.pk])
    report = _verify()
    assert f"chain {demo_db.pk}: #{victim.seq}: missing" in report


def test_verify_trail_detects_a_deleted_tail_entry(demo_db):
    tail = _org_entries(demo_db)[-1]
    _raw("DELETE FROM core_trailentry WHERE id = %s", [tail.pk])
    report = _verify()
    assert f"chain {demo_db.pk}" in report
    assert "end of the chain were removed" in report


def test_verify_trail_detects_edits_in_the_global_chain(demo_db):
    entry = TrailEntry.objects.filter(chain=0).order_by("seq").first()
    assert entry is not None
    _raw("UPDATE core_trailentry SET actor_label = %s WHERE id = %s", ["x@y.z", entry.pk])
    assert f"chain 0: entry #{entry.seq} (id {entry.pk})" in _verify()

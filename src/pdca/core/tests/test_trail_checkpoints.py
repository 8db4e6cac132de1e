"""Signed checkpoints of the chain heads outside the database, and the receipt the management
representative downloads (`pdca trail-checkpoint`, `pdca verify-trail`)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from pdca.core import append_only, checkpoints, trail
from pdca.core.models import TrailChain
from pdca.core.roles import Role


def _checkpoint() -> str:
    out = io.StringIO()
    call_command("trail-checkpoint", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _verify(*args: str) -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify-trail", *args, stdout=out, stderr=err)
    except CommandError:
        return False, err.getvalue()
    return True, out.getvalue()


def _heads() -> dict[int, tuple[int, str]]:
    return {c.key: (c.last_seq, c.last_hash) for c in TrailChain.objects.all()}


def _record(org) -> None:
    trail.record(action="core.organization.updated", actor=None, organization=org, obj=org)


@pytest.mark.django_db
def test_a_checkpoint_signs_every_chain_head_on_a_line_of_its_own(world, trail_checkpoint_path):
    assert "written" in _checkpoint()
    _record(world.org)
    _checkpoint()
    lines = trail_checkpoint_path.read_text().splitlines()
    assert len(lines) == 2
    last = checkpoints.parse(lines[-1], "test")
    assert last.heads == _heads() and {0, world.org.pk, world.other_org.pk} <= set(last.heads)
    assert (
        checkpoints.parse(lines[0], "test").heads[world.org.pk][0]
        == last.heads[world.org.pk][0] - 1
    )
    ok, out = _verify()
    assert ok and "compared with the checkpoint of" in out


@pytest.mark.django_db
def test_nothing_is_written_when_no_chain_moved(world, trail_checkpoint_path):
    _checkpoint()
    assert "nothing written" in _checkpoint()
    assert len(trail_checkpoint_path.read_text().splitlines()) == 1


@pytest.mark.django_db
def test_verify_trail_says_when_there_is_no_checkpoint_yet(world):
    ok, out = _verify()
    assert ok and "No checkpoint" in out and "pdca trail-checkpoint" in out
    ok, err = _verify("--require-checkpoint")
    assert not ok and "no checkpoint has been written" in err


@pytest.mark.django_db
def test_an_altered_checkpoint_is_refused(world, trail_checkpoint_path):
    _checkpoint()
    data = json.loads(trail_checkpoint_path.read_text())
    data["chains"] = [c for c in data["chains"] if c[0] != world.org.pk]  # forget a chain
    trail_checkpoint_path.write_text(json.dumps(data) + "\n")
    ok, err = _verify()
    assert not ok and "the signature does not match" in err
    with pytest.raises(CommandError, match="cannot be trusted"):
        call_command("trail-checkpoint", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_checkpoint_never_signs_a_cut_chain_and_keeps_its_last_head(world):
    _checkpoint()
    good = _heads()[world.org.pk]
    last = trail.record(action="core.organization.updated", actor=None, organization=world.org)
    append_only.remove(connection)  # an attacker who owns the database
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_trailentry WHERE id = %s", [last.pk])
        cursor.execute(
            'UPDATE core_trailchain SET last_seq = %s, last_hash = %s WHERE "key" = %s',
            [good[0] - 1, "f" * 64, world.org.pk],
        )
    _record(world.other_org)  # another chain moves, so a new checkpoint is written
    err = io.StringIO()
    with pytest.raises(CommandError, match="broken since the last checkpoint"):
        call_command("trail-checkpoint", stdout=io.StringIO(), stderr=err)
    assert f"chain {world.org.pk}" in err.getvalue()
    latest = checkpoints.latest()
    assert latest is not None and latest.heads[world.org.pk] == good
    assert latest.heads[world.other_org.pk] == _heads()[world.other_org.pk]


@pytest.mark.django_db
def test_checkpoints_go_to_a_storage_backend_when_one_is_configured(world, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "trail_checkpoints": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    _checkpoint()
    _record(world.org)
    _checkpoint()
    written = sorted((tmp_path / "trail-checkpoints").iterdir())
    assert len(written) == 2
    latest = checkpoints.latest()
    assert latest is not None and latest.heads == _heads()
    assert not settings.TRAIL_CHECKPOINT_PATH.exists()
    ok, out = _verify()
    assert ok and "compared with the checkpoint of" in out


# The receipt on the audit-trail page.


def _receipt_url() -> str:
    return reverse("core:trail_receipt", kwargs={"org": "acme"})


@pytest.mark.django_db
def test_the_management_representative_downloads_a_receipt_that_verifies(world, client, tmp_path):
    _checkpoint()
    client.force_login(world.mr)
    assert (
        _receipt_url() in client.get(reverse("core:trail", kwargs={"org": "acme"})).content.decode()
    )
    response = client.get(_receipt_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    seq, hash_ = _heads()[world.org.pk]
    assert f'filename="pdca-trail-receipt-acme-{seq}.json"' in response["Content-Disposition"]
    receipt = checkpoints.parse(response.content, "download")
    assert receipt.heads == {world.org.pk: (seq, hash_)}  # nothing of other organizations
    assert receipt.organization == {"id": world.org.pk, "slug": "acme", "name": world.org.name}
    kept = tmp_path / "receipt.json"
    kept.write_bytes(response.content)
    ok, out = _verify("--receipt", str(kept))
    assert ok and "the receipt of" in out


@pytest.mark.django_db
def test_a_receipt_whose_content_was_changed_is_refused(world, client, tmp_path):
    _checkpoint()
    client.force_login(world.mr)
    data = json.loads(client.get(_receipt_url()).content)
    data["chains"][0][1] -= 1
    kept = tmp_path / "receipt.json"
    kept.write_text(json.dumps(data))
    ok, err = _verify("--receipt", str(kept))
    assert not ok and "the signature does not match" in err


@pytest.mark.django_db
def test_without_a_checkpoint_the_receipt_link_says_so(world, client):
    client.force_login(world.mr)
    response = client.get(_receipt_url(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:trail", kwargs={"org": "acme"})
    assert "No checkpoint covers" in response.content.decode()


@pytest.mark.django_db
def test_only_the_management_representative_may_download_the_receipt(world, client):
    _checkpoint()
    for role, user in world.users.items():
        client.force_login(user)
        expected = 200 if role == Role.MANAGEMENT_REP else 403
        assert client.get(_receipt_url()).status_code == expected, role
        page = client.get(reverse("core:trail", kwargs={"org": "acme"}))
        if page.status_code == 200:
            assert (_receipt_url() in page.content.decode()) == (role == Role.MANAGEMENT_REP)
    client.force_login(world.outsider)
    assert client.get(_receipt_url()).status_code == 404
    client.logout()
    assert client.get(_receipt_url()).status_code == 302

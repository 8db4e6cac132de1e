"""Trail entries are sealed with HMAC-SHA-256 under a key outside the database (`key_id` names
it), and keep a client's request id apart from pdca's own.

Entries written before were plain SHA-256 over the same fields, which anyone with the database
could recompute. This migration checks each chain as it was and seals it again under the key
in use, up to the first entry that does not verify: from there on entries are left as they
were, so `pdca verify-trail` still reports that break at the same place.
"""

import hashlib
import json

from django.db import migrations, models

GENESIS_HASH = "0" * 64
BATCH = 2000


def _legacy_hash(entry) -> str:
    payload = {
        "chain": entry.chain,
        "seq": entry.seq,
        "organization": entry.organization_id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "reason": entry.reason,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _keyed_hash(entry) -> str:
    from pdca.core.models.trail import entry_payload
    from pdca.core.trail_keys import canonical, keyring

    return keyring().seal(canonical(entry_payload(entry)), entry.key_id)


def _reseal(apps, *, check, key_id_for):
    """Walk every chain in order; while each entry verifies under `check`, seal it again
    (`key_id_for` gives its new key id) with its predecessor's new hash."""
    TrailEntry = apps.get_model("core", "TrailEntry")
    TrailChain = apps.get_model("core", "TrailChain")
    keys = set(TrailChain.objects.values_list("key", flat=True))
    keys |= set(TrailEntry.objects.values_list("chain", flat=True).distinct())
    for key in sorted(keys):
        old_prev = new_prev = GENESIS_HASH
        seq = 0
        intact = True
        while intact:
            page = list(TrailEntry.objects.filter(chain=key, seq__gt=seq).order_by("seq")[:BATCH])
            if not page:
                break
            changed = []
            for entry in page:
                if entry.seq != seq + 1 or entry.prev_hash != old_prev or not check(entry):
                    intact = False
                    break
                seq, old_prev = entry.seq, entry.hash
                entry.prev_hash, entry.key_id = new_prev, key_id_for(entry)
                entry.hash = new_prev = _keyed_hash(entry) if entry.key_id else _legacy_hash(entry)
                changed.append(entry)
            TrailEntry.objects.bulk_update(changed, ["prev_hash", "key_id", "hash"])
        if intact:
            TrailChain.objects.filter(key=key, last_seq=seq, last_hash=old_prev).update(
                last_hash=new_prev
            )


def seal_with_the_key(apps, schema_editor):
    from pdca.core.trail_keys import keyring

    current = keyring().current_id
    _reseal(
        apps,
        check=lambda entry: not entry.key_id and _legacy_hash(entry) == entry.hash,
        key_id_for=lambda entry: current,
    )


def back_to_plain_sha256(apps, schema_editor):
    from pdca.core.trail_keys import UnknownTrailKey

    def check(entry) -> bool:
        try:
            return bool(entry.key_id) and _keyed_hash(entry) == entry.hash
        except UnknownTrailKey:
            return False

    _reseal(apps, check=check, key_id_for=lambda entry: "")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_external_access_grants"),
    ]

    operations = [
        migrations.AddField(
            model_name="trailentry",
            name="client_request_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="trailentry",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(seal_with_the_key, back_to_plain_sha256),
    ]

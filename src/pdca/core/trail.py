"""Writing to and verifying the tamper-evident audit trail.

`record()` is the only way entries are written. It appends to the organization's hash chain
inside the caller's transaction, holding the chain head's row lock so that concurrent writers
queue up instead of forking the chain.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from pdca.core import context
from pdca.core.actions import ACTIONS
from pdca.core.models import Organization, TrailChain, TrailEntry, User
from pdca.core.models.trail import GENESIS_HASH, GLOBAL_CHAIN


def jsonable(value: Any) -> Any:
    """A value as it is stored in `changes`: plain JSON, the same on every database."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)[:200]}
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, ready to compare with `changes_between`."""
    return {name: jsonable(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Each field whose value differs, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def created_fields(obj: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    """The `changes` of a creation: every listed field from nothing to its value."""
    return {name: [None, value] for name, value in snapshot(obj, fields).items()}


def record(
    *,
    action: str,
    actor: User | None,
    organization: Organization | None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    actor_label: str = "",
) -> TrailEntry:
    """Append one entry to the organization's chain (or the global chain when there is none)."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit-trail action {action!r}: add it to an app's actions.")
    key = organization.pk if organization is not None else GLOBAL_CHAIN
    with transaction.atomic():
        TrailChain.objects.get_or_create(key=key)
        head = TrailChain.objects.select_for_update(no_key=True).get(key=key)
        entry = TrailEntry(
            chain=key,
            seq=head.last_seq + 1,
            organization=organization,
            at=timezone.now(),
            actor=actor,
            actor_label=actor_label or (actor.email if actor is not None else ""),
            action=action,
            changes=jsonable(changes or {}),
            reason=reason,
            ip=context.client_ip(),
            request_id=context.request_id(),
            prev_hash=head.last_hash,
        )
        if obj is not None:
            entry.content_type = ContentType.objects.get_for_model(obj)
            entry.object_id = str(obj.pk)
            entry.object_repr = str(obj)[:200]
        entry.hash = entry.compute_hash()
        entry.save()
        TrailChain.objects.filter(key=key).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


@dataclass(frozen=True)
class Break:
    chain: int
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.seq} (id {self.entry_id})" if self.entry_id else f"#{self.seq}"
        return f"chain {self.chain}: {where}: {self.problem}"


def verify_chain(key: int) -> Break | None:
    """Recompute one chain; return the first break, or None when it is intact."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    entries: Iterator[TrailEntry] = (
        TrailEntry.objects.filter(chain=key).order_by("seq").iterator(chunk_size=5000)
    )
    for entry in entries:
        if entry.seq != expected_seq:
            return Break(key, expected_seq, None, f"missing (next present is #{entry.seq})")
        if entry.prev_hash != expected_prev:
            return Break(key, entry.seq, entry.pk, "predecessor hash does not match")
        if entry.compute_hash() != entry.hash:
            return Break(key, entry.seq, entry.pk, "content was altered")
        expected_prev = entry.hash
        expected_seq += 1
    head = TrailChain.objects.filter(key=key).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        return Break(key, head.last_seq, None, "entries at the end of the chain were removed")
    return None


def verify_all() -> tuple[int, list[Break]]:
    """Verify every chain; return how many chains were checked and the breaks found."""
    keys = set(TrailChain.objects.values_list("key", flat=True))
    keys |= set(TrailEntry.objects.values_list("chain", flat=True).distinct())
    breaks = [b for key in sorted(keys) if (b := verify_chain(key)) is not None]
    return len(keys), breaks

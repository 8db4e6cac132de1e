"""Writing to and verifying the tamper-evident audit trail.

`record()` is the only way entries are written. It appends to the organization's hash chain
inside the caller's transaction, holding the chain head's row lock so that concurrent writers
queue up instead of forking the chain, and seals each entry with the trail key
(`pdca.core.trail_keys`). `verify_all()` recomputes the chains and compares them with signed
checkpoints kept outside the database (`pdca.core.checkpoints`), which is what finds entries
removed from the end of a chain together with its head, or a whole chain removed.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from pdca.core import context
from pdca.core.actions import ACTIONS
from pdca.core.caching import marked_topics
from pdca.core.models import Organization, TrailChain, TrailEntry, User
from pdca.core.models.trail import GENESIS_HASH, GLOBAL_CHAIN
from pdca.core.trail_keys import UnknownTrailKey

if TYPE_CHECKING:
    from pdca.core.checkpoints import Checkpoint


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


# Modules told about an action as its entry is written (webhooks): `fn(entry)` runs inside the
# writing transaction, so a listener defers its work with `transaction.on_commit`.
LISTENERS: dict[str, list[Callable[[TrailEntry], None]]] = {}


def listen(action: str, fn: Callable[[TrailEntry], None]) -> None:
    if fn not in LISTENERS.setdefault(action, []):
        LISTENERS[action].append(fn)


@dataclass(frozen=True)
class Pending:
    """One entry of `record_many`: what was done to which object."""

    action: str
    obj: models.Model | None = None
    changes: dict[str, Any] | None = None
    reason: str = ""


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
    (entry,) = record_many(
        actor=actor,
        organization=organization,
        items=[Pending(action, obj, changes, reason)],
        actor_label=actor_label,
    )
    return entry


def record_many(
    *,
    actor: User | None,
    organization: Organization | None,
    items: Sequence[Pending],
    actor_label: str = "",
) -> list[TrailEntry]:
    """Append several entries by one actor to the organization's chain, in order, each sealed
    over the one before: the chain's head is locked and moved once (an import of thousands of
    rows writes its entries in a few queries, not four per row)."""
    for item in items:
        if item.action not in ACTIONS:
            raise ValueError(
                f"Unregistered audit-trail action {item.action!r}: add it to an app's actions."
            )
    if not items:
        return []
    key = organization.pk if organization is not None else GLOBAL_CHAIN
    with transaction.atomic():
        head = TrailChain.objects.select_for_update(no_key=True).filter(key=key).first()
        if head is None:  # the chain's first entry
            TrailChain.objects.get_or_create(key=key)
            head = TrailChain.objects.select_for_update(no_key=True).get(key=key)
        seq, prev_hash, topics = head.last_seq, head.last_hash, head.topics
        label = actor_label or (actor.email if actor is not None else "")
        ip, request, client_request = (
            context.client_ip(),
            context.request_id(),
            context.client_request_id(),
        )
        entries = []
        for item in items:
            seq += 1
            entry = TrailEntry(
                chain=key,
                seq=seq,
                organization=organization,
                at=timezone.now(),
                actor=actor,
                actor_label=label,
                action=item.action,
                changes=jsonable(item.changes or {}),
                reason=item.reason,
                ip=ip,
                request_id=request,
                client_request_id=client_request,
                prev_hash=prev_hash,
            )
            if item.obj is not None:
                entry.content_type = ContentType.objects.get_for_model(item.obj)
                entry.object_id = str(item.obj.pk)
                entry.object_repr = str(item.obj)[:200]
            entry.seal()
            prev_hash = entry.hash
            # The topics' marks move in the same update as the head: no query more per write.
            topics = marked_topics(topics, item.action, seq)
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save()
        else:
            TrailEntry.objects.bulk_create(entries)
        TrailChain.objects.filter(key=key).update(last_seq=seq, last_hash=prev_hash, topics=topics)
    for entry in entries:
        for listener in LISTENERS.get(entry.action, ()):
            listener(entry)
    return entries


@dataclass(frozen=True)
class Break:
    """Where a chain (or, with `chain` None, a checkpoint) fails verification, and how."""

    chain: int | None
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        if self.chain is None:
            return f"checkpoint: {self.problem}"
        where = f"entry #{self.seq} (id {self.entry_id})" if self.entry_id else f"#{self.seq}"
        return f"chain {self.chain}: {where}: {self.problem}"


def _seal_problem(entry: TrailEntry) -> str | None:
    try:
        if entry.compute_hash() == entry.hash:
            return None
    except UnknownTrailKey:
        if entry.key_id:
            return (
                f"sealed with a key this installation does not hold (key id {entry.key_id}): "
                "list the retired key after the current one"
            )
    return "content was altered"


@dataclass(frozen=True)
class ChainCheck:
    """The result of recomputing one chain: the first break, and the head it was checked up to."""

    broken: Break | None
    head: tuple[int, str] | None


def check_chain(key: int, *, since: tuple[int, str] | None = None) -> ChainCheck:
    """Recompute one chain up to its head as read first (entries appended meanwhile are left
    for the next check, so a live system gives no false alarm).

    With `since` (a position and hash known to be good, e.g. from the last checkpoint) only
    what was appended after it is recomputed, once that entry is found unchanged.
    """
    head = TrailChain.objects.filter(key=key).values_list("last_seq", "last_hash").first()

    def broken(seq: int, entry_id: int | None, problem: str) -> ChainCheck:
        return ChainCheck(Break(key, seq, entry_id, problem), head)

    expected_prev = GENESIS_HASH
    expected_seq = 1
    if since is not None and since[0] > 0:
        known = TrailEntry.objects.filter(chain=key, seq=since[0]).only("pk", "hash").first()
        if known is None:
            return broken(since[0], None, "missing (the last checkpoint has it)")
        if known.hash != since[1]:
            return broken(known.seq, known.pk, "differs from the last checkpoint")
        expected_prev, expected_seq = since[1], since[0] + 1
    entries = TrailEntry.objects.filter(chain=key, seq__gte=expected_seq)
    if head is not None:
        entries = entries.filter(seq__lte=head[0])
    for entry in entries.order_by("seq").iterator(chunk_size=5000):
        if entry.seq != expected_seq:
            return broken(expected_seq, None, f"missing (next present is #{entry.seq})")
        if entry.prev_hash != expected_prev:
            return broken(entry.seq, entry.pk, "predecessor hash does not match")
        if (problem := _seal_problem(entry)) is not None:
            return broken(entry.seq, entry.pk, problem)
        expected_prev = entry.hash
        expected_seq += 1
    last = (expected_seq - 1, expected_prev)
    if head is None:
        if last[0]:
            return broken(last[0], None, "the chain head is missing")
        return ChainCheck(None, None)
    if last != head:
        if last[0] > head[0]:
            return broken(head[0], None, "the chain head was moved back")
        return broken(head[0], None, "entries at the end of the chain were removed")
    return ChainCheck(None, head)


def verify_chain(key: int) -> Break | None:
    """Recompute one chain; return the first break, or None when it is intact."""
    return check_chain(key).broken


def compare_with_checkpoint(checkpoint: "Checkpoint") -> list[Break]:
    """What the database lost or changed of the chains the checkpoint signed: each chain must
    still hold the entry at the checkpoint's position with the checkpoint's hash."""
    breaks = []
    for key, (seq, hash_) in sorted(checkpoint.heads.items()):
        if seq == 0:
            continue
        entry = TrailEntry.objects.filter(chain=key, seq=seq).only("pk", "hash").first()
        if entry is not None:
            if entry.hash != hash_:
                breaks.append(Break(key, seq, entry.pk, f"differs from {checkpoint.label}"))
            continue
        last = TrailEntry.objects.filter(chain=key).order_by("-seq").values_list("seq").first()
        if last is None and not TrailChain.objects.filter(key=key).exists():
            problem = f"the whole chain is missing ({checkpoint.label} recorded it up to #{seq})"
        else:
            now = f"#{last[0]}" if last else "no entry"
            problem = f"missing: {checkpoint.label} recorded the chain up to #{seq}, now {now}"
        breaks.append(Break(key, seq, None, problem))
    return breaks


def verify_all(checkpoints: Sequence["Checkpoint"] = ()) -> tuple[int, list[Break]]:
    """Verify every chain, and compare them with `checkpoints` (the last one written, receipts);
    return how many chains were checked and the breaks found."""
    keys = set(TrailChain.objects.values_list("key", flat=True))
    keys |= set(TrailEntry.objects.values_list("chain", flat=True).distinct())
    breaks = [b for key in sorted(keys) if (b := verify_chain(key)) is not None]
    for checkpoint in checkpoints:
        breaks += compare_with_checkpoint(checkpoint)
        keys |= set(checkpoint.heads)
    return len(keys), breaks

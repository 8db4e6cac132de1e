"""The events a webhook can be sent for: audit-trail actions a module offers.

Every write in pdca is an audit-trail entry, so an event needs no code in the service that
makes it: `register_event("improvement.nonconformity.raised")` in a module's `ready()` has the
trail tell this module about each such entry, and once the write has committed a delivery is
queued for each active endpoint of the organization that chose the event. The payload names
the entry's place in the tamper-evident chain (`trail_seq`, `trail_hash`), so a receiver can
match it against the trail."""

from typing import Any

from django.db import transaction

from pdca.core import trail
from pdca.core.actions import ACTIONS, label_for

EVENTS: dict[str, None] = {}  # an ordered set of action codes
TEST_EVENT = "webhooks.test"


def register_event(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit-trail action {action!r} offered as a webhook event")
    if action not in EVENTS:
        EVENTS[action] = None
        trail.listen(action, _entry_written)


def event_choices() -> list[tuple[str, str]]:
    return [(code, label_for(code)) for code in EVENTS]


def payload_of(entry: Any) -> dict[str, Any]:
    from django.utils.translation import override

    with override("en"):  # a machine reads it: one language, whoever acted
        label = label_for(entry.action)
    return {
        "event": entry.action,
        "event_label": label,
        "occurred_at": entry.at.isoformat(),
        "organization": entry.organization.slug,
        "object": {
            "type": entry.content_type.app_label + "." + entry.content_type.model
            if entry.content_type_id
            else "",
            "id": entry.object_id,
            "title": entry.object_repr,
        },
        "trail_seq": entry.seq,
        "trail_hash": entry.hash,
    }


def _entry_written(entry: Any) -> None:
    if entry.organization_id is None:
        return
    # Only what committed is sent: a rolled-back write leaves nothing to announce.
    transaction.on_commit(lambda: _queue(entry))


def _queue(entry: Any) -> None:
    from django_scopes import scope

    from pdca.webhooks.services import queue_deliveries

    with scope(organization=entry.organization):
        queue_deliveries(
            organization=entry.organization, event=entry.action, payload=payload_of(entry)
        )

"""Every write to webhook endpoints and their deliveries."""

import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.background import after_commit
from pdca.core.models import Organization, User
from pdca.core.updating import model_create, model_transition, model_update
from pdca.webhooks import delivery as sending
from pdca.webhooks.events import EVENTS, TEST_EVENT
from pdca.webhooks.models import Delivery, DeliveryStatus, Endpoint

FIELDS = ("name", "url", "events", "is_active")


def _validate(endpoint: Endpoint) -> None:
    unknown = [code for code in endpoint.events if code not in EVENTS]
    if unknown or not endpoint.events:
        raise ValidationError({"events": _("Choose at least one of the events offered.")})
    sending.check_address(endpoint.url)


def endpoint_create(*, actor: User, organization: Organization, **values: Any) -> Endpoint:
    ensure_allowed(actor=actor, organization=organization, permission="webhooks.manage")
    return model_create(
        model=Endpoint,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=FIELDS,
        action="webhooks.endpoint.created",
        validate=_validate,
        defaults={"secret": secrets.token_hex(32), "created_by": actor},
    )


def endpoint_update(
    *, actor: User, endpoint: Endpoint, version: int | None, **values: Any
) -> Endpoint:
    """Change an endpoint; switching it on again starts its count of failures afresh."""
    ensure_allowed(
        actor=actor, organization=endpoint.organization, permission="webhooks.manage", obj=endpoint
    )

    with transaction.atomic():
        updated, _changes = model_update(
            instance=endpoint,
            actor=actor,
            fields=values,
            allowed=FIELDS,
            expected_version=version,
            action="webhooks.endpoint.updated",
            validate=_validate,
        )
        if updated.is_active and (updated.failures or updated.disabled_reason):
            Endpoint.objects.filter(pk=updated.pk).update(failures=0, disabled_reason="")
            updated.failures, updated.disabled_reason = 0, ""
    return updated


def endpoint_renew_secret(*, actor: User, endpoint: Endpoint, version: int | None) -> Endpoint:
    """A new signing secret (the old one stops working at once); the trail notes that it
    changed, never the secret."""
    ensure_allowed(
        actor=actor, organization=endpoint.organization, permission="webhooks.manage", obj=endpoint
    )
    return model_transition(
        instance=endpoint,
        actor=actor,
        action="webhooks.endpoint.secret_renewed",
        to={"secret": secrets.token_hex(32)},
        record=(),
        expected_version=version,
        always_record=True,
    )


def endpoint_test(*, actor: User, endpoint: Endpoint) -> Delivery:
    """Send a test event now, whatever events the endpoint chose."""
    ensure_allowed(
        actor=actor, organization=endpoint.organization, permission="webhooks.manage", obj=endpoint
    )
    with transaction.atomic():
        sent = _delivery(
            endpoint,
            TEST_EVENT,
            {
                "event": TEST_EVENT,
                "event_label": "Test delivery",
                "occurred_at": timezone.now().isoformat(),
                "organization": endpoint.organization.slug,
            },
        )
        trail.record(
            action="webhooks.endpoint.tested",
            actor=actor,
            organization=endpoint.organization,
            obj=endpoint,
        )
    return sent


def queue_deliveries(*, organization: Organization, event: str, payload: dict[str, Any]) -> int:
    """One delivery for each active endpoint of `organization` that chose `event`."""
    endpoints = [
        e
        for e in Endpoint.objects.filter(organization=organization, is_active=True)
        if event in e.events
    ]
    with transaction.atomic():
        for endpoint in endpoints:
            _delivery(endpoint, event, payload)
    return len(endpoints)


def _delivery(endpoint: Endpoint, event: str, payload: dict[str, Any]) -> Delivery:
    from pdca.webhooks.tasks import deliver

    # The id is chosen before the row is written, so the payload names it in one insert.
    uid = uuid.uuid4()
    created = Delivery.objects.create(
        organization=endpoint.organization,
        endpoint=endpoint,
        event=event,
        uid=uid,
        payload={**payload, "delivery": str(uid)},
    )
    after_commit(deliver, created.pk)
    return created


def attempt(delivery_id: int) -> Delivery:
    """Send a pending delivery once and note the outcome: delivered, to be tried again, or,
    after its last attempt, failed (and after repeated failures its endpoint switched off,
    with the management representatives told). The request is made outside any transaction:
    a slow receiver holds no lock. A delivery sent twice (a worker lost after sending) carries
    the same `X-Pdca-Delivery` id both times."""
    item = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    if item.status != DeliveryStatus.PENDING:
        return item  # a retried task finds its work done
    endpoint = item.endpoint
    status, error = sending.post(
        url=endpoint.url,
        secret=endpoint.secret,
        event=item.event,
        delivery_id=str(item.uid),
        payload=item.payload,
    )
    with transaction.atomic():
        item = Delivery.objects.select_for_update(no_key=True).get(pk=delivery_id)
        if item.status != DeliveryStatus.PENDING:
            return item
        item.attempts += 1
        item.response_status = status
        item.error = error
        if status is not None and 200 <= status < 300:
            item.status, item.delivered_at, item.error = (
                DeliveryStatus.DELIVERED,
                timezone.now(),
                "",
            )
            Endpoint.objects.filter(pk=endpoint.pk, failures__gt=0).update(failures=0)
        elif item.attempts >= sending.MAX_ATTEMPTS:
            item.status = DeliveryStatus.FAILED
            _count_failure(endpoint)
        item.save(update_fields=["attempts", "response_status", "error", "status", "delivered_at"])
    return item


def _count_failure(endpoint: Endpoint) -> None:
    from pdca.webhooks.notifications import endpoint_disabled

    locked = Endpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    locked.failures += 1
    if locked.failures < sending.DISABLE_AFTER or not locked.is_active:
        Endpoint.objects.filter(pk=locked.pk).update(failures=locked.failures)
        return
    reason = _("%(n)s deliveries in a row failed.") % {"n": locked.failures}
    Endpoint.objects.filter(pk=locked.pk).update(failures=locked.failures)
    switched = model_transition(
        instance=locked,
        actor=None,
        action="webhooks.endpoint.disabled",
        to={"is_active": False, "disabled_reason": reason},
        record=("is_active",),
        reason=reason,
    )
    transaction.on_commit(lambda: endpoint_disabled(endpoint=switched))

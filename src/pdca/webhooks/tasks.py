from pdca.core.background import task


@task(autoretry_for=())
def deliver(delivery_id: int) -> str:
    """Send one webhook delivery; after a failure, try again later with a growing delay."""
    from django_scopes import scopes_disabled

    from pdca.webhooks import delivery, services
    from pdca.webhooks.models import DeliveryStatus

    with scopes_disabled():
        item = services.attempt(delivery_id)
    if item.status == DeliveryStatus.PENDING:
        deliver.apply_async(args=[delivery_id], countdown=delivery.retry_delay(item.attempts))
    return str(item.status)

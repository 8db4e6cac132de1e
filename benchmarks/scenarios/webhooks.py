"""Webhooks at scale: 20 endpoints, one of them with 100,000 deliveries in its log (large).

Timed pages: the endpoint list, an endpoint with its delivery log (newest page and a page
halfway through, by its Next link)."""

import secrets

from django.db import transaction

from benchmarks.common import BenchContext, Page, followed_next_link
from pdca.core.roles import Role
from pdca.webhooks.models import Delivery, DeliveryStatus, Endpoint

ORDER = 95
SIZES = {"demo": 5_000, "large": 100_000}
CHUNK = 5_000
EVENTS = ["improvement.nonconformity.raised", "documents.revision.effective"]


def generate(ctx: BenchContext) -> None:
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    with transaction.atomic():
        endpoints = Endpoint.objects.bulk_create(
            Endpoint(
                organization=ctx.org,
                name=f"Receiver {n:02d}",
                url=f"https://hooks{n:02d}.example.com/pdca",
                events=EVENTS,
                secret=secrets.token_hex(32),
                created_by=mr,
            )
            for n in range(20)
        )
        busy = endpoints[0]
        total = SIZES[ctx.scale]
        for start in range(0, total, CHUNK):
            Delivery.objects.bulk_create(
                (
                    Delivery(
                        organization=ctx.org,
                        endpoint=busy,
                        event=EVENTS[i % 2],
                        payload={"event": EVENTS[i % 2], "n": i},
                        status=DeliveryStatus.DELIVERED if i % 50 else DeliveryStatus.FAILED,
                        attempts=1 if i % 50 else 6,
                        response_status=204 if i % 50 else 500,
                    )
                    for i in range(start, min(total, start + CHUNK))
                ),
                batch_size=1000,
            )


def pages(ctx: BenchContext) -> list[Page]:
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    base = f"/o/{ctx.org.slug}/webhooks/"
    busy = Endpoint.objects.filter(organization=ctx.org, name="Receiver 00").get()
    log = f"{base}{busy.pk}/"
    return [
        Page("webhooks: endpoints", base, mr),
        Page("webhooks: an endpoint's delivery log", log, mr),
        Page(
            "webhooks: delivery log halfway, by its Next link",
            followed_next_link(log, mr, SIZES[ctx.scale] // 50),
            mr,
        ),
    ]

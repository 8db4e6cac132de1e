"""A webhook endpoint in the shared test world, and the ids its URLs are opened with."""

from typing import Any

from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.webhooks.models import Endpoint


def _webhooks_world(world: World) -> None:
    # Made directly: the service resolves the address, and the test machine has no DNS for it.
    # Switched off, so that the other modules' tests send nothing.
    world.extra["webhook"] = Endpoint.objects.create(
        organization=world.org,
        name="Ticket system",
        url="https://tickets.example.com/pdca",
        events=["improvement.nonconformity.raised"],
        secret="0" * 64,
        is_active=False,
        created_by=world.mr,
    )


def _webhooks_urls(world: World) -> dict[str, dict[str, Any]]:
    pk = world.extra["webhook"].pk
    return {
        "webhooks:detail": {"pk": pk},
        "webhooks:edit": {"pk": pk},
        "webhooks:test": {"pk": pk},
        "webhooks:secret": {"pk": pk},
    }


register_world_builder(_webhooks_world)
register_url_examples(_webhooks_urls)

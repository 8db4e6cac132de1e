"""Example management review objects for the shared test world, and ids for every URL."""

import datetime
from typing import Any

from django.utils import timezone

# The improvement world builder runs first: the review's inputs count its nonconformities.
import pdca.improvement.testing  # noqa: F401
from pdca.audits.testing import editions
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.reviews import services


def build_reviews_world(world: World) -> None:
    today = timezone.localdate()
    review = services.review_plan(
        actor=world.mr,
        organization=world.org,
        title="Management review 2026",
        planned_on=today + datetime.timedelta(days=21),
        editions=editions("iso9001"),
        chair=world.top,
        attendees=[world.mr, world.owner],
    )
    review = services.review_prepare(actor=world.mr, review=review)
    output = services.output_add(
        actor=world.mr,
        review=review,
        kind="resources",
        title="Second calibration technician",
        owner=world.owner,
        due_on=today + datetime.timedelta(days=90),
    )
    world.extra.update(
        {"rv_review": review, "rv_input": review.inputs.first(), "rv_output": output}
    )


def reviews_url_examples(world: World) -> dict[str, dict[str, Any]]:
    review = world.extra["rv_review"].pk
    return {
        "reviews:detail": {"pk": review},
        "reviews:edit": {"pk": review},
        "reviews:prepare": {"pk": review},
        "reviews:hold": {"pk": review},
        "reviews:sign": {"pk": review},
        "reviews:minutes_pdf": {"pk": review},
        "reviews:output_add": {"pk": review},
        "reviews:input": {"pk": world.extra["rv_input"].pk},
        "reviews:output_update": {"pk": world.extra["rv_output"].pk},
        "api-reviews-review": {"pk": review},
        "api-reviews-prepare": {"pk": review},
        "api-reviews-hold": {"pk": review},
        "api-reviews-sign": {"pk": review},
        "api-reviews-inputs": {"pk": review},
        "api-reviews-outputs": {"pk": review},
        "api-reviews-input": {"pk": world.extra["rv_input"].pk},
        "api-reviews-output": {"pk": world.extra["rv_output"].pk},
    }


register_world_builder(build_reviews_world)
register_url_examples(reviews_url_examples)

"""Example suggestions, customer feedback and an announcement for the shared test world, and
the ids every engagement URL is opened with."""

import datetime
from typing import Any

from django.utils import timezone

# The improvement world builder runs first (an accepted suggestion becomes its action).
import pdca.improvement.testing  # noqa: F401
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.engagement import services
from pdca.engagement.models import Feedback, Suggestion


def make_suggestion(world: World, anonymous: bool = False, **values: Any) -> Suggestion:
    fields: dict[str, Any] = {
        "title": "Label the coolant drums by date opened",
        "description": "Old coolant gets mixed with new; a date label would stop it.",
        **values,
    }
    return services.suggestion_make(
        actor=world.employee, organization=world.org, anonymous=anonymous, **fields
    )


def make_complaint(world: World, **values: Any) -> Feedback:
    fields: dict[str, Any] = {
        "kind": "complaint",
        "customer": "Bosch Rexroth AG",
        "contact": "j.weber@example.com",
        "channel": "email",
        "received_on": timezone.localdate() - datetime.timedelta(days=3),
        "subject": "product",
        "reference": "Shaft 4711-B, order 20931",
        "description": "Twelve shafts out of tolerance on the bearing seat (Ø 25 h6).",
        "severity": "high",
        "owner": world.owner,
        **values,
    }
    return services.feedback_record(actor=world.mr, organization=world.org, **fields)


def build_engagement_world(world: World) -> None:
    world.extra["en_suggestion"] = make_suggestion(world)
    world.extra["en_anonymous"] = make_suggestion(
        world,
        anonymous=True,
        title="Shift handover is rushed",
        description="Night shift leaves before the morning shift has read the log.",
    )
    world.extra["en_feedback"] = make_complaint(world)
    world.extra["en_announcement"] = services.announcement_publish(
        actor=world.top,
        organization=world.org,
        title="We start on ISO 45001",
        body="From next month we build our occupational health and safety system.",
        requires_ack=True,
    )


def engagement_url_examples(world: World) -> dict[str, dict[str, Any]]:
    suggestion = world.extra["en_suggestion"].pk
    feedback = world.extra["en_feedback"].pk
    announcement = world.extra["en_announcement"].pk
    return {
        "engagement:suggestion": {"pk": suggestion},
        "engagement:suggestion_accept": {"pk": suggestion},
        "engagement:suggestion_decline": {"pk": suggestion},
        "engagement:suggestion_duplicate": {"pk": suggestion},
        "engagement:feedback_detail": {"pk": feedback},
        "engagement:feedback_edit": {"pk": feedback},
        "engagement:feedback_respond": {"pk": feedback},
        "engagement:feedback_raise": {"pk": feedback},
        "engagement:announcement": {"pk": announcement},
        "engagement:acknowledge": {"pk": announcement},
        "api-engagement-suggestion": {"pk": suggestion},
        "api-engagement-suggestion-triage": {"pk": suggestion},
        "api-engagement-feedback-item": {"pk": feedback},
        "api-engagement-feedback-respond": {"pk": feedback},
        "api-engagement-feedback-raise": {"pk": feedback},
        "api-engagement-announcement": {"pk": announcement},
        "api-engagement-acknowledge": {"pk": announcement},
    }


register_world_builder(build_engagement_world)
register_url_examples(engagement_url_examples)

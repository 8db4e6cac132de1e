"""Example nonconformity objects for the shared test world, and ids for every URL."""

import datetime
from typing import Any

from django.utils import timezone

# The audits world builder runs first: it raises the nonconformity from its finding.
import pdca.audits.testing  # noqa: F401
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.improvement import services
from pdca.improvement.selectors import raised_from


def build_improvement_world(world: World) -> None:
    nc = raised_from(world.extra["au_finding"])
    assert nc is not None
    today = timezone.localdate()
    action = services.action_plan(
        actor=world.mr,
        nonconformity=nc,
        title="Add a first-off check to the traveller",
        owner=world.owner,
        due_on=today + datetime.timedelta(days=14),
    )
    check = services.check_plan(
        actor=world.mr,
        nonconformity=nc,
        planned_on=today + datetime.timedelta(days=60),
        verifier=world.mr,
    )
    world.extra.update({"im_nc": nc, "im_action": action, "im_check": check})


def improvement_url_examples(world: World) -> dict[str, dict[str, Any]]:
    nc = world.extra["im_nc"].pk
    return {
        "improvement:detail": {"pk": nc},
        "improvement:edit": {"pk": nc},
        "improvement:root_cause": {"pk": nc},
        "improvement:action_add": {"pk": nc},
        "improvement:action_update": {"pk": world.extra["im_action"].pk},
        "improvement:check_plan": {"pk": nc},
        "improvement:check_record": {"pk": world.extra["im_check"].pk},
        "improvement:closure_steps": {"pk": nc},
        "improvement:close": {"pk": nc},
        "improvement:cancel": {"pk": nc},
        "api-improvement-nc": {"pk": nc},
        "api-improvement-analysis-save": {"pk": nc},
        "api-improvement-actions": {"pk": nc},
        "api-improvement-action": {"pk": world.extra["im_action"].pk},
        "api-improvement-checks": {"pk": nc},
        "api-improvement-check": {"pk": world.extra["im_check"].pk},
        "api-improvement-closure-steps": {"pk": nc},
        "api-improvement-close": {"pk": nc},
        "api-improvement-cancel": {"pk": nc},
    }


register_world_builder(build_improvement_world)
register_url_examples(improvement_url_examples)

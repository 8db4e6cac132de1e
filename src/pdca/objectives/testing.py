"""Example objectives, KPIs and measurements for the shared test world, and ids for every URL."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

# The standards world builder runs first: the objective serves its chosen ISO 9001.
import pdca.standards.testing  # noqa: F401
from pdca.core.testing import PASSWORD, World, register_url_examples, register_world_builder
from pdca.objectives import services
from pdca.objectives.models import period_start


def build_objectives_world(world: World) -> None:
    today = timezone.localdate()
    this_month = period_start(today, "monthly")
    last_month = period_start(this_month - datetime.timedelta(days=1), "monthly")
    objective = services.objective_create(
        actor=world.mr,
        organization=world.org,
        title="Deliver on time",
        description="Customers receive their orders on the date promised.",
        owner=world.owner,
        target="≥ 97 % on time",
        baseline="93 %",
        deadline=today + datetime.timedelta(days=300),
        editions=[world.extra["iso9001"].edition],
        processes=[world.extra["process"]],
    )
    kpi = services.indicator_create(
        actor=world.mr,
        organization=world.org,
        objective=objective,
        process=world.extra["process"],
        name="On-time delivery",
        definition="Order lines shipped by the promised date / order lines shipped",
        value_type="percent",
        unit="%",
        direction="higher",
        target=Decimal("97"),
        red_threshold=Decimal("94"),
        frequency="monthly",
        first_period=last_month,
        owner=world.owner,
    )
    measurement = services.measurement_record(
        actor=world.owner, indicator=kpi, period=last_month, value="92.5", comment="Two late trucks"
    )
    action = services.action_plan(
        actor=world.mr,
        objective=objective,
        title="Agree pick-up slots with the carrier",
        owner=world.owner,
        due_on=today + datetime.timedelta(days=30),
    )
    kpi.refresh_from_db()
    approval = services.set_approve(
        actor=world.top,
        organization=world.org,
        year=(objective.deadline or today).year,
        password=PASSWORD,
    )
    world.extra.update(
        ob_objective=objective,
        ob_kpi=kpi,
        ob_measurement=measurement,
        ob_action=action,
        ob_approval=approval,
    )


def objectives_url_examples(world: World) -> dict[str, dict[str, Any]]:
    objective = world.extra["ob_objective"].pk
    kpi = world.extra["ob_kpi"].pk
    measurement = world.extra["ob_measurement"].pk
    action = world.extra["ob_action"].pk
    approval = world.extra["ob_approval"].pk
    return {
        "objectives:approval": {"pk": approval},
        "objectives:improve": {"pk": objective},
        "objectives:compute": {"pk": kpi},
        "api-objectives-improve": {"pk": objective},
        "api-objectives-compute": {"pk": kpi},
        "api-objectives-approval": {"pk": approval},
        "objectives:detail": {"pk": objective},
        "objectives:edit": {"pk": objective},
        "objectives:withdraw": {"pk": objective},
        "objectives:action_add": {"pk": objective},
        "objectives:action_update": {"pk": action},
        "objectives:kpi": {"pk": kpi},
        "objectives:kpi_edit": {"pk": kpi},
        "objectives:record": {"pk": kpi},
        "objectives:correct": {"pk": measurement},
        "objectives:raise_nc": {"pk": measurement},
        "api-objectives-objective": {"pk": objective},
        "api-objectives-withdraw": {"pk": objective},
        "api-objectives-actions": {"pk": objective},
        "api-objectives-action": {"pk": action},
        "api-objectives-kpi": {"pk": kpi},
        "api-objectives-measurements": {"pk": kpi},
        "api-objectives-measurement": {"pk": measurement},
    }


register_world_builder(build_objectives_world)
register_url_examples(objectives_url_examples)

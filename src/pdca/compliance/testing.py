"""Example obligations for the shared test world, and the ids every compliance URL is opened
with."""

import datetime
from typing import Any

from pdca.compliance import services
from pdca.compliance.models import Obligation
from pdca.core.testing import World, register_url_examples, register_world_builder


def make_obligation(world: World, **values: Any) -> Obligation:
    """A water discharge permit expiring in four months; `values` override any field."""
    fields: dict[str, Any] = {
        "title": "Water discharge permit",
        "discipline": "environment",
        "kind": "permit",
        "jurisdiction": "Landkreis Esslingen",
        "citation": "WHG § 58",
        "requirement": "Discharge of treated coolant water to the sewer, at most 2 m3 a day.",
        "permit_number": "WE-2024-117",
        "permit_expires_on": datetime.date.today() + datetime.timedelta(days=120),
        "responsible": world.mr,
        "next_check_on": datetime.date.today() + datetime.timedelta(days=60),
        **values,
    }
    return services.obligation_create(actor=world.mr, organization=world.org, **fields)


def _compliance_world(world: World) -> None:
    obligation = make_obligation(world)
    world.extra["obligation"] = obligation
    world.extra["evaluation"] = services.evaluation_record(
        actor=world.mr,
        obligation=obligation,
        evaluated_on=datetime.date.today() - datetime.timedelta(days=30),
        method="measurement",
        result="compliant",
        evidence="Daily meter readings January to June: at most 1.6 m3 a day.",
        evaluator=world.mr,
    )


def _compliance_urls(world: World) -> dict[str, dict[str, Any]]:
    obligation: Obligation = world.extra["obligation"]
    return {
        "compliance:detail": {"pk": obligation.pk},
        "compliance:edit": {"pk": obligation.pk},
        "compliance:withdraw": {"pk": obligation.pk},
        "compliance:evaluate": {"pk": obligation.pk},
        "compliance:evaluation_correct": {"pk": world.extra["evaluation"].pk},
        "api-compliance-obligation": {"pk": obligation.pk},
        "api-compliance-obligation-withdraw": {"pk": obligation.pk},
        "api-compliance-evaluation": {"pk": world.extra["evaluation"].pk},
    }


register_world_builder(_compliance_world)
register_url_examples(_compliance_urls)

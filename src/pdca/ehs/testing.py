"""Example aspect, hazard and control for the shared test world; the ids of the ehs URLs."""

from typing import Any

from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.ehs import services
from pdca.ehs.models import Aspect, Hazard, HazardControl, Incident
from pdca.ehs.services import hazards, incidents, participation

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02"
    b"\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def make_aspect(world: World, **values: Any) -> Aspect:
    """Coolant mist from the machining centres, severity 3 × frequency 4 + concern 2 = 14."""
    fields: dict[str, Any] = {
        "activity": "CNC machining",
        "aspect": "Coolant mist to air",
        "impact_on": "air",
        "impact": "Oil mist in the neighbourhood's air.",
        "condition": "normal",
        "life_cycle_stage": "production",
        "control": "control",
        "severity": 3,
        "frequency": 4,
        "stakeholder_concern": 2,
        "owner": world.owner,
        **values,
    }
    return services.aspect_create(actor=world.mr, organization=world.org, **fields)


def make_hazard(world: World, **values: Any) -> Hazard:
    """Swarf at the lathes, likelihood 3 × consequence 4 = 12: high under the 5 × 5 default."""
    fields: dict[str, Any] = {
        "location_or_task": "Lathe bay, clearing swarf",
        "routine": True,
        "hazard_type": "physical",
        "hazard": "Sharp swarf",
        "harm": "Cuts to hands and forearms.",
        "people_exposed": ["workers"],
        "likelihood": 3,
        "consequence": 4,
        "owner": world.owner,
        **values,
    }
    return hazards.hazard_create(actor=world.mr, organization=world.org, **fields)


def make_control(world: World, hazard: Hazard, **values: Any) -> HazardControl:
    import datetime

    fields: dict[str, Any] = {
        "level": "ppe",
        "title": "Cut-resistant gloves",
        "owner": world.owner,
        "due_on": datetime.date.today() + datetime.timedelta(days=14),
        **values,
    }
    return hazards.control_add(actor=world.mr, hazard=hazard, **fields)


def make_incident(world: World, photo: bool = False, **values: Any) -> Incident:
    """A near miss at the lathes an hour ago, reported by the employee (with a photo)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    fields: dict[str, Any] = {
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "Lathe bay 2",
        "kind": "near_miss",
        "description": "A chuck key left in the chuck flew out at start-up.",
        "injury_details": "Bruised shin",
        "first_aid": "Cold pack",
        **values,
    }
    if photo:
        fields["photo"] = SimpleUploadedFile("lathe.png", PNG, content_type="image/png")
    actor = fields.pop("actor", world.employee)
    return incidents.incident_report(actor=actor, organization=world.org, **fields)


def minutes_file(name: str = "committee-minutes.pdf", content: bytes = b"") -> Any:
    """Minutes as an upload: a real one-page PDF unless `content` is given."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pdca.core.pdf import UnicodePDF

    if not content:
        pdf = UnicodePDF()
        pdf.add_page()
        pdf.cell(text="Sicherheitsausschuss")
        content = bytes(pdf.output())
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_event(world: World, **values: Any) -> Any:
    """Yesterday's safety committee: the employee (a machinist) and the owner (a manager)
    consulted on the objectives and taking part in the hazard assessment."""
    import datetime

    fields: dict[str, Any] = {
        "held_on": datetime.date.today() - datetime.timedelta(days=1),
        "mechanism": world.extra["mechanism"],
        "topic": "Safety committee, monthly meeting",
        "consultation_topics": ["objectives"],
        "participation_topics": ["hazards"],
        "workers": [world.employee],
        "managers": [world.owner],
        "outcome": "Agreed to assess the new deburring cell together.",
        **values,
    }
    return participation.event_record(actor=world.mr, organization=world.org, **fields)


def _ehs_world(world: World) -> None:
    world.extra["aspect"] = make_aspect(world)
    world.extra["hazard"] = hazard = make_hazard(world)
    world.extra["hazard_control"] = make_control(world, hazard)
    world.extra["incident"] = incident = make_incident(world, photo=True)
    world.extra["incident_photo"] = incident.photos.get()
    # One investigated with a worker representative, ready to be closed.
    other = make_incident(world, place="Deburring bench", kind="injury")
    world.extra["incident_investigated"] = incidents.incident_investigate(
        actor=world.owner,
        incident=other,
        version=other.version,
        lead=world.owner,
        worker_representative=world.employee,
        root_cause="Burr left on a bracket edge.",
        communicated="Told at the shift briefing.",
    )
    world.extra["mechanism"] = participation.mechanism_create(
        actor=world.mr, organization=world.org, kind="committee", name="Safety committee"
    )
    world.extra["event"] = make_event(world, minutes=minutes_file())
    world.extra["barrier"] = participation.barrier_create(
        actor=world.mr,
        organization=world.org,
        kind="language",
        description="Two machinists read little German.",
        identified_on=world.extra["event"].held_on,
        owner=world.owner,
    )


def _ehs_urls(world: World) -> dict[str, dict[str, Any]]:
    aspect: Aspect = world.extra["aspect"]
    return {
        "ehs:aspect": {"pk": aspect.pk},
        "ehs:aspect_edit": {"pk": aspect.pk},
        "ehs:aspect_withdraw": {"pk": aspect.pk},
        "ehs:hazard": {"pk": world.extra["hazard"].pk},
        "ehs:hazard_edit": {"pk": world.extra["hazard"].pk},
        "ehs:hazard_withdraw": {"pk": world.extra["hazard"].pk},
        "ehs:control_create": {"pk": world.extra["hazard"].pk},
        "ehs:control_edit": {"pk": world.extra["hazard_control"].pk},
        "ehs:incident": {"pk": world.extra["incident"].pk},
        "ehs:incident_investigate": {"pk": world.extra["incident_investigated"].pk},
        "ehs:incident_raise": {"pk": world.extra["incident_investigated"].pk},
        "ehs:incident_close": {"pk": world.extra["incident_investigated"].pk},
        "ehs:incident_photo": {"pk": world.extra["incident_photo"].pk},
        "ehs:event": {"pk": world.extra["event"].pk},
        "ehs:event_edit": {"pk": world.extra["event"].pk},
        "ehs:event_minutes": {"pk": world.extra["event"].pk},
        "ehs:event_withdraw": {"pk": world.extra["event"].pk},
        "ehs:mechanism_edit": {"pk": world.extra["mechanism"].pk},
        "ehs:mechanism_withdraw": {"pk": world.extra["mechanism"].pk},
        "ehs:barrier_edit": {"pk": world.extra["barrier"].pk},
        "api-ehs-mechanism": {"pk": world.extra["mechanism"].pk},
        "api-ehs-mechanism-withdraw": {"pk": world.extra["mechanism"].pk},
        "api-ehs-event": {"pk": world.extra["event"].pk},
        "api-ehs-event-minutes": {"pk": world.extra["event"].pk},
        "api-ehs-event-withdraw": {"pk": world.extra["event"].pk},
        "api-ehs-barrier": {"pk": world.extra["barrier"].pk},
        "api-ehs-aspect": {"pk": aspect.pk},
        "api-ehs-aspect-withdraw": {"pk": aspect.pk},
        "api-ehs-hazard": {"pk": world.extra["hazard"].pk},
        "api-ehs-hazard-withdraw": {"pk": world.extra["hazard"].pk},
        "api-ehs-hazard-controls": {"pk": world.extra["hazard"].pk},
        "api-ehs-control": {"pk": world.extra["hazard_control"].pk},
        "api-ehs-incident": {"pk": world.extra["incident"].pk},
        "api-ehs-incident-action": {"pk": world.extra["incident_investigated"].pk},
        "api-ehs-incident-close": {"pk": world.extra["incident_investigated"].pk},
    }


register_world_builder(_ehs_world)
register_url_examples(_ehs_urls)

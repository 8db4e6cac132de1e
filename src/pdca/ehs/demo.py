"""Acme's registers of environmental aspects and OH&S hazards and this year's incidents: the
coolant mist under its emissions permit and the swarf and oily waste under the waste law
(significant through their legal link), the machining centres' electricity, an abnormal
hydraulic oil leak; the lathe swarf controlled by gloves alone (flagged), the forklift aisles
with a segregated walkway planned, the press noise; a near miss reported from the shop floor
this week and a cut at the deburring bench investigated with the worker representative and
closed; the safety committee's minutes, toolbox talks and the investigation with the worker
representative in the log of consultation and participation, a language barrier removed and
the night shift's one still open. Runs after the compliance demo, whose obligations the
aspects cite."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.models import Obligation
from pdca.core.demo import DemoContext
from pdca.ehs import services
from pdca.ehs.models import Aspect, Mechanism
from pdca.ehs.services import hazards, incidents, participation


def build(ctx: DemoContext) -> None:
    org = ctx.orgs["acme"]
    if Aspect.objects.filter(organization=org).exists():
        return
    today = ctx.today
    mr, owner = ctx.users["mr@acme.example"], ctx.users["owner@acme.example"]
    staff = ctx.users["staff@acme.example"]

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    def cited(**lookup: str) -> list[Obligation]:
        return list(Obligation.objects.filter(organization=org, **lookup))

    def aspect(obligations: list[Obligation] | None = None, **values: object) -> Aspect:
        return services.aspect_create(
            actor=mr, organization=org, obligations=obligations or [], owner=owner, **values
        )

    aspect(
        cited(permit_number="BImSchG-ES-2021-044"),
        activity=_("CNC machining"),
        aspect=_("Coolant mist to air"),
        impact_on="air",
        impact=_("Oil mist reaching the neighbouring houses when the extraction fails."),
        severity=3,
        frequency=4,
        stakeholder_concern=3,
        operational_control=_(
            "Mist extraction on every machining centre, filters changed monthly."
        ),
        monitoring=_("Yearly emission measurement by an accredited laboratory."),
        review_on=days(75),
    )
    aspect(
        cited(citation__startswith="KrWG"),
        activity=_("Turning and milling"),
        aspect=_("Swarf, spent coolant and oily rags"),
        impact_on="land",
        impact=_("Soil and groundwater contamination if mixed into general waste."),
        severity=3,
        frequency=5,
        stakeholder_concern=2,
        operational_control=_("Separate skips at each cell; coolant collected by a licensed firm."),
        monitoring=_("Waste transfer notes checked at each collection."),
        review_on=days(-6),
    )
    aspect(
        activity=_("Machining centres and compressed air"),
        aspect=_("Electricity use"),
        impact_on="climate",
        impact=_("Indirect CO₂ emissions: about 1.9 GWh a year, two thirds of the site's energy."),
        severity=3,
        frequency=5,
        stakeholder_concern=3,
        monitoring=_("Monthly meter readings per hall."),
        review_on=days(120),
    )
    aspect(
        activity=_("Hydraulic presses"),
        aspect=_("Hydraulic oil leak"),
        impact_on="water",
        impact=_("Oil into the surface water drain from the yard."),
        condition="emergency",
        severity=4,
        frequency=1,
        stakeholder_concern=3,
        emergency_plan=_("Spill kits at each press; drain cover in the yard; drill twice a year."),
        review_on=days(160),
    )
    aspect(
        activity=_("Dispatch"),
        aspect=_("Packaging waste"),
        impact_on="resources",
        impact=_("Cardboard and film used once."),
        life_cycle_stage="transport",
        control="influence",
        severity=2,
        frequency=4,
        stakeholder_concern=2,
        review_on=days(200),
    )

    swarf = hazards.hazard_create(
        actor=mr,
        organization=org,
        location_or_task=_("Lathe bay, clearing swarf"),
        hazard_type="physical",
        hazard=_("Sharp swarf"),
        harm=_("Cuts to hands and forearms."),
        people_exposed=["workers"],
        likelihood=4,
        consequence=4,
        owner=owner,
        workers_consulted=_("Lathe operators at the safety committee."),
        review_on=days(30),
    )
    hazards.control_add(
        actor=mr,
        hazard=swarf,
        level="ppe",
        title=_("Cut-resistant gloves, level D"),
        owner=owner,
        due_on=days(-3),
    )
    forklifts = hazards.hazard_create(
        actor=mr,
        organization=org,
        location_or_task=_("Warehouse aisles, forklift traffic"),
        hazard_type="physical",
        hazard=_("Forklifts and pedestrians in the same aisles"),
        harm=_("Crushing or struck-by injuries."),
        people_exposed=["workers", "visitors"],
        likelihood=3,
        consequence=5,
        owner=owner,
        review_on=days(90),
    )
    hazards.control_add(
        actor=mr,
        hazard=forklifts,
        level="engineering",
        title=_("Segregated walkway with barriers between racks and dispatch"),
        owner=owner,
        due_on=days(21),
    )
    hazards.control_add(
        actor=mr,
        hazard=forklifts,
        level="administrative",
        title=_("Visitors escorted in the warehouse; speed limit 6 km/h"),
        owner=mr,
        due_on=days(7),
    )
    noise = hazards.hazard_create(
        actor=mr,
        organization=org,
        location_or_task=_("Press shop"),
        hazard_type="physical",
        hazard=_("Noise above 85 dB(A)"),
        harm=_("Noise-induced hearing loss."),
        people_exposed=["workers"],
        likelihood=3,
        consequence=3,
        owner=owner,
        review_on=days(150),
    )
    hazards.control_add(
        actor=mr,
        hazard=noise,
        level="engineering",
        title=_("Acoustic enclosure for press 3"),
        owner=owner,
        due_on=days(45),
    )
    hazards.hazard_create(
        actor=mr,
        organization=org,
        location_or_task=_("Bar stock loading"),
        routine=True,
        hazard_type="ergonomic",
        hazard=_("Manual handling of 25 kg bars"),
        harm=_("Back injuries."),
        people_exposed=["workers"],
        likelihood=2,
        consequence=3,
        owner=owner,
        review_on=days(180),
    )

    now = timezone.now()
    cut = incidents.incident_report(
        actor=staff,
        organization=org,
        occurred_at=now - datetime.timedelta(days=24, hours=5),
        place=_("Deburring bench"),
        kind="injury",
        description=_("A burr on a bracket edge cut an operator's palm through a worn glove."),
        people_involved=_("One machine operator"),
        person_status="employee",
        injury_details=_("Cut to the left palm, two stitches."),
        first_aid=_("Wound cleaned and dressed by the first aider."),
        days_lost=1,
    )
    cut = incidents.incident_investigate(
        actor=owner,
        incident=cut,
        version=cut.version,
        lead=owner,
        worker_representative=staff,
        team=_("Production lead, worker representative, first aider"),
        root_cause=_(
            "Gloves replaced only when torn; no check of their wear at the start of the shift."
        ),
        communicated=_("Told at the shift briefing; glove check added to the start-up list."),
        hazards=[swarf],
    )
    incidents.incident_close(
        actor=owner,
        incident=cut,
        version=cut.version,
        reason=_("Glove wear checked at each shift start; no similar cut since."),
    )
    incidents.incident_report(
        actor=staff,
        organization=org,
        occurred_at=now - datetime.timedelta(days=2, hours=3),
        place=_("Lathe bay 2"),
        kind="near_miss",
        description=_("A chuck key left in the chuck flew out at start-up and hit the guard."),
        immediate_action=_("Machine stopped; key holder with a spring return fitted."),
    )
    # A second near miss, investigated with the worker representative: it reviewed the
    # forklift hazard whose segregated walkway is planned.
    aisle = incidents.incident_report(
        actor=staff,
        organization=org,
        occurred_at=now - datetime.timedelta(days=40, hours=6),
        place=_("Warehouse aisle 3"),
        kind="near_miss",
        description=_("A reversing forklift passed within a metre of a picker at the rack end."),
        immediate_action=_("Aisle 3 closed to pedestrians while the forklift works."),
    )
    incidents.incident_investigate(
        actor=owner,
        incident=aisle,
        version=aisle.version,
        lead=owner,
        worker_representative=staff,
        team=_("Warehouse coordinator, worker representative"),
        root_cause=_("Pedestrians and forklifts share the aisle ends; no marked crossing."),
        communicated=_("Shown at the warehouse toolbox talk with the planned walkway."),
        hazards=[forklifts],
    )
    _participation(ctx)


def _participation(ctx: DemoContext) -> None:
    """The safety committee meets each quarter; the year's minutes cover most of 5.4's topics,
    the audit programme and outsourcing not yet (the page shows them missing)."""
    org = ctx.orgs["acme"]
    mr, owner = ctx.users["mr@acme.example"], ctx.users["owner@acme.example"]
    staff, auditor = ctx.users["staff@acme.example"], ctx.users["auditor@acme.example"]
    top = ctx.users["top@acme.example"]

    def on(n: int) -> datetime.date:
        return ctx.today + datetime.timedelta(days=n)

    def mechanism(kind: str, name: str, description: str) -> Mechanism:
        return participation.mechanism_create(
            actor=mr, organization=org, kind=kind, name=name, description=description
        )

    committee = mechanism(
        "committee",
        _("Health and safety committee"),
        _(
            "Meets each quarter: the plant manager, the production lead, the safety officer "
            "and three worker representatives elected by the shifts."
        ),
    )
    toolbox = mechanism(
        "toolbox_talk",
        _("Toolbox talks"),
        _("Ten minutes at the start of a shift, led by the shift lead, on one hazard."),
    )
    mechanism(
        "suggestions",
        _("Suggestion box and app"),
        _("Anyone may suggest an improvement or raise a concern, anonymously if they wish."),
    )
    workers = [staff, auditor]
    minutes = [
        (
            -250,
            _("Safety committee, first quarter"),
            ["policy", "objectives"],
            ["mechanisms"],
            _(
                "Reviewed the OH&S policy draft: workers asked to add the right to stop a job "
                "they consider unsafe; added. Agreed this year's objective of fewer hand "
                "injuries."
            ),
        ),
        (
            -160,
            _("Safety committee, second quarter"),
            ["legal", "roles"],
            ["hazards", "competence"],
            _(
                "Walked the lathe bay with the representatives and rated the swarf hazard; "
                "asked for forklift refresher training for the warehouse."
            ),
        ),
        (
            -70,
            _("Safety committee, third quarter"),
            ["monitoring", "needs"],
            ["controls", "communication"],
            _(
                "Agreed to measure noise at the presses; chose a segregated forklift walkway "
                "over more signs; the results go on the shop-floor board."
            ),
        ),
    ]
    for offset, topic, consulted, took_part, outcome in minutes:
        participation.event_record(
            actor=mr,
            organization=org,
            held_on=on(offset),
            mechanism=committee,
            topic=topic,
            consultation_topics=consulted,
            participation_topics=took_part,
            workers=workers,
            managers=[top, owner, mr],
            others=_("A night-shift worker representative"),
            outcome=outcome,
        )
    participation.event_record(
        actor=owner,
        organization=org,
        held_on=on(-23),
        mechanism=toolbox,
        topic=_("Toolbox talk: glove wear after the deburring cut"),
        participation_topics=["investigation", "elimination"],
        workers=[staff],
        managers=[owner],
        others=_("The day shift of the deburring cell (eight operators)"),
        outcome=_(
            "The operators helped find the root cause and proposed the start-of-shift glove "
            "check now on the start-up list."
        ),
    )
    participation.event_record(
        actor=owner,
        organization=org,
        held_on=on(-9),
        mechanism=toolbox,
        topic=_("Toolbox talk: the continual improvement of the machining cell"),
        consultation_topics=["improvement"],
        workers=[staff],
        managers=[owner],
        outcome=_("Three suggestions for the chip conveyors taken into the improvement list."),
    )
    language = participation.barrier_create(
        actor=mr,
        organization=org,
        kind="language",
        description=_("Two machinists read little German and missed the written briefings."),
        identified_on=on(-200),
        action=_("Safety briefings and the committee's minutes are also given in Polish."),
        owner=owner,
    )
    participation.barrier_update(
        actor=mr,
        barrier=language,
        version=language.version,
        reason=_("Translated briefings in use since the second quarter."),
        removed_on=on(-150),
    )
    participation.barrier_create(
        actor=mr,
        organization=org,
        kind="time",
        description=_("The night shift cannot attend the committee, which meets by day."),
        identified_on=on(-70),
        action=_("Paid time to attend planned; a night-shift representative joins by phone."),
        owner=mr,
    )

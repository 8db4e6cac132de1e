"""Acme's registers of environmental aspects and OH&S hazards and this year's incidents.

Thirty aspects of its machining and coolant handling, six of them significant by the criteria:
the coolant mist under its emissions permit and the swarf and oily waste under the waste law,
the machining centres' electricity, a leak of the central coolant tank (an emergency, under the
water discharge permit), the parts washer's solvent (under REACH) and the gas that heats the
halls (just at the threshold). The rest score below it, a legal link or not: compressed air
leaks, the treated coolant water, the filter fleece, the paint booth, transport, the yard's
lights, the parts' design and use, an abnormal hydraulic oil leak, fire-fighting water and a
gas leak among them.

As Acme adds ISO 45001, forty hazards: the lathe swarf controlled by gloves alone (flagged, and
still high when reassessed after the cut), the forklift aisles with a segregated walkway
planned, the press noise, and controls at each level of the hierarchy on the others (the
coolant tank no longer entered, blow guns and the solvent washer replaced, light curtains, a
vacuum lifter, permits to work, a shift plan, respirators for the paint booth). Two near misses
reported from the shop floor, one investigated with the worker representative; a cut at the
deburring bench, three days lost, investigated with the worker representative, its corrective
action raised as a nonconformity and closed. The safety committee's minutes, toolbox talks and
the investigation with the worker representative in the log of consultation and participation,
a language barrier removed and the night shift's one still open. Runs after the compliance
demo, whose obligations the aspects cite."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.models import Obligation
from pdca.core.demo import DemoContext
from pdca.documents.models import Document
from pdca.ehs import services
from pdca.ehs.models import Aspect, Hazard, Mechanism
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

    def documents(*titles: str) -> list[Document]:
        """Acme's documents of these titles (the documents demo ran first)."""
        return list(Document.objects.filter(organization=org, title__in=titles))

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
        documents=documents(_("CNC lathe setup")),
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
        documents=documents(_("Emergency preparedness and response")),
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
    # The rest of the register, in the order walked: (obligations cited, activity, aspect,
    # impact on, (condition, life-cycle stage, control or influence), (severity, frequency,
    # stakeholder concern), impact, its control or emergency plan, review in days). The
    # criteria judge them: three more are significant, the others stay below the threshold.
    cites = {
        "": [],
        "water": cited(permit_number="WE-2024-117"),
        "waste": cited(citation__startswith="KrWG"),
        "reach": cited(citation__startswith="(EG) Nr. 1907/2006"),
    }
    for key, activity, name, impact_on, kind, rating, impact, measures, review in _aspects():
        condition, stage, control = kind
        severity, frequency, concern = rating
        plan = "emergency_plan" if condition == "emergency" else "operational_control"
        aspect(
            cites[key],
            activity=activity,
            aspect=name,
            impact_on=impact_on,
            impact=impact,
            condition=condition,
            life_cycle_stage=stage,
            control=control,
            severity=severity,
            frequency=frequency,
            stakeholder_concern=concern,
            review_on=days(review),
            **{plan: measures},
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
        obligations=cited(citation__startswith="BetrSichV"),
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
        obligations=cited(citation__startswith="BetrSichV"),
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
    # The rest of the register, walked with the representatives: (location or task, routine,
    # type, hazard, possible harm, people exposed, (likelihood, consequence), residual rating,
    # existing controls, review in days, planned controls as (level, control, due in days)).
    for row in _hazards():
        task, routine, kind, name, harm, exposed, rating, residual, existing, review, planned = row
        entry = hazards.hazard_create(
            actor=mr,
            organization=org,
            location_or_task=task,
            routine=routine,
            hazard_type=kind,
            hazard=name,
            harm=harm,
            people_exposed=exposed,
            likelihood=rating[0],
            consequence=rating[1],
            residual_likelihood=residual[0] if residual else None,
            residual_consequence=residual[1] if residual else None,
            existing_controls=existing,
            owner=owner,
            review_on=days(review),
        )
        for level, title, due in planned:
            hazards.control_add(
                actor=mr, hazard=entry, level=level, title=title, owner=owner, due_on=days(due)
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
        injury_details=_("Deep cut to the left palm, four stitches; off work for three days."),
        first_aid=_("Wound cleaned and dressed by the first aider."),
        days_lost=3,
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
    # The lost-time injury's corrective action goes to the improvement process; the swarf
    # hazard it reviewed is reassessed: still high with gloves alone, so still flagged.
    incidents.incident_raise_action(actor=owner, incident=cut)
    swarf = Hazard.objects.get(pk=swarf.pk)
    hazards.hazard_update(
        actor=mr,
        entry=swarf,
        version=swarf.version,
        reason=_("Reassessed after %(ref)s, the cut at the deburring bench.")
        % {"ref": cut.reference},
        existing_controls=_("Cut-resistant gloves, level D, checked for wear at each shift."),
        residual_likelihood=3,
        residual_consequence=4,
        opportunities=_(
            "Chip breakers in the turning programs and a swarf hook at each lathe would keep "
            "hands away from the swarf."
        ),
        workers_consulted=_(
            "Lathe operators at the safety committee; the worker representative after the cut."
        ),
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


def _minutes_pdf(topic: str, held_on: datetime.date, people: list, outcome: str) -> Any:
    """The committee's minutes as the secretary circulated them: a one-page PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.formats import date_format

    from pdca.core.pdf import UnicodePDF

    pdf = UnicodePDF()
    pdf.add_page()

    def line(height: int, text: str) -> None:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(size=16, style="B")
    line(9, topic)
    pdf.set_font(size=10, style="")
    line(6, date_format(held_on, "DATE_FORMAT"))
    pdf.ln(4)
    pdf.set_font(style="B")
    line(6, _("Present"))
    pdf.set_font(style="")
    line(6, ", ".join(p.display_name for p in people))
    pdf.ln(4)
    pdf.set_font(style="B")
    line(6, _("Decisions and requests"))
    pdf.set_font(style="")
    line(6, outcome)
    name = f"minutes-{held_on.isoformat()}.pdf"
    return SimpleUploadedFile(name, bytes(pdf.output()), content_type="application/pdf")


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
        people = [*workers, top, owner, mr]
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
            minutes=_minutes_pdf(str(topic), on(offset), people, str(outcome)),
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


NORMAL = ("normal", "production", "control")
ABNORMAL = ("abnormal", "production", "control")
EMERGENCY = ("emergency", "production", "control")


def _aspects() -> list[tuple]:
    """The aspects beyond the first five (translated when the demo is built)."""
    return [
        (
            "water",
            _("Central coolant system"),
            _("Coolant tank or pipe leak"),
            "water",
            EMERGENCY,
            (5, 2, 4),
            _("Emulsion through a floor crack or the yard drain into the groundwater and sewer."),
            _(
                "Bunded 12 m³ tank with a level alarm; drain seals and absorbent beside it; "
                "drill once a year."
            ),
            90,
        ),
        (
            "reach",
            _("Parts washing"),
            _("Solvent vapour from the parts washer"),
            "air",
            NORMAL,
            (4, 4, 2),
            _("Volatile organic compounds from the modified-alcohol washer: 1.2 t bought a year."),
            _("Lid closed between batches; solvent recovered by the washer's distillation."),
            110,
        ),
        (
            "",
            _("Hall heating"),
            _("Natural gas for heating the halls"),
            "climate",
            NORMAL,
            (3, 4, 3),
            _("About 420 MWh of gas each winter; the dispatch doors stand open for deliveries."),
            _("Fast-closing doors at dispatch; heating turned down at weekends."),
            140,
        ),
        (
            "",
            _("Compressed air"),
            _("Compressed air leaks"),
            "climate",
            NORMAL,
            (2, 5, 2),
            _("About a quarter of the compressors' electricity lost through couplings and hoses."),
            _("Leak hunt with an ultrasonic detector each quarter; tagged leaks fixed in a week."),
            60,
        ),
        (
            "",
            _("Coolant make-up"),
            _("Mains water for mixing coolant"),
            "resources",
            NORMAL,
            (2, 4, 1),
            _("About 300 m³ of drinking water a year mixed into the coolant."),
            _("Concentration checked daily with a refractometer; a mixing unit at each cell."),
            180,
        ),
        (
            "water",
            _("Coolant treatment"),
            _("Discharge of treated coolant water to the sewer"),
            "water",
            NORMAL,
            (2, 3, 1),
            _("Hydrocarbons and metals into the treatment plant if the ultrafiltration fails."),
            _("Daily meter reading at the ultrafiltration unit; a laboratory sample each month."),
            150,
        ),
        (
            "reach",
            _("Purchasing of coolants and oils"),
            _("Substances in the coolant concentrate"),
            "land",
            ("normal", "raw_materials", "influence"),
            (2, 2, 1),
            _("Biocides and boron compounds end up in the waste and on the workers' skin."),
            _("Only boron- and formaldehyde-free coolants approved; data sheets checked."),
            240,
        ),
        (
            "waste",
            _("Coolant filtration"),
            _("Used filter fleece from the band filters"),
            "land",
            NORMAL,
            (2, 3, 1),
            _("Fleece soaked with coolant and fine swarf: hazardous waste."),
            _("Collected in a closed skip and taken by the licensed waste firm."),
            200,
        ),
        (
            "",
            _("Turning and milling"),
            _("Worn carbide inserts"),
            "resources",
            ("normal", "end_of_life", "control"),
            (1, 4, 1),
            _("Tungsten and cobalt, scarce raw materials, lost if thrown away."),
            _("Collected at each machine and returned to the tool supplier for recycling."),
            300,
        ),
        (
            "",
            _("Sawing and machining"),
            _("Scrap parts and bar ends"),
            "resources",
            NORMAL,
            (2, 4, 1),
            _("About 60 t of steel and aluminium a year bought to become parts."),
            _("Sorted by alloy for the scrap dealer; bar lengths optimised by the saw program."),
            220,
        ),
        (
            "",
            _("Machine maintenance"),
            _("Waste oil from oil changes"),
            "land",
            NORMAL,
            (3, 2, 2),
            _("Spindle and hydraulic oil on the ground if spilt on the way to the store."),
            _("Carried in closed cans to the bunded oil store; taken by a licensed firm."),
            190,
        ),
        (
            "",
            _("Paint booth"),
            _("Solvent emissions from spraying"),
            "air",
            NORMAL,
            (3, 3, 3),
            _("Solvent from touching up painted housings, about 400 kg of paint a year."),
            _("Water-based paint for new orders; booth filters changed by the pressure gauge."),
            130,
        ),
        (
            "",
            _("Paint booth"),
            _("Paint sludge and used booth filters"),
            "land",
            NORMAL,
            (2, 2, 1),
            _("Hazardous waste from the booth."),
            _("Kept in a closed drum in the hazardous waste store."),
            260,
        ),
        (
            "",
            _("Goods in"),
            _("Packaging of purchased material"),
            "resources",
            ("normal", "raw_materials", "influence"),
            (1, 4, 1),
            _("Wooden pallets, steel strapping and film from the bar and casting suppliers."),
            _("Returnable pallets agreed with the two main steel suppliers."),
            280,
        ),
        (
            "",
            _("Deliveries to customers"),
            _("Exhaust from delivery trucks"),
            "air",
            ("normal", "transport", "influence"),
            (2, 4, 2),
            _("Diesel exhaust and CO₂ from the haulier's trucks, about 900 deliveries a year."),
            _("Loads combined into fixed weekly tours with the haulier."),
            210,
        ),
        (
            "",
            _("Warehouse"),
            _("LPG for the forklifts"),
            "climate",
            NORMAL,
            (2, 4, 1),
            _("CO₂ and exhaust in the warehouse from three gas forklifts."),
            _("Electric forklifts to replace them as their leases end."),
            170,
        ),
        (
            "",
            _("Yard"),
            _("Yard lighting at night"),
            "biodiversity",
            NORMAL,
            (1, 5, 2),
            _("Light drawing insects from the hedge and the stream along the site boundary."),
            _("Warm-white LED lights pointing down, on motion sensors after 22:00."),
            320,
        ),
        (
            "",
            _("Quotation and work preparation"),
            _("Material allowance of the parts"),
            "resources",
            ("normal", "design", "influence"),
            (2, 3, 1),
            _("Material turned into swarf when blanks are far larger than the finished parts."),
            _("Near-net blanks proposed to customers when a drawing allows them."),
            250,
        ),
        (
            "",
            _("Delivered parts"),
            _("Corrosion protection oil on the parts"),
            "land",
            ("normal", "use", "influence"),
            (2, 3, 1),
            _("Oil the customers wash off before assembly, into their waste water."),
            _("Dry corrosion protection in VCI bags offered instead of oil."),
            270,
        ),
        (
            "waste",
            _("Coolant system"),
            _("Spoiled coolant after a shutdown"),
            "land",
            ABNORMAL,
            (3, 1, 1),
            _("A whole sump of emulsion turned by bacteria, to be disposed of after the holidays."),
            _("Coolant circulated during shutdowns; pH and germ test before the restart."),
            160,
        ),
        (
            "",
            _("Chip conveyors"),
            _("Coolant overflow from a blocked chip conveyor"),
            "land",
            ABNORMAL,
            (2, 3, 1),
            _("Emulsion on the floor and into its cracks."),
            _("Conveyors cleared at each shift; spill kits at each cell."),
            230,
        ),
        (
            "",
            _("Fire in a hall"),
            _("Contaminated fire-fighting water"),
            "water",
            EMERGENCY,
            (5, 1, 4),
            _("Water with oil, coolant and soot into the yard drain and the stream."),
            _(
                "Shut-off valve at the yard drain, shown to the fire brigade; the loading bay "
                "holds the water back; drill once a year."
            ),
            120,
        ),
        (
            "",
            _("Heating plant"),
            _("Gas leak in the heating plant"),
            "air",
            EMERGENCY,
            (4, 1, 3),
            _("Methane released, with a risk of explosion near the houses."),
            _("Gas detector with automatic shut-off; the utility's emergency number at the door."),
            290,
        ),
        (
            "",
            _("Air conditioning and spindle chillers"),
            _("Refrigerant leak"),
            "climate",
            ABNORMAL,
            (3, 2, 2),
            _("Fluorinated gases with a high global warming potential."),
            _("Leak checks by a certified contractor as the F-gas rules require; log kept."),
            200,
        ),
        (
            "",
            _("Purchasing of bar stock"),
            _("Steel and aluminium bar stock"),
            "resources",
            ("normal", "raw_materials", "influence"),
            (3, 4, 1),
            _("About 380 t of metal a year, with the emissions of making it."),
            _("Aluminium with recycled content asked for in new supply contracts."),
            310,
        ),
    ]


def _hazards() -> list[tuple]:
    """The hazards beyond the first four (translated when the demo is built)."""
    workers, contractors = ["workers"], ["workers", "contractors"]
    return [
        (
            _("Machining centres, setting and proving"),
            True,
            "physical",
            _("Moving axes and spindle with the door open in setting mode"),
            _("Crushed or severed fingers, entanglement."),
            workers,
            (1, 5),
            None,
            _("Door interlocks; setting mode at reduced speed with a hold-to-run button."),
            120,
            (),
        ),
        (
            _("Manual lathes"),
            True,
            "physical",
            _("Rotating chuck catching sleeves or hair"),
            _("Entanglement, fractures, scalping."),
            workers,
            (1, 5),
            None,
            _("Chuck guards; no gloves or loose clothing at a running lathe."),
            100,
            (),
        ),
        (
            _("Surface grinding"),
            True,
            "physical",
            _("Bursting grinding wheel"),
            _("Struck by fragments."),
            workers,
            (1, 5),
            None,
            _("Wheel guards; wheels ring-tested and mounted by trained staff only."),
            300,
            (),
        ),
        (
            _("Press shop, die change"),
            False,
            "physical",
            _("Crushing between the press tools"),
            _("Crushed hands or fingers."),
            workers,
            (2, 5),
            (1, 4),
            _("Two-hand controls; die blocks used during changes."),
            90,
            (("engineering", _("Light curtains on presses 1 and 2"), 60),),
        ),
        (
            _("Lathe bay, cleaning parts"),
            True,
            "physical",
            _("Compressed air blow guns"),
            _("Eye injuries from flying chips; air forced into the skin."),
            workers,
            (3, 3),
            (1, 3),
            _("Safety nozzles limited to 2 bar."),
            80,
            (("substitution", _("Vacuum cleaners at each lathe instead of blow guns"), 40),),
        ),
        (
            _("Control cabinets, fault-finding"),
            False,
            "physical",
            _("Live electrical parts"),
            _("Electric shock, burns."),
            contractors,
            (2, 5),
            (1, 5),
            _("Only qualified electricians open the cabinets; insulated tools."),
            150,
            (("administrative", _("Permit to work for any work near live parts"), 30),),
        ),
        (
            _("Machine maintenance"),
            False,
            "physical",
            _("Unexpected start-up during a repair"),
            _("Crushing, entanglement."),
            contractors,
            (2, 4),
            None,
            _("Lockable main switches; lock-out with personal padlocks."),
            110,
            (),
        ),
        (
            _("Overhead crane, lifting fixtures and bar bundles"),
            True,
            "physical",
            _("Falling suspended loads"),
            _("Fatal crushing injuries."),
            workers,
            (1, 5),
            None,
            _("Crane and slings inspected yearly; trained crane drivers; no one under a load."),
            200,
            (),
        ),
        (
            _("Loading bay"),
            True,
            "physical",
            _("Trucks pulling away during loading"),
            _("Struck by a truck; a fall from the bay edge."),
            contractors,
            (2, 4),
            None,
            _("Wheel chocks; drivers wait in the drivers' room while their truck is loaded."),
            180,
            (),
        ),
        (
            _("Lathe bay 2"),
            True,
            "physical",
            _("Floor slippery with coolant and oil"),
            _("Slips and falls, fractures."),
            ["workers", "visitors"],
            (3, 3),
            (2, 3),
            _("Drip trays under the machines; spills absorbed at once."),
            70,
            (("engineering", _("Anti-slip floor coating in lathe bay 2"), 90),),
        ),
        (
            _("Mezzanine store"),
            True,
            "physical",
            _("Open edge of the mezzanine"),
            _("A fall of three metres."),
            workers,
            (2, 4),
            None,
            _("Guardrail with a swing gate at the loading point."),
            240,
            (),
        ),
        (
            _("High racking and the crane rail"),
            False,
            "physical",
            _("Work from ladders"),
            _("Falls from height."),
            contractors,
            (2, 4),
            None,
            _("Ladders inspected; a second person holds the ladder."),
            210,
            (),
        ),
        (
            _("Deburring with hand tools"),
            True,
            "physical",
            _("Hand-arm vibration from grinders and air tools"),
            _("Vibration white finger, nerve damage."),
            workers,
            (2, 3),
            None,
            _("Exposure time recorded for each tool."),
            130,
            (),
        ),
        (
            _("Dry machining of cast iron"),
            True,
            "physical",
            _("Hot chips and workpieces"),
            _("Burns."),
            workers,
            (2, 2),
            None,
            _("Chip guards; parts left to cool before handling."),
            330,
            (),
        ),
        (
            _("Neat-oil machining centres"),
            True,
            "physical",
            _("Fire in a machine running on neat oil"),
            _("Burns, smoke inhalation."),
            ["workers", "visitors"],
            (2, 5),
            (1, 4),
            _("Fire extinguishers at each machine; no unattended neat-oil machining."),
            95,
            (("engineering", _("Automatic CO₂ extinguishing in the two neat-oil machines"), 120),),
        ),
        (
            _("Compressor room"),
            True,
            "physical",
            _("Noise of the compressors"),
            _("Hearing damage."),
            contractors,
            (2, 3),
            None,
            _("Hearing protection sign at the door; short stays only."),
            270,
            (),
        ),
        (
            _("Gate to the public road"),
            True,
            "physical",
            _("Trucks turning across the footpath"),
            _("Pedestrians struck."),
            ["public"],
            (1, 4),
            None,
            _("Convex mirror at the gate; trucks guided out by the warehouse staff."),
            340,
            (),
        ),
        (
            _("Forklift gas cylinders"),
            True,
            "chemical",
            _("LPG escaping when a cylinder is changed"),
            _("Cold burns; fire or explosion."),
            workers,
            (1, 4),
            None,
            _("Cylinders changed outdoors by trained drivers with gloves and goggles."),
            260,
            (),
        ),
        (
            _("Coolant handling at the machines"),
            True,
            "chemical",
            _("Skin contact with water-mixed coolant"),
            _("Dermatitis and eczema."),
            workers,
            (4, 2),
            (2, 2),
            _("Skin protection plan at each washbasin."),
            100,
            (("ppe", _("Nitrile gloves for topping up and cleaning sumps"), 20),),
        ),
        (
            _("Machining centres"),
            True,
            "chemical",
            _("Inhaled coolant mist"),
            _("Irritated airways, asthma."),
            workers,
            (2, 3),
            None,
            _("Mist extraction on each machining centre; doors closed while running."),
            75,
            (),
        ),
        (
            _("Parts washer"),
            True,
            "chemical",
            _("Solvent vapour when loading and unloading"),
            _("Headache, dizziness; irritated skin."),
            workers,
            (3, 3),
            (1, 2),
            _("Extraction at the washer; gloves and goggles."),
            85,
            (("substitution", _("An aqueous washer to replace the solvent washer"), 120),),
        ),
        (
            _("Paint booth"),
            True,
            "chemical",
            _("Solvent-based paint and thinners"),
            _("Effects on the airways and nervous system; fire."),
            workers,
            (3, 3),
            (2, 3),
            _("Booth extraction; paint kept in a fire-resistant cabinet."),
            140,
            (
                ("engineering", _("Booth airflow measured and the extraction fan serviced"), 35),
                ("ppe", _("Fit-tested respirators with A2 filters for spraying"), 25),
            ),
        ),
        (
            _("Maintenance workshop"),
            False,
            "chemical",
            _("Welding fume"),
            _("Lung disease, metal fume fever."),
            workers,
            (2, 4),
            None,
            _("Mobile fume extractor at the welding bench."),
            230,
            (),
        ),
        (
            _("Coolant mixing station"),
            True,
            "chemical",
            _("Splashes of coolant concentrate and biocide"),
            _("Burns to eyes and skin."),
            workers,
            (2, 3),
            None,
            _("Mixing unit with a dosing pump; eye wash station beside it."),
            250,
            (),
        ),
        (
            _("Hydraulic presses and machines"),
            True,
            "physical",
            _("Oil jet from a burst high-pressure hose"),
            _("Injection and eye injuries."),
            workers,
            (1, 5),
            None,
            _("Hoses replaced on a schedule; hose guards."),
            280,
            (),
        ),
        (
            _("Cleaning the central coolant tank"),
            False,
            "physical",
            _("Entry into the tank, a confined space"),
            _("Asphyxiation, drowning, infection."),
            ["contractors"],
            (2, 5),
            (1, 2),
            _("Entry only with a permit, a gas test and a standby person."),
            60,
            (("elimination", _("Tank cleaned from outside with a suction lance: no entry"), 100),),
        ),
        (
            _("Coolant sumps"),
            True,
            "biological",
            _("Bacteria and fungi in the coolant"),
            _("Skin infections, respiratory illness."),
            workers,
            (2, 3),
            None,
            _("pH and germ count tested weekly; biocide dosed by the supplier."),
            120,
            (),
        ),
        (
            _("Washrooms and showers"),
            True,
            "biological",
            _("Legionella in the hot water system"),
            _("Legionnaires' disease."),
            ["workers", "visitors"],
            (1, 4),
            None,
            _("Hot water at 60 °C; showers flushed weekly; sampled each year."),
            300,
            (),
        ),
        (
            _("CNC machines"),
            True,
            "ergonomic",
            _("Standing for whole shifts"),
            _("Back, leg and foot pain."),
            workers,
            (4, 2),
            None,
            _("Anti-fatigue mats at the machines."),
            200,
            (),
        ),
        (
            _("Loading small parts into fixtures"),
            True,
            "ergonomic",
            _("Repetitive hand and arm movements"),
            _("Tendon and wrist disorders."),
            workers,
            (3, 2),
            None,
            _("Job rotation every two hours."),
            190,
            (),
        ),
        (
            _("Packing table, dispatch"),
            True,
            "ergonomic",
            _("Lifting boxes of finished parts onto pallets"),
            _("Back injuries."),
            workers,
            (3, 3),
            (2, 2),
            _("Boxes filled to 15 kg at most."),
            110,
            (("engineering", _("Vacuum lifter at the packing table"), 55),),
        ),
        (
            _("Office and measuring room"),
            True,
            "ergonomic",
            _("Screen work"),
            _("Eye strain, neck and shoulder pain."),
            workers,
            (3, 1),
            None,
            _("Adjustable desks and chairs; eye tests offered."),
            360,
            (),
        ),
        (
            _("Night shift"),
            True,
            "psychosocial",
            _("Night work and rotating shifts"),
            _("Poor sleep, fatigue, errors."),
            workers,
            (3, 3),
            (2, 3),
            _("Shift plans within the Working Time Act; health checks offered."),
            150,
            (
                (
                    "administrative",
                    _("Forward-rotating shift plan agreed with the works council"),
                    80,
                ),
            ),
        ),
        (
            _("Night shift, maintenance"),
            True,
            "psychosocial",
            _("Working alone in the halls"),
            _("Help delayed after an accident."),
            workers,
            (2, 4),
            None,
            _("Lone-worker alarm; a call to the shift lead every two hours."),
            170,
            (),
        ),
        (
            _("Rush orders"),
            True,
            "psychosocial",
            _("Time pressure and overtime"),
            _("Stress, fatigue, safety shortcuts."),
            workers,
            (3, 2),
            None,
            _("Overtime recorded and limited; planning meeting each Monday."),
            220,
            (),
        ),
        (
            _("Machine halls, visitor tours"),
            True,
            "physical",
            _("Visitors near running machines and forklifts"),
            _("Struck by a forklift or by flying chips."),
            ["visitors"],
            (2, 3),
            None,
            _("Visitors escorted; safety glasses handed out at reception."),
            240,
            (),
        ),
    ]

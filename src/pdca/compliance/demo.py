"""Acme's register of legal and other requirements and this year's evaluation of compliance:
the waste law (found non-compliant, with its nonconformity), the emissions permit of the coolant
mist extraction expiring in four months, the water discharge permit, REACH, a customer's
supplier requirements and, as Acme adds ISO 45001, the working time act not yet evaluated."""

import datetime

from django.utils.translation import gettext as _

from pdca.compliance import services
from pdca.compliance.models import Obligation
from pdca.core.demo import DemoContext


def build(ctx: DemoContext) -> None:
    org = ctx.orgs["acme"]
    if Obligation.objects.filter(organization=org).exists():
        return
    today = ctx.today
    mr, owner = ctx.users["mr@acme.example"], ctx.users["owner@acme.example"]

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    def enter(**values: object) -> Obligation:
        return services.obligation_create(actor=mr, organization=org, **values)

    def evaluate(obligation: Obligation, ago: int, method: str, result: str, evidence: str) -> None:
        services.evaluation_record(
            actor=mr,
            obligation=obligation,
            evaluated_on=days(-ago),
            method=method,
            result=result,
            evidence=evidence,
            evaluator=mr,
        )

    waste = enter(
        title=_("Circular Economy Act and Commercial Waste Ordinance"),
        discipline="environment",
        kind="law",
        jurisdiction=_("Germany"),
        citation="KrWG § 7, § 9; GewAbfV § 3",
        requirement=_(
            "Separate swarf, coolant, oily rags and general waste at source; document the "
            "separation and keep the waste transfer notes for three years."
        ),
        responsible=owner,
        source="gesetze-im-internet.de",
        source_version="2023",
        last_checked_on=days(-150),
        next_check_on=days(215),
    )
    evaluate(
        waste,
        40,
        "inspection",
        "non_compliant",
        _(
            "Site walk: swarf found in the general waste container at bay 2; separation log "
            "not kept since March."
        ),
    )
    emissions = enter(
        title=_("Permit for the coolant mist extraction"),
        discipline="environment",
        kind="permit",
        jurisdiction=_("District of Esslingen"),
        citation="BImSchG § 4; TA Luft 5.2",
        requirement=_(
            "Oil mist at the stack at most 5 mg/m³; measured by an accredited body every year; "
            "filter changes recorded."
        ),
        permit_number="BImSchG-ES-2021-044",
        permit_expires_on=days(120),
        responsible=owner,
        evaluation_months=6,
        last_checked_on=days(-60),
        next_check_on=days(30),
    )
    evaluate(
        emissions,
        75,
        "measurement",
        "compliant",
        _("Accredited measurement report EM-2318: 2.1 mg/m³; filter log complete."),
    )
    water = enter(
        title=_("Water discharge permit"),
        discipline="environment",
        kind="permit",
        jurisdiction=_("District of Esslingen"),
        citation="WHG § 58",
        requirement=_(
            "Discharge of treated coolant water to the sewer, at most 2 m³ a day, "
            "hydrocarbons below 20 mg/l."
        ),
        permit_number="WE-2024-117",
        permit_expires_on=days(900),
        responsible=mr,
        evaluation_months=6,
        next_check_on=days(90),
    )
    evaluate(
        water,
        20,
        "measurement",
        "compliant",
        _("Daily meter readings: at most 1.6 m³ a day; laboratory report 11/2: 6 mg/l."),
    )
    reach = enter(
        title=_("REACH Regulation"),
        discipline="environment",
        kind="regulation",
        jurisdiction=_("European Union"),
        citation="(EG) Nr. 1907/2006, Art. 31–33",
        requirement=_(
            "A current safety data sheet for every coolant, oil and cleaner; inform customers of "
            "substances of very high concern in the parts."
        ),
        responsible=mr,
        source="echa.europa.eu",
        next_check_on=days(60),
    )
    evaluate(
        reach,
        55,
        "document_review",
        "compliant",
        _("Substance register checked against 14 safety data sheets, all current."),
    )
    customer = enter(
        title=_("Supplier quality manual of Hartmann Hydraulik"),
        discipline="quality",
        kind="customer",
        citation=_("Chapter 4.3, edition 2024"),
        requirement=_(
            "Material certificates 3.1 with every delivery; RoHS and REACH declarations once a "
            "year."
        ),
        responsible=owner,
        next_check_on=days(180),
    )
    evaluate(
        customer,
        90,
        "external_audit",
        "compliant",
        _("Customer's supplier audit: no finding on certificates or declarations."),
    )
    enter(
        title=_("Industrial Safety and Health Ordinance"),
        discipline="ohs",
        kind="regulation",
        jurisdiction=_("Germany"),
        citation="BetrSichV §§ 3–5, 14",
        requirement=_(
            "Assess the hazards of every machine before it is used, keep guards and emergency "
            "stops working, and have lathes, presses and forklifts inspected by a qualified "
            "person at the intervals the assessment sets."
        ),
        responsible=owner,
        next_check_on=days(90),
        evaluation_months=6,
    )
    enter(
        title=_("Working Time Act"),
        discipline="ohs",
        kind="law",
        jurisdiction=_("Germany"),
        citation="ArbZG §§ 3–5",
        requirement=_(
            "At most ten hours a day, eleven hours' rest between shifts; record overtime beyond "
            "eight hours."
        ),
        responsible=mr,
        next_check_on=days(45),
    )

"""Demo objectives for the year: Acme's on-time delivery (red for the last three months, with
its nonconformity), scrap rate, customer satisfaction (9001 9.1.2) and energy per part (14001),
each with twelve monthly results; Northwind's information security objectives (phishing-test
click rate, patching within 14 days) with six months of data. Safe to run twice."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.core.models import Organization, User
from pdca.objectives import services
from pdca.objectives.models import Indicator, Objective, period_start
from pdca.standards.models import Edition, Process


def _months_back(today: datetime.date, n: int) -> list[datetime.date]:
    """The first days of the `n` months before this one, oldest first."""
    day = period_start(today, "monthly")
    found = []
    for _i in range(n):
        day = period_start(day - datetime.timedelta(days=1), "monthly")
        found.append(day)
    return list(reversed(found))


def _series(text: str) -> list[str]:
    """Twelve (or six) monthly values, oldest first, written as one line."""
    return text.split()


def _edition(organization: Organization, code: str) -> list[Edition]:
    return list(
        Edition.objects.filter(
            standard__code=code, org_standards__organization=organization
        ).distinct()
    )


def _kpi_with_results(
    *,
    actor: User,
    organization: Organization,
    periods: list[datetime.date],
    values: list[str],
    comments: dict[int, str] | None = None,
    **fields: Any,
) -> Indicator:
    kpi = services.indicator_create(
        actor=actor, organization=organization, first_period=periods[0], **fields
    )
    for i, (period, value) in enumerate(zip(periods, values, strict=True)):
        services.measurement_record(
            actor=fields["owner"],
            indicator=kpi,
            period=period,
            value=Decimal(value),
            comment=(comments or {}).get(i, ""),
        )
    kpi.refresh_from_db()
    return kpi


def build(ctx: DemoContext) -> None:
    _acme(ctx)
    _northwind(ctx)


def _acme(ctx: DemoContext) -> None:
    org = ctx.orgs.get("acme")
    if org is None or Objective.objects.filter(organization=org).exists():
        return
    u = ctx.users
    top, mr, owner = u["top@acme.example"], u["mr@acme.example"], u["owner@acme.example"]
    today = ctx.today
    months = _months_back(today, 12)
    year_end = datetime.date(today.year, 12, 31)
    if year_end < today + datetime.timedelta(days=30):
        year_end = datetime.date(today.year + 1, 12, 31)
    processes = {p.code: p for p in Process.objects.filter(organization=org)}
    iso9001, iso14001 = _edition(org, "iso9001"), _edition(org, "iso14001")
    communicated = _("All staff at the quarterly briefing; the notice boards in the shop")

    delivery = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Deliver on time: at least 97 % of order lines"),
        description=_("Customers receive their parts on the date we confirmed."),
        editions=iso9001,
        policy_commitment=_("We meet our customers' requirements, on time."),
        baseline=_("94.8 % last year"),
        target=_("≥ 97 % on-time order lines"),
        deadline=year_end,
        owner=owner,
        applies_to=_("Production planning, machining, dispatch"),
        processes=[p for c in ("C3", "C5") if (p := processes.get(c))],
        resources=_("Planner time for daily capacity checks; a second carrier contract"),
        evaluation=_("Monthly at the production meeting; at management review"),
        communicated_to=communicated,
        communicated_on=months[0],
    )
    on_time = _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("96.8 97.4 97.9 98.1 97.2 96.5 97.6 97.1 96.9 93.1 92.4 91.8"),
        comments={
            9: _("CNC 4 spindle failure: two weeks down"),
            10: _("Backlog from the spindle failure"),
            11: _("Carrier short of drivers"),
        },
        objective=delivery,
        process=processes.get("C5"),
        name=_("On-time delivery"),
        definition=_("Order lines shipped by the confirmed date ÷ order lines shipped, per month"),
        value_type="percent",
        unit="%",
        direction="higher",
        target=Decimal("97"),
        red_threshold=Decimal("94"),
        owner=owner,
        red_periods=3,
        data_source="spreadsheet",
    )
    last = on_time.measurements.order_by("-period").first()
    if last is not None:
        services.nonconformity_raise_from(actor=mr, measurement=last)
    services.objective_update(
        actor=mr, objective=delivery, expected_version=delivery.version, status="off_track"
    )
    services.action_plan(
        actor=mr,
        objective=delivery,
        title=_("Agree a second carrier for the Friday collections"),
        owner=owner,
        due_on=today + datetime.timedelta(days=21),
        resources=_("Purchasing, 2 days"),
    )

    scrap = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Cut the scrap rate to 1.5 % or less"),
        editions=iso9001,
        policy_commitment=_("We improve our processes continually."),
        baseline=_("2.4 % last year"),
        target=_("≤ 1.5 % scrap"),
        deadline=year_end,
        owner=owner,
        applies_to=_("Machining"),
        processes=[p for c in ("C3",) if (p := processes.get(c))],
        resources=_("Tool-life monitoring on the CNC centres"),
        evaluation=_("Monthly; the trend at management review"),
        communicated_to=communicated,
        communicated_on=months[0],
    )
    _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("2.6 2.4 2.3 2.1 1.9 2.0 1.8 1.7 1.6 1.6 1.5 1.4"),
        objective=scrap,
        process=processes.get("C3"),
        name=_("Scrap rate"),
        definition=_("Parts scrapped ÷ parts machined, per month"),
        value_type="percent",
        unit="%",
        direction="lower",
        target=Decimal("1.5"),
        red_threshold=Decimal("2.5"),
        owner=owner,
    )
    services.action_plan(
        actor=mr,
        objective=scrap,
        title=_("Set tool-life limits in every set-up sheet"),
        owner=owner,
        due_on=today - datetime.timedelta(days=20),
    )

    satisfaction = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Keep customer satisfaction at 8.5 of 10 or better"),
        editions=iso9001,
        policy_commitment=_("We meet our customers' requirements, on time."),
        baseline=_("8.2 last year"),
        target=_("≥ 8.5 of 10"),
        deadline=year_end,
        owner=mr,
        applies_to=_("Sales, delivery and customer feedback"),
        processes=[p for c in ("C5",) if (p := processes.get(c))],
        evaluation=_("Short survey after each delivery; complaints counted alongside"),
        communicated_to=communicated,
        communicated_on=months[0],
    )
    satisfaction_kpi = _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("8.3 8.4 8.6 8.5 8.7 8.6 8.8 8.6 8.5 8.1 7.9 8.0"),
        objective=satisfaction,
        process=processes.get("C5"),
        name=_("Customer satisfaction score"),
        definition=_("Mean answer to “How satisfied are you with this delivery?” (0–10)"),
        value_type="number",
        unit=_("of 10"),
        direction="higher",
        target=Decimal("8.5"),
        red_threshold=Decimal("7.5"),
        owner=mr,
        customer_satisfaction=True,
    )
    first = satisfaction_kpi.measurements.order_by("period").first()
    if first is not None:
        services.measurement_correct(
            actor=mr,
            measurement=first,
            expected_version=first.version,
            value=Decimal("8.2"),
            reason=_("Two late survey answers added"),
        )

    energy = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Use 5 % less energy per part"),
        editions=iso14001,
        policy_commitment=_("We prevent pollution and use resources sparingly."),
        baseline=_("3.00 kWh per part last year"),
        target=_("≤ 2.85 kWh per part"),
        deadline=year_end,
        owner=top,
        applies_to=_("Machining, compressed air, heating"),
        processes=[p for c in ("C3",) if (p := processes.get(c))],
        resources=_("Leak survey of the compressed-air network; night shutdown routine"),
        evaluation=_("Monthly from the meter readings and the parts count"),
        integration=_("Part of the monthly production review and of capital expenditure"),
        communicated_to=communicated,
        communicated_on=months[0],
    )
    _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("3.02 2.98 2.97 2.95 2.93 2.94 2.90 2.89 2.88 2.87 2.86 2.84"),
        objective=energy,
        process=processes.get("C3"),
        name=_("Energy per part"),
        definition=_("Electricity used (kWh, main meter) ÷ parts machined, per month"),
        value_type="number",
        unit=_("kWh/part"),
        direction="lower",
        target=Decimal("2.85"),
        red_threshold=Decimal("3.00"),
        owner=owner,
    )
    _for_aspects(mr, energy, [_("Electricity use"), _("Compressed air leaks")])
    services.action_plan(
        actor=mr,
        objective=energy,
        title=_("Fix the compressed-air leaks found in the survey"),
        owner=owner,
        due_on=today + datetime.timedelta(days=45),
        resources=_("Maintenance, 3 days"),
    )
    _safety(ctx, org, months, year_end, communicated)
    # Top management signs the year's set (the maintained 6.2 item); the one lost-time injury
    # of the year is already in it, computed from the incident register.
    services.set_approve(actor=top, organization=org, year=year_end.year, password=DEMO_PASSWORD)


def _safety(
    ctx: DemoContext,
    org: Organization,
    months: list[datetime.date],
    deadline: datetime.date,
    communicated: str,
) -> None:
    """As Acme adds ISO 45001: no lost-time injury, its KPI computed each month from the
    incident register (the deburring cut this year shows in its month)."""
    u = ctx.users
    top, mr, owner = u["top@acme.example"], u["mr@acme.example"], u["owner@acme.example"]
    safety = services.objective_create(
        actor=mr,
        organization=org,
        title=_("No lost-time injury"),
        policy_commitment=_("We prevent injury and ill health and consult our workers."),
        baseline=_("2 lost-time injuries last year"),
        target=_("0 lost-time injuries"),
        deadline=deadline,
        owner=top,
        applies_to=_("All shifts and the contractors on site"),
        resources=_("Guards for the deburring cell; refresher training on cut hazards"),
        evaluation=_("Monthly, computed from the incident register"),
        workers_consulted=_("The safety committee's worker representatives"),
        communicated_to=communicated,
        communicated_on=months[0],
    )
    kpi = services.indicator_create(
        actor=mr,
        organization=org,
        objective=safety,
        name=_("Lost-time injuries"),
        definition=_("Injuries and ill health costing a day of work or more, per month"),
        value_type="count",
        unit=_("injuries"),
        direction="lower",
        target=Decimal(0),
        red_threshold=Decimal(1),
        owner=owner,
        first_period=months[0],
        data_source="computed",
        computed_source="ehs.lost_time_injuries",
    )
    services.indicator_compute(actor=mr, indicator=kpi, today=ctx.today)


def _for_aspects(actor: Any, objective: Objective, names: list[str]) -> None:
    """The environmental aspects the objective was set for (6.2 after 6.1.2): their register
    entries name it."""
    from pdca.ehs import services as ehs
    from pdca.ehs.models import Aspect

    for aspect in Aspect.objects.filter(organization=objective.organization, aspect__in=names):
        ehs.aspect_update(
            actor=actor,
            entry=aspect,
            version=aspect.version,
            reason=_("The objective “%(title)s” was set for it.") % {"title": objective.title},
            objectives=[*aspect.objectives.all(), objective],
        )


def _northwind(ctx: DemoContext) -> None:
    org = ctx.orgs.get("northwind")
    if org is None or Objective.objects.filter(organization=org).exists():
        return
    mr = ctx.users["mr@northwind.example"]
    today = ctx.today
    months = _months_back(today, 6)
    iso27001 = _edition(org, "iso27001")
    deadline = today + datetime.timedelta(days=180)
    phishing = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Fewer than 5 % of staff click a phishing test"),
        editions=iso27001,
        baseline=_("14 % at the first test"),
        target=_("< 5 % click rate"),
        deadline=deadline,
        owner=mr,
        applies_to=_("Everyone with an e-mail account"),
        risk_link=_("Risk 'credential theft by phishing' rated high in the risk assessment"),
        evaluation=_("Monthly simulated phishing campaign"),
        communicated_to=_("All staff by e-mail and at the security awareness session"),
        communicated_on=months[0],
    )
    _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("14.0 11.5 9.8 8.2 6.9 5.6"),
        objective=phishing,
        name=_("Phishing-test click rate"),
        definition=_("Recipients who clicked the test link ÷ recipients, per campaign"),
        value_type="percent",
        unit="%",
        direction="lower",
        target=Decimal("5"),
        red_threshold=Decimal("10"),
        owner=mr,
    )
    patching = services.objective_create(
        actor=mr,
        organization=org,
        title=_("Patch critical vulnerabilities within 14 days"),
        editions=iso27001,
        baseline=_("71 % within 14 days"),
        target=_("≥ 95 % within 14 days"),
        deadline=deadline,
        owner=mr,
        applies_to=_("Warehouse management and transport planning systems"),
        risk_link=_("Treatment of the risk 'exploited unpatched server'"),
        evaluation=_("Monthly from the patch management report"),
    )
    _kpi_with_results(
        actor=mr,
        organization=org,
        periods=months,
        values=_series("71 78 84 88 93 96"),
        objective=patching,
        name=_("Critical patches within 14 days"),
        definition=_("Critical patches installed within 14 days of release ÷ critical patches"),
        value_type="percent",
        unit="%",
        direction="higher",
        target=Decimal("95"),
        red_threshold=Decimal("85"),
        owner=mr,
    )

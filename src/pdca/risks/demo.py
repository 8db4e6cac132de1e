"""Demo data: Acme's context, interested parties and its register of risks and opportunities
across ISO 9001 and 14001 (a key customer's new quality requirements, energy prices, the yard
flooding in heavy rain), with actions and a heat map; Northwind's asset inventory, forty
information security risks assessed with their owners, a treatment plan with Annex A controls,
the owners' signed acceptances and an assessment run, so that its Statement of Applicability
names the risks each control treats (and reconsiders the controls for outsourced development
and test data, since the vendor customizes Northwind's WMS)."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.core.models import Organization, User
from pdca.risks import context, isms, method, services, soa
from pdca.risks.models import (
    Asset,
    ContextIssue,
    Effectiveness,
    Heading,
    InterestedParty,
    Kind,
    Origin,
    PartyRequirement,
    Risk,
    RiskAction,
    RiskMethod,
    Treatment,
)
from pdca.standards import services as standards
from pdca.standards.models import Clause, OrgStandard, Process, Standard

M, A, S, R = Treatment.MODIFY, Treatment.AVOID, Treatment.SHARE, Treatment.RETAIN


def build(ctx: DemoContext) -> None:
    _acme(ctx)
    _northwind(ctx)
    for org in (ctx.orgs["acme"], ctx.orgs["northwind"]):
        _history(org, ctx.today)


def _history(org: Organization, today: datetime.date) -> None:
    """A quarter of weekly snapshots, as the nightly task would have kept them: the register
    grew to today's size and treatment brought the risks above acceptance down, so the heat
    map's trends have a history to show."""
    from pdca.risks.history import register_counts
    from pdca.risks.models import RiskSnapshot

    now = register_counts(org)
    treated = now["above_after"] / now["above_before"] if now["above_before"] else 1
    for weeks in range(1, 12):
        grown = (12 - weeks) / 11  # the share of the way from then to today
        above_before = round(now["above_before"] * (0.5 + 0.5 * grown))
        RiskSnapshot.objects.update_or_create(
            organization=org,
            day=today - datetime.timedelta(weeks=weeks),
            defaults={
                "open_risks": round(now["open_risks"] * (0.5 + 0.5 * grown)),
                "open_opportunities": round(now["open_opportunities"] * (0.5 + 0.5 * grown)),
                "above_before": above_before,
                # Treatment lagged behind: early on, fewer of them were brought down.
                "above_after": round(above_before * (1 - (1 - treated) * grown)),
            },
        )


def _method(org: Organization, author: User, owner: User, criteria: str) -> RiskMethod:
    draft = method.method_create(
        actor=author,
        organization=org,
        title=_("Method for risks and opportunities"),
        likelihood_levels=[
            _("Rare (less than once in ten years)"),
            _("Unlikely (once in five to ten years)"),
            _("Possible (once in one to five years)"),
            _("Likely (about once a year)"),
            _("Almost certain (several times a year)"),
        ],
        consequence_levels=[
            _("Negligible"),
            _("Minor"),
            _("Moderate"),
            _("Major"),
            _("Severe"),
        ],
        acceptance_threshold=6,
        acceptance_criteria=criteria,
        owner=owner,
    )
    return method.method_approve(actor=owner, method=draft)


def _accept(risk: Risk) -> Risk:
    """The owner signs the plan and the residual risk (the demo's password)."""
    return services.risk_accept(actor=risk.owner, risk=risk, password=DEMO_PASSWORD)


# --- Acme ---------------------------------------------------------------------------------


def _acme(ctx: DemoContext) -> None:
    org = ctx.orgs["acme"]
    if RiskMethod.objects.filter(organization=org).exists():
        return
    top, mr = ctx.users["top@acme.example"], ctx.users["mr@acme.example"]
    owner, staff = ctx.users["owner@acme.example"], ctx.users["staff@acme.example"]
    people = {"top": top, "mr": mr, "owner": owner, "staff": staff}
    _method(
        org,
        mr,
        top,
        _(
            "A score of 6 or less is accepted by the risk's owner; above 6 the risk is "
            "treated, or kept only with the owner's signed acceptance. Assessed before each "
            "management review and on any significant change (new customer, machine or law)."
        ),
    )
    context.profile_save(
        actor=mr,
        organization=org,
        expected_version=None,
        framework="pestle",
        climate_relevant=True,
        climate_reasoning=_(
            "Heavy rain has flooded the yard and the coolant store twice in three years; "
            "energy prices follow the move away from fossil fuels; the key customer asks for "
            "the carbon footprint of its parts."
        ),
        reviewed_on=ctx.today - datetime.timedelta(days=60),
    )
    standard = {s.code: s for s in Standard.objects.filter(code__in=["iso9001", "iso14001"])}
    q, e = [standard["iso9001"]], [standard["iso14001"]]
    issues = {}
    for key, title, heading, origin, effect, climate, stds, review in (
        (
            "customer",
            _("A key customer's new quality requirements"),
            Heading.ECONOMIC,
            Origin.EXTERNAL,
            _(
                "Bergmann Automotive asks for production part approval and full traceability "
                "of heat numbers from next year; it buys a third of Acme's output."
            ),
            False,
            q,
            90,
        ),
        (
            "energy",
            _("Energy prices"),
            Heading.ECONOMIC,
            Origin.EXTERNAL,
            _(
                "Electricity for the machining centres and the heat treatment costs 40 % more "
                "than two years ago; margins on long-cycle parts shrink."
            ),
            True,
            q + e,
            120,
        ),
        (
            "flood",
            _("Climate-related flooding of the yard"),
            Heading.ENVIRONMENTAL,
            Origin.EXTERNAL,
            _(
                "Heavy rain floods the yard and the coolant store: spills can reach the drain "
                "and lorries cannot load."
            ),
            True,
            e,
            60,
        ),
        (
            "skills",
            _("Shortage of skilled machinists"),
            Heading.SOCIAL,
            Origin.EXTERNAL,
            _("Two CNC machinists retire within two years; an apprentice needs three."),
            False,
            q,
            150,
        ),
        (
            "five_axis",
            _("Five-axis machining and automated measuring"),
            Heading.TECHNOLOGICAL,
            Origin.INTERNAL,
            _(
                "The new five-axis centre can take on aerospace brackets; the measuring "
                "programs are written by one person only."
            ),
            False,
            q,
            90,
        ),
        (
            "law",
            _("Stricter waste and emissions rules"),
            Heading.LEGAL,
            Origin.EXTERNAL,
            _(
                "The commercial waste ordinance and the oil mist permit ask for separation "
                "records and yearly measurements."
            ),
            False,
            e,
            180,
        ),
    ):
        issues[key] = context.issue_save(
            actor=mr,
            organization=org,
            issue=None,
            expected_version=None,
            fields={
                "title": title,
                "heading": heading,
                "origin": origin,
                "effect": effect,
                "climate_related": climate,
                "review_on": ctx.today + datetime.timedelta(days=review),
            },
            standards=stds,
        )
    processes = {p.code: p for p in Process.objects.filter(organization=org)}
    C = InterestedParty.Category
    needs = {}
    for key, name, category, origin, need, obligation, addressed, process in (
        (
            "customer",
            _("Bergmann Automotive (key customer)"),
            C.CUSTOMER,
            Origin.EXTERNAL,
            _("Production part approval and traceability of heat numbers"),
            True,
            _("Inspection and release; lot travel cards with the heat number of each bar"),
            "C4",
        ),
        (
            "authority",
            _("District environmental authority"),
            C.REGULATOR,
            Origin.EXTERNAL,
            _("The oil mist limit of the permit and separated waste"),
            True,
            _("Register of legal requirements and the yearly evaluation of compliance"),
            "S3",
        ),
        (
            "employees",
            _("Employees and works council"),
            C.EMPLOYEE,
            Origin.INTERNAL,
            _("Safe machines and shift plans known a month ahead"),
            False,
            "",
            "C3",
        ),
        (
            "neighbours",
            _("Residents of Meadow Lane"),
            C.NEIGHBOUR,
            Origin.EXTERNAL,
            _("No noise at night and no oil in the brook"),
            True,
            _("Hall doors closed on the night shift; yard drain through the oil separator"),
            "S3",
        ),
        (
            "suppliers",
            _("Steel bar suppliers"),
            C.SUPPLIER,
            Origin.EXTERNAL,
            _("Forecasts three months ahead"),
            False,
            "",
            "C2",
        ),
    ):
        party = context.party_save(
            actor=mr,
            organization=org,
            party=None,
            expected_version=None,
            fields={"name": name, "category": category, "origin": origin},
        )
        needs[key] = context.requirement_save(
            actor=mr,
            organization=org,
            requirement=None,
            expected_version=None,
            fields={
                "party": party,
                "need": need,
                "is_obligation": obligation,
                "addressed_by": addressed,
                "process": processes.get(process),
                "review_on": ctx.today + datetime.timedelta(days=180),
            },
        )
    for entry in _acme_register(q, e):
        _acme_entry(ctx, org, mr, people, processes, issues, needs, entry)


def _acme_register(q: list[Standard], e: list[Standard]) -> list[dict[str, Any]]:
    """A dozen entries; `actions` are (title, owner, due in days, done notes or "")."""
    return [
        {
            "title": _("Bergmann's part approval requirements not met in time"),
            "cause": _("No one at Acme has prepared a production part approval yet"),
            "effect": _("Bergmann moves the housings to another supplier"),
            "lc": (3, 5),
            "process": "C4",
            "standards": q,
            "issue": "customer",
            "owner": "mr",
            "treatment": M,
            "residual": (2, 3),
            "actions": [
                (_("Train two inspectors in production part approval"), "mr", 60, ""),
                (_("Record the heat number on every lot travel card"), "owner", 30, ""),
            ],
        },
        {
            "title": _("Loss of the only measuring programmer"),
            "cause": _("One person writes every program of the coordinate measuring machine"),
            "effect": _("First-article inspections wait; deliveries slip"),
            "lc": (3, 4),
            "process": "C4",
            "standards": q,
            "issue": "five_axis",
            "owner": "owner",
            "treatment": M,
            "residual": (2, 4),
            "accept": True,
            "actions": [(_("Teach a second person to program the CMM"), "staff", 90, "")],
        },
        {
            "title": _("Energy costs erode the margin on long-cycle parts"),
            "cause": _("Machining centres run idle between shifts"),
            "effect": _("Long-cycle parts lose money at the current prices"),
            "lc": (4, 3),
            "process": "C3",
            "standards": q + e,
            "issue": "energy",
            "owner": "top",
            "treatment": M,
            "residual": (3, 3),
            "accept": True,
            "actions": [
                (
                    _("Put the machining centres on standby between shifts"),
                    "owner",
                    -20,
                    _("Standby programs set on all six centres"),
                )
            ],
            "evaluated": (
                Effectiveness.EFFECTIVE,
                _("The night base load fell from 42 to 31 kW (meter readings of four weeks)."),
            ),
        },
        {
            "title": _("Coolant reaches the drain when the yard floods"),
            "cause": _("The coolant store stands at the lowest point of the yard"),
            "effect": _("Pollution of the brook; a report to the authority"),
            "lc": (3, 4),
            "process": "S3",
            "standards": e,
            "issue": "flood",
            "owner": "mr",
            "treatment": M,
            "residual": (2, 2),
            "actions": [
                (_("Move the coolant store onto a bunded platform"), "owner", 20, ""),
                (_("Fit a shut-off valve on the yard drain"), "mr", 45, ""),
            ],
        },
        {
            "title": _("Deliveries stopped by a flooded yard"),
            "cause": _("Lorries cannot reach the loading bay in heavy rain"),
            "effect": _("Deliveries a day late"),
            "lc": (2, 3),
            "process": "C5",
            "standards": q,
            "issue": "flood",
            "owner": "owner",
            "treatment": R,
        },
        {
            "title": _("Swarf in the general waste"),
            "cause": _("Containers at bay 2 are not labelled; the night shift was not briefed"),
            "effect": _("A finding of the authority; higher disposal costs"),
            "lc": (4, 2),
            "process": "S3",
            "standards": e,
            "need": "authority",
            "owner": "owner",
            "treatment": M,
            "residual": (2, 2),
            "actions": [
                (
                    _("Label the containers at bay 2 and brief the shift"),
                    "owner",
                    -30,
                    _("Labels fitted; day shift briefed"),
                )
            ],
            "evaluated": (
                Effectiveness.NOT_EFFECTIVE,
                _("Swarf found again in week 12: the night shift had not been briefed."),
            ),
        },
        {
            "title": _("Two machinists retire without successors"),
            "cause": _("No apprentices taken on for four years"),
            "effect": _("One shift of the turning cell cannot be staffed"),
            "lc": (4, 3),
            "process": "S2",
            "standards": q,
            "issue": "skills",
            "owner": "top",
            "treatment": M,
            "residual": (3, 2),
            "actions": [(_("Take on two apprentices in September"), "top", 120, "")],
        },
        {
            "title": _("Oil mist above the permit's limit"),
            "cause": _("Clogged filters in the mist extraction"),
            "effect": _("The permit is breached; the authority can stop the hall"),
            "lc": (2, 4),
            "process": "S3",
            "standards": e,
            "need": "authority",
            "owner": "owner",
            "treatment": M,
            "residual": (1, 4),
            "actions": [(_("Change the mist extraction filters every quarter"), "staff", 15, "")],
        },
        {
            "title": _("Noise complaints from Meadow Lane at night"),
            "cause": _("Hall doors left open on warm nights"),
            "effect": _("Complaints to the authority"),
            "lc": (2, 2),
            "process": "C3",
            "standards": e,
            "need": "neighbours",
            "owner": "owner",
            "treatment": R,
        },
        {
            "kind": Kind.OPPORTUNITY,
            "title": _("Aerospace brackets on the five-axis centre"),
            "cause": _("The five-axis centre has free capacity on the late shift"),
            "effect": _("A second market beside automotive"),
            "lc": (3, 4),
            "process": "C1",
            "standards": q,
            "issue": "five_axis",
            "owner": "top",
            "actions": [(_("Quote the brackets to two aerospace prospects"), "top", 40, "")],
        },
        {
            "kind": Kind.OPPORTUNITY,
            "title": _("Solar roof on the machining hall"),
            "cause": _("A flat roof of 1,800 m² facing south"),
            "effect": _("A fifth of the electricity made on site"),
            "lc": (3, 3),
            "process": "S3",
            "standards": e,
            "issue": "energy",
            "owner": "top",
            "actions": [(_("Get two offers for a 150 kWp roof system"), "mr", 75, "")],
        },
        {
            "kind": Kind.OPPORTUNITY,
            "title": _("Reuse of cleaned coolant"),
            "cause": _("A coolant centrifuge is offered by the coolant supplier"),
            "effect": _("Less coolant bought and less waste coolant"),
            "lc": (4, 2),
            "process": "C3",
            "standards": e,
            "owner": "owner",
            "actions": [
                (
                    _("Trial the centrifuge on the turning cell"),
                    "owner",
                    -45,
                    _("Trial of eight weeks finished"),
                )
            ],
            "evaluated": (
                Effectiveness.EFFECTIVE,
                _("Coolant bought fell by a third during the trial."),
            ),
        },
    ]


def _acme_entry(
    ctx: DemoContext,
    org: Organization,
    mr: User,
    people: dict[str, User],
    processes: dict[str, Process],
    issues: dict[str, ContextIssue],
    needs: dict[str, PartyRequirement],
    entry: dict[str, Any],
) -> None:
    likelihood, consequence = entry["lc"]
    risk = services.risk_create(
        actor=mr,
        organization=org,
        kind=entry.get("kind", Kind.RISK),
        title=entry["title"],
        owner=people[entry["owner"]],
        likelihood=likelihood,
        consequence=consequence,
        cause=entry["cause"],
        effect=entry["effect"],
        process=processes.get(entry["process"]),
        standards=entry["standards"],
        review_on=ctx.today + datetime.timedelta(days=75),
        source_issue=issues.get(entry.get("issue", "")),
        source_requirement=needs.get(entry.get("need", "")),
    )
    if entry.get("treatment"):
        residual = entry.get("residual") or (None, None)
        risk = services.risk_treat(
            actor=mr,
            risk=risk,
            expected_version=risk.version,
            treatment=entry["treatment"],
            residual_likelihood=residual[0],
            residual_consequence=residual[1],
        )
    if entry.get("accept"):
        risk = _accept(risk)
    for title, who, days, done in entry.get("actions", []):
        action = services.action_add(
            actor=mr,
            risk=risk,
            title=title,
            owner=people[who],
            due_on=ctx.today + datetime.timedelta(days=days),
            process=processes.get(entry["process"]),
        )
        if done:
            services.action_update(
                actor=mr,
                action=action,
                expected_version=action.version,
                status=RiskAction.Status.DONE,
                notes=done,
            )
    if entry.get("evaluated"):
        risk.refresh_from_db()
        result, notes = entry["evaluated"]
        services.risk_evaluate(
            actor=mr, risk=risk, expected_version=risk.version, effectiveness=result, notes=notes
        )


# --- Northwind ----------------------------------------------------------------------------

# The asset inventory: key, name, kind, owner ("mr" or "staff").
NORTHWIND_ASSETS = [
    ("wms", gettext_noop("WMS (warehouse management system)"), Asset.Kind.SYSTEM, "mr"),
    ("tms", gettext_noop("TMS (transport planning system)"), Asset.Kind.SYSTEM, "mr"),
    ("scanners", gettext_noop("Handheld scanners"), Asset.Kind.SYSTEM, "staff"),
    ("mail", gettext_noop("E-mail and file sharing"), Asset.Kind.SYSTEM, "mr"),
    ("network", gettext_noop("Hub network and Wi-Fi"), Asset.Kind.SYSTEM, "mr"),
    (
        "customers",
        gettext_noop("Customer data (orders, consignee addresses)"),
        Asset.Kind.INFORMATION,
        "mr",
    ),
    ("shipments", gettext_noop("Shipment and tracking data"), Asset.Kind.INFORMATION, "mr"),
    ("hub", gettext_noop("Rotterdam hub"), Asset.Kind.SITE, "staff"),
    ("office", gettext_noop("Utrecht head office"), Asset.Kind.SITE, "mr"),
    ("staff", gettext_noop("Warehouse staff"), Asset.Kind.PEOPLE, "staff"),
    ("it", gettext_noop("IT & Security team"), Asset.Kind.PEOPLE, "mr"),
    ("vendor", gettext_noop("WMS vendor"), Asset.Kind.SUPPLIER, "mr"),
    ("cloud", gettext_noop("Cloud hosting provider"), Asset.Kind.SUPPLIER, "mr"),
    ("carriers", gettext_noop("Subcontracted carriers"), Asset.Kind.SUPPLIER, "staff"),
]


def _northwind_risks() -> list[tuple[Any, ...]]:
    """(title, threat, assets, lost "cia", owner, likelihood, consequence, treatment,
    residual or None, Annex A controls, the owner signs now)."""
    return [
        (
            _("Ransomware encrypts the WMS"),
            _("Malware from a phishing mail encrypts the WMS database and its online backups."),
            ["wms", "mail"],
            "ia",
            "mr",
            4,
            5,
            M,
            (2, 4),
            ["A.8.7", "A.8.13", "A.6.3"],
            True,
        ),
        (
            _("The vendor's customization opens a vulnerability"),
            _("Custom code the WMS vendor writes for Northwind goes live without security tests."),
            ["wms", "vendor"],
            "cia",
            "mr",
            3,
            4,
            M,
            (2, 4),
            ["A.8.30", "A.8.29", "A.5.20"],
            True,
        ),
        (
            _("Customer data in the vendor's test system"),
            _("The vendor copies live consignee addresses into its test environment."),
            ["customers", "vendor"],
            "c",
            "mr",
            3,
            4,
            M,
            (1, 4),
            ["A.8.33", "A.8.11", "A.5.20"],
            True,
        ),
        (
            _("TMS outage stops dispatch planning"),
            _("The hosting provider's data centre fails during the morning planning."),
            ["tms", "cloud"],
            "a",
            "mr",
            3,
            4,
            M,
            (2, 3),
            ["A.5.30", "A.8.14", "A.5.23"],
            True,
        ),
        (
            _("Stolen handheld scanner"),
            _("A scanner left in a lorry cab is stolen with a session still open."),
            ["scanners", "customers"],
            "c",
            "staff",
            3,
            2,
            R,
            None,
            ["A.8.1"],
            False,
        ),
        (
            _("Tailgating into the Rotterdam hub"),
            _("A visitor follows staff through the side door into the warehouse office."),
            ["hub"],
            "ci",
            "staff",
            3,
            3,
            M,
            (2, 2),
            ["A.7.1", "A.7.2"],
            True,
        ),
        (
            _("Leavers keep their WMS access"),
            _("Accounts of temporary warehouse staff are not removed when they leave."),
            ["wms", "staff"],
            "ci",
            "mr",
            4,
            3,
            M,
            (2, 3),
            ["A.5.18", "A.6.5", "A.5.16"],
            True,
        ),
        (
            _("Phishing steals office passwords"),
            _("A fake sign-in page collects the passwords of head office staff."),
            ["mail", "office"],
            "c",
            "mr",
            4,
            3,
            M,
            (2, 3),
            ["A.6.3", "A.8.5", "A.5.17"],
            True,
        ),
        (
            _("A carrier's portal leaks consignee addresses"),
            _("A subcontracted carrier's portal exposes the addresses Northwind sends it."),
            ["carriers", "customers"],
            "c",
            "mr",
            2,
            4,
            S,
            (2, 2),
            ["A.5.19", "A.5.20", "A.5.34"],
            False,
        ),
        (
            _("Hub Wi-Fi reachable from the neighbouring yard"),
            _("Someone in the next yard joins the scanners' Wi-Fi and reaches the WMS."),
            ["network", "wms"],
            "ci",
            "mr",
            3,
            3,
            M,
            (1, 3),
            ["A.8.20", "A.8.22"],
            False,
        ),
        (
            _("Power cut stops scanning at the hub"),
            _("A power cut takes down the Wi-Fi and the WMS terminals for hours."),
            ["hub", "network"],
            "a",
            "staff",
            3,
            3,
            M,
            (2, 2),
            ["A.7.11"],
            False,
        ),
        (
            _("Flooding of the hub's data room"),
            _("A storm surge or heavy rain floods the ground-floor data room."),
            ["hub", "network"],
            "a",
            "staff",
            2,
            5,
            M,
            (2, 4),
            ["A.7.5", "A.8.14"],
            False,  # awaiting the warehouse coordinator's signature
        ),
        (
            _("Unpatched WMS server exploited"),
            _("A known vulnerability of the WMS server's operating system is exploited."),
            ["wms"],
            "cia",
            "mr",
            3,
            4,
            M,
            (2, 3),
            ["A.8.8", "A.8.9"],
            True,
        ),
        (
            _("A faulty interface alters shipment data"),
            _("A changed TMS to WMS interface writes wrong weights and addresses."),
            ["shipments", "tms"],
            "i",
            "mr",
            2,
            4,
            M,
            (1, 4),
            ["A.8.32", "A.8.9"],
            False,
        ),
        (
            _("Misuse of an administrator account"),
            _("An administrator account is used to change or read data without a reason."),
            ["wms", "tms", "it"],
            "cia",
            "mr",
            2,
            5,
            M,
            (1, 4),
            ["A.8.2", "A.8.15", "A.5.3"],
            True,
        ),
        (
            _("The TMS backup cannot be restored"),
            _("The nightly backup is found unreadable on the day it is needed."),
            ["tms"],
            "ia",
            "mr",
            3,
            4,
            M,
            (1, 4),
            ["A.8.13"],
            True,
        ),
        (
            _("The hosting provider moves the data abroad"),
            _("The cloud provider changes its terms or the country where the data is kept."),
            ["cloud", "customers"],
            "c",
            "mr",
            2,
            3,
            R,
            None,
            ["A.5.23"],
            False,
        ),
        (
            _("A personal data breach reported too late"),
            _("A breach is not reported to the authority within 72 hours."),
            ["customers"],
            "c",
            "mr",
            2,
            4,
            M,
            (1, 4),
            ["A.5.24", "A.5.26", "A.5.31"],
            False,
        ),
        (
            _("Delivery notes left on desks"),
            _("Printed delivery notes with addresses lie on the dispatch desks overnight."),
            ["customers", "hub"],
            "c",
            "staff",
            4,
            1,
            R,
            None,
            ["A.7.7"],
            False,
        ),
        (
            _("Warehouse staff unaware of the security rules"),
            _("New staff share logins and let visitors in because nobody told them not to."),
            ["staff"],
            "ci",
            "staff",
            3,
            3,
            M,
            (2, 2),
            ["A.6.3", "A.5.10"],
            True,
        ),
        (
            _("Logs overwritten before an incident is noticed"),
            _("The WMS keeps its logs for seven days only."),
            ["wms", "network"],
            "i",
            "mr",
            3,
            3,
            M,
            (2, 2),
            ["A.8.15", "A.8.16"],
            False,
        ),
        (
            _("Denial of service on the tracking page"),
            _("A flood of requests takes the customers' tracking page offline."),
            ["shipments", "cloud"],
            "a",
            "mr",
            2,
            3,
            R,
            None,
            [],
            False,
        ),
        (
            _("A laptop lost on the train"),
            _("A head office laptop with customer lists is left on the train."),
            ["it", "mail"],
            "c",
            "mr",
            3,
            3,
            M,
            (3, 1),
            ["A.8.1", "A.8.24"],
            False,
        ),
        (
            _("Shared logins on the scanners"),
            _("Warehouse staff scan under one shared login, so no change can be traced."),
            ["scanners", "staff"],
            "i",
            "staff",
            4,
            3,
            M,
            (3, 3),
            ["A.5.16", "A.8.5"],
            False,  # awaiting the warehouse coordinator's signature
        ),
        (
            _("The WMS vendor goes out of business"),
            _("The vendor stops support and the WMS can no longer be changed."),
            ["vendor", "wms"],
            "a",
            "mr",
            1,
            5,
            R,
            None,
            ["A.5.19"],
            False,
        ),
        (
            _("An unapproved WMS change breaks picking"),
            _("A setting changed in production stops the picking lists."),
            ["wms"],
            "ia",
            "mr",
            3,
            3,
            M,
            (2, 2),
            ["A.8.32"],
            False,
        ),
        (
            _("Test orders left in the production WMS"),
            _("Test orders from an acceptance test are picked and shipped."),
            ["wms", "vendor"],
            "i",
            "mr",
            2,
            3,
            M,
            (1, 3),
            ["A.8.31", "A.8.33"],
            False,
        ),
        (
            _("A service desk call resets a password"),
            _("A caller posing as a driver has a WMS password reset."),
            ["it"],
            "c",
            "mr",
            3,
            3,
            M,
            (2, 2),
            ["A.5.17", "A.6.3"],
            False,
        ),
        (
            _("Hub cameras not recording"),
            _("The cameras at the hub's gates stop recording unnoticed."),
            ["hub"],
            "c",
            "staff",
            2,
            3,
            R,
            None,
            ["A.7.4"],
            False,
        ),
        (
            _("Fire in the hub's server cabinet"),
            _("An overheated switch sets the server cabinet on fire."),
            ["network", "hub"],
            "a",
            "staff",
            1,
            5,
            R,
            None,
            ["A.7.5"],
            False,
        ),
        (
            _("A customer's security clauses not met"),
            _("A customer contract asks for controls Northwind has not put in place."),
            ["customers"],
            "c",
            "mr",
            2,
            4,
            M,
            (1, 4),
            ["A.5.31", "A.5.36"],
            False,
        ),
        (
            _("Insecure remote access for the WMS vendor"),
            _("The vendor's remote access uses a shared account without a second factor."),
            ["wms", "vendor"],
            "ci",
            "mr",
            3,
            4,
            M,
            (2, 3),
            ["A.5.20", "A.8.2", "A.8.5"],
            True,
        ),
        (
            _("An employee exports the customer list"),
            _("A leaving employee exports the customer list to a private address."),
            ["customers", "staff"],
            "c",
            "mr",
            2,
            4,
            M,
            (2, 2),
            ["A.8.12", "A.6.4"],
            False,
        ),
        (
            _("Scanners disposed of with data on them"),
            _("Old scanners go to the recycler without being wiped."),
            ["scanners"],
            "c",
            "staff",
            2,
            3,
            R,
            None,
            ["A.7.14"],
            False,
        ),
        (
            _("Clock drift spoils the evidence in logs"),
            _("The hub's systems disagree on the time, so events cannot be put in order."),
            ["network"],
            "i",
            "mr",
            2,
            2,
            R,
            None,
            ["A.8.17"],
            False,
        ),
        (
            _("Malware from a USB stick on the hub's PCs"),
            _("A driver's USB stick brings malware onto the dispatch PCs."),
            ["network", "staff"],
            "ia",
            "staff",
            3,
            3,
            M,
            (2, 2),
            ["A.8.7", "A.7.10"],
            False,
        ),
        (
            _("The same incident happens twice"),
            _("Incidents are closed without asking why they happened."),
            ["it"],
            "cia",
            "mr",
            2,
            3,
            R,
            None,
            ["A.5.27"],
            False,
        ),
        (
            _("Drivers photograph customer labels"),
            _("Carrier drivers photograph parcel labels with consignee details."),
            ["carriers", "customers"],
            "c",
            "staff",
            3,
            2,
            R,
            None,
            [],
            False,
        ),
        (
            _("No web filtering on the office network"),
            _("Staff reach malicious sites from the head office network."),
            ["mail", "network"],
            "i",
            "mr",
            3,
            2,
            R,
            None,
            ["A.8.23"],
            False,
        ),
        (
            _("A customer's stock list mailed to the wrong address"),
            _("Address completion sends a customer's stock list to another customer."),
            ["mail", "customers"],
            "c",
            "mr",
            3,
            3,
            M,
            (2, 2),
            ["A.5.14", "A.8.12"],
            False,
        ),
    ]


# The treatment plan's actions: (risk position in the list above, title, owner, due in days).
NORTHWIND_PLAN = [
    (0, gettext_noop("Test a restore of the WMS from the offline backup"), "mr", 30),
    (
        1,
        gettext_noop("Agree security tests of every customization in the vendor contract"),
        "mr",
        45,
    ),
    (2, gettext_noop("Require masked test data from the WMS vendor"), "mr", 45),
    (5, gettext_noop("Fit a badge reader on the hub's side door"), "staff", 60),
    (11, gettext_noop("Raise the data room's equipment off the floor"), "staff", 40),
    (23, gettext_noop("Give every scanner user a personal login"), "staff", 35),
    (6, gettext_noop("Remove leavers' accounts on their last day (HR checklist)"), "mr", 20),
    (31, gettext_noop("Second factor for the vendor's remote access"), "mr", 25),
]


def _northwind(ctx: DemoContext) -> None:
    org = ctx.orgs["northwind"]
    if RiskMethod.objects.filter(organization=org).exists():
        return
    mr, staff = ctx.users["mr@northwind.example"], ctx.users["staff@northwind.example"]
    people = {"mr": mr, "staff": staff}
    _method(
        org,
        mr,
        mr,
        _(
            "A score of 6 or less is accepted by the risk's owner; above 6 the risk is "
            "treated, or kept only with the owner's signed acceptance. The assessment is run "
            "every six months and on a significant change (a new system, site or supplier)."
        ),
    )
    context.profile_save(
        actor=mr,
        organization=org,
        expected_version=None,
        framework="swot",
        climate_relevant=True,
        climate_reasoning=_(
            "The Rotterdam hub lies below sea level: storm surges and heavy rain threaten the "
            "availability of its data room and network."
        ),
        reviewed_on=ctx.today - datetime.timedelta(days=30),
    )
    for title, heading, origin, effect in (
        (
            _("Customization of the vendor's WMS"),
            Heading.WEAKNESS,
            Origin.INTERNAL,
            _("Changes are written by the vendor, outside Northwind's own testing."),
        ),
        (
            _("Customers ask for ISO/IEC 27001 certification"),
            Heading.OPPORTUNITY,
            Origin.EXTERNAL,
            _("Two tenders this year scored certified bidders higher."),
        ),
        (
            _("Ransomware against logistics firms"),
            Heading.THREAT,
            Origin.EXTERNAL,
            _("Three Dutch logistics firms were stopped by ransomware in the last year."),
        ),
    ):
        context.issue_save(
            actor=mr,
            organization=org,
            issue=None,
            expected_version=None,
            fields={
                "title": title,
                "heading": heading,
                "origin": origin,
                "effect": effect,
                "review_on": ctx.today + datetime.timedelta(days=150),
            },
        )
    assets = {
        key: isms.asset_save(
            actor=mr,
            organization=org,
            asset=None,
            expected_version=None,
            fields={"name": _(name), "kind": kind, "owner": people[owner]},
        )
        for key, name, kind, owner in NORTHWIND_ASSETS
    }
    org_standard = OrgStandard.objects.filter(
        organization=org, edition__standard__code="iso27001"
    ).first()
    controls = {c.number: c for c in isms.annex_controls(org)}
    risks = []
    for row in _northwind_risks():
        title, threat, on, lost, who, lk, c, treatment, residual, needed, sign = row
        risk = services.risk_create(
            actor=mr,
            organization=org,
            title=title,
            owner=people[who],
            likelihood=lk,
            consequence=c,
            review_on=ctx.today + datetime.timedelta(days=180),
        )
        risk = isms.scenario_set(
            actor=mr,
            risk=risk,
            expected_version=risk.version,
            threat=threat,
            confidentiality="c" in lost,
            integrity="i" in lost,
            availability="a" in lost,
            assets=[assets[key] for key in on],
        )
        if needed and controls:
            risk = isms.controls_set(
                actor=mr,
                risk=risk,
                expected_version=risk.version,
                controls=[controls[n] for n in needed if n in controls],
            )
        risk = services.risk_treat(
            actor=mr,
            risk=risk,
            expected_version=risk.version,
            treatment=treatment,
            residual_likelihood=residual[0] if residual else None,
            residual_consequence=residual[1] if residual else None,
        )
        if sign:
            risk = _accept(risk)
        risks.append(risk)
    for position, title, who, days in NORTHWIND_PLAN:
        services.action_add(
            actor=mr,
            risk=risks[position],
            title=_(title),
            owner=people[who],
            due_on=ctx.today + datetime.timedelta(days=days),
        )
    isms.assessment_run(
        actor=mr,
        organization=org,
        reason="planned",
        notes=_("First full assessment of the scope, before the stage 1 audit."),
    )
    if org_standard is not None and controls:
        _reconsider_development(mr, org_standard, controls, risks)
    # Reasons for inclusion other than risks: the law and the customers' contracts.
    for number, kind, reference in (
        ("A.5.34", "law", _("GDPR Art. 32 and the Dutch GDPR Implementation Act")),
        ("A.5.31", "law", _("GDPR Art. 33: breaches reported within 72 hours")),
        ("A.5.20", "contract", _("Customers' logistics contracts, security annex")),
    ):
        if number in controls:
            soa.reason_save(
                actor=mr,
                organization=org,
                reason=None,
                expected_version=None,
                fields={"clause": controls[number], "kind": kind, "reference": reference},
            )


def _reconsider_development(
    mr: User, org_standard: OrgStandard, controls: dict[str, Clause], risks: list[Risk]
) -> None:
    """Northwind develops no software itself, but its vendor customizes the WMS for it: the
    controls for outsourced development and test data apply, for the risks that need them."""
    for number, risk in (("A.8.30", risks[1]), ("A.8.33", risks[2])):
        standards.soa_set(
            actor=mr,
            org_standard=org_standard,
            clause=controls[number],
            applicable=True,
            justification=_(
                "Northwind writes no software itself, but its vendor customizes the WMS for "
                "it: the control treats %(risk)s."
            )
            % {"risk": risk.reference},
        )

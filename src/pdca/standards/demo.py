"""Demo data: Acme is certified to ISO 9001 and 14001 with a nearly complete assessment and a
process map; Northwind is half-way through its first ISO/IEC 27001 gap analysis."""

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pdca.core.demo import DemoContext
from pdca.core.models import Department
from pdca.standards import services
from pdca.standards.catalogue import load_catalogues
from pdca.standards.models import Assessment, Clause, Edition, OrgStandard, Process
from pdca.standards.selectors.readiness import verified_basis_for

S = Assessment.Status

ACME_PROCESSES = [
    # code, name, category, owner e-mail, purpose, inputs, outputs, departments, hands over to
    # (the texts are written in the demo's language)
    (
        "M1",
        gettext_noop("Management review"),
        "management",
        "top@acme.example",
        gettext_noop("Decide on the system's direction and resources"),
        gettext_noop("KPIs, audit results, risks"),
        gettext_noop("Decisions, objectives, resources"),
        ["Management"],
        ["M2"],
    ),
    (
        "M2",
        gettext_noop("Internal audit"),
        "management",
        "mr@acme.example",
        gettext_noop("Check that the system works as planned"),
        gettext_noop("Audit programme, procedures"),
        gettext_noop("Audit reports, findings"),
        ["Quality"],
        ["M3", "M1"],
    ),
    (
        "M3",
        gettext_noop("Improvement and corrective action"),
        "management",
        "mr@acme.example",
        gettext_noop("Remove the causes of problems"),
        gettext_noop("Nonconformities, complaints, suggestions"),
        gettext_noop("Corrective actions, lessons learned"),
        ["Quality"],
        ["M1"],
    ),
    (
        "C1",
        gettext_noop("Sales and contract review"),
        "core",
        "mr@acme.example",
        gettext_noop("Agree what the customer gets"),
        gettext_noop("Enquiries, drawings"),
        gettext_noop("Confirmed orders"),
        ["Sales"],
        ["C2", "C3"],
    ),
    (
        "C2",
        gettext_noop("Purchasing"),
        "core",
        "auditor@acme.example",
        gettext_noop("Buy material and services that conform"),
        gettext_noop("Orders, approved suppliers"),
        gettext_noop("Material, supplier ratings"),
        ["Purchasing"],
        ["C3"],
    ),
    (
        "C3",
        gettext_noop("Production planning and machining"),
        "core",
        "owner@acme.example",
        gettext_noop("Make conforming parts on time"),
        gettext_noop("Orders, material, drawings"),
        gettext_noop("Machined parts"),
        ["Production"],
        ["C4"],
    ),
    (
        "C4",
        gettext_noop("Inspection and release"),
        "core",
        "owner@acme.example",
        gettext_noop("Release only conforming parts"),
        gettext_noop("Parts, drawings, gauges"),
        gettext_noop("Released parts, records"),
        ["Quality"],
        ["C5", "M3"],
    ),
    (
        "C5",
        gettext_noop("Delivery and customer feedback"),
        "core",
        "mr@acme.example",
        gettext_noop("Deliver and learn what customers think"),
        gettext_noop("Released parts"),
        gettext_noop("Deliveries, feedback"),
        ["Sales"],
        ["M3"],
    ),
    (
        "S1",
        gettext_noop("Maintenance and calibration"),
        "support",
        "owner@acme.example",
        gettext_noop("Keep machines and gauges fit for use"),
        gettext_noop("Maintenance plan"),
        gettext_noop("Maintained equipment"),
        ["Maintenance"],
        ["C3", "C4"],
    ),
    (
        "S2",
        gettext_noop("Competence and training"),
        "support",
        "top@acme.example",
        gettext_noop("Make sure people can do their jobs"),
        gettext_noop("Competence needs"),
        gettext_noop("Trained people, records"),
        ["HR"],
        ["C3"],
    ),
    (
        "S3",
        gettext_noop("Waste and environmental controls"),
        "support",
        "mr@acme.example",
        gettext_noop("Control the plant's environmental aspects"),
        gettext_noop("Aspects register, legal register"),
        gettext_noop("Waste records, monitoring"),
        ["Production"],
        ["M1"],
    ),
]


def build(ctx: DemoContext) -> None:
    load_catalogues()
    acme, northwind = ctx.orgs["acme"], ctx.orgs["northwind"]
    if not OrgStandard.objects.filter(organization=acme).exists():
        _acme(ctx)
    if not OrgStandard.objects.filter(organization=northwind).exists():
        _northwind(ctx)
    for org in (acme, northwind):
        _readiness_history(org)


def _readiness_history(org: Any) -> None:
    """A quarter of weekly snapshots climbing to today's figure, as the daily task would have
    kept them: the dashboard's readiness chart has a history to show."""
    from django.utils import timezone

    from pdca.standards.models import ReadinessSnapshot
    from pdca.standards.selectors.readiness import readiness

    today = timezone.localdate()
    for result in readiness(org):
        for weeks in range(1, 12):
            share = 0.3 + 0.7 * (11 - weeks) / 11
            ReadinessSnapshot.objects.update_or_create(
                organization=org,
                org_standard=result.org_standard,
                day=today - datetime.timedelta(weeks=weeks),
                defaults={"percent": round(result.percent * share)},
            )


def _edition(code: str) -> Edition:
    return Edition.objects.get(standard__code=code, is_current=True)


def _acme(ctx: DemoContext) -> None:
    org, mr = ctx.orgs["acme"], ctx.users["mr@acme.example"]
    site = org.sites.first()
    chosen = []
    for code, scope in (
        (
            "iso9001",
            gettext_noop(
                "Design-free contract machining of precision metal parts for the "
                "automotive and medical sectors at the Sheffield plant."
            ),
        ),
        (
            "iso14001",
            gettext_noop("Environmental management of contract machining at the Sheffield plant."),
        ),
    ):
        os = services.org_standard_choose(
            actor=mr,
            organization=org,
            edition=_edition(code),
            scope=_(scope),
            sites=[site] if site else [],
        )
        services.org_standard_update(
            actor=mr,
            org_standard=os,
            expected_version=os.version,
            status=OrgStandard.Status.CERTIFIED,
            certified_until=ctx.today + datetime.timedelta(days=540),
        )
        chosen.append(os)
    iso9001 = chosen[0]
    # One exclusion of 8.3 covers its sub-clauses.
    services.exclusion_declare(
        actor=mr,
        org_standard=iso9001,
        clause=Clause.objects.get(edition=iso9001.edition, number="8.3"),
        justification=_("Acme machines parts to customers' drawings; it designs no products."),
    )
    # Processes with owners and hand-overs.
    by_code: dict[str, Process] = {}
    for code, name, category, owner, purpose, inputs, outputs, depts, _to in ACME_PROCESSES:
        by_code[code] = services.process_save(
            actor=mr,
            organization=org,
            code=code,
            name=_(name),
            category=category,
            owner=ctx.users[owner],
            purpose=_(purpose),
            inputs=_(inputs),
            outputs=_(outputs),
            sites=[site],
            departments=list(Department.objects.filter(organization=org, name__in=depts)),
        )
    for code, *_rest, to in ACME_PROCESSES:
        services.process_save(
            actor=mr,
            organization=org,
            process=by_code[code],
            expected_version=by_code[code].version,
            interacts_with=[by_code[t] for t in to],
        )
    c = {
        n: Clause.objects.get(edition=iso9001.edition, number=n)
        for n in ("4.4", "8.2.3", "8.4.1", "8.6", "9.2", "10.2")
    }
    for number, code in (
        ("4.4", "M1"),
        ("8.2.3", "C1"),
        ("8.4.1", "C2"),
        ("8.6", "C4"),
        ("9.2", "M2"),
        ("10.2", "M3"),
    ):
        services.evidence_link(actor=mr, organization=org, clause=c[number], obj=by_code[code])
    # A nearly complete assessment: most verified, a few still open.
    owners = [ctx.users[e] for e in ("mr@acme.example", "owner@acme.example", "top@acme.example")]
    open_ones = {"7.1.6": S.PARTLY, "9.1.2": S.PLANNED, "6.1.4": S.PARTLY, "10.3": S.IMPLEMENTED}
    seen: set[tuple[str, int]] = set()
    seen_here: set[tuple[int, tuple[str, int]]] = set()
    for os in chosen:
        for i, clause in enumerate(
            Clause.objects.filter(edition=os.edition, children__isnull=True).order_by("sort_key")
        ):
            key = ("hs", clause.hs_id) if clause.hs_id else ("clause", clause.pk)
            if clause.number.startswith("8.3.") and os == iso9001:
                continue
            if key in seen:
                if (os.pk, key) in seen_here:
                    continue
                seen_here.add((os.pk, key))
                # Acme's integrated system: the shared answer was checked for 14001 as well.
                services.assessment_confirm(
                    actor=mr, org_standard=os, clause=clause, expected_version=None
                )
                continue
            seen.add(key)
            seen_here.add((os.pk, key))
            status = open_ones.get(clause.number, S.VERIFIED if i % 5 else S.IMPLEMENTED)
            if status == S.VERIFIED and not verified_basis_for(org, clause):
                status = S.IMPLEMENTED  # verified needs an audit or evidence behind it
            services.assessment_update(
                actor=mr,
                organization=org,
                clause=clause,
                status=status,
                owner=owners[i % 3],
                target_date=ctx.today + datetime.timedelta(days=20 + i)
                if status in (S.PARTLY, S.PLANNED)
                else None,
                notes=""
                if status == S.VERIFIED
                else _("Evidence being completed before the next surveillance audit."),
            )
    for title, number, owner, days in (
        (_("Map organizational knowledge per process"), "7.1.6", "owner@acme.example", 25),
        (_("Run the customer satisfaction survey"), "9.1.2", "mr@acme.example", -5),
    ):
        services.roadmap_action_create(
            actor=mr,
            organization=org,
            title=title,
            owner=ctx.users[owner],
            due_on=ctx.today + datetime.timedelta(days=days),
            clause=Clause.objects.get(edition=iso9001.edition, number=number),
        )


# Northwind's Statement of Applicability cites what exists: the documents and records of the
# demo that implement a control, or else the scope statement; pdca holds no risk register yet,
# so no justification pretends to cite one.
NORTHWIND_SOA = {
    "A.5.1": gettext_noop(
        "The information security policy, approved by management, sets the direction; the "
        "access control and incident management procedures follow it."
    ),
    "A.5.15": gettext_noop(
        "The access control procedure: least privilege, reviewed quarterly, removed on leaving."
    ),
    "A.5.18": gettext_noop(
        "Access rights are reviewed quarterly (access control procedure); the access reviews "
        "are kept as records."
    ),
    "A.5.24": gettext_noop(
        "The incident management procedure: report at once, classify, contain and record."
    ),
    "A.5.25": gettext_noop(
        "The incident management procedure: the security manager classifies each reported event."
    ),
    "A.5.26": gettext_noop(
        "The incident management procedure: the security manager contains each incident."
    ),
    "A.5.28": gettext_noop(
        "The security incident reports are kept as records, the evidence of each incident."
    ),
}
NORTHWIND_SOA_IN_SCOPE = gettext_noop(
    "Applies to the warehouse management and transport planning systems of the scope "
    "statement; the risks it treats are named by the risk assessment (6.1.2), under way."
)


def _northwind(ctx: DemoContext) -> None:
    org, mr = ctx.orgs["northwind"], ctx.users["mr@northwind.example"]
    os = services.org_standard_choose(
        actor=mr,
        organization=org,
        edition=_edition("iso27001"),
        scope=_(
            "Information security of the warehouse management and transport planning "
            "systems supporting the Rotterdam hub, operated from the Utrecht head office."
        ),
        sites=list(org.sites.all()),
    )
    cycle = [S.VERIFIED, S.IMPLEMENTED, S.PARTLY, S.PLANNED, S.NOT_STARTED]
    clauses = list(Clause.objects.filter(edition=os.edition, children__isnull=True, kind="clause"))
    for i, clause in enumerate(clauses[: len(clauses) * 2 // 3]):
        status = cycle[i % len(cycle)]
        if status == S.VERIFIED and not verified_basis_for(org, clause):
            status = S.IMPLEMENTED
        services.assessment_update(
            actor=mr,
            organization=org,
            clause=clause,
            status=status,
            owner=mr,
            target_date=ctx.today + datetime.timedelta(days=30 + 7 * (i % 8)),
        )
    controls = list(Clause.objects.filter(edition=os.edition, kind="control").order_by("sort_key"))
    left_out = {"A.8.25", "A.8.28", "A.8.29", "A.8.30", "A.8.31", "A.8.33"}
    for i, control in enumerate(controls[: len(controls) // 2]):
        applicable = control.number not in left_out
        services.soa_set(
            actor=mr,
            org_standard=os,
            clause=control,
            applicable=applicable,
            justification=_(NORTHWIND_SOA.get(control.number, NORTHWIND_SOA_IN_SCOPE))
            if applicable
            else _("No in-house software development."),
        )
        status = cycle[(i + 1) % len(cycle)]
        if status == S.VERIFIED and not verified_basis_for(org, control):
            status = S.IMPLEMENTED
        services.assessment_update(
            actor=mr, organization=org, clause=control, status=status, owner=mr
        )
    # The warehouse coordinator is to prepare physical controls still undecided (entry,
    # offices, monitoring), not yet begun: their dashboard tells them which are theirs.
    staff = ctx.users["staff@northwind.example"]
    undecided = [c for c in controls[len(controls) // 2 :] if c.number.startswith("A.7.")]
    for control in undecided[:4]:
        services.assessment_update(
            actor=mr, organization=org, clause=control, status=S.NOT_STARTED, owner=staff
        )
    services.roadmap_action_create(
        actor=mr,
        organization=org,
        title=_("Finish the Statement of Applicability"),
        owner=mr,
        due_on=ctx.today + datetime.timedelta(days=21),
        clause=Clause.objects.get(edition=os.edition, number="6.1.3"),
    )

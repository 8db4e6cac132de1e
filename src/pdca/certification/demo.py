"""Demo certification: Acme's ISO 9001 certificate in its second year (surveillance 1 held with
two minor nonconformities, one verified, one answered and awaiting verification at surveillance
2, which falls due in two months) and its ISO 14001 certificate in its first cycle (stage 1 and
stage 2 held, decided four months ago), with the 2024 comparison of three offers that chose
its body; Northwind comparing two bodies for its first ISO/IEC
27001 certification, with stage 1 planned in three months and its checklist showing what is
still missing. Dates are relative to the day the demo is built; the bodies are fictitious."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pdca.certification import selection, services
from pdca.certification.models import CertificationBody, ExternalAudit
from pdca.core.dates import add_months
from pdca.core.demo import DemoContext
from pdca.core.models import Organization, Site
from pdca.standards.models import Clause, OrgStandard, Standard
from pdca.standards.selectors import clauses_by_reference


def _standard(org: Organization, code: str) -> OrgStandard | None:
    return (
        OrgStandard.objects.filter(organization=org, edition__standard__code=code)
        .select_related("edition")
        .first()
    )


def _clause(org: Organization, ref: str) -> Clause | None:
    found = clauses_by_reference(org, [ref])
    return found[0] if found else None


def build(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    if CertificationBody.objects.filter(organization=acme).exists():
        return
    _acme(ctx)
    _northwind(ctx)


def _acme(ctx: DemoContext) -> None:
    acme, today = ctx.orgs["acme"], ctx.today
    mr = ctx.users["mr@acme.example"]
    iso9001, iso14001 = _standard(acme, "iso9001"), _standard(acme, "iso14001")
    if iso9001 is None or iso14001 is None:
        return
    body = services.body_create(
        actor=mr,
        organization=acme,
        name="Nordzert Certification GmbH",
        accreditation_body="DAkkS",
        accreditation_number="D-ZM-16040-01-00",
        accredited_standards=list(
            Standard.objects.filter(code__in=["iso9001", "iso14001", "iso45001"])
        ),
        sector_codes="IAF 17, IAF 18",
        contact_name="Dr. Katrin Albers",
        contact_email="k.albers@nordzert.example",
        contact_phone="+49 40 555 0190",
        contract_start=add_months(today, -26),
        contract_end=add_months(today, 22),
        major_response_days=30,
        minor_response_days=90,
        notes=_(
            "Chosen in a comparison of three offers: sector experience and auditor "
            "availability in our region decided."
        ),
    )
    _acme_selection(ctx, body, [iso9001, iso14001])
    site = list(Site.objects.filter(organization=acme).order_by("pk")[:1])

    # ISO 9001: decided 21 months ago; surveillance 1 held at month 11, surveillance 2 planned
    # by the rules at month 23, so it falls due in two months.
    decided = add_months(today, -21)
    qm = services.certificate_create(
        actor=mr,
        organization=acme,
        body=body,
        number="NZ-QM-24-0712",
        standards=[iso9001],
        scope=_(
            "Design-to-print machining of precision parts for the automotive and medical industries"
        ),
        sites=site,
        initial_certified_on=decided,
        decided_on=decided,
        issued_on=decided + datetime.timedelta(days=9),
        expires_on=add_months(decided, 36),
        transition_deadline=datetime.date(2029, 9, 30),
    )
    surveillance = qm.audits.get(kind=ExternalAudit.Kind.SURVEILLANCE1)
    surveillance = services.audit_update(
        actor=mr,
        audit=surveillance,
        expected_version=surveillance.version,
        ends_on=surveillance.starts_on + datetime.timedelta(days=1),
        lead_auditor="Jens Hartmann",
        team="Aylin Demir",
        audit_days=Decimal("2.0"),
        plan_received_on=surveillance.starts_on - datetime.timedelta(days=21),
    )
    surveillance = services.audit_record_held(
        actor=mr,
        audit=surveillance,
        outcome=ExternalAudit.Outcome.PASSED,
        recommendation=ExternalAudit.Recommendation.RECOMMENDED,
        report_received_on=surveillance.ends_on + datetime.timedelta(days=12),
    )
    closed = services.finding_create(
        actor=mr,
        audit=surveillance,
        grade="minor",
        clause=_clause(acme, "9001:7.1.5.2"),
        statement=_("Two torque wrenches in assembly were used past their calibration date."),
        evidence=_("Wrenches TW-07 and TW-11, calibration due three weeks before the audit."),
        response_due_on=surveillance.ends_on + datetime.timedelta(days=90),
    )
    steps: tuple[tuple[str, int, dict[str, Any]], ...] = (
        (
            "submit",
            30,
            {
                "response": _(
                    "Wrenches recalibrated; calibration dates added to the "
                    "shift checklist; all tools checked."
                )
            },
        ),
        ("verify", 45, {"verification": "document_review"}),
    )
    for step, days, extra in steps:
        closed = services.finding_answer(
            actor=mr,
            finding=closed,
            step=step,
            on=surveillance.ends_on + datetime.timedelta(days=days),
            **extra,
        )
    answered = services.finding_create(
        actor=mr,
        audit=surveillance,
        grade="minor",
        clause=_clause(acme, "9001:9.1.2"),
        statement=_("Customer satisfaction is surveyed, but the results are not evaluated."),
        evidence=_("Survey returns of the last year filed without an evaluation."),
        response_due_on=surveillance.ends_on + datetime.timedelta(days=90),
    )
    answered = services.finding_answer(
        actor=mr,
        finding=answered,
        step="submit",
        on=surveillance.ends_on + datetime.timedelta(days=60),
        response=_("Plan: quarterly evaluation by sales, reported in the management review."),
    )
    services.finding_answer(
        actor=mr,
        finding=answered,
        step="accept",
        on=surveillance.ends_on + datetime.timedelta(days=70),
    )
    services.event_record(
        actor=mr,
        certificate=qm,
        kind="contract",
        occurred_on=add_months(today, -26),
        note=_("Three-year certification contract"),
    )

    # ISO 14001: the first cycle, decided four months ago after stage 1 and stage 2.
    s1_start = add_months(today, -8)
    stage1 = services.audit_plan(
        actor=mr,
        organization=acme,
        body=body,
        kind=ExternalAudit.Kind.STAGE1,
        standards=[iso14001],
        starts_on=s1_start,
        ends_on=s1_start,
        lead_auditor="Jens Hartmann",
        audit_days=Decimal("1.0"),
    )
    services.audit_record_held(
        actor=mr,
        audit=stage1,
        outcome=ExternalAudit.Outcome.PASSED,
        report_received_on=s1_start + datetime.timedelta(days=7),
    )
    s2_start = add_months(today, -6)
    stage2 = services.audit_plan(
        actor=mr,
        organization=acme,
        body=body,
        kind=ExternalAudit.Kind.STAGE2,
        standards=[iso14001],
        starts_on=s2_start,
        ends_on=s2_start + datetime.timedelta(days=1),
        lead_auditor="Jens Hartmann",
        team="Dr. Lena Voss",
        audit_days=Decimal("2.5"),
    )
    minor = services.finding_create(
        actor=mr,
        audit=stage2,
        grade="minor",
        clause=_clause(acme, "14001:9.1.2"),
        statement=_("The evaluation of compliance skipped the waste water permit."),
        response_due_on=stage2.ends_on + datetime.timedelta(days=90),
    )
    minor = services.finding_answer(
        actor=mr,
        finding=minor,
        step="submit",
        on=stage2.ends_on + datetime.timedelta(days=20),
        response=_("Permit added to the compliance evaluation; evaluation repeated."),
    )
    services.finding_answer(
        actor=mr,
        finding=minor,
        step="verify",
        on=stage2.ends_on + datetime.timedelta(days=30),
        verification="document_review",
    )
    decided14 = add_months(today, -4)
    stage2 = ExternalAudit.objects.get(pk=stage2.pk)
    services.audit_record_held(
        actor=mr,
        audit=stage2,
        outcome=ExternalAudit.Outcome.PASSED,
        recommendation=ExternalAudit.Recommendation.RECOMMENDED,
        report_received_on=stage2.ends_on + datetime.timedelta(days=10),
        decided_on=decided14,
    )
    em = services.certificate_create(
        actor=mr,
        organization=acme,
        body=body,
        number="NZ-UM-26-0388",
        standards=[iso14001],
        scope=_("Design-to-print machining of precision parts at the Sheffield plant"),
        sites=site,
        initial_certified_on=decided14,
        decided_on=decided14,
        issued_on=decided14 + datetime.timedelta(days=6),
        expires_on=add_months(decided14, 36),
    )
    # The initial audits belong to the certificate's first cycle from now on.
    for audit in ExternalAudit.objects.filter(pk__in=[stage1.pk, stage2.pk]):
        services.audit_update(actor=mr, audit=audit, expected_version=audit.version, certificate=em)


def _acme_selection(ctx: DemoContext, chosen: CertificationBody, standards: list[Any]) -> None:
    """The 2024 comparison of three offers that chose the body (approved by top management)."""
    acme = ctx.orgs["acme"]
    mr, top = ctx.users["mr@acme.example"], ctx.users["top@acme.example"]
    choice = selection.selection_create(
        actor=mr,
        organization=acme,
        title=_("Certification body for ISO 9001 and ISO 14001 (2024)"),
        standards=standards,
    )
    others = [
        services.body_create(
            actor=mr,
            organization=acme,
            name=name,
            accreditation_body=accreditation,
            accreditation_number=number,
            accredited_standards=list(Standard.objects.filter(code__in=["iso9001", "iso14001"])),
            is_active=False,
            notes=_("Compared in 2024, not chosen."),
        )
        for name, accreditation, number in [
            ("Süddeutsche Zertifizierung AG", "DAkkS", "D-ZM-17011-01-00"),
            ("Qualicert Europe S.A.", "COFRAC", "4-0512"),
        ]
    ]
    offers = [
        (
            chosen,
            {
                "accreditation": 5,
                "sector": 5,
                "reputation": 4,
                "support": 3,
                "offer": 3,
                "availability": 5,
                "languages": 5,
            },
            "11.0",
            "16800.00",
        ),
        (
            others[0],
            {
                "accreditation": 5,
                "sector": 3,
                "reputation": 4,
                "support": 4,
                "offer": 4,
                "availability": 2,
                "languages": 5,
            },
            "10.0",
            "15200.00",
        ),
        (
            others[1],
            {
                "accreditation": 4,
                "sector": 2,
                "reputation": 3,
                "support": 2,
                "offer": 5,
                "availability": 3,
                "languages": 3,
            },
            "9.0",
            "13900.00",
        ),
    ]
    for body, scores, days, price in offers:
        selection.candidate_add(
            actor=mr,
            selection=choice,
            body=body,
            scores=scores,
            audit_days=Decimal(days),
            price=Decimal(price),
        )
    selection.selection_decide(
        actor=top,
        selection=choice,
        chosen=chosen,
        reason=_(
            "Machining experience (IAF 17) and auditors available in our region; the higher "
            "price is outweighed by one integrated audit of both standards."
        ),
    )


def _northwind(ctx: DemoContext) -> None:
    northwind, today = ctx.orgs["northwind"], ctx.today
    mr = ctx.users["mr@northwind.example"]
    iso27001 = _standard(northwind, "iso27001")
    if iso27001 is None:
        return
    isms = list(Standard.objects.filter(code="iso27001"))
    chosen = services.body_create(
        actor=mr,
        organization=northwind,
        name="Veritaal ISMS Certificatie B.V.",
        accreditation_body="RvA",
        accreditation_number="C 512",
        accredited_standards=isms,
        sector_codes="NACE H52",
        contact_name="Sanne de Wit",
        contact_email="s.dewit@veritaal.example",
        major_response_days=30,
        minor_response_days=60,
        notes=_(
            "Offer: 6.5 audit days for stage 1 and stage 2; logistics experience; "
            "auditors available in the spring."
        ),
    )
    rival = services.body_create(
        actor=mr,
        organization=northwind,
        name="Eurocert Audit Services Ltd",
        accreditation_body="UKAS",
        accreditation_number="",
        accredited_standards=[],
        contact_name="Mark Ellis",
        contact_email="m.ellis@eurocert.example",
        notes=_(
            "Offer: 5 audit days, lower price; accreditation for ISO/IEC 27001 not yet confirmed."
        ),
        is_active=True,
    )
    choice = selection.selection_create(
        actor=mr,
        organization=northwind,
        title=_("Certification body for our first ISO/IEC 27001 certificate"),
        standards=[iso27001],
    )
    for body, scores, days in [
        (chosen, {"accreditation": 5, "sector": 4, "offer": 3, "availability": 4}, "6.5"),
        (rival, {"accreditation": 1, "sector": 2, "offer": 5, "availability": 3}, "5.0"),
    ]:
        selection.candidate_add(
            actor=mr, selection=choice, body=body, scores=scores, audit_days=Decimal(days)
        )
    start = add_months(today, 3)
    services.audit_plan(
        actor=mr,
        organization=northwind,
        body=chosen,
        kind=ExternalAudit.Kind.STAGE1,
        standards=[iso27001],
        starts_on=start,
        ends_on=start + datetime.timedelta(days=1),
        lead_auditor="Pieter Bakker",
        audit_days=Decimal("2.0"),
        notes=_("Documentation review at the head office, then a visit of the Rotterdam hub."),
    )

"""Demo audits: Acme's programme for its certification cycle with past, current, overdue and
planned audits, a closed audit with its answered checklist and signed report; Northwind's first
internal audits, planned (one led by the information security manager on a recorded
justification, as a small organization may)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits import services
from pdca.audits.models import Audit, AuditProgramme, Finding
from pdca.audits.selectors import CYCLE_YEARS, add_years
from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.core.models import Department, Organization, User
from pdca.improvement import services as improvement
from pdca.improvement.demo import calibration_closure_steps, calibration_similar
from pdca.improvement.selectors import raised_from_any
from pdca.standards.models import Clause, Edition, OrgStandard, Process


def _clauses(numbers: list[str], codes: tuple[str, ...] = ("iso9001", "iso14001")) -> list[Clause]:
    return list(
        Clause.objects.filter(
            edition__standard__code__in=codes, edition__is_current=True, number__in=numbers
        )
    )


def _editions(*codes: str) -> list[Edition]:
    return list(Edition.objects.filter(standard__code__in=codes, is_current=True))


def build(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    if AuditProgramme.objects.filter(organization=acme).exists():
        return
    _acme(ctx, acme)
    _northwind(ctx, ctx.orgs["northwind"])


def _acme(ctx: DemoContext, org: Organization) -> None:
    today = ctx.today
    u = ctx.users
    mr, auditor, owner, top = (
        u["mr@acme.example"],
        u["auditor@acme.example"],
        u["owner@acme.example"],
        u["top@acme.example"],
    )
    processes = {p.code: p for p in Process.objects.filter(organization=org)}
    depts = {d.name: d for d in Department.objects.filter(organization=org)}
    # The programme follows the certification cycle: the three years up to the certificates'
    # expiry.
    expiry = (
        OrgStandard.objects.filter(organization=org, certified_until__isnull=False)
        .order_by("-certified_until")
        .values_list("certified_until", flat=True)
        .first()
    ) or datetime.date(today.year + 1, 12, 31)
    cycle_start = add_years(expiry, -CYCLE_YEARS) + datetime.timedelta(days=1)
    programme = services.programme_save(
        actor=mr,
        organization=org,
        title=_("Internal audit programme %(first)s–%(last)s")
        % {"first": cycle_start.year, "last": expiry.year},
        cycle_start=cycle_start,
        cycle_end=expiry,
        objectives=_(
            "Cover every clause of ISO 9001 and ISO 14001 and every process in the "
            "certification cycle; audit production twice a year."
        ),
    )

    def plan(
        title: str,
        start_days: int,
        numbers: list[str],
        codes: list[str],
        dept: str,
        lead: User,
        team: list[User],
        auditees: list[User],
    ) -> Audit:
        start = today + datetime.timedelta(days=start_days)
        return services.audit_save(
            actor=mr,
            organization=org,
            programme=programme,
            title=title,
            planned_start=start,
            planned_end=start + datetime.timedelta(days=1),
            clauses=_clauses(numbers),
            editions=_editions("iso9001", "iso14001"),
            processes=[processes[c] for c in codes if c in processes],
            departments=[depts[dept]] if dept in depts else [],
            lead_auditor=lead,
            team=team,
            auditees=auditees,
            criteria_documents=_("Production procedure P-05\nCustomer drawing requirements"),
        )

    # A closed audit with its signed report and a minor nonconformity, closed since.
    closed = plan(
        _("Production, inspection and release"),
        -120,
        ["7.1.5", "8.5", "8.6", "8.7"],
        ["C3", "C4"],
        "Production",
        auditor,
        [top],
        [owner],
    )
    services.checklist_generate(actor=auditor, audit=closed)
    # Every question answered: the report is signed only then.
    answers = ["conform", "conform", "nonconform", "observation", "conform", "not_checked"]
    for i, question in enumerate(closed.questions.all()):
        answer = answers[i] if i < len(answers) else "conform"
        services.answer_submit(
            actor=auditor,
            question=question,
            client_id=f"demo-{closed.pk}-{i}",
            base_version=0,
            answer=answer,
            notes=_("Not sampled: the only batch of the period was shipped before the audit.")
            if answer == "not_checked"
            else _("Checked on the shop floor with the cell leader."),
        )
    gauge = _clauses(["7.1.5"], ("iso9001",))[0]
    services.finding_record(
        actor=auditor,
        audit=closed,
        grade=Finding.Grade.MINOR,
        clause=gauge,
        process=processes.get("C4"),
        statement=_("Height gauge HG-04 in use with its calibration overdue by five weeks."),
        evidence=_("Gauge HG-04 label: due 3 months ago; inspection records of batch 24-118."),
        requirement=_("Measuring equipment calibrated at planned intervals before use."),
    )
    services.finding_record(
        actor=auditor,
        audit=closed,
        grade=Finding.Grade.OBSERVATION,
        clause=_clauses(["8.5"], ("iso9001",))[0],
        process=processes.get("C3"),
        statement=_("Set-up sheets are handwritten on two of six machines."),
    )
    services.finding_record(
        actor=auditor,
        audit=closed,
        grade=Finding.Grade.OFI,
        clause=_clauses(["8.7"], ("iso9001",))[0],
        statement=_("The quarantine cage could carry a visible log of what is inside and why."),
    )
    services.finding_record(
        actor=auditor,
        audit=closed,
        grade=Finding.Grade.CONFORMITY,
        clause=_clauses(["8.6"], ("iso9001",))[0],
        statement=_("Release records complete."),
    )
    for finding in closed.findings.all()[:2]:
        services.finding_acknowledge(actor=owner, finding=finding, note=_("Agreed."))
    services.audit_set_status(actor=auditor, audit=closed, status=Audit.Status.REPORTING)
    services.report_sign(
        actor=auditor,
        audit=closed,
        password=DEMO_PASSWORD,
        summary=_("Production and inspection run as planned; people know the procedures."),
        conclusion=_("The system is effective for the audited scope; one minor nonconformity."),
    )
    nc = raised_from_any(Finding.objects.filter(audit=closed)).get()
    improvement.nonconformity_update(
        actor=mr,
        nonconformity=nc,
        expected_version=nc.version,
        owner=owner,
        containment=_("HG-04 quarantined; batch 24-118 re-measured."),
    )
    improvement.analysis_save(
        actor=owner,
        nonconformity=nc,
        whys=[
            _("The gauge was not sent for calibration"),
            _("Nobody saw the due date"),
            _("The calibration list is a spreadsheet nobody is reminded of"),
        ],
        causes=[
            ("method", _("No reminder for calibration due dates")),
            ("measurement", _("Due date label small and faded")),
        ],
        root_cause=_("Calibration due dates are not monitored by anyone."),
        root_cause_category="method",
        **calibration_similar(),
    )
    action = improvement.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Monthly calibration due-list review by the inspector"),
        owner=owner,
        due_on=today - datetime.timedelta(days=60),
    )
    improvement.action_update(
        actor=owner,
        action=action,
        expected_version=action.version,
        status="done",
        notes=_("Added to the monthly inspection meeting; first review held."),
    )
    check = improvement.check_plan(
        actor=mr, nonconformity=nc, planned_on=today - datetime.timedelta(days=10), verifier=mr
    )
    improvement.check_record(
        actor=mr,
        check=check,
        result="effective",
        evidence=_("All 48 gauges within date at the spot check."),
    )
    calibration_closure_steps(actor=mr, nc=nc)
    improvement.nonconformity_close(actor=mr, nonconformity=nc, password=DEMO_PASSWORD)

    # The system audit of the year: every section of both standards, closed with its signed
    # report, so the whole scope has been audited before the surveillance audit.
    system = plan(
        _("Management system audit ISO 9001 / ISO 14001"),
        -60,
        ["4", "5", "6", "7", "8", "9", "10"],
        ["M1", "M2", "M3", "S3"],
        "Quality",
        auditor,
        [],
        [mr, top],
    )
    services.checklist_generate(actor=auditor, audit=system)
    for i, question in enumerate(system.questions.all()):
        services.answer_submit(
            actor=auditor,
            question=question,
            client_id=f"demo-{system.pk}-{i}",
            base_version=0,
            answer="conform",
            notes=_("Sampled the records and interviewed the process owner."),
        )
    services.audit_set_status(actor=auditor, audit=system, status=Audit.Status.REPORTING)
    services.report_sign(
        actor=auditor,
        audit=system,
        password=DEMO_PASSWORD,
        summary=_("Every clause of both standards sampled; records complete and current."),
        conclusion=_("The management system conforms and is effective; no nonconformities."),
    )

    # An audit under way, one overdue, two planned.
    current = plan(
        _("Purchasing and supplier evaluation"),
        -3,
        ["8.4"],
        ["C2"],
        "Purchasing",
        mr,
        [],
        [auditor],
    )
    services.audit_set_status(actor=mr, audit=current, status=Audit.Status.IN_PROGRESS)
    services.checklist_generate(actor=mr, audit=current)
    plan(
        _("Maintenance and calibration"),
        -20,
        ["7.1.3", "7.1.5"],
        ["S1"],
        "Maintenance",
        auditor,
        [],
        [owner],
    )
    plan(
        _("Waste and environmental controls"),
        75,
        ["6.1.2", "8.1", "8.2"],
        ["S3"],
        "Production",
        auditor,
        [],
        [mr],
    )
    plan(
        _("Leadership and management review"),
        180,
        ["5.1", "5.2", "9.3"],
        ["M1"],
        "Management",
        auditor,
        [],
        [top],
    )


def _northwind(ctx: DemoContext, org: Organization) -> None:
    mr = ctx.users["mr@northwind.example"]
    today = timezone.localdate()
    programme = services.programme_save(
        actor=mr,
        organization=org,
        title=_("ISMS audit programme %(first)s–%(last)s")
        % {"first": today.year, "last": today.year + 2},
        cycle_start=datetime.date(today.year, 1, 1),
        cycle_end=datetime.date(today.year + 2, 12, 31),
    )
    warehouse = Department.objects.filter(organization=org, name="Warehouse").first()
    # Led by the information security manager, not the consultant who implements the ISMS;
    # two Annex A controls sampled, so that the programme shows the controls covered.
    services.audit_save(
        actor=mr,
        organization=org,
        programme=programme,
        title=_("Warehouse access and assets"),
        planned_start=today + datetime.timedelta(days=30),
        planned_end=today + datetime.timedelta(days=31),
        clauses=_clauses(["7.5", "8.1", "9.1", "A.5.9", "A.7.2"], ("iso27001",)),
        editions=_editions("iso27001"),
        departments=[warehouse] if warehouse else [],
        lead_auditor=mr,
        auditees=[ctx.users["staff@northwind.example"]],
    )
    # The manager runs the audit programme and corrective action: a small organization may
    # still have them audit it, with the reason on record (ISO 19011).
    services.audit_save(
        actor=mr,
        organization=org,
        programme=programme,
        title=_("Internal audit and corrective action"),
        planned_start=today + datetime.timedelta(days=150),
        planned_end=today + datetime.timedelta(days=150),
        clauses=_clauses(["9.2", "10.2"], ("iso27001",)),
        editions=_editions("iso27001"),
        lead_auditor=mr,
        auditees=[ctx.users["staff@northwind.example"]],
        independence_justification=_(
            "Northwind has one trained internal auditor, who also runs the audit programme. "
            "The audit follows a checklist agreed with top management, its records are "
            "reviewed by the managing director, and the certification body audits 9.2 and "
            "10.2 at every visit."
        ),
    )

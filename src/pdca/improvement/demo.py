"""Demo nonconformities at every stage: awaiting analysis, actions in progress (one overdue),
awaiting verification, one whose effectiveness check failed, a certification body's
surveillance finding under corrective action, a minor one closed by correction alone and a
duplicate cancelled. The audit demo already raised and closed one from its audit (with the
helpers below for its analysis and closure steps)."""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from pdca.core.demo import DEMO_PASSWORD, DemoContext
from pdca.core.models import Department, User
from pdca.improvement import services
from pdca.improvement.models import Nonconformity
from pdca.standards.models import Clause, Process


def calibration_similar() -> dict[str, Any]:
    """The internal audit's calibration nonconformity: where else it could happen."""
    return {
        "similar": "could_occur",
        "similar_notes": _(
            "Every gauge on the calibration list could fall overdue the same way; all 48 were "
            "checked, none other overdue."
        ),
    }


def calibration_closure_steps(*, actor: User, nc: Nonconformity) -> None:
    """The last steps before the calibration nonconformity is closed."""
    process = Process.objects.filter(organization=nc.organization, code="S1").first()
    nc.refresh_from_db(fields=["version"])  # the check just recorded moved it on
    services.closure_steps_save(
        actor=actor,
        nonconformity=nc,
        expected_version=nc.version,
        risks_outcome="updated",
        risks_notes=_("Risk 'measuring equipment out of calibration' re-rated after the review."),
        system_change_outcome="changed" if process else "not_needed",
        system_change_process=process,
        system_change_notes=_("Calibration due-list review added to the monthly inspection."),
    )


def build(ctx: DemoContext) -> None:
    _reminder_schedule(ctx)
    org = ctx.orgs["acme"]
    # The audit, compliance and EHS demos, which run first, raise their own (the EHS demo's
    # from its lost-time injury, source: incident).
    earlier = ("audit", "compliance", "incident")
    if Nonconformity.objects.filter(organization=org).exclude(source__in=earlier).exists():
        return
    today = ctx.today
    u = ctx.users
    mr, owner, staff = u["mr@acme.example"], u["owner@acme.example"], u["staff@acme.example"]
    processes = {p.code: p for p in Process.objects.filter(organization=org)}
    production = Department.objects.filter(organization=org, name="Production").first()

    def clause(number: str, code: str = "iso9001") -> list[Clause]:
        return list(
            Clause.objects.filter(
                edition__standard__code=code, edition__is_current=True, number=number
            )
        )

    def raise_nc(days_ago: int, **values: Any) -> Nonconformity:
        return services.nonconformity_raise(
            actor=values.pop("actor", staff),
            organization=org,
            found_on=today - datetime.timedelta(days=days_ago),
            department=production,
            owner=owner,
            **values,
        )

    def analyse(
        nc: Nonconformity,
        why: list[str],
        root: str,
        category: str,
        similar: tuple[str, str] = ("none", ""),
    ) -> None:
        services.analysis_save(
            actor=owner,
            nonconformity=nc,
            whys=why,
            causes=[(category, why[-1])],
            root_cause=root,
            root_cause_category=category,
            similar=similar[0],
            similar_notes=similar[1],
        )

    # Awaiting analysis: a customer complaint.
    raise_nc(
        4,
        actor=mr,
        title=_("Customer returned 12 flanges with burrs"),
        description=_("Northgate Medical returned 12 flanges of order 5521: burrs on the bore."),
        source="complaint",
        severity="major",
        clauses=clause("8.7"),
        process=processes.get("C4"),
    )
    # Actions in progress, one of them overdue.
    nc = raise_nc(
        40,
        title=_("Coolant spill at machine 7"),
        description=_("About 20 litres of coolant reached the floor drain."),
        source="incident",
        clauses=clause("8.2", "iso14001"),
        process=processes.get("S3"),
    )
    services.nonconformity_update(
        actor=owner,
        nonconformity=nc,
        expected_version=nc.version,
        containment=_("Drain blocked, spill absorbed, waste contractor called."),
    )
    analyse(
        nc,
        [_("Hose split"), _("Hose past its life"), _("No hose replacement interval")],
        _("Coolant hoses have no replacement interval in the maintenance plan."),
        "machine",
        ("could_occur", _("Machines 5, 6 and 8 have hoses of the same age.")),
    )
    services.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Add hose replacement to the PM plan"),
        owner=owner,
        due_on=today - datetime.timedelta(days=9),
    )
    services.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Fit drip trays under machines 5–8"),
        owner=staff,
        due_on=today + datetime.timedelta(days=20),
    )
    # Awaiting verification, check due.
    nc = raise_nc(
        70,
        title=_("Scrap rate on line 2 above 3 % target"),
        # xgettext:no-python-format
        description=_("KPI: scrap 4.8 % in the month."),
        source="kpi",
        clauses=clause("9.1.3"),
        process=processes.get("C3"),
    )
    analyse(
        nc,
        [_("Tool wear"), _("No tool-life limit")],
        _("No tool-life limits on line 2."),
        "method",
    )
    a = services.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Set tool-life limits"),
        owner=owner,
        due_on=today - datetime.timedelta(days=30),
    )
    services.action_update(
        actor=owner,
        action=a,
        expected_version=a.version,
        status="done",
        notes=_("Limits in the set-up sheets."),
    )
    services.check_plan(
        actor=mr, nonconformity=nc, planned_on=today - datetime.timedelta(days=2), verifier=mr
    )
    # Effectiveness check failed: back to analysis.
    nc = raise_nc(
        150,
        title=_("Wrong drawing revision used at machine 3"),
        description=_("Batch made to rev C while rev D was released."),
        source="employee",
        clauses=clause("7.5.3"),
        process=processes.get("C3"),
    )
    analyse(
        nc,
        [_("Old print at the machine"), _("Prints not collected")],
        _("Superseded prints are not collected from machines."),
        "method",
        ("exist", _("Two more superseded prints found at machines 5 and 9 and withdrawn.")),
    )
    a = services.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Remind cell leaders"),
        owner=owner,
        due_on=today - datetime.timedelta(days=100),
    )
    services.action_update(
        actor=owner, action=a, expected_version=a.version, status="done", notes=_("Briefing held.")
    )
    check = services.check_plan(
        actor=mr, nonconformity=nc, planned_on=today - datetime.timedelta(days=20), verifier=mr
    )
    services.check_record(
        actor=mr,
        check=check,
        result="not_effective",
        evidence=_("Spot check found a superseded print at machine 5."),
    )
    # The certification body's surveillance finding: under corrective action. The
    # organization cannot cancel it; the certification body closes its finding.
    nc = raise_nc(
        30,
        actor=mr,
        title=_("Certification body: calibration status not shown on gauges"),
        description=_(
            "Surveillance audit, minor nonconformity: three gauges in final inspection carried "
            "no calibration status label (ISO 9001 7.1.5.2 c)."
        ),
        source="external_audit",
        clauses=clause("7.1.5.2"),
        process=processes.get("S1"),
    )
    services.nonconformity_update(
        actor=mr,
        nonconformity=nc,
        expected_version=nc.version,
        containment=_("The three gauges labelled the same day; every gauge in the plant checked."),
    )
    analyse(
        nc,
        [_("Labels fell off"), _("Paper labels do not survive coolant")],
        _("The calibration labels are not suited to the shop-floor conditions."),
        "material",
        ("exist", _("The internal audit found the same on HG-04; both are covered by the action.")),
    )
    services.action_plan(
        actor=owner,
        nonconformity=nc,
        title=_("Replace paper labels by engraved calibration tags"),
        owner=owner,
        due_on=today + datetime.timedelta(days=25),
    )
    # A minor slip corrected on the spot: closed by correction alone, with the reason.
    nc = raise_nc(
        12,
        title=_("Delivery note printed without the order number"),
        description=_("Delivery note 8814 left without the customer's order number."),
        source="employee",
        clauses=clause("8.5.2"),
        process=processes.get("C5"),
    )
    services.nonconformity_update(
        actor=owner,
        nonconformity=nc,
        expected_version=nc.version,
        containment=_("Note reprinted with the order number before the truck left."),
    )
    services.nonconformity_close(
        actor=mr,
        nonconformity=nc,
        password=DEMO_PASSWORD,
        no_action_reason=_(
            "A one-off typing slip caught at dispatch; the form already requires the field."
        ),
    )
    # Cancelled, with its reason: reported twice.
    nc = raise_nc(
        6,
        title=_("Coolant on the floor near machine 7"),
        description=_("Puddle of coolant by machine 7."),
        source="employee",
        clauses=clause("8.2", "iso14001"),
        process=processes.get("S3"),
    )
    services.nonconformity_cancel(
        actor=mr,
        nonconformity=nc,
        reason=_("Same spill as the coolant nonconformity already under corrective action."),
    )


def _reminder_schedule(ctx: DemoContext) -> None:
    """Acme reminds action owners two weeks, three days and on the day before an action is
    due, and escalates faster than the default: the calendar's Reminders page shows it."""
    from pdca.core.models import ReminderSetting
    from pdca.core.reminders import reminder_setting_save

    org = ctx.orgs["acme"]
    if ReminderSetting.objects.filter(organization=org).exists():
        return
    reminder_setting_save(
        actor=ctx.users["mr@acme.example"],
        organization=org,
        kind="improvement.action",
        offsets=[14, 3, 0],
        owner_after_days=1,
        manager_after_days=5,
        mr_after_days=10,
    )

"""Demo nonconformities at every stage: awaiting analysis, actions in progress (one overdue),
awaiting verification, one whose effectiveness check failed, and one cancelled. The audit demo
already raised and closed one from its audit."""

import datetime
from typing import Any

from django.utils.translation import gettext as _

from pdca.core.demo import DemoContext
from pdca.core.models import Department
from pdca.improvement import services
from pdca.improvement.models import Nonconformity
from pdca.standards.models import Clause, Process


def build(ctx: DemoContext) -> None:
    _reminder_schedule(ctx)
    org = ctx.orgs["acme"]
    if Nonconformity.objects.filter(organization=org).exclude(source="audit").exists():
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

    def analyse(nc: Nonconformity, why: list[str], root: str, category: str) -> None:
        services.analysis_save(
            actor=owner,
            nonconformity=nc,
            whys=why,
            causes=[(category, why[-1])],
            root_cause=root,
            root_cause_category=category,
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
    # Cancelled, with its reason.
    nc = raise_nc(
        30,
        actor=mr,
        title=_("Certification body: calibration records"),
        description=_("Stage 2 finding about calibration records."),
        source="external_audit",
        clauses=clause("7.1.5"),
    )
    services.nonconformity_cancel(
        actor=mr,
        nonconformity=nc,
        reason=_("Same issue as the internal audit nonconformity on HG-04."),
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

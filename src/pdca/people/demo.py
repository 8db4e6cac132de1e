"""Demo people and competence: Acme's CNC machinists and forklift drivers, its internal
auditor; one forklift licence expiring next month and one expired (its holder booked on a
refresher), a CNC session held last month whose effectiveness is still to be evaluated;
awareness of Acme's quality policy and machining hazards, and Northwind's campaign for its
information security policy at 60 %."""

import datetime

from django.utils.translation import gettext as _

from pdca.core import services as core_services
from pdca.core.demo import DemoContext
from pdca.core.models import Department, Membership, User
from pdca.core.roles import Role
from pdca.documents.models import Document
from pdca.people import services
from pdca.people.models import (
    AwarenessItem,
    AwarenessKind,
    CompetenceKind,
    CourseMethod,
    Evidence,
    JobRole,
    Level,
    Result,
)

MACHINISTS = [
    ("j.weber@acme.example", "Jonas Weber"),
    ("a.haddad@acme.example", "Amira Haddad"),
]
DRIVER = ("s.ortiz@acme.example", "Sam Ortiz")


def _member(ctx: DemoContext, email: str, name: str, department: Department) -> Membership:
    org = ctx.orgs["acme"]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=name)
    membership = Membership.objects.filter(organization=org, user=user).first()
    if membership is None:
        membership = core_services.membership_add(
            actor=None,
            organization=org,
            user=user,
            roles=[Role.EMPLOYEE],
            department=department,
            manager=ctx.users["owner@acme.example"],
        )
    return membership


def build(ctx: DemoContext) -> None:
    _acme(ctx)
    _northwind(ctx)


def _acme(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    if JobRole.objects.filter(organization=acme).exists():
        return
    mr, owner = ctx.users["mr@acme.example"], ctx.users["owner@acme.example"]
    today = ctx.today
    production = Department.objects.filter(organization=acme, name="Production").first()
    if production is None:
        return

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    machinist = services.job_role_save(
        actor=mr,
        organization=acme,
        name=_("CNC machinist"),
        department=production,
        description=_("Sets up and runs the CNC lathes to the work instructions."),
    )
    driver = services.job_role_save(
        actor=mr, organization=acme, name=_("Forklift driver"), department=production
    )
    auditor_role = services.job_role_save(actor=mr, organization=acme, name=_("Internal auditor"))
    turning = services.competence_save(
        actor=mr,
        organization=acme,
        name=_("CNC turning"),
        kind=CompetenceKind.SKILL,
        retrain_on_revision=True,
    )
    drawings = services.competence_save(
        actor=mr, organization=acme, name=_("Reading technical drawings"), kind="knowledge"
    )
    forklift = services.competence_save(
        actor=mr, organization=acme, name=_("Forklift licence"), kind=CompetenceKind.LICENCE
    )
    auditing = services.competence_save(
        actor=mr,
        organization=acme,
        name=_("Internal auditor qualification (ISO 19011)"),
        kind=CompetenceKind.QUALIFICATION,
        is_auditor_qualification=True,
    )
    for role, competence, level, shown, months in (
        (machinist, turning, Level.COMPETENT, Evidence.ASSESSMENT, 24),
        (machinist, drawings, Level.TRAINED, Evidence.TRAINING, None),
        (driver, forklift, Level.COMPETENT, Evidence.QUALIFICATION, 36),
        (auditor_role, auditing, Level.COMPETENT, Evidence.QUALIFICATION, 36),
    ):
        services.requirement_save(
            actor=mr,
            organization=acme,
            job_role=role,
            competence=competence,
            level=level,
            shown_by=shown,
            renewal_months=months,
        )
    lucy = Membership.objects.get(organization=acme, user=ctx.users["staff@acme.example"])
    tomasz = Membership.objects.get(organization=acme, user=ctx.users["auditor@acme.example"])
    others = [_member(ctx, email, name, production) for email, name in MACHINISTS]
    sam = _member(ctx, *DRIVER, production)
    for membership, roles, since in (
        (lucy, [machinist, driver], days(-1500)),
        (others[0], [machinist], days(-900)),
        (others[1], [machinist], days(-120)),
        (sam, [driver], days(-2000)),
        (tomasz, [auditor_role], days(-700)),
    ):
        for role in roles:
            services.job_assign(actor=mr, membership=membership, job_role=role, since=since)

    def record(membership, competence, evidence, level, achieved, until=None, ref=""):  # type: ignore[no-untyped-def]
        services.competence_record_create(
            actor=mr,
            membership=membership,
            competence=competence,
            evidence=evidence,
            level=level,
            achieved_on=achieved,
            valid_until=until,
            reference=ref,
        )

    record(lucy, turning, Evidence.ASSESSMENT, Level.TRAINER, days(-200))
    record(lucy, drawings, Evidence.TRAINING, Level.COMPETENT, days(-1400))
    # Lucy's forklift licence runs out next month; Sam's expired ten days ago.
    record(
        lucy, forklift, Evidence.QUALIFICATION, Level.COMPETENT, days(-1070), days(25), "FL-1187"
    )
    record(
        sam, forklift, Evidence.QUALIFICATION, Level.COMPETENT, days(-1105), days(-10), "FL-0942"
    )
    record(others[0], drawings, Evidence.TRAINING, Level.TRAINED, days(-880))
    record(
        tomasz, auditing, Evidence.QUALIFICATION, Level.COMPETENT, days(-400), days(695), "IA-22-31"
    )
    refresher = services.course_save(
        actor=mr,
        organization=acme,
        title=_("Forklift refresher (external)"),
        method=CourseMethod.EXTERNAL,
        duration_hours=8,
        competences=[forklift],
        level=Level.COMPETENT,
        validity_months=36,
    )
    on_the_job = services.course_save(
        actor=mr,
        organization=acme,
        title=_("CNC turning on the job"),
        method=CourseMethod.ON_THE_JOB,
        duration_hours=16,
        competences=[turning],
        level=Level.COMPETENT,
        validity_months=24,
    )
    services.session_plan(
        actor=mr,
        course=refresher,
        held_on=days(9),
        trainer=mr,
        place=_("Training centre, Hall 4"),
        invited=[sam],
    )
    held = services.session_plan(
        actor=mr,
        course=on_the_job,
        held_on=days(-30),
        trainer=lucy.user,
        place=_("Lathe cell 2"),
        evaluate_on=days(30),
        invited=others,
    )
    services.attendance_record(
        actor=owner,
        session=held,
        membership=others[0],
        attended=True,
        result=Result.PASSED,
        score=88,
        today=today,
    )
    services.attendance_record(
        actor=owner,
        session=held,
        membership=others[1],
        attended=True,
        result=Result.FAILED,
        score=54,
        today=today,
    )
    # Awareness (7.3): the quality policy for everyone, acknowledged by the machinists; the
    # machining hazards for the machinists.
    policy = Document.objects.filter(organization=acme, title=_("Quality policy")).first()
    quality = services.awareness_item_save(
        actor=mr,
        organization=acme,
        title=_("Quality policy"),
        kind=AwarenessKind.POLICY,
        description=_("Parts that fit first time; every deviation is reported, not hidden."),
        document=policy,
    )
    hazards = services.awareness_item_save(
        actor=mr,
        organization=acme,
        title=_("Machining hazards and your right to stop work"),
        kind=AwarenessKind.HAZARDS,
        description=_(
            "Rotating chucks, hot chips and coolant mist: guards closed, glasses on. Anyone "
            "may stop a machine they consider unsafe."
        ),
        job_roles=[machinist],
    )
    for membership in (lucy, others[0]):
        services.awareness_acknowledge(actor=membership.user, item=quality)
        services.awareness_acknowledge(actor=membership.user, item=hazards)


NORTHWIND_STAFF = [
    ("p.nair@northwind.example", "Priya Nair"),
    ("o.hansen@northwind.example", "Ole Hansen"),
]


def _northwind(ctx: DemoContext) -> None:
    """Northwind's awareness campaign for its information security policy, at 60 %."""
    from pdca.people.selectors import awareness_audience

    nw = ctx.orgs.get("northwind")
    if nw is None or AwarenessItem.objects.filter(organization=nw).exists():
        return
    mr = ctx.users["mr@northwind.example"]
    it = Department.objects.filter(organization=nw).order_by("pk").first()
    for email, name in NORTHWIND_STAFF:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, full_name=name
        )
        if not Membership.objects.filter(organization=nw, user=user).exists():
            core_services.membership_add(
                actor=None, organization=nw, user=user, roles=[Role.EMPLOYEE], department=it
            )
    policy = Document.objects.filter(
        organization=nw, title=_("Information security policy")
    ).first()
    item = services.awareness_item_save(
        actor=mr,
        organization=nw,
        title=_("Information security policy and your responsibilities"),
        kind=AwarenessKind.INFOSEC,
        description=_(
            "Lock your screen, report phishing and lost devices at once, share shipment data "
            "only through the customer portal."
        ),
        document=policy,
    )
    audience = list(awareness_audience(item).select_related("user").order_by("user__email"))
    for membership in audience[: round(len(audience) * 0.6)]:
        services.awareness_acknowledge(actor=membership.user, item=item)

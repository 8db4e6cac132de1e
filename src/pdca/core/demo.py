"""The demo's foundation: two organizations, their sites, departments and people.

`pdca demo` builds this, then calls `build(ctx)` in each installed app's `demo` module, in
INSTALLED_APPS order. Each step must be safe to run twice: it checks whether its own data is
already there and returns if so, so that a second `make run` keeps the database as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from pdca.core import services, trail
from pdca.core.models import Department, Membership, Organization, User
from pdca.core.roles import Role

DEMO_PASSWORD = "demo"  # noqa: S105 (demo only, printed and documented as such)

PEOPLE = [
    # email, name, job title, {org: [roles]}, department name per org
    (
        "top@acme.example",
        "Margaret Hale",
        _("Managing Director"),
        {"acme": [Role.TOP_MANAGEMENT]},
        "Management",
    ),
    (
        "mr@acme.example",
        "Daniel Okafor",
        _("Quality & Environment Manager"),
        {"acme": [Role.MANAGEMENT_REP]},
        "Quality",
    ),
    (
        "owner@acme.example",
        "Priya Raman",
        _("Production Manager"),
        {"acme": [Role.PROCESS_OWNER]},
        "Production",
    ),
    (
        "auditor@acme.example",
        "Tomasz Nowak",
        _("Purchasing Lead, internal auditor"),
        {"acme": [Role.INTERNAL_AUDITOR]},
        "Purchasing",
    ),
    (
        "staff@acme.example",
        "Lucy Brennan",
        _("CNC Machinist"),
        {"acme": [Role.EMPLOYEE]},
        "Production",
    ),
    (
        "cb@acme.example",
        "Henrik Larsen",
        _("Lead Auditor, certification body"),
        {"acme": [Role.EXTERNAL_AUDITOR]},
        None,
    ),
    (
        "mr@northwind.example",
        "Aisha Khan",
        _("Information Security Manager"),
        {"northwind": [Role.MANAGEMENT_REP]},
        "IT & Security",
    ),
    (
        "staff@northwind.example",
        "Ben Carter",
        _("Warehouse Coordinator"),
        {"northwind": [Role.EMPLOYEE]},
        "Warehouse",
    ),
    (
        "consultant@pdca.example",
        "Sofia Marin",
        _("ISO consultant"),
        {"acme": [Role.CONSULTANT], "northwind": [Role.CONSULTANT]},
        None,
    ),
]

ORGS = {
    "acme": (
        "Acme Precision Ltd",
        [("Sheffield plant", "Unit 4, Meadowhall Way, Sheffield S9 1EP")],
        ["Management", "Quality", "Production", "Purchasing", "Sales", "Maintenance", "HR"],
    ),
    "northwind": (
        "Northwind Logistics",
        [
            ("Rotterdam hub", "Waalhaven Oostzijde 1, Rotterdam"),
            ("Head office", "Stationsplein 12, Utrecht"),
        ],
        ["Management", "IT & Security", "Warehouse", "Transport", "HR"],
    ),
}


@dataclass
class DemoContext:
    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)
    # The demo's language: its fixed texts are written in it, and its people read pdca in it.
    language: str = ""

    def member(self, email: str) -> User:
        return self.users[email]


def build_foundation(language: str = "") -> DemoContext:
    """The foundation in `language` (blank: English, and each person's browser decides)."""
    ctx = DemoContext(language=language)
    with scopes_disabled(), transaction.atomic():
        for slug, (name, sites, departments) in ORGS.items():
            org = Organization.objects.filter(slug=slug).first()
            if org is None:
                org = services.organization_create(actor=None, name=name, slug=slug)
                site_objs = [
                    services.site_save(actor=None, organization=org, name=n, address=a)  # type: ignore[arg-type]
                    for n, a in sites
                ]
                for dept in departments:
                    services.department_save(
                        actor=None,  # type: ignore[arg-type]
                        organization=org,
                        name=dept,
                        site=site_objs[0],
                    )
            ctx.orgs[slug] = org
        for email, full_name, title, roles_by_org, dept_name in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    job_title=str(title),
                    language=language,
                )
                trail.record(
                    action="core.user.created",
                    actor=None,
                    organization=None,
                    obj=user,
                    changes=trail.created_fields(
                        user, ("email", "full_name", "job_title", "language")
                    ),
                )
            ctx.users[email] = user
            for slug, roles in roles_by_org.items():
                org = ctx.orgs[slug]
                if Membership.objects.filter(organization=org, user=user).exists():
                    continue
                department = (
                    Department.objects.filter(organization=org, name=dept_name).first()
                    if dept_name
                    else None
                )
                expires = (
                    ctx.today + datetime.timedelta(days=30)
                    if Role.EXTERNAL_AUDITOR in roles
                    else None
                )
                services.membership_add(
                    actor=None,
                    organization=org,
                    user=user,
                    roles=[str(r) for r in roles],
                    department=department,
                    expires_on=expires,
                )
        _set_heads_and_managers(ctx)
    return ctx


def _set_heads_and_managers(ctx: DemoContext) -> None:
    acme = ctx.orgs["acme"]
    heads = {
        "Management": "top@acme.example",
        "Quality": "mr@acme.example",
        "Production": "owner@acme.example",
    }
    for dept, email in heads.items():
        Department.objects.filter(organization=acme, name=dept, head__isnull=True).update(
            head=ctx.users[email]
        )
    # Line managers, for escalation of overdue actions.
    Membership.objects.filter(
        organization=acme, user=ctx.users["staff@acme.example"], manager__isnull=True
    ).update(manager=ctx.users["owner@acme.example"])
    Membership.objects.filter(
        organization=acme, user=ctx.users["owner@acme.example"], manager__isnull=True
    ).update(manager=ctx.users["top@acme.example"])
    Membership.objects.filter(
        organization=acme, user=ctx.users["mr@acme.example"], manager__isnull=True
    ).update(manager=ctx.users["top@acme.example"])
    nw = ctx.orgs["northwind"]
    Department.objects.filter(organization=nw, name="IT & Security", head__isnull=True).update(
        head=ctx.users["mr@northwind.example"]
    )

"""Named example users per role, shared by every app's tests.

`world` builds two organizations: "acme" with one member per role, and "globex" with its own
management representative, who is the outsider for every Acme URL. Apps add example objects
for their URLs with `register_url_examples`, so that the URL-walking permission test can open
every page with real ids.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from pdca.core import services
from pdca.core.models import Department, Membership, Organization, Site, User
from pdca.core.roles import Role

PASSWORD = "correct horse battery staple"  # noqa: S105 (tests only)


@dataclass
class World:
    org: Organization
    other_org: Organization
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    outsider: User | None = None
    site: Site | None = None
    department: Department | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # Named people, in the users' language.
    @property
    def top(self) -> User:
        return self.users[Role.TOP_MANAGEMENT]

    @property
    def mr(self) -> User:
        return self.users[Role.MANAGEMENT_REP]

    @property
    def owner(self) -> User:
        return self.users[Role.PROCESS_OWNER]

    @property
    def auditor(self) -> User:
        return self.users[Role.INTERNAL_AUDITOR]

    @property
    def employee(self) -> User:
        return self.users[Role.EMPLOYEE]

    @property
    def external(self) -> User:
        return self.users[Role.EXTERNAL_AUDITOR]

    @property
    def consultant(self) -> User:
        return self.users[Role.CONSULTANT]


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=name or email)


def build_world() -> World:
    org = services.organization_create(actor=None, name="Acme Test Ltd", slug="acme")
    other = services.organization_create(actor=None, name="Globex Corp", slug="globex")
    world = World(org=org, other_org=other)
    world.site = Site.objects.create(organization=org, name="Main plant")
    world.department = Department.objects.create(
        organization=org, name="Production", site=world.site
    )
    Department.objects.create(organization=org, name="Quality", site=world.site)
    for role in Role.values:
        user = make_user(f"{role}@acme.test", f"{Role(role).label} person")
        expires = (
            timezone.localdate() + datetime.timedelta(days=30)
            if role == Role.EXTERNAL_AUDITOR
            else None
        )
        department = world.department if role in (Role.PROCESS_OWNER, Role.EMPLOYEE) else None
        world.memberships[role] = services.membership_add(
            actor=None,
            organization=org,
            user=user,
            roles=[role],
            department=department,
            expires_on=expires,
        )
        world.users[role] = user
    world.outsider = make_user("mr@globex.test", "Globex manager")
    services.membership_add(
        actor=None, organization=other, user=world.outsider, roles=[Role.MANAGEMENT_REP]
    )
    for builder in WORLD_BUILDERS:
        builder(world)
    return world


# Apps extend the world with their own example objects, then name the kwargs for their URLs.
WORLD_BUILDERS: list[Callable[[World], None]] = []
URL_EXAMPLES: list[Callable[[World], dict[str, dict[str, Any]]]] = []


def register_world_builder(builder: Callable[[World], None]) -> None:
    if builder not in WORLD_BUILDERS:
        WORLD_BUILDERS.append(builder)


def register_url_examples(provider: Callable[[World], dict[str, dict[str, Any]]]) -> None:
    """provider(world) -> {url name: kwargs besides org}, e.g. {"documents:detail": {"pk": 1}}."""
    if provider not in URL_EXAMPLES:
        URL_EXAMPLES.append(provider)


def url_examples(world: World) -> dict[str, dict[str, Any]]:
    examples: dict[str, dict[str, Any]] = {}
    for provider in URL_EXAMPLES:
        examples.update(provider(world))
    return examples


def core_url_examples(world: World) -> dict[str, dict[str, Any]]:
    return {
        "core:site_edit": {"pk": world.site.pk},  # type: ignore[union-attr]
        "core:department_edit": {"pk": world.department.pk},  # type: ignore[union-attr]
        "core:member_edit": {"pk": world.memberships[Role.EMPLOYEE].pk},
        "api-member": {"pk": world.memberships[Role.EMPLOYEE].pk},
        "core:token_revoke": {"pk": world.extra["token"].pk},
        "core:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "core:notification_read": {"pk": world.extra["notification"].pk},
        "core:notification_open": {"pk": world.extra["notification"].pk},
    }


def _core_world(world: World) -> None:
    world.extra["token"], _raw = services.api_token_create(actor=world.employee, name="script")
    from pdca.core.models import Notification

    # The employee's notification of their own invitation (the bell's example row).
    world.extra["notification"] = Notification.objects.create(
        organization=world.org,
        recipient=world.employee,
        kind="core.invitation",
        key="core.invitation:world",
        title=world.org.name,
        url=f"/o/{world.org.slug}/",
        email_status="not_sent",
    )


register_world_builder(_core_world)


register_url_examples(core_url_examples)


def assert_page_translated(
    client: Any, url: str, english: list[str], translated: list[str], language: str = "de"
) -> str:
    """Open `url` in `language`: no label of `english` is left (as a word) in the page's main
    part (the navigation around it belongs to core), and every label of `translated` is there."""
    import re

    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == language
    html = response.content.decode().split('id="main"', 1)[1]
    for label in english:
        assert not re.search(rf"\b{re.escape(label)}\b", html), f"{url}: {label!r} is English"
    for label in translated:
        assert label in html, f"{url}: {label!r} missing"
    return html


def english_left(html: str, language: str = "de") -> list[str]:
    """The interface messages that `html` shows untranslated: every message of pdca's
    catalogues for `language` whose translation differs, found as a whole text node or a whole
    attribute value (title, placeholder, aria-label) of the page."""
    import re

    import polib

    package = Path(__file__).resolve().parents[1]
    found = []
    text = set(re.findall(r">\s*([^<>]*?)\s*<", html))
    text |= set(re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', html))
    entries = [
        entry
        for po_path in package.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(po_path))
    ]
    # A word that is also a translation ("Module" is German for "Modules") proves nothing.
    translations = {entry.msgstr for entry in entries}
    for entry in entries:
        msgid = entry.msgid
        if "%" in msgid or "<" in msgid or entry.msgstr in ("", msgid) or len(msgid) < 4:
            continue
        if msgid in text and msgid not in translations:
            found.append(msgid)
    return sorted(set(found))

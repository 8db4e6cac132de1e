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
    for builder in sorted(WORLD_BUILDERS, key=_app_position):
        builder(world)
    return world


def _app_position(builder: Callable[[World], None]) -> int:
    """Builders run in the order of INSTALLED_APPS, whichever test imported its testing module
    first (the audits world needs the standards' catalogues, which a flushed database lacks)."""
    from django.apps import apps

    config = apps.get_containing_app_config(builder.__module__)
    configs = list(apps.get_app_configs())
    return configs.index(config) if config in configs else len(configs)


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
        "core:calendar_feed": {"token": world.extra["feed_token"]},
        "core:job": {"pk": world.extra["job"].pk},
        "core:job_download": {"pk": world.extra["job"].pk},
        "core:notification_read": {"pk": world.extra["notification"].pk},
        "core:notification_open": {"pk": world.extra["notification"].pk},
    }


def _core_world(world: World) -> None:
    from pdca.core.models import Job

    world.extra["token"], _raw = services.api_token_create(actor=world.employee, name="script")
    from pdca.core.feeds import calendar_feed_create

    world.extra["feed_token"] = calendar_feed_create(
        actor=world.employee, membership=world.memberships[Role.EMPLOYEE], scope="personal"
    )
    # An export the management representative asked for, still waiting for a worker.
    world.extra["job"] = Job.objects.create(
        organization=world.org, requested_by=world.mr, kind="core.trail"
    )
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


def english_left(html: str, language: str = "de", data: set[str] | None = None) -> list[str]:
    """The interface messages that `html` shows untranslated: every message of pdca's
    catalogues for `language` whose translation differs, found as a whole text node or a whole
    attribute value (title, placeholder, aria-label) of the page. A message that is also stored
    data (`data`, by default `world_texts()`: a catalogue's title, a demo text) proves nothing."""
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
    if found:
        stored = world_texts() if data is None else data
        found = [msgid for msgid in found if msgid not in stored]
    return sorted(set(found))


# Words that mark a text as English: none of them is also a German word.
ENGLISH_MARKERS = frozenset(
    """
    the and of with your you this that these those are is has have been not yet from for to by
    on at or all any each every which who what when where how why there here than then can may
    must should would please before after into only open close save cancel edit delete add new
    back next previous search show hide view download upload create update remove none yes
    title date due owner description details list page no one more less other without sign out
    print overview settings help change changes raise raised closed opened approve approved
    draft review reviewed published current version versions file files record records finding
    findings nonconformity nonconformities action actions corrective evidence scope process
    processes risk risks objective objectives people document documents template templates
    choose select filter reset apply send invite member members role roles department site
    sites organization organizations since until today yesterday tomorrow days day week weeks
    month months year years ago overdue planned started finished done pending rejected
    withdrawn retained expired
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def world_texts() -> set[str]:
    """Every text stored in the database (names, titles, catalogue guidance): the data a page
    shows is not its interface."""
    from django.apps import apps
    from django.db import models

    texts: set[str] = set()

    def strings(value: object) -> list[str]:
        # Texts kept inside JSON (a selection's criteria, a pack's manifest, a trail entry's
        # recorded values) are data too.
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            and not getattr(f, "choices", None)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in (s for v in row for s in strings(v)):
                if value:
                    texts.add(" ".join(str(value).split()))
                    # Line by line too, Markdown headings without their marks ("# Purpose").
                    for line in str(value).splitlines():
                        texts.add(" ".join(line.lstrip("#").split()))
    return texts


def english_words(html: str, data: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The texts of `html` (text nodes and the title, placeholder, aria-label, alt and button
    values) with a word that only English has, after taking out the stored data in `data`."""
    import html as html_lib
    import re

    html = re.sub(r"(?is)<(script|style|pre|code)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    texts = re.findall(r">([^<>]+)<", html)
    texts += re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    found = []
    for raw in texts:
        text = " ".join(html_lib.unescape(raw).split())
        if not text:
            continue
        for value in sorted(data, key=len, reverse=True):
            if len(value) >= 3 and value in text:
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
        words = re.findall(r"[^\W\d_]+", text)
        if any(w.lower() in ENGLISH_MARKERS for w in words):
            found.append(" ".join(text.split()))
    return sorted(set(found))


def export_via_job(client: Any, url: str, query: str = "") -> Any:
    """Start the export at `url` (a POST, as the page's button does), run its job as a worker
    would once the request's transaction commits, and download the result as its requester.

    Returns the download as a plain response (status, headers and `content`)."""
    from django.http import HttpResponse
    from django.test import TestCase

    from pdca.core.models import Job

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(url + (f"?{query}" if query else ""))
    assert started.status_code == 302, started.status_code
    job_url = started["Location"]
    page = client.get(job_url)
    assert page.status_code == 200
    job = Job.objects.get(pk=int(job_url.rstrip("/").rsplit("/", 1)[1]))
    if job.status != Job.Status.DONE:
        return HttpResponse(job.error, status=422)
    download = client.get(job_url + "download/")
    content = b"".join(download.streaming_content)
    response = HttpResponse(content, status=download.status_code)
    response["Content-Disposition"] = download["Content-Disposition"]
    return response

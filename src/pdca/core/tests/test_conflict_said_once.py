"""Every edit form that carries a `version`, posted as it stands but with a stale version: the
page says "someone else changed this" exactly once, and no error is shown twice.

The forms are found, not listed: every page of the URLconf (with the permission walk's example
ids) is opened by the roles that may, and each form on it with a `version` input is posted back
with the values it shows, the way a browser would submit it.
"""

import datetime
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from pdca.core.permissions import AUTHENTICATED, PUBLIC, roles_for
from pdca.core.roles import Role
from pdca.core.testing import url_examples
from pdca.core.tests.test_permissions_walk import ALL_URLS, declared_methods, declared_permission

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this"
TODAY = datetime.date.today().isoformat()
# What someone types beyond what the page shows, where the form asks for more than its fields'
# `required`: the answers that make these forms valid, so that only the version is wrong.
TYPED = {
    "documents:external_edition": {
        "next_edition_check": (datetime.date.today() + datetime.timedelta(days=365)).isoformat(),
        "text": "The new edition, typed in.",
    },
    "improvement:root_cause": {"why_1": "The gauge was not calibrated."},
    "improvement:closure_steps": {
        "risks_outcome": "not_needed",
        "system_change_outcome": "not_needed",
    },
    "certification:certificate_status": {
        "status": "suspended",
        "since": TODAY,
        "until": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        "reason": "The body suspended it pending the major's closure.",
    },
    "certification:finding_answer": {
        "step": "submit",
        "on": TODAY,
        "response": "Correction, root cause and corrective action sent to the body.",
    },
    "certification:request_answer": {"answer": "The 2026 calibration records."},
    "certification:selection_decide": {"reason": "Sector experience and the offer."},
    "reviews:hold": {
        "held_on": TODAY,
        "conclusion": "The system is suitable, adequate and effective.",
    },
    "engagement:suggestion_decline": {"reason": "Already planned for next year."},
    "engagement:feedback_respond": {"response": "Replacement parts sent."},
}
# The roles tried, in this order, until one may open the page and finds a versioned form there.
ROLES = (
    Role.MANAGEMENT_REP,
    Role.TOP_MANAGEMENT,
    Role.PROCESS_OWNER,
    Role.INTERNAL_AUDITOR,
    Role.CONSULTANT,
    Role.EMPLOYEE,
)


class Forms(HTMLParser):
    """The page's forms: where each posts and what a browser would send (no files)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, bool, bool] | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._required = False
        self._by_id: dict[str, dict[str, Any]] = {}
        self._owner: dict[str, Any] | None = None  # the form the current field belongs to

    def _add(self, name: str, value: str) -> None:
        form = self._owner
        assert form is not None
        form["data"].setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": "post" if "hx-post" in a else a.get("method", "get").lower(),
                "action": a.get("hx-post") or a.get("action", ""),
                "htmx": "hx-post" in a,
                "data": {},
                "radios": {},  # the first choice of each required group of radio buttons
            }
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
            return
        # A field belongs to the form it sits in, or to the one its `form` attribute names.
        if tag in ("input", "select", "textarea"):
            self._owner = self._by_id.get(a["form"]) if a.get("form") else self._form
        if tag != "option" and (self._owner is None or "disabled" in a):
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind == "radio" and "required" in a and self._owner is not None:
                self._owner["radios"].setdefault(name, a.get("value", ""))
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            if not value and "required" in a:
                # What someone would type into a field the form asks for.
                value = {"date": TODAY, "number": "1", "email": "someone@example.com"}.get(
                    kind, "Filled in"
                )
            self._add(name, value)
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, "required" in a)
            self._select_first, self._select_chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and (value or not self._select[2]):
                self._select_first = value
            if "selected" in a:
                self._add(self._select[0], value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text, self._required = name, [], "required" in a

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            name, multiple, _required = self._select
            if not multiple and not self._select_chosen and self._select_first is not None:
                self._add(name, self._select_first)  # a browser sends the first option
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text).removeprefix("\n")
            self._add(self._textarea, text or ("Filled in" if self._required else ""))
            self._textarea = None


def versioned_forms(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        for name, value in form["radios"].items():
            form["data"].setdefault(name, [value])  # someone picks one of a required group
    # An edit form: a create form's version (0 or none) has nothing to be stale against.
    return [
        f
        for f in parser.forms
        if f["method"] == "post" and (f["data"].get("version") or ["0"])[0] not in ("", "0")
    ]


def shown_twice(html: str) -> list[str]:
    """The error lists shown twice (one field's, by their id) and the errors a list repeats."""
    twice = []
    ids = re.findall(r'<ul class="errorlist[^"]*" id="([^"]+)"', html)
    twice += [f"#{i}" for i in sorted(set(ids)) if ids.count(i) > 1]
    for block in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S):
        items = [
            unescape(re.sub(r"<[^>]+>", "", i)).strip()
            for i in re.findall(r"<li>(.*?)</li>", block, re.S)
        ]
        twice += sorted({i for i in items if items.count(i) > 1})
    return twice


def _stale(data: dict[str, list[str]], typed: dict[str, str]) -> dict[str, list[str]]:
    stale = {**data, **{k: [v] for k, v in typed.items()}}
    stale["version"] = [str(int(data["version"][0] or 0) + 1)]
    return stale


def test_every_versioned_edit_form_says_a_conflict_once(world, client):
    examples = url_examples(world)
    # The world's record keeps its retention from its own date: one that waits for an event.
    from pdca.records import services as records
    from pdca.records.testing import make_record_type

    waiting = records.record_create(
        actor=world.owner,
        organization=world.org,
        record_type=make_record_type(
            world, "Personnel files", retention_trigger="end_of_employment"
        ),
        title="Personnel file J. Doe",
        reference="HR-7",
        date=datetime.date.today() - datetime.timedelta(days=400),
    )
    examples["records:trigger"] = {"pk": waiting.pk}
    # The example clause is assessed (an assessment not yet made has no version to be stale).
    from pdca.standards import services as standards

    standards.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=world.extra["clause"],
        expected_version=standards.assessment_for(world.org, world.extra["clause"]).version,
        status="planned",
        owner=world.owner,
        target_date=None,
        notes="",
    )
    checked: list[str] = []
    failures: list[str] = []
    for name, callback, pattern in ALL_URLS:
        if pattern.startswith("api/") or "<slug:org>" not in pattern or pattern.endswith("new/"):
            continue  # a create page has no version to be stale
        if not {"GET", "POST"} <= set(declared_methods(callback)):
            continue
        get_permission = declared_permission(callback, "GET")
        post_permission = declared_permission(callback, "POST")
        try:
            url = reverse(name, kwargs={**examples.get(name, {}), "org": world.org.slug})
        except NoReverseMatch:
            continue  # the permission walk reports a URL without examples
        for role in ROLES:
            if post_permission not in (PUBLIC, AUTHENTICATED) and role not in roles_for(
                post_permission  # type: ignore[arg-type]
            ):
                continue
            if get_permission not in (PUBLIC, AUTHENTICATED) and role not in roles_for(
                get_permission  # type: ignore[arg-type]
            ):
                continue
            client.force_login(world.users[role])
            page = client.get(url)
            if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            forms = [
                f
                for f in versioned_forms(page.content.decode())
                if f["action"] in ("", url) or f["action"].split("?")[0] == url
            ]
            if not forms:
                continue
            for form in forms:
                target = form["action"] or url
                # What the browser shows next: htmx swaps the answer in; a form that redirects
                # shows the page it redirects to.
                extra = {"HTTP_HX_REQUEST": "true"} if form["htmx"] else {"follow": True}
                with transaction.atomic():
                    response = client.post(
                        target, _stale(form["data"], TYPED.get(name, {})), **extra
                    )
                    transaction.set_rollback(True)
                html = response.content.decode()
                said = html.count(CONFLICT)
                twice = shown_twice(html)
                where = f"{name} ({role}, {target})"
                if said != 1:
                    shown = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
                    failures.append(f"{where}: the conflict is said {said} times; {shown[:3]}")
                if twice:
                    failures.append(f"{where}: errors shown twice: {twice}")
                if response.status_code not in (200, 400, 409):
                    failures.append(f"{where}: answered {response.status_code}")
                checked.append(name)
            break
    assert not failures, "\n".join(failures)
    print("Versioned forms checked:", ", ".join(sorted(set(checked))))
    # The edit pages of every module that keeps versions are among them.
    for expected in (
        "documents:edit",
        "records:correct",
        "audits:edit",
        "improvement:edit",
        "standards:clause",
        "standards:gap_row",
        "standards:soa_edit",
        "core:member_edit",
    ):
        assert expected in checked, expected

"""Every page type, as each role sees it, checked by axe-core in a real browser: no serious or
critical violation (contrast, labels, landmarks, names of controls...).

axe-core is vendored beside this test (tests/axe/, with its licence) and only ever loaded into
the test's browser: the context bypasses the Content-Security-Policy to add it, which changes
nothing else on the page. The keyboard and the phone are checked too: focus is visible on the
sidebar's links, the phone's navigation is one row with a menu button that opens the modules,
and a table becomes labelled cards.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from pdca.core.testing import PASSWORD, url_examples

AXE = Path(__file__).resolve().parent / "axe" / "axe-4.14.1.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# One page of each type: list, detail, form, dashboard, checklist, report, roles, calendar...
PAGE_TYPES = [
    "core:dashboard",
    "core:roles",
    "core:members",
    "core:calendar",
    "core:calendar_agenda",
    "core:trail",
    "core:notifications",
    "core:organization",
    "documents:list",
    "documents:detail",
    "documents:create",
    "documents:reading",
    "documents:revision",
    "improvement:list",
    "improvement:detail",
    "improvement:raise",
    "improvement:analysis",
    "records:list",
    "records:detail",
    "records:create",
    "audits:programme",
    "audits:list",
    "audits:detail",
    "audits:checklist",
    "audits:finding_create",
    "audits:finding",
    "audits:report",
    "standards:home",
    "standards:gap",
    "standards:clause",
    "standards:readiness",
    "standards:soa",
    "standards:processes",
    "standards:roadmap",
    # Webhooks
    "webhooks:list",
    "webhooks:detail",
    "webhooks:create",
]
# On a phone as well: the page types whose layout changes there.
ON_A_PHONE = [
    "core:dashboard",
    "core:calendar",
    "documents:list",
    "documents:create",
    "improvement:detail",
    "audits:checklist",
    "audits:finding_create",
    "standards:gap",
]
# Pages every role opens: each role's own view of them is checked.
EVERY_ROLE = ["core:dashboard", "documents:list", "core:roles"]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""


def page_url(world, name: str) -> str:
    examples = url_examples(world)
    kwargs = {"org": world.org.slug, **examples.get(name, {})}
    return reverse(name, kwargs=kwargs)


class Session:
    def __init__(self, browser, live_server, user, viewport) -> None:
        self.base = live_server.url
        self.context = browser.new_context(viewport=viewport, bypass_csp=True)
        self.page = self.context.new_page()
        self.page.goto(self.base + reverse("core:login"))
        self.page.fill("input[name=email]", user.email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(re.compile(r"/o/"))

    def violations(self, path: str) -> list[str] | None:
        """axe's serious and critical violations on `path`; None when the role may not open it."""
        response = self.page.goto(self.base + path)
        assert response is not None
        if response.status in (403, 404):
            return None
        assert response.status == 200, f"{path}: {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.page.add_script_tag(path=str(AXE))
        return [f"{path}: {v}" for v in self.page.evaluate(RUN_AXE)]

    def close(self) -> None:
        self.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_type_has_no_serious_accessibility_violation(live_server, browser, world):
    problems: list[str] = []
    checked = 0
    for viewport, names in ((DESKTOP, PAGE_TYPES), (PHONE, ON_A_PHONE)):
        session = Session(browser, live_server, world.mr, viewport)
        for name in names:
            found = session.violations(page_url(world, name))
            assert found is not None, f"{name} refused to the management representative"
            problems += found
            checked += 1
        session.close()
    # The sign-in page, before anyone is signed in.
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("core:login"))
    page.add_script_tag(path=str(AXE))
    problems += [f"login: {v}" for v in page.evaluate(RUN_AXE)]
    context.close()
    assert checked == len(PAGE_TYPES) + len(ON_A_PHONE)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_role_sees_its_pages_without_a_serious_violation(live_server, browser, world):
    problems: list[str] = []
    for user in (world.top, world.owner, world.auditor, world.employee, world.external):
        session = Session(browser, live_server, user, DESKTOP)
        for name in EVERY_ROLE:
            problems += session.violations(page_url(world, name)) or []
        session.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_focus_is_visible_on_the_sidebar(live_server, browser, world):
    session = Session(browser, live_server, world.mr, DESKTOP)
    page = session.page
    page.goto(live_server.url + page_url(world, "core:dashboard"))
    link = page.locator("nav.sidebar a").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.closest('nav.sidebar') !== null, s.outlineStyle,"
        " parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] and outline[1] != "none" and outline[2] >= 2, outline
    session.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_phone_has_one_row_of_navigation_and_a_menu_button(live_server, browser, world):
    session = Session(browser, live_server, world.mr, PHONE)
    page = session.page
    page.goto(live_server.url + page_url(world, "documents:list"))
    button = page.locator("button[data-menu-toggle]")
    assert button.is_visible()
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#modules").is_visible()
    # The header is one row: the page's heading starts near the top.
    top = page.locator("main h1").first.bounding_box()
    assert top is not None and top["y"] < 120, top
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#modules a").first.is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#modules").is_visible()
    # A table is a stack of labelled cards: its head is hidden, each cell names its column.
    table = page.locator("main table").first
    assert "stackable" in (table.get_attribute("class") or "")
    cell = table.locator("tbody tr td[data-label]").first
    assert cell.get_attribute("data-label")
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('main table tbody tr')).display"
        )
        == "block"
    )
    # No sideways scrolling on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    session.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_clause_picker_of_the_finding_form_is_searchable(live_server, browser, world):
    session = Session(browser, live_server, world.mr, DESKTOP)
    page = session.page
    page.goto(live_server.url + page_url(world, "audits:finding_create"))
    page.wait_for_selector(".ts-wrapper")
    native = page.locator("select#id_clause")
    assert native.get_attribute("data-picker") == "one"
    options = native.locator("option").count()
    page.locator("select#id_clause ~ .ts-wrapper .ts-control").click()
    # Type only once the picker's search field has the focus (a loaded machine is slow to move it).
    page.wait_for_function("() => document.activeElement.id === 'id_clause-ts-control'")
    # fill() sets the text in one input event: keystrokes typed on a loaded machine were lost
    # while the picker was still opening its dropdown.
    page.locator("#id_clause-ts-control").fill("8.5")
    page.wait_for_function("() => document.activeElement.value === '8.5'")
    state = page.evaluate(
        "() => [document.activeElement.id, document.activeElement.value,"
        " document.querySelector('#id_clause').tomselect.lastQuery]"
    )
    assert state[0] == "id_clause-ts-control" and state[1] == "8.5", state
    page.wait_for_timeout(300)
    shown = page.locator(".ts-dropdown .option:visible")
    assert 0 < shown.count() < options
    assert "8.5" in shown.first.inner_text()
    shown.first.click()
    assert native.evaluate("s => s.value") != ""
    session.close()

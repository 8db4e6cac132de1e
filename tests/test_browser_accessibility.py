"""Every page type, as each role sees it, checked by axe-core in a real browser: no serious or
critical violation (contrast, labels, landmarks, names of controls...).

axe-core is vendored beside this test (tests/axe/, with its licence) and only ever loaded into
the test's browser: the context bypasses the Content-Security-Policy to add it, which changes
nothing else on the page. The keyboard and the phone are checked too: focus is visible on the
sidebar's links, the phone's navigation is one row with a menu button that opens the modules,
and a table becomes labelled cards.
"""

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from pdca.core.testing import PASSWORD, url_examples

AXE = Path(__file__).resolve().parent / "axe" / "axe-4.14.1.min.js"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
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
    # Every other page of the core modules, so that each page type is checked.
    "core:home",  # the summary of a member's organizations
    "core:my_work",
    "core:calendar_feeds",
    "core:calendar_reminders",
    "core:site_create",
    "core:site_edit",
    "core:department_create",
    "core:department_edit",
    "core:member_invite",
    "core:member_edit",
    "core:job",
    "core:task_failures",
    "core:profile",
    "core:notification_preferences",
    "core:password_change",
    "core:two_factor_setup",
    "documents:external_register",
    "documents:external_edition",
    "documents:external_check",
    "documents:numbering",
    "documents:edit",
    "documents:distribution",
    "documents:revise",
    "documents:review",
    "documents:obsolete",
    "documents:revision_edit",
    "documents:revision_sign",
    "documents:revision_release",
    "documents:revision_diff",
    "improvement:edit",
    "improvement:root_cause",
    "improvement:action_add",
    "improvement:action_update",
    "improvement:check_plan",
    "improvement:check_record",
    "improvement:closure_steps",
    "improvement:close",
    "improvement:cancel",
    "records:types",
    "records:type_create",
    "records:type_edit",
    "records:correct",
    "records:trigger",
    "records:hold",
    "records:dispose",
    "audits:programme_create",
    "audits:programme_edit",
    "audits:create",
    "audits:templates",
    "audits:edit",
    "audits:status",
    "audits:schedule_add",
    "audits:checklist_edit",
    "audits:findings",
    "audits:sign",
    "standards:choose",
    "standards:readiness_print",
    "standards:scope",
    "standards:exclusions",
    "standards:exclusion_withdraw",
    "standards:soa_print",
    "standards:soa_edit",
    "standards:evidence_unlink",
    "standards:process_map",
    "standards:process_create",
    "standards:process",
    "standards:process_edit",
    "standards:roadmap_edit",
    # --- Other modules' page types: each module appends its block below this line. ---
    # Webhooks
    "webhooks:list",
    "webhooks:detail",
    "webhooks:create",
    # Objectives and KPIs
    "objectives:list",
    "objectives:detail",
    "objectives:kpis",
    "objectives:kpi",
    "objectives:record",
    "objectives:approvals",
    "objectives:approval",
    "objectives:enter",
    "objectives:import",
    "objectives:performance",
    "objectives:improve",
    "objectives:compute",
    # certification
    "certification:overview",
    "certification:certificate",
    "certification:audit",
    "certification:audit_new",
    "certification:finding_new",
    "certification:bodies",
    # The register of legal and other requirements
    "compliance:list",
    "compliance:detail",
    "compliance:create",
    "compliance:evaluate",
    "compliance:evaluations",
    # Environmental aspects
    "ehs:aspects",
    "ehs:aspect",
    "ehs:aspect_create",
    "ehs:hazards",
    "ehs:hazard",
    "ehs:hazard_create",
    "ehs:incidents",
    "ehs:incident",
    "ehs:incident_report",
    "ehs:participation",
    "ehs:event",
    "ehs:event_create",
    # Management review
    "reviews:list",
    "reviews:detail",
    "reviews:create",
    "reviews:input",
    "reviews:hold",
    # The other pages of the modules above.
    "certification:audit_cancel",
    "certification:audit_edit",
    "certification:audit_held",
    "certification:audits",
    "certification:body",
    "certification:body_edit",
    "certification:body_new",
    "certification:certificate_edit",
    "certification:certificate_new",
    "certification:certificate_status",
    "certification:event_new",
    "certification:finding_answer",
    "certification:pack",
    "certification:access_new",
    "certification:selections",
    "certification:selection",
    "certification:selection_new",
    "certification:candidate_new",
    "certification:candidate_edit",
    "certification:access_end",
    "certification:request_answer",
    "certification:opened",
    "compliance:edit",
    "compliance:evaluation_correct",
    "compliance:withdraw",
    "ehs:aspect_edit",
    "ehs:aspect_withdraw",
    "ehs:criteria",
    "ehs:hazard_edit",
    "ehs:hazard_withdraw",
    "ehs:control_create",
    "ehs:control_edit",
    "ehs:incident_investigate",
    "ehs:incident_raise",
    "ehs:incident_close",
    "ehs:incident_settings",
    "ehs:event_edit",
    "ehs:event_withdraw",
    "ehs:mechanism_create",
    "ehs:mechanism_edit",
    "ehs:mechanism_withdraw",
    "ehs:barrier_create",
    "ehs:barrier_edit",
    "objectives:action_add",
    "objectives:action_update",
    "objectives:correct",
    "objectives:create",
    "objectives:edit",
    "objectives:kpi_create",
    "objectives:kpi_edit",
    "objectives:raise_nc",
    "objectives:withdraw",
    "reviews:edit",
    "reviews:output_add",
    "reviews:output_update",
    "reviews:prepare",
    "webhooks:edit",
    "webhooks:secret",
    "webhooks:test",
    # People and competence
    "people:matrix",
    "people:person",
    "people:job_role",
    "people:session",
    "people:record_create",
    "people:assign",
    "people:attendance_record",
    "people:competence_create",
    "people:competence_edit",
    "people:competences",
    "people:course_create",
    "people:course_edit",
    "people:job_role_create",
    "people:job_role_edit",
    "people:job_roles",
    "people:person_edit",
    "people:record",
    "people:record_correct",
    "people:record_withdraw",
    "people:requirement_create",
    "people:requirement_edit",
    "people:session_create",
    "people:session_evaluate",
    "people:training",
    "people:awareness_list",
    "people:awareness",
    "people:awareness_create",
    "people:awareness_edit",
    "people:awareness_ask_again",
    "people:awareness_acknowledge",
    "people:gaps",
    # Risks and opportunities, context, ISMS risk assessment
    "risks:list",
    "risks:detail",
    "risks:heatmap",
    "risks:method",
    "risks:context",
    "risks:parties",
    "risks:assets",
    "risks:runs",
    "risks:run",
    "risks:action_add",
    "risks:action_update",
    "risks:assess",
    "risks:asset_create",
    "risks:asset_edit",
    "risks:close",
    "risks:context_settings",
    "risks:controls",
    "risks:create",
    "risks:edit",
    "risks:evaluate",
    "risks:issue_create",
    "risks:issue_edit",
    "risks:issue_retire",
    "risks:method_approve",
    "risks:method_create",
    "risks:party_create",
    "risks:party_edit",
    "risks:requirement_add",
    "risks:requirement_edit",
    "risks:run_create",
    "risks:scenario",
    "risks:treat",
    # Suggestions, customer feedback and announcements
    "engagement:suggestions",
    "engagement:suggest",
    "engagement:suggestion",
    "engagement:suggestion_accept",
    "engagement:suggestion_decline",
    "engagement:suggestion_duplicate",
    "engagement:feedback",
    "engagement:feedback_create",
    "engagement:feedback_detail",
    "engagement:feedback_edit",
    "engagement:feedback_respond",
    "engagement:feedback_raise",
    "engagement:announcements",
    "engagement:announce",
    "engagement:announcement",
    "engagement:acknowledge",
    "risks:soa_revisions",
    "risks:soa_approve",
    "risks:soa_revision",
    "risks:reasons",
    "risks:reason_create",
    "risks:reason_edit",
    "risks:from_nc",
]
# Pages seen before signing in.
ANONYMOUS = [
    "core:login",
    "core:password_reset",
    "core:password_reset_done",
    "core:password_reset_complete",
]
# What is no page to check: files, feeds, redirects, fragments and answers to a POST.
NOT_PAGES = {
    "people:matrix_export",  # POST only: starts the export's job
    "reviews:minutes_pdf",
    "core:service_worker",
    "core:manifest",
    "core:logout",  # signs out and redirects
    "core:token_create",  # the profile page's form posts here
    "core:token_revoke",
    "core:password_reset_confirm",  # opened from the e-mailed link (its token)
    "core:two_factor_verify",  # between password and second factor
    "core:calendar_feed",
    "core:job_download",
    "core:notification_open",  # marks read and redirects to what it names
    "core:trail_receipt",  # a file
    "standards:readiness_export",
    "standards:soa_export",
    "standards:gap_row",  # a row of the gap analysis, swapped in by htmx
    "standards:gap_bulk",
    # Forms of other pages post here (a GET is refused with 405).
    "audits:conflict_resolve",
    "standards:evidence_add",
    "standards:action_from_gap",
    "standards:evidence_share",
    "standards:assessment_confirm",
    "documents:revision_file",
    "documents:revision_pdf",
    "records:attach",
    "records:attachment",
    "audits:checklist_sync",
    "audits:photo_upload",
    "audits:photo",
    "audits:report_pdf",
    "objectives:performance_export",  # a file
    "certification:pack_start",
    "certification:pack_download",
    "ehs:incident_export",
    "ehs:incident_photo",
    "ehs:event_minutes",
}
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
    "core:home",
    "core:my_work",
    "core:calendar_agenda",
    "core:notification_preferences",
    "records:detail",
    "standards:clause",
    "engagement:suggest",
]
# Pages every role opens: each role's own view of them is checked.
EVERY_ROLE = ["core:dashboard", "documents:list", "core:roles", "core:my_work", "core:home"]
# Pages only one role or person may open, checked as them: top management signs the review's
# minutes, approves the year's objectives and decides the choice of certification body; the
# trainee (the test world's employee) confirms their own attendance; the risk's owner (the
# process owner) accepts its residual risk; an external auditor asks for a document.
BY_THEIR_OWNER = {
    "certification:request_new": "external",
    "reviews:sign": "top",
    "people:attendance_confirm": "employee",
    "risks:accept": "owner",
    "objectives:approve": "top",
    "certification:selection_decide": "top",
}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""


def _playwright_error() -> type[Exception]:
    try:
        from playwright.sync_api import Error
    except ImportError:  # the page list's own test runs without a browser
        return Exception
    return Error


PlaywrightError = _playwright_error()


def page_url(world, name: str) -> str:
    examples = url_examples(world)
    kwargs = {"org": world.org.slug, **examples.get(name, {})}
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page of one's account, outside any organization
        kwargs.pop("org")
        return reverse(name, kwargs=kwargs)


def test_the_page_list_names_every_page():
    """Every page of the URLconf is checked (or named as no page), on the list above."""
    from pdca.core.tests.test_permissions_walk import ALL_URLS, declared_methods

    pages = {
        name
        for name, callback, pattern in ALL_URLS
        if not pattern.startswith("api/") and "GET" in declared_methods(callback)
    }
    listed = set(PAGE_TYPES) | set(BY_THEIR_OWNER) | set(ANONYMOUS) | NOT_PAGES
    assert not pages - listed, f"Pages axe does not check: {sorted(pages - listed)}"
    assert set(ON_A_PHONE) <= set(PAGE_TYPES) and set(EVERY_ROLE) <= set(PAGE_TYPES)


class Session:
    def __init__(self, browser, live_server, user, viewport) -> None:
        self.base = live_server.url
        self.context = browser.new_context(viewport=viewport, bypass_csp=True)
        self.page = self.context.new_page()
        self.page.goto(self.base + reverse("core:login"))
        self.page.fill("input[name=email]", user.email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        # An organization's dashboard, or the summary of several for a member of more than one.
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def violations(self, path: str) -> list[str] | None:
        """axe's serious and critical violations on `path`; None when the role may not open it."""
        try:
            response = self.page.goto(self.base + path)
        except PlaywrightError as error:  # an answer with no page: said, and the next page
            return [f"{path}: not opened ({error.message.splitlines()[0]})"]
        assert response is not None
        if response.status in (403, 404):
            return None
        if response.status != 200:
            return [f"{path}: answered {response.status}"]
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
    # The platform's pages (failed background tasks) are its administrator's.
    type(world.mr).objects.filter(pk=world.mr.pk).update(is_staff=True)
    for viewport, names in ((DESKTOP, PAGE_TYPES), (PHONE, ON_A_PHONE)):
        session = Session(browser, live_server, world.mr, viewport)
        for name in names:
            found = session.violations(page_url(world, name))
            assert found is not None, f"{name} refused to the management representative"
            problems += found
            checked += 1
        session.close()
    # The pages before anyone is signed in, on a phone and a desktop.
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name in ANONYMOUS:
            page.goto(live_server.url + reverse(name))
            page.add_script_tag(path=str(AXE))
            problems += [f"{name}: {v}" for v in page.evaluate(RUN_AXE)]
            checked += 1
        context.close()
    assert checked == len(PAGE_TYPES) + len(ON_A_PHONE) + 2 * len(ANONYMOUS)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_role_sees_its_pages_without_a_serious_violation(live_server, browser, world):
    from pdca.core import services

    # A consultant with two client organizations: "core:home" is their summary of both.
    services.membership_add(
        actor=None, organization=world.other_org, user=world.consultant, roles=["consultant"]
    )
    problems: list[str] = []
    w = world
    for user in (w.top, w.owner, w.auditor, w.employee, w.external, w.consultant):
        session = Session(browser, live_server, user, DESKTOP)
        for name in EVERY_ROLE:
            problems += session.violations(page_url(world, name)) or []
        for name in [n for n, who in BY_THEIR_OWNER.items() if getattr(w, who) == user]:
            found = session.violations(page_url(world, name))
            assert found is not None, f"{name} refused to {user}"
            problems += found
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_account_menu_is_one_line_with_its_icon_and_chevron(live_server, browser, world):
    """The account menu: an icon (no emoji a browser may lack the font for), the name on one
    line and the chevron beside it, on a desktop and (without the name) on a phone."""
    for viewport, name_shown in ((DESKTOP, True), (PHONE, False)):
        session = Session(browser, live_server, world.mr, viewport)
        page = session.page
        page.goto(live_server.url + page_url(world, "standards:gap"))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"account-menu-{viewport['width']}.png"))
        summary = page.locator("#user-menu summary")
        box = summary.bounding_box()
        assert box is not None and box["height"] < 48, box  # one line, not two
        assert summary.locator("svg.icon-circle-user").is_visible()
        name = summary.locator(".summary-text")
        assert name.is_visible() == name_shown
        if name_shown:
            assert name.inner_text() == world.mr.display_name
            # The whole name fits: it is not cut off.
            assert name.evaluate("e => e.scrollWidth <= e.clientWidth")
        # The chevron sits on the summary's line, after the name.
        chevron = summary.evaluate(
            "s => { const a = getComputedStyle(s, '::after');"
            " return [a.float, a.backgroundImage !== 'none', getComputedStyle(s).display]; }"
        )
        assert chevron == ["none", True, "flex"], chevron
        session.close()

"""The key pages in a real browser under pdca's Content-Security-Policy, with no violation.

The policy (`CONTENT_SECURITY_POLICY` in settings/base.py) is the one production sends; the
live server sends it too. Every CSP violation the browser reports (a refused script, style,
image or connection) and every uncaught script error fails the test, so that a page that
needs an inline script or style, or a library that injects one, is found here. The idle
sign-out of an htmx request is seen from the browser as well.
"""

import re
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from pdca.audits import services as audits
from pdca.core.security import LAST_SEEN
from pdca.core.testing import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
# Reports every violation to the test, on every page the context opens.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.pdcaCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} `
    + `in ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""


class Watched:
    """A browser context that collects CSP violations, policy errors and script errors."""

    def __init__(self, browser, live_server, user) -> None:
        self.base = live_server.url
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.expose_function("pdcaCspViolation", lambda text: self.problems.append(text))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("console", self._console)
        self.page.goto(self.base + reverse("core:login"))
        self.page.fill("input[name=email]", user.email)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(re.compile(r"/o/"))

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and re.search(r"Content.Security|Permissions.Policy", text):
            self.problems.append(f"console: {text}")

    def open(self, path: str, name: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        self.page.wait_for_load_state("networkidle")
        self.shot(name)

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"csp-{name}.png"), full_page=True)

    def check(self) -> None:
        # Let a late violation report arrive before judging.
        self.page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
        assert not self.problems, "\n".join(self.problems)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_run_under_the_csp_without_a_violation(live_server, browser, world):
    org = world.org.slug
    # The policy sent is the one this test means.
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
    # A second programme, so that the programme page shows its chooser.
    today = world.extra["au_programme"].cycle_start
    later = audits.programme_save(
        actor=world.mr,
        organization=world.org,
        title="Audit programme 2028-2030",
        cycle_start=today.replace(year=today.year + 3),
        cycle_end=today.replace(year=today.year + 5, month=12, day=31),
    )
    mr = Watched(browser, live_server, world.mr)
    page = mr.page

    # The dashboard: readiness meters (no inline widths), attention cards.
    mr.open(reverse("core:dashboard", kwargs={"org": org}), "dashboard")
    assert page.locator("meter.meter").count() >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('meter.meter')).width") != "0px"
    mr.check()

    # A chart page: Chart.js and the page's own chart script, both files.
    mr.open(reverse("improvement:analysis", kwargs={"org": org}), "analysis")
    assert page.evaluate("!!Chart.getChart(document.getElementById('chart-by_month'))")
    mr.check()

    # htmx: the gap analysis filters its rows in place and pushes the URL.
    os9 = world.extra["iso9001"]
    mr.open(reverse("standards:gap", kwargs={"org": org, "pk": os9.pk}), "gap")
    with page.expect_response(lambda r: "q=8.5" in r.url and r.request.headers.get("hx-request")):
        page.fill("#gap-q", "8.5")
    page.wait_for_url(re.compile(r"q=8\.5"))
    assert "8.5" in page.inner_text("#gap-rows")
    mr.check()

    # The records list, the process map, the Statement of Applicability's print view.
    mr.open(reverse("records:list", kwargs={"org": org}), "records")
    with page.expect_response(lambda r: "q=zzz" in r.url):
        page.fill("#id_q", "zzz")
    mr.open(reverse("standards:process_map", kwargs={"org": org}), "process-map")
    mr.open(
        reverse("standards:soa_print", kwargs={"org": org, "pk": world.extra["iso27001"].pk}),
        "soa-print",
    )
    mr.check()

    # The programme chooser submits on change (was an onchange attribute).
    mr.open(reverse("audits:programme", kwargs={"org": org}), "programme")
    page.select_option("select[name=programme]", str(later.pk))
    page.wait_for_url(re.compile(rf"programme={later.pk}"))
    mr.check()

    # A revision's comparison form opens the diff (was an onsubmit attribute); the diff is
    # styled from the documents stylesheet (was a <style> block).
    draft = world.extra["draft_revision"]
    mr.open(reverse("documents:revision", kwargs={"org": org, "pk": draft.pk}), "revision")
    page.click("form[data-go-to-choice] button[type=submit]")
    page.wait_for_url(re.compile(r"/diff/\d+/$"))
    page.wait_for_load_state("networkidle")
    assert "monospace" in page.evaluate(
        "getComputedStyle(document.querySelector('table.diff')).fontFamily"
    )
    mr.shot("diff")
    mr.check()

    # Swagger UI from drf-spectacular-sidecar renders the operations.
    mr.open(reverse("api-docs"), "api-docs")
    page.wait_for_selector(".opblock", timeout=20000)
    mr.shot("api-docs")
    mr.check()

    # The collector does see a violation: a style attribute set from script is refused.
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
    assert any("style-src-attr" in p for p in mr.problems), mr.problems
    mr.problems.clear()

    # Idle too long: the next htmx request takes the browser to sign-in, with the reason.
    mr.open(reverse("records:list", kwargs={"org": org}), "records-again")
    cookie = next(c for c in mr.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] = int(time.time()) - settings.PDCA_SESSION_IDLE_SECONDS - 1
    session.save()
    page.fill("#id_q", "calibration")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert page.get_by_text("without activity").is_visible()
    mr.shot("idle-signed-out")
    mr.check()
    mr.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_offline_checklist_runs_under_the_csp(live_server, browser, world):
    audit = world.extra["au_audit"]
    auditor = Watched(browser, live_server, world.auditor)
    page = auditor.page
    auditor.open(
        reverse("audits:checklist", kwargs={"org": world.org.slug, "pk": audit.pk}), "checklist"
    )
    question = audit.questions.order_by("position").first()
    assert question is not None
    page.check(f"#q-{question.pk} input[value=conform]")
    # The page's script saves the answer on the device, then syncs it to the server.
    page.locator(f"#q-{question.pk} .q-state").filter(has_text="Synced").wait_for()
    question.refresh_from_db()
    assert question.answer == "conform"
    auditor.shot("checklist-synced")
    auditor.check()
    auditor.context.close()

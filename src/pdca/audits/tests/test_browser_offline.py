"""A field audit with an offline stretch, in a real browser on a desktop and on a 390 px phone.

The auditor opens the checklist online (the service worker keeps it on the device), loses the
network, types answers without leaving the fields, attaches a photo the server will refuse (an
HTML file named .jpg) and good ones, reloads the page offline, and comes back online: the
refused photo is set aside with the server's reason and a choice while everything after it
syncs. Signed out meanwhile, the queue waits for a new sign-in and is then sent with the new
CSRF token. Signing out forgets the pages kept on the device.
"""

import re
from pathlib import Path

import pytest
from django.core.signals import request_started
from django.urls import reverse

from pdca.audits import services
from pdca.audits.models import ChecklistPhoto, ChecklistQuestion
from pdca.audits.testing import PNG
from pdca.core.testing import PASSWORD

DOCS = Path(__file__).resolve().parents[4] / "docs"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
NOT_AN_IMAGE = b"<!doctype html><html><body><h1>Not a photo</h1></body></html>"


def count(page, name: str) -> str:
    return page.get_attribute("#pending-count", f"data-{name}") or ""


def wait_synced(page, timeout: int = 20000) -> None:
    page.wait_for_function(
        "() => document.getElementById('pending-count').dataset.count === '0'", timeout=timeout
    )


def wait_state(page, question: str, text: str) -> None:
    """Wait until the question's line under its fields says `text`."""
    page.wait_for_function(
        "([q, text]) => document.querySelector(q + ' .q-state').textContent === text",
        arg=[question, text],
    )


def wait_count(page, name: str, value: str) -> None:
    page.wait_for_function(
        "([name, value]) => document.getElementById('pending-count').dataset[name] === value",
        arg=[name, value],
    )


def offline(context, page, on: bool) -> None:
    """No network for the page nor for its service worker."""
    context.set_offline(on)
    state = "offline" if on else "online"
    page.wait_for_function(
        f"() => document.getElementById('net-state').textContent.startsWith('{state}')"
    )


def sign_in(page, base: str, user, next_url: str = "") -> None:
    page.goto(base + reverse("core:login") + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_field_audit_offline_with_a_refused_photo_and_a_reload(live_server, browser, world, size):
    base = live_server.url
    audit = world.extra["au_audit"]
    # A flushed database (after an earlier browser test) has no catalogue to generate from.
    for n in range(4 - audit.questions.count()):
        services.question_save(actor=world.auditor, audit=audit, text=f"Question {n + 1}?")
    questions = list(ChecklistQuestion.objects.filter(audit=audit).order_by("position"))
    q1, q2, q3, q4 = (f"#q-{q.pk}" for q in questions[:4])
    checklist = reverse("audits:checklist", kwargs={"org": world.org.slug, "pk": audit.pk})
    photos_before = ChecklistPhoto.objects.count()

    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, world.auditor)
    page.goto(base + checklist)
    # The service worker keeps this checklist (and the auditor's others) on the device.
    page.wait_for_selector("#checklist[data-offline-ready='1']", timeout=20000)
    assert page.inner_text("#offline-ready") == "Available offline"
    page.check(f"{q1} input[value=conform]")
    wait_state(page, q1, "Synced")

    # The network drops. Typing is queued without leaving the field, once per question.
    offline(context, page, True)
    reached: list[str] = []

    def reaching(sender, environ, **kwargs):
        reached.append(environ["PATH_INFO"])

    request_started.connect(reaching)
    page.check(f"{q2} input[value=nonconform]")
    page.click(f"{q2} textarea[name=notes]")
    page.keyboard.type("Supplier list not approved since 2023")
    page.click(f"{q2} textarea[name=evidence_seen]")
    page.keyboard.type("Approved supplier list rev 4")
    wait_state(page, q2, "Saved on this device")
    page.wait_for_timeout(900)  # past the typing pause: the last keys are queued too
    assert count(page, "questions") == "1", "three fields of one question count once"
    page.set_input_files(
        f"{q2} input[name=photo]",
        files=[{"name": "evidence.jpg", "mimeType": "image/jpeg", "buffer": NOT_AN_IMAGE}],
    )
    page.check(f"{q3} input[value=observation]")
    page.set_input_files(
        f"{q3} input[name=photo]",
        files=[{"name": "store.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.wait_for_function("() => document.getElementById('pending-count').dataset.photos === '2'")
    assert page.inner_text("#pending-count") == "2 questions not yet synced, 2 photos"
    assert ChecklistQuestion.objects.get(pk=questions[1].pk).answer == ""

    # Reloading without a network opens the kept page, with everything typed still there.
    page.reload()
    page.wait_for_function("() => document.getElementById('pending-count').dataset.photos === '2'")
    assert page.input_value(f"{q2} textarea[name=notes]") == "Supplier list not approved since 2023"
    assert page.input_value(f"{q2} textarea[name=evidence_seen]") == "Approved supplier list rev 4"
    assert page.is_checked(f"{q2} input[value=nonconform]")
    assert page.is_checked(f"{q1} input[value=conform]")
    assert "evidence.jpg (on this device)" in page.inner_text(f"{q2} .photos")
    page.fill(f"{q4} textarea[name=notes]", "Asked for the calibration records")
    wait_count(page, "questions", "3")
    request_started.disconnect(reaching)
    assert reached == [], "offline, nothing reached the server"

    # Back online: the refused photo is set aside with the server's reason; the rest syncs.
    offline(context, page, False)
    wait_synced(page)
    aside = page.locator(f"{q2} .aside")
    aside.wait_for()
    assert "This photo was not accepted: This is not a JPEG, PNG, GIF or WebP image." in (
        aside.inner_text()
    )
    assert "{" not in aside.inner_text(), "a person reads a sentence, not JSON"
    assert page.get_attribute("#aside-count", "data-count") == "1"
    saved = {q.pk: q for q in ChecklistQuestion.objects.filter(pk__in=[q.pk for q in questions])}
    second = saved[questions[1].pk]
    assert (second.answer, second.notes, second.evidence_seen) == (
        "nonconform",
        "Supplier list not approved since 2023",
        "Approved supplier list rev 4",
    )
    assert saved[questions[2].pk].answer == "observation"
    assert saved[questions[3].pk].notes == "Asked for the calibration records"
    assert ChecklistPhoto.objects.filter(question=questions[2], name="store.png").exists()
    if size == "phone":
        aside.evaluate(
            "(node) => window.scrollTo(0, node.getBoundingClientRect().bottom + window.scrollY"
            " - window.innerHeight + 24)"
        )
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "screenshot-checklist-phone.png"))

    # The set-aside photo survives a reload, and is replaced by a real one.
    page.reload()
    aside = page.locator(f"{q2} .aside")
    aside.wait_for()
    aside.locator("input[type=file]").set_input_files(
        files=[{"name": "evidence.png", "mimeType": "image/png", "buffer": PNG}]
    )
    aside.wait_for(state="detached")
    wait_state(page, q2, "Photo synced")
    assert page.get_attribute("#aside-count", "hidden") is not None
    assert ChecklistPhoto.objects.filter(question=questions[1], name="evidence.png").exists()
    assert ChecklistPhoto.objects.count() == photos_before + 2

    # Another refused photo is discarded: the first press only asks.
    page.set_input_files(
        f"{q3} input[name=photo]",
        files=[{"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": NOT_AN_IMAGE}],
    )
    aside = page.locator(f"{q3} .aside")
    aside.wait_for()
    aside.get_by_role("button", name="Discard").click()
    assert aside.is_visible()
    aside.get_by_role("button", name="Discard it for good?").click()
    aside.wait_for(state="detached")
    wait_synced(page)
    assert ChecklistPhoto.objects.count() == photos_before + 2

    # Signed out while offline (the session ended): the queue waits for a new sign-in, then
    # goes out with the CSRF token of the new session.
    offline(context, page, True)
    page.fill(f"{q4} textarea[name=evidence_seen]", "Calibration plan 2025")
    page.wait_for_function("() => document.getElementById('pending-count').dataset.count === '1'")
    context.clear_cookies(name="sessionid")
    offline(context, page, False)
    page.wait_for_selector("#sync-problem:not([hidden])")
    assert "You are signed out" in page.inner_text("#sync-problem")
    assert count(page, "questions") == "1"
    page.click("#sync-problem a")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=email]", world.auditor.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/checklist/$"))
    wait_synced(page)
    for _attempt in range(50):  # the last answer may still be on its way to the database
        fourth = ChecklistQuestion.objects.get(pk=questions[3].pk)
        if fourth.evidence_seen:
            break
        page.wait_for_timeout(200)
    assert (fourth.notes, fourth.evidence_seen) == (
        "Asked for the calibration records",
        "Calibration plan 2025",
    )
    page.wait_for_selector("#checklist[data-offline-ready='1']", timeout=20000)

    # Signing out forgets the kept pages: offline, the checklist is not shown to anyone.
    page.evaluate("document.querySelector('form[action$=\"/accounts/logout/\"]').submit()")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.wait_for_function(
        "async () => (await caches.keys()).every((name) => !name.startsWith('pdca-pages-'))"
    )
    context.set_offline(True)
    page.goto(base + checklist)
    assert page.locator("h1").inner_text() == "You are offline"
    assert "Supplier list" not in page.content()
    assert not errors, errors
    context.close()

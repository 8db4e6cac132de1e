"""What a German-speaking user meets outside the pages: the notification e-mails (text and HTML,
each kind and the digest) and the error pages (400, 403, 404, 500) are in German."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from pdca.core.notifications.registry import KINDS
from pdca.core.testing import english_left, english_words

NAME = "Erika Muster"


def _english(html: str) -> list[str]:
    data = {NAME, "Neu GmbH"}
    return english_words(html, data) + english_left(html, data=data)


def _as_html(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def _sentence(kind) -> str:
    """The kind's sentence with a German word for each of its placeholders."""
    with translation.override("de"):
        names = re.findall(r"%\((\w+)\)s", str(kind.message))
        return kind.sentence("Qualitätspolitik", {n: "Qualitätspolitik" for n in names})


@pytest.mark.django_db
def test_every_notification_email_is_german_for_a_german_recipient(world):
    world.employee.full_name = NAME
    world.employee.language = "de"
    assert len(KINDS) > 10
    left = {}
    for code, kind in sorted(KINDS.items()):
        with translation.override("de"):
            item = {
                "sentence": _sentence(kind),
                "link": "https://pdca.example/o/neu/",
                "kind": kind.label,
            }
            context = {"item": item, "org": {"name": "Neu GmbH"}, "user": world.employee}
            text = render_to_string("core/notifications/email.txt", {**context, "subject": "x"})
            html = render_to_string("core/notifications/email.html", {**context, "subject": "x"})
            label = str(kind.label)
        assert 'lang="de"' in html, code
        found = _english(_as_html(text)) + _english(html) + _english(f"<p>{escape(label)}</p>")
        if found:
            left[code] = found
    assert not left, left


@pytest.mark.django_db
def test_the_digest_is_german_for_a_german_recipient(world):
    world.employee.full_name = NAME
    items = [
        {"sentence": _sentence(kind), "link": "https://pdca.example/", "org": "Neu GmbH"}
        for kind in KINDS.values()
    ]
    with translation.override("de"):
        context = {"items": items, "day": datetime.date(2026, 3, 2), "user": world.employee}
        text = render_to_string("core/notifications/digest.txt", {**context, "subject": "x"})
        html = render_to_string("core/notifications/digest.html", {**context, "subject": "x"})
    assert "Hallo" in text and 'lang="de"' in html
    assert not _english(_as_html(text)) and not _english(html)


def _german_client(world):
    client = Client(raise_request_exception=False)
    world.employee.language = "de"
    world.employee.save(update_fields=["language"])
    client.force_login(world.employee)
    return client


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_the_error_pages_speak_german(world):
    client = _german_client(world)
    not_found = client.get("/o/acme/no/such/page/")
    forbidden = client.get(reverse("core:trail", kwargs={"org": "acme"}))
    broken = client.get("/broken/")
    for response, status, german in (
        (not_found, 404, "Nicht gefunden"),
        (forbidden, 403, "Nicht erlaubt"),
        (broken, 500, "Etwas ist schiefgelaufen"),
    ):
        html = response.content.decode()
        assert response.status_code == status
        assert german in html, (status, html[:500])
        assert not _english(html), (status, _english(html))
    # Who is not known yet (a bad host) is answered in their browser's language.
    bad = Client().get("/accounts/login/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="de")
    assert bad.status_code == 400
    assert not _english(bad.content.decode()), _english(bad.content.decode())


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_an_api_error_of_a_german_user_is_german(world):
    client = _german_client(world)
    assert client.get("/api/v1/broken/").json() == {"detail": "Interner Fehler.", "status": 500}

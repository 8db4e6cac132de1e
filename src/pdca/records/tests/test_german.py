"""The record pages in German: no English label left, the German ones shown."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = {
    "records:list": (
        ["Records", "Keep a record", "Record types", "Disposal queue", "Keep until", "Filter"],
        ["Aufzeichnungen", "Aufzeichnung erfassen", "Aufzeichnungsarten", "Aufbewahren bis"],
    ),
    "records:detail": (
        ["Where kept", "Keep until", "Confidentiality", "Files", "Place legal hold", "Attach"],
        ["Aufbewahrungsort", "Aufbewahren bis", "Vertraulichkeit", "Dateien", "Anhängen"],
    ),
    "records:types": (
        ["Record types", "New record type", "Where kept", "Retention", "months"],
        ["Aufzeichnungsarten", "Neue Aufzeichnungsart", "Aufbewahrungsfrist", "Monate"],
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_record_pages_in_german(world, login, name):
    client = login(world.mr)
    kwargs = {"pk": world.extra["record"].pk} if name == "records:detail" else {}
    response = client.get(
        reverse(name, kwargs={"org": "acme", **kwargs}), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200
    # the page itself: the shared navigation around it belongs to core
    html = response.content.decode().split('id="main"', 1)[1]
    english, german = PAGES[name]
    for label in english:
        assert not re.search(rf"\b{re.escape(label)}\b", html), label
    for label in german:
        assert label in html, label

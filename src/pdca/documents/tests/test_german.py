"""The document pages in German: no English label left, the German ones shown."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def german_page(client, name, **kwargs):
    response = client.get(
        reverse(name, kwargs={"org": "acme", **kwargs}), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 200, name
    assert response.headers["Content-Language"] == "de"
    return response.content.decode()


PAGES = {
    "documents:list": (
        ["Documents", "New document", "Export XLSX", "Next review", "Filter"],
        ["Dokumente", "Neues Dokument", "Als XLSX exportieren", "Nächste Prüfung", "Filtern"],
    ),
    "documents:detail": (
        ["Edit details", "Reason for change", "Read and acknowledged", "Revisions", "Approvers"],
        [
            "Angaben bearbeiten",
            "Gelesen und bestätigt",
            "Revisionen",
            "Freigebende",
            "Vertraulichkeit",
        ],
    ),
    "documents:revision": (
        ["Reason for change", "Signatures", "Author", "not yet effective", "Effective since"],
        ["Änderungsgrund", "Unterschriften", "Verfasser", "Gültig seit"],
    ),
    "documents:reading": (
        ["My reading list", "I have read it", "Assigned"],
        ["Meine Leseliste", "Gelesen", "Zugewiesen"],
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_document_pages_in_german(world, login, name):
    client = login(world.mr if name != "documents:reading" else world.employee)
    kwargs = {}
    if name == "documents:detail":
        kwargs = {"pk": world.extra["document"].pk}
    elif name == "documents:revision":
        kwargs = {"pk": world.extra["effective_revision"].pk}
    html = german_page(client, name, **kwargs).split('id="main"', 1)[1]
    english, german = PAGES[name]
    for label in english:
        assert not re.search(rf"\b{re.escape(label)}\b", html), label
    for label in german:
        assert label in html, label

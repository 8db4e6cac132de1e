"""The document pages in German: no English label left, the German ones shown."""

import pytest
from django.urls import reverse

from pdca.core.testing import assert_page_translated

pytestmark = pytest.mark.django_db


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
        ["My reading list", "Open and read", "Assigned"],
        ["Meine Leseliste", "Öffnen und lesen", "Zugewiesen"],
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
    english, german = PAGES[name]
    assert_page_translated(client, reverse(name, kwargs={"org": "acme", **kwargs}), english, german)

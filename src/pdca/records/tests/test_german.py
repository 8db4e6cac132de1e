"""The record pages in German: no English label left, the German ones shown."""

import pytest
from django.urls import reverse

from pdca.core.testing import assert_page_translated

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
    english, german = PAGES[name]
    assert_page_translated(client, reverse(name, kwargs={"org": "acme", **kwargs}), english, german)

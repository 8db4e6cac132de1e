"""The nonconformity pages in German: no English label left, the German ones shown."""

import pytest
from django.urls import reverse

from pdca.core.testing import assert_page_translated

pytestmark = pytest.mark.django_db

PAGES = {
    "improvement:list": (
        ["Nonconformities", "Report a nonconformity", "Severity", "Source", "Filter"],
        ["Nichtkonformitäten", "Nichtkonformität melden", "Schwere", "Quelle", "Filtern"],
    ),
    "improvement:detail": (
        ["Root cause", "Corrective actions", "Effectiveness", "Containment", "Closure"],
        ["Ursachenanalyse", "Korrekturmaßnahmen", "Wirksamkeitsprüfung", "Sofortmaßnahme"],
    ),
    "improvement:analysis": (
        ["Analysis of nonconformities", "By source", "Recurring nonconformities", "mean days"],
        ["Analyse der Nichtkonformitäten", "Nach Quelle", "Wiederkehrende Nichtkonformitäten"],
    ),
    "improvement:action_add": (
        ["Plan a corrective action", "Save", "Back"],
        ["Korrekturmaßnahme planen", "Speichern", "Zurück"],
    ),
    "improvement:root_cause": (
        ["Five whys", "Fishbone", "Root-cause category", "Save the analysis"],
        ["Fünf Warum", "Ishikawa-Diagramm", "Ursachenkategorie", "Analyse speichern"],
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_nonconformity_pages_in_german(world, login, name):
    client = login(world.mr)
    kwargs = (
        {"pk": world.extra["im_nc"].pk}
        if name in {"improvement:detail", "improvement:root_cause", "improvement:action_add"}
        else {}
    )
    english, german = PAGES[name]
    assert_page_translated(client, reverse(name, kwargs={"org": "acme", **kwargs}), english, german)

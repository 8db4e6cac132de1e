"""The audit pages in German: no English label left, the German ones shown."""

import pytest
from django.urls import reverse

from pdca.core.testing import assert_page_translated

pytestmark = pytest.mark.django_db

PAGES = {
    "audits:programme": (
        ["New programme", "Plan an audit", "Coverage", "Overdue audits", "Audit more often"],
        ["Auditprogramm", "Audit planen", "Abdeckung", "Überfällige Audits", "Häufiger auditieren"],
    ),
    "audits:list": (
        ["All audits", "Lead auditor", "Overdue only", "Filter"],
        ["Alle Audits", "Leitender Auditor", "Nur überfällige", "Filtern"],
    ),
    "audits:detail": (
        ["Record a finding", "Lead auditor", "Auditees", "Schedule", "Findings", "Edit plan"],
        ["Feststellung erfassen", "Leitender Auditor", "Auditierte", "Auditplan", "Feststellungen"],
    ),
    "audits:checklist": (
        ["Edit questions", "Evidence seen", "Add a photo", "Notes"],
        ["Fragen bearbeiten", "Gesehene Nachweise", "Foto hinzufügen", "Notizen"],
    ),
    "audits:checklist_edit": (
        ["Add a question", "Save as a template", "Reuse a template"],
        ["Frage hinzufügen", "Als Vorlage speichern", "Vorlage wiederverwenden"],
    ),
    "audits:finding": (
        ["Requirement not met", "Back to the audit", "Acknowledged", "Evidence"],
        ["Nicht erfüllte Anforderung", "Zurück zum Audit", "Nachweis"],
    ),
    "audits:report": (
        ["Audit report", "Summary", "Conclusion", "Standards", "Scope"],
        ["Auditbericht", "Zusammenfassung", "Fazit", "Normen", "Geltungsbereich"],
    ),
}
ON_FINDING = {"audits:finding"}


@pytest.mark.parametrize("name", list(PAGES))
def test_audit_pages_in_german(world, login, name):
    client = login(world.auditor)
    if name in ON_FINDING:
        kwargs = {"pk": world.extra["au_finding"].pk}
    elif name in {"audits:programme", "audits:list"}:
        kwargs = {}
    else:
        kwargs = {"pk": world.extra["au_audit"].pk}
    english, german = PAGES[name]
    assert_page_translated(client, reverse(name, kwargs={"org": "acme", **kwargs}), english, german)

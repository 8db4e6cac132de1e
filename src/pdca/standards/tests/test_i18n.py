"""The standards pages in German: no English label left on the key pages."""

import pytest
from django.urls import reverse

from pdca.core.testing import english_left


def _url(name, **kwargs):
    return reverse(f"standards:{name}", kwargs={"org": "acme", **kwargs})


def _pages(world):
    x = world.extra
    os9, os27 = x["iso9001"].pk, x["iso27001"].pk
    return {
        "home": (
            _url("home"),
            ["Standards and gap analysis", "Readiness report", "Gap analysis", "Exclusions"],
            ["Normen und Gap-Analyse", "Reifebericht", "Gap-Analyse", "Ausschlüsse"],
        ),
        "gap": (
            _url("gap", pk=os9),
            ["Gap analysis ·", "Number or title", ">Anyone<", ">Evidence<", "requirements count"],
            ["Gap-Analyse ·", "Nummer oder Titel", "Alle Personen", "Anforderungen zählen"],
        ),
        "clause": (
            _url("clause", pk=os9, clause=x["clause"].pk),
            ["Mandatory documented information", "Save the assessment", "Roadmap actions"],
            ["Verpflichtende dokumentierte Information", "Bewertung speichern", "Nachweise ("],
        ),
        "readiness": (
            _url("readiness"),
            ["Readiness for certification", "How it is counted", "Weight", "requirements count"],
            ["Zertifizierungsreife", "Wie gezählt wird", "Gewicht", "Punkte"],
        ),
        "processes": (
            _url("processes"),
            ["Process map", "New process", "Hands over to", "Name or code"],
            ["Prozesslandkarte", "Neuer Prozess", "Übergibt an", "Name oder Kürzel"],
        ),
        "roadmap": (
            _url("roadmap"),
            ["Roadmap to certification", "Open and in progress", ">Anyone<"],
            ["Roadmap zur Zertifizierung", "Offen und in Arbeit", "Alle Personen"],
        ),
        "soa": (
            _url("soa", pk=os27),
            ["Statement of Applicability", "controls decided", "Justification", "Printable page"],
            ["Erklärung zur Anwendbarkeit", "Maßnahmen entschieden", "Begründung"],
        ),
        "exclusions": (
            _url("exclusions", pk=os9),
            ["Requirements not applicable", "Declare not applicable", "Back to the gap analysis"],
            ["Nicht anwendbare Anforderungen", "Als nicht anwendbar erklären"],
        ),
    }


PAGE_NAMES = ["home", "gap", "clause", "readiness", "processes", "roadmap", "soa", "exclusions"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGE_NAMES)
def test_the_standards_pages_speak_german(world, client, page):
    client.force_login(world.mr)
    url, english, german = _pages(world)[page]
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    for label in english:
        assert label not in html, f"{page}: {label!r} is still English"
    for label in german:
        assert label in html, f"{page}: {label!r} missing"
    # And no message of pdca's catalogues is left in English anywhere on the page.
    assert english_left(html) == []


@pytest.mark.django_db
def test_a_refusal_and_a_confirmation_read_german(world, client):
    client.force_login(world.mr)
    x = world.extra
    url = _url("exclusions", pk=x["iso9001"].pk)
    response = client.post(
        url, {"clause": x["clause"].pk, "justification": ""}, HTTP_ACCEPT_LANGUAGE="de"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say why" not in html and "This field is required" not in html
    assert "errorlist" in html and "Select a valid choice" not in html


@pytest.mark.django_db
def test_the_readiness_spreadsheet_speaks_german(world, client):
    import io

    from openpyxl import load_workbook

    client.force_login(world.mr)
    response = client.get(_url("readiness_export"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    book = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    )
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers[:4] == ["Norm", "Stufe-1-Punkte erfüllt", "Fortschritt %", "Gezählt"]
    assert book.worksheets[0].title == "Reife"

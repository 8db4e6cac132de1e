"""Every page in German: each GET page the permission walk knows, opened by a German-speaking
management representative, and every PDF and XLSX export among them, shows no English
interface text: neither a message of pdca's catalogues left untranslated (`english_left`) nor
an unmarked English text (`english_words`). The stored data (names, titles, catalogue guidance)
is taken out first: it is the organization's, not the interface's."""

import io
import re

import polib
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pdca.core.roles import Role
from pdca.core.testing import english_left, english_words, url_examples, world_texts
from pdca.core.tests.test_i18n import _catalogues
from pdca.core.tests.test_permissions_walk import ALL_URLS, declared_methods

# Where English is right for now: the catalogues' section and theme titles (catalogue texts
# stay English, README "English and German").
ALLOWED = {
    "Context",
    "Improvement",
    "Leadership",
    "Operation",
    "People",
    "Performance evaluation",
    "Planning",
    "Policy",
    "Support",
}


# Files people uploaded are served as they are: their text is theirs.
UPLOADED = {"documents:revision_file", "records:attachment", "audits:photo"}


def _pages(world, org=None):
    """Every GET page of the walk, with the example objects of the shared world; for another
    organization (`org`), the pages that need only the organization (the others are 404)."""
    examples = url_examples(world)
    for name, callback, pattern in ALL_URLS:
        if "GET" not in declared_methods(callback) or name in UPLOADED:
            continue
        kwargs = dict(examples.get(name, {}))
        if org is not None and kwargs:
            continue
        if "<slug:org>" in pattern:
            kwargs["org"] = org or world.org.slug
        url = reverse(name, kwargs=kwargs)
        if not url.startswith("/api/"):
            yield name, url


def _pdf_texts(data: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return [line for line in text.splitlines() if line.strip()]


def _xlsx_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    texts = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts += [str(v) for v in row if isinstance(v, str)]
    return texts


def _as_html(texts: list[str]) -> str:
    from django.utils.html import escape

    return "".join(f"<p>{escape(t)}</p>" for t in texts)


def _german(client, user):
    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


@pytest.fixture
def german_mr(world, client):
    return _german(client, world.mr)


def _walk(client, pages):
    """Open each page; the English interface texts of each page that answered, by page name,
    and how many pages of each kind (html, pdf, xlsx) were read."""
    data = world_texts()
    found: dict[str, list[str]] = {}
    kinds = {"html": 0, "pdf": 0, "xlsx": 0}
    for name, url in pages:
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind = response.headers.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "html" in kind:
            kinds["html"] += 1
            assert response.headers["Content-Language"] == "de", name
            html = body.decode()
        elif "pdf" in kind:
            kinds["pdf"] += 1
            html = _as_html(_pdf_texts(body))
        elif "spreadsheet" in kind:
            kinds["xlsx"] += 1
            html = _as_html(_xlsx_texts(body))
        else:
            continue
        html = re.sub(r"(?s)<code\b.*?</code>", " ", html)  # codes (roles page, trail)
        # Paths and URL names are data: the external auditors' log of the pages they opened.
        html = re.sub(r"/o/[^\s<]*|(?<![\w:])[a-z_]+:[a-z_]+(?![\w:])", " ", html)
        left = english_words(html, data) + english_left(html, data=data)
        left = [t for t in left if t not in ALLOWED]
        if left:
            found[name] = left
    return found, kinds


def _report(found):
    return "\n".join(f"{name}: {left}" for name, left in found.items())


@pytest.mark.django_db
def test_every_page_and_export_speaks_german(world, german_mr):
    found, kinds = _walk(german_mr, _pages(world))
    assert not found, _report(found)
    # The walk reached the pages and the exports (a broken enumeration would prove nothing).
    # PDFs served at once are a signed revision's and a signed report's; drafts are printed
    # on a worker (a job), not on this walk.
    assert kinds["html"] > 60 and kinds["pdf"] >= 1 and kinds["xlsx"] >= 2, kinds


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.EXTERNAL_AUDITOR, Role.INTERNAL_AUDITOR])
def test_every_page_an_employee_or_an_auditor_sees_speaks_german(world, client, role):
    """Their own pages too: the reading list, their actions, their acknowledgements, the
    audits they are on (each role sees what its policy lets it, the rest is refused)."""
    found, kinds = _walk(_german(client, world.users[role]), _pages(world))
    assert not found, _report(found)
    assert kinds["html"] > 25, kinds


@pytest.mark.django_db
def test_a_new_organizations_empty_pages_speak_german(world, client):
    """A fresh organization without any data: every empty state in German."""
    from pdca.core import services
    from pdca.core.testing import make_user

    org = services.organization_create(actor=None, name="Neu GmbH", slug="neu")
    mr = make_user("mr@neu.test", "Neue Leitung")
    services.membership_add(actor=None, organization=org, user=mr, roles=[Role.MANAGEMENT_REP])
    found, kinds = _walk(_german(client, mr), _pages(world, org="neu"))
    assert not found, _report(found)
    assert kinds["html"] > 30, kinds


def test_english_words_finds_unmarked_english_and_spares_data_and_german():
    html = "<h1>Audit planen</h1><p>Record the root cause first.</p><td>Main plant</td>"
    assert english_words(html, {"Main plant"}) == ["Record the root cause first."]
    assert english_words('<input placeholder="Search the list">') == ["Search the list"]
    assert english_words("<script>var the = 1;</script><p>Die Aufzeichnung</p>") == []


@pytest.mark.parametrize("po_path", _catalogues(), ids=lambda p: p.parent.parent.parent.name)
def test_no_catalogue_has_an_untranslated_or_fuzzy_entry(po_path):
    po = polib.pofile(str(po_path))
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    empty = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert not fuzzy, f"{po_path}: fuzzy {fuzzy[:5]}"
    assert not empty, f"{po_path}: untranslated {empty[:5]}"


@pytest.mark.django_db
def test_the_demo_in_german_writes_its_texts_and_people_in_german(client):
    from django.core.management import call_command

    from pdca.core.models import Organization, User
    from pdca.improvement.models import Nonconformity

    # The shared test world may hold an "acme" already: the demo builds its own beside it.
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    call_command("demo", "--language", "de", stdout=io.StringIO())
    mr = User.objects.get(email="mr@acme.example")
    assert mr.language == "de" and mr.job_title == "Leiter Qualität & Umwelt"
    from pdca.audits.models import AuditProgramme
    from pdca.documents.models import Document
    from pdca.records.models import RecordType
    from pdca.standards.models import Process

    titles = set(Nonconformity.objects.values_list("title", flat=True))
    assert "Kühlschmierstoff ausgelaufen an Maschine 7" in titles
    assert "Coolant spill at machine 7" not in titles
    assert Document.objects.filter(title="Qualitätspolitik").exists()
    assert not Document.objects.filter(title="Quality policy").exists()
    assert RecordType.objects.filter(name="Schulungsnachweise").exists()
    assert Process.objects.get(code="M1", organization__slug="acme").name == "Managementbewertung"
    assert AuditProgramme.objects.filter(title__startswith="Programm interner Audits").exists()
    client.force_login(mr)
    html = client.get(reverse("improvement:list", kwargs={"org": "acme"})).content.decode()
    assert "Kühlschmierstoff ausgelaufen an Maschine 7" in html and "Nichtkonformitäten" in html


def test_the_demo_is_in_english_unless_asked():
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["demo"], "demo")
    options = command.create_parser("pdca", "demo").parse_args([])
    assert options.language == "en"

"""The catalogue loader: refusals name file, line and clause; nothing is half-loaded; idempotent."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pdca.standards.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogues
from pdca.standards.models import Clause, Edition, HarmonizedClause, Standard, Theme

pytestmark = pytest.mark.django_db

GOOD = """\
format: 1
standard: {code: iso99999, name: ISO 99999, title: Test management systems, discipline: test}
edition: {code: "2030", label: "ISO 99999:2030", year: 2030}
clauses:
  - number: "4"
    title: Context of the organization
    hs: "4"
    guidance: Our own words about context.
  - number: "4.1"
    title: Understanding the organization and its context
    hs: "4.1"
    guidance: Keep a list of issues.
    maintain:
      - {code: "4.1", title: "Issues list"}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_migrations_load_the_four_standards_and_annex_a():
    assert set(Standard.objects.values_list("code", flat=True)) >= {
        "iso9001",
        "iso14001",
        "iso45001",
        "iso27001",
    }
    assert HarmonizedClause.objects.filter(number="10.2").exists()
    iso27001 = Edition.objects.get(standard__code="iso27001")
    controls = Clause.objects.filter(edition=iso27001, kind="control")
    assert controls.count() == 93
    per_theme = {
        t.code: controls.filter(theme=t).count() for t in Theme.objects.filter(edition=iso27001)
    }
    assert per_theme == {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}
    assert (
        Clause.objects.get(edition__standard__code="iso9001", number="5.1.1").parent.number == "5.1"
    )


def test_loading_twice_changes_nothing():
    load_catalogues()
    report = load_catalogues()
    assert not report.changed and not report.loaded
    forced = load_catalogues(force=True)  # rereads every file: every value is already equal
    assert forced.created == 0 and forced.updated == 0


def test_the_command_reports_unchanged_files():
    out = __import__("io").StringIO()
    call_command("load-catalogues", stdout=out)
    assert "unchanged iso9001-2015.yaml" in out.getvalue()
    assert "0 rows created, 0 rows updated" in out.getvalue()


def test_a_new_standard_loads_as_data_alone(tmp_path):
    report = load_catalogues([write(tmp_path, "iso99999.yaml", GOOD)])
    assert report.loaded == ["iso99999.yaml"]
    clause = Clause.objects.get(edition__standard__code="iso99999", number="4.1")
    assert clause.hs.number == "4.1" and clause.parent.number == "4"
    assert clause.required_info.get().kind == "maintain"
    # An edited title is updated in place; nothing else changes.
    write(tmp_path, "iso99999.yaml", GOOD.replace("Keep a list of issues.", "Keep issues."))
    report = load_catalogues([tmp_path / "iso99999.yaml"])
    assert report.updated == 2  # the clause and the edition's checksum
    assert Clause.objects.get(pk=clause.pk).guidance == "Keep issues."


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (
            GOOD + '  - number: "4.1"\n    title: Again\n    guidance: Twice.\n',
            "line 15, clause 4.1: duplicate clause number (first at line 9)",
        ),
        (GOOD.replace('hs: "4.1"', 'hs: "4.9"'), "clause 4.1: hs '4.9' is not a clause"),
        (
            GOOD.replace("    title: Understanding the organization and its context\n", ""),
            "line 9, clause 4.1: missing title",
        ),
        (
            GOOD.replace("    guidance: Keep a list of issues.\n", ""),
            "clause 4.1: missing guidance",
        ),
        (GOOD.replace("year: 2030", 'year: ""'), "edition has no year"),
        (GOOD + "  - [not, a, mapping]\n", "a clause must be a mapping"),
        ("clauses: [\n", "not readable as YAML"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_loaded(tmp_path, bad, expected):
    # A good file loaded in the same run must not be written either: one transaction, all or none.
    good = write(
        tmp_path, "iso88888.yaml", GOOD.replace("iso99999", "iso88888").replace("99999", "88888")
    )
    path = write(tmp_path, "iso99999.yaml", bad)
    with pytest.raises(CatalogueError) as caught:
        load_catalogues([good, path])
    message = str(caught.value)
    assert "iso99999.yaml" in message and expected in message, message
    assert not Standard.objects.filter(code__in=["iso88888", "iso99999"]).exists()


def test_a_bad_hs_file_refuses_the_whole_load(tmp_path):
    hs = write(
        tmp_path,
        "hs.yaml",
        (CATALOGUE_DIR / "hs.yaml")
        .read_text()
        .replace("title: Understanding the organization and its context\n", "title: ''\n", 1),
    )
    shutil.copy(CATALOGUE_DIR / "iso9001-2015.yaml", tmp_path / "iso9001-2015.yaml")
    before = HarmonizedClause.objects.get(number="4.1").title
    with pytest.raises(CatalogueError, match=r"hs\.yaml, line \d+, clause 4\.1: missing title"):
        load_catalogues([hs, tmp_path / "iso9001-2015.yaml"])
    assert HarmonizedClause.objects.get(number="4.1").title == before


def test_the_command_refuses_a_bad_file_with_its_name(tmp_path):
    path = write(tmp_path, "iso99999.yaml", GOOD.replace('hs: "4.1"', 'hs: "11"'))
    with pytest.raises(CommandError, match=r"iso99999\.yaml, line 9, clause 4\.1"):
        call_command("load-catalogues", str(path))


# --- Every catalogue against its expected list ----------------------------------------------

from pdca.standards.models import RequiredInformation  # noqa: E402
from pdca.standards.tests.expected_catalogues import CLAUSES, REQUIRED  # noqa: E402


@pytest.mark.parametrize("code", sorted(CLAUSES))
def test_each_catalogue_has_the_expected_clauses_titles_parents_and_required_items(code):
    edition = Edition.objects.get(standard__code=code, is_current=True)
    rows = [
        (c.number, c.title, c.parent.number if c.parent_id else None, c.untitled)
        for c in Clause.objects.filter(edition=edition).select_related("parent")
    ]
    assert rows == CLAUSES[code]
    required: dict[str, list[tuple[str, str]]] = {}
    for r in RequiredInformation.objects.filter(clause__edition=edition).order_by("pk"):
        required.setdefault(r.clause.number, []).append((r.code, r.kind))
    assert {k: sorted(v) for k, v in required.items()} == {
        k: sorted(v) for k, v in REQUIRED[code].items()
    }


def kinds(code: str, number: str) -> set[str]:
    return set(
        RequiredInformation.objects.filter(
            clause__edition__standard__code=code, clause__number=number
        ).values_list("kind", flat=True)
    )


def test_the_verbs_of_the_standards():
    both = {"maintain", "retain"}
    for number in ("6.1.2.2", "6.2.2", "8.1.1", "8.2", "10.3"):
        assert kinds("iso45001", number) == both, number
    for number in ("6.1.2", "6.1.3", "6.2"):
        assert kinds("iso27001", number) == both, number
    assert kinds("iso9001", "8.1") == both
    # 7.5.1 b) is whatever the organization decides it needs: no fixed item in any standard.
    assert not any(kinds(code, "7.5.1") for code in CLAUSES)


def test_general_sub_clauses_share_their_parents_hs_clause():
    """One rule: a sub-clause titled "General" maps to its parent's HS clause, unless the
    harmonized structure has that sub-clause itself (7.5.1, 9.2.1, 9.3.1)."""
    hs_numbers = set(HarmonizedClause.objects.values_list("number", flat=True))
    for general in Clause.objects.filter(title="General", parent__hs__isnull=False).select_related(
        "parent__hs", "hs", "edition"
    ):
        expected = (
            general.number
            if general.number in hs_numbers and general.depth >= 2
            else (general.parent.hs.number)
        )
        assert general.hs is not None and general.hs.number == expected, (
            general.edition.label,
            general.number,
        )


def test_the_loader_refuses_a_clause_whose_parent_is_missing_or_later(tmp_path):
    later = (
        GOOD.replace(
            """  - number: "4"
    title: Context of the organization
    hs: "4"
    guidance: Our own words about context.
""",
            "",
        )
        + """  - number: "4"
    title: Context of the organization
    guidance: Our own words about context.
"""
    )
    with pytest.raises(CatalogueError, match=r"clause 4\.1: its parent 4 comes later"):
        load_catalogues([CATALOGUE_DIR / "hs.yaml", write(tmp_path, "later.yaml", later)])
    missing = GOOD.replace('number: "4.1"', 'number: "4.7.1"')
    with pytest.raises(CatalogueError, match=r"clause 4\.7\.1: parent 4\.7 is missing"):
        load_catalogues([CATALOGUE_DIR / "hs.yaml", write(tmp_path, "missing.yaml", missing)])

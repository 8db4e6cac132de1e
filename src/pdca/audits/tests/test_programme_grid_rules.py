"""The programme grid keys clauses by standard: a shared clause once (its harmonized clause),
any other per edition; a heading names no sub-clause; the discipline-specific clauses and the
applicable Annex A controls have rows; the cycle is checked against certification."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.audits import services
from pdca.audits.selectors import programme_grid
from pdca.audits.testing import clauses, editions
from pdca.standards.models import Clause, OrgStandard, SoAEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def audited(world, numbers, codes, **extra):
    """An audit of the clauses, in progress this quarter (so it covers them)."""
    values = {
        "title": "Sampled",
        "planned_start": TODAY,
        "planned_end": TODAY,
        "lead_auditor": world.auditor,
        "programme": world.extra["au_programme"],
        "clauses": clauses(codes, numbers),
        "editions": editions(*codes),
    }
    values.update(extra)
    audit = services.audit_save(actor=world.mr, organization=world.org, **values)
    services.audit_set_status(actor=world.mr, audit=audit, status="in_progress")
    return audit


def row_titled(grid, title):
    (row,) = [r for r in grid.clause_rows + grid.control_rows if r.label.endswith(title)]
    return row


def test_a_9001_audit_of_8_2_does_not_cover_14001_emergency_preparedness(world):
    audited(world, ("8.2",), ("iso9001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    assert row_titled(grid, "8.2 Requirements for products and services").covered
    emergency = row_titled(grid, "8.2 Emergency preparedness and response")
    assert not emergency.covered and emergency in grid.uncovered_clauses
    # ISO/IEC 27001's 8.2 (risk assessment) has its own row too, not covered either.
    assert not row_titled(grid, "8.2 Information security risk assessment").covered


def test_a_shared_clause_is_one_row_and_its_rows_are_keyed_by_edition_otherwise(world):
    audited(world, ("7.5",), ("iso14001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    keys = [r.key for r in grid.clause_rows]
    assert len(keys) == len(set(keys))
    assert keys.count("hs:7.5") == 1
    assert {"iso9001:2015:8.2", "iso14001:2015:8.2", "iso27001:2022:8.2"} <= set(keys)
    # 7.5 is harmonized: an audit of 14001's 7.5 covers the shared row.
    assert next(r for r in grid.clause_rows if r.key == "hs:7.5").covered


def test_an_audit_naming_only_a_heading_covers_no_sub_clause(world):
    audit = audited(world, ("7",), ("iso9001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    resources = next(r for r in grid.clause_rows if r.key == "hs:7.1")
    assert not resources.covered and resources.heading_only
    assert resources in grid.uncovered_clauses
    quarter = grid.quarters.index(grid.current)
    assert [m.pk for m in resources.heading_cells[quarter]] == [audit.pk]
    assert resources.cells[quarter] == []
    heading = next(r for r in grid.clause_rows if r.key == "hs:7")
    assert [m.pk for m in heading.cells[quarter]] == [audit.pk]
    # Naming a sub-clause as well covers that one.
    audited(world, ("7", "7.2"), ("iso9001",), title="Competence")
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    competence = next(r for r in grid.clause_rows if r.key == "hs:7.2")
    assert competence.covered and not competence.heading_only


def test_the_page_and_the_api_say_covered_by_heading_only(world, login):
    audited(world, ("7",), ("iso9001",))
    client = login(world.mr)
    page = client.get(reverse("audits:programme", kwargs={"org": "acme"})).content.decode()
    assert "covered by heading only" in page
    grid = client.get(
        reverse("api-audits-grid", kwargs={"org": "acme", "pk": world.extra["au_programme"].pk})
    ).json()
    resources = next(r for r in grid["clauses"] if r["key"] == "hs:7.1")
    assert resources["heading_only"] is True and resources["covered"] is False
    assert any(resources["heading_audits"])


def test_discipline_specific_level_three_clauses_have_rows(world):
    for edition in editions("iso45001"):
        OrgStandard.objects.get_or_create(organization=world.org, edition=edition)
    audited(world, ("6.1.2",), ("iso14001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    by_key = {r.key: r for r in grid.clause_rows}
    for key in (
        "iso14001:2015:6.1.2",
        "iso14001:2015:9.1.2",
        "iso45001:2018:6.1.2",
        "iso45001:2018:8.1.2",
    ):
        assert key in by_key
    assert by_key["iso14001:2015:6.1.2"].covered and by_key["hs:6.1"].covered
    assert not by_key["iso45001:2018:6.1.2"].covered
    assert not by_key["iso14001:2015:9.1.2"].covered
    # The row sits under its parent's.
    grid_keys = [r.key for r in grid.clause_rows]
    assert grid_keys.index("iso14001:2015:6.1.2") == grid_keys.index("hs:6.1") + 1


def test_auditing_the_parent_clause_of_one_standard_covers_its_level_three_row_only(world):
    audited(world, ("6.1",), ("iso9001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    by_key = {r.key: r for r in grid.clause_rows}
    assert by_key["hs:6.1"].covered
    assert not by_key["iso14001:2015:6.1.2"].covered
    audited(world, ("6.1",), ("iso14001",), title="Environmental planning")
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    assert {r.key: r for r in grid.clause_rows}["iso14001:2015:6.1.2"].covered


def test_applicable_annex_a_controls_have_rows_sampled_over_the_cycle(world, login):
    iso27001 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso27001")
    excluded = Clause.objects.get(edition=iso27001.edition, number="A.8.25")
    SoAEntry.objects.create(
        organization=world.org,
        org_standard=iso27001,
        clause=excluded,
        applicable=False,
        justification="No software development",
    )
    audited(world, ("A.5.15",), ("iso27001",))
    grid = programme_grid(world.extra["au_programme"], today=TODAY)
    controls = {r.key: r for r in grid.control_rows}
    assert len(controls) == 92  # 93 controls, one excluded by the Statement of Applicability
    assert "iso27001:2022:A.8.25" not in controls
    assert controls["iso27001:2022:A.5.15"].covered
    assert controls["iso27001:2022:A.5.1"] in grid.uncovered_controls
    assert len(grid.uncovered_controls) == 91
    page = login(world.mr).get(reverse("audits:programme", kwargs={"org": "acme"}))
    html = page.content.decode()
    assert "applicable controls not yet sampled" in html and "A.5.15 Access control" in html


def test_an_excluded_clause_has_no_row(world):
    from pdca.standards import services as standards

    programme = world.extra["au_programme"]
    assert "iso9001:2015:8.3" in {r.key for r in programme_grid(programme, today=TODAY).clause_rows}
    iso9001 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso9001")
    design = Clause.objects.get(edition=iso9001.edition, number="8.3")
    standards.exclusion_declare(
        actor=world.mr, org_standard=iso9001, clause=design, justification="No design."
    )
    keys = {r.key for r in programme_grid(programme, today=TODAY).clause_rows}
    assert "iso9001:2015:8.3" not in keys and "iso27001:2022:8.3" in keys


def _no_certificate(world):
    # The shared world holds a certificate (the certification module's): these tests set the
    # certified standards they compare with themselves.
    OrgStandard.objects.filter(organization=world.org).update(
        status=OrgStandard.Status.IMPLEMENTING, certified_until=None
    )


def test_warns_when_the_cycle_is_longer_than_three_years(world):
    _no_certificate(world)
    programme = world.extra["au_programme"]
    assert not programme_grid(programme, today=TODAY).warnings  # exactly three years
    long = services.programme_save(
        actor=world.mr,
        organization=world.org,
        title="Five years",
        cycle_start=datetime.date(2025, 1, 1),
        cycle_end=datetime.date(2029, 12, 31),
    )
    (warning,) = programme_grid(long, today=TODAY).warnings
    assert "longer than a three-year certification cycle" in warning


def test_warns_when_the_cycle_is_not_the_certification_cycle(world, login):
    _no_certificate(world)
    programme = world.extra["au_programme"]
    iso9001 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso9001")
    grid = programme_grid(programme, today=TODAY)
    assert "cannot be compared with a certification cycle" in grid.cycle_note
    # Certified until mid-next year: its cycle started two and a half years ago.
    expiry = programme.cycle_start.replace(year=programme.cycle_start.year + 1, month=6, day=30)
    OrgStandard.objects.filter(pk=iso9001.pk).update(status="certified", certified_until=expiry)
    grid = programme_grid(programme, today=TODAY)
    (warning,) = grid.warnings
    assert "ISO 9001" in warning and expiry.isoformat() in warning
    assert "three years up to the expiry date" in grid.cycle_note
    # A programme of the certificate's cycle matches.
    matching = services.programme_save(
        actor=world.mr,
        organization=world.org,
        title="Certification cycle",
        cycle_start=expiry.replace(year=expiry.year - 3) + datetime.timedelta(days=1),
        cycle_end=expiry,
    )
    assert programme_grid(matching, today=TODAY).warnings == []
    client = login(world.mr)
    page = client.get(
        reverse("audits:programme", kwargs={"org": "acme"}) + f"?programme={programme.pk}"
    )
    assert "Align the programme with the certification cycle" in page.content.decode()
    api = client.get(reverse("api-audits-grid", kwargs={"org": "acme", "pk": programme.pk})).json()
    assert api["warnings"] == [warning] and api["cycle_note"]

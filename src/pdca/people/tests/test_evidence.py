"""Competence records are the records 7.2 asks to retain, present only while valid."""

import datetime

import pytest

from pdca.people import services
from pdca.people.models import CompetenceRecord
from pdca.people.selectors import competence_evidence_editions
from pdca.standards.models import OrgStandard
from pdca.standards.registry import EVIDENCE_KINDS, RECORD_SOURCES

pytestmark = pytest.mark.django_db


def test_valid_records_prove_the_retain_items_of_7_2(world, django_assert_num_queries):
    assert "people.competencerecord" in EVIDENCE_KINDS["retain"]
    assert RECORD_SOURCES["7.2"] is competence_evidence_editions
    editions = set(
        OrgStandard.objects.filter(organization=world.org).values_list("edition_id", flat=True)
    )
    assert editions, "the test world has chosen standards"
    with django_assert_num_queries(1):
        assert competence_evidence_editions(world.org) == editions
    # Withdrawn or expired records are no evidence.
    for row in CompetenceRecord.objects.filter(organization=world.org):
        if row.valid_until is None:
            services.competence_record_withdraw(actor=world.mr, record=row, reason="Test")
    CompetenceRecord.objects.filter(organization=world.org, status="valid").update(
        valid_until=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert competence_evidence_editions(world.org) == set()

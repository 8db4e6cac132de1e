"""Readiness counts an effective document and a kept record as documented information present."""

import datetime

import pytest

from pdca.core.testing import PASSWORD
from pdca.documents import services
from pdca.documents.testing import make_effective_document
from pdca.records import services as records
from pdca.records.testing import make_record_type
from pdca.standards.evidence import evidence_set
from pdca.standards.models import Clause
from pdca.standards.selectors.readiness import readiness

pytestmark = pytest.mark.django_db


def present(world, number: str, kind: str) -> bool:
    result = readiness(world.org, [world.extra["iso9001"]])[0]
    rows = [r for r in result.required if r.clause_number == number and r.kind == kind]
    assert rows, f"9001 {number} requires documented information to {kind}"
    return all(r.present for r in rows)


def test_only_an_effective_document_counts_as_maintained(world):
    scope = Clause.objects.get(edition__standard__code="iso9001", number="4.3")
    draft = services.document_create(
        actor=world.owner,
        organization=world.org,
        doc_type="manual",
        title="Scope of the management system",
        owner=world.owner,
        text="Scope.",
        clauses=[scope],
    )
    assert not present(world, "4.3", "maintain"), "a draft is not yet maintained information"

    doc = make_effective_document(world, title="Scope statement")
    evidence_set(actor=world.mr, organization=world.org, obj=doc, clauses=[scope])
    assert present(world, "4.3", "maintain")

    services.document_make_obsolete(
        actor=world.mr, document=doc, password=PASSWORD, reason="Replaced by the manual"
    )
    assert not present(world, "4.3", "maintain"), "an obsolete document no longer counts"
    assert draft.pk  # the draft stays linked, still not counted


def test_a_disposed_record_no_longer_counts_as_retained(world):
    clause = Clause.objects.get(edition__standard__code="iso9001", number="4.4.2")
    rtype = make_record_type(world, "Process run sheets", retention_months=12, clauses=[clause])
    assert not present(world, "4.4.2", "retain")
    record = records.record_create(
        actor=world.owner,
        organization=world.org,
        record_type=rtype,
        title="Run sheet week 3",
        date=datetime.date.today() - datetime.timedelta(days=800),
    )
    assert present(world, "4.4.2", "retain")

    records.record_dispose(actor=world.mr, record=record, password=PASSWORD, reason="Shredded")
    assert not present(world, "4.4.2", "retain"), "a disposed record is no longer retained"

"""The dashboard's attention cards: counts stop at a cap instead of counting every row."""

import pytest

from pdca.core.attention import COUNT_CAP, Attention, capped_count
from pdca.core.models import TrailEntry
from pdca.core.trail import record

pytestmark = pytest.mark.django_db


def test_a_count_over_the_cap_reads_as_cap_plus():
    assert Attention("Overdue", "/", count=COUNT_CAP + 1).count_label == f"{COUNT_CAP}+"
    assert Attention("Overdue", "/", count=COUNT_CAP).count_label == str(COUNT_CAP)
    assert Attention("Overdue", "/", count=3).count_label == "3"


def test_capped_count_counts_exactly_below_the_cap_and_stops_above(world, monkeypatch):
    for n in range(5):
        record(
            action="core.organization.updated",
            actor=world.mr,
            organization=world.org,
            obj=world.org,
            changes={"n": [n, n + 1]},
        )
    entries = TrailEntry.objects.filter(organization=world.org)
    total = entries.count()
    assert capped_count(entries) == total
    monkeypatch.setattr("pdca.core.attention.COUNT_CAP", 2)
    assert capped_count(entries) == 3  # cap + 1: enough to say "2+"

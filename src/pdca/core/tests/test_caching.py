"""Figures cached per organization stay exact: any write in the organization recomputes them."""

import pytest

from pdca.core import trail
from pdca.core.caching import org_cached

pytestmark = pytest.mark.django_db


def test_a_cached_figure_is_recomputed_after_any_write_in_its_organization(world):
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert org_cached(world.org, "test.figure", compute) == 1
    assert org_cached(world.org, "test.figure", compute) == 1  # cached
    # Another organization's writes leave it alone; a write in its own organization does not.
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.other_org,
        obj=world.other_org,
        changes={"name": ["a", "b"]},
    )
    assert org_cached(world.org, "test.figure", compute) == 1
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.org,
        obj=world.org,
        changes={"name": ["a", "b"]},
    )
    assert org_cached(world.org, "test.figure", compute) == 2
    # Each organization has its own figure.
    assert org_cached(world.other_org, "test.figure", compute) == 3

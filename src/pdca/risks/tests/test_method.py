"""The risk method: versioned scales, rating within them, approval by its owner only."""

import pytest
from django.core.exceptions import ValidationError

from pdca.core.models import TrailEntry
from pdca.risks import method
from pdca.risks.models import RiskMethod

pytestmark = pytest.mark.django_db
LEVELS = ["Rare", "Possible", "Likely", "Almost certain"]
IMPACT = ["Minor", "Moderate", "Major", "Severe"]


def draft(world, **extra):
    values = {
        "actor": world.mr,
        "organization": world.org,
        "title": "Risk method",
        "likelihood_levels": LEVELS,
        "consequence_levels": IMPACT,
        "acceptance_threshold": 4,
        "owner": world.mr,
    }
    values.update(extra)
    return method.method_create(**values)


def test_versions_and_rating_under_the_version(world):
    approved = TrailEntry.objects.filter(action="risks.method.approved").count()
    superseded = TrailEntry.objects.filter(action="risks.method.superseded").count()
    v1 = method.method_approve(actor=world.mr, method=draft(world))
    rating = method.rate(v1, 2, 3)
    assert (rating.score, rating.acceptable, rating.method_number) == (6, False, v1.number)
    assert v1.matrix()[0] == [4, 8, 12, 16]
    v2 = method.method_approve(actor=world.mr, method=draft(world, acceptance_threshold=8))
    v1.refresh_from_db()
    assert v1.status == RiskMethod.Status.SUPERSEDED
    assert method.current(world.org).pk == v2.pk and v2.number == v1.number + 1
    # The earlier rating still names v1: a new version never rescores silently.
    assert rating.method_number == v1.number
    assert TrailEntry.objects.filter(action="risks.method.approved").count() == approved + 2
    assert TrailEntry.objects.filter(action="risks.method.superseded").count() == superseded + 2


@pytest.mark.parametrize(
    "likelihood,consequence", [(0, 2), (5, 1), ("x", 1), (None, 2), (2.5, 1), (True, 1)]
)
def test_score_outside_the_scales_is_refused(world, likelihood, consequence):
    v1 = draft(world)
    with pytest.raises(ValidationError) as caught:
        method.rate(v1, likelihood, consequence)
    assert "likelihood" in caught.value.message_dict


def test_bad_scales_and_threshold(world):
    with pytest.raises(ValidationError) as caught:
        draft(world, likelihood_levels=["Only"])
    assert "likelihood_levels" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        draft(world, consequence_levels=["A", "A"])
    assert "consequence_levels" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        draft(world, acceptance_threshold=17)
    assert "acceptance_threshold" in caught.value.message_dict
    for bad in ("four", 4.5, None):
        with pytest.raises(ValidationError) as caught:
            draft(world, acceptance_threshold=bad)
        assert "acceptance_threshold" in caught.value.message_dict
    assert method.rate(draft(world, acceptance_threshold="4"), "2", 2).score == 4


def test_approval_by_a_non_owner_is_refused(world):
    v1 = draft(world, owner=world.top)
    with pytest.raises(ValidationError):
        method.method_approve(actor=world.mr, method=v1)
    v1.refresh_from_db()
    assert v1.status == RiskMethod.Status.DRAFT


def test_permissions(world):
    with pytest.raises(ValidationError):
        draft(world, actor=world.employee)
    v1 = draft(world, owner=world.owner)
    with pytest.raises(ValidationError):
        # The process owner owns it but may not approve methods.
        method.method_approve(actor=world.owner, method=v1)


def test_owner_must_be_a_member(world):
    with pytest.raises(ValidationError) as caught:
        draft(world, owner=world.outsider)
    assert "owner" in caught.value.message_dict

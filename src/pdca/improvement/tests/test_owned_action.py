"""A corrective action is an owned action: its done date follows the status by the one rule of
core.models.base.OwnedAction, as a roadmap action's does."""

import datetime

import pytest
from django.utils import timezone

from pdca.improvement import services
from pdca.improvement.models import CorrectiveAction

pytestmark = pytest.mark.django_db


def test_the_done_date_is_the_first_day_done_and_goes_with_the_status(world, monkeypatch):
    action = world.extra["im_action"]
    done = CorrectiveAction.Status.DONE
    first = timezone.localdate()
    action = services.action_update(
        actor=world.owner,
        action=action,
        status=done,
        notes="Check added",
        expected_version=action.version,
    )
    assert action.done_on == first

    later = first + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda: later)
    action = services.action_update(
        actor=world.owner,
        action=action,
        status=done,
        notes="Check added to every traveller",
        expected_version=action.version,
    )
    assert action.done_on == first  # done again later: still the day it was first done

    action = services.action_update(
        actor=world.owner,
        action=action,
        status=CorrectiveAction.Status.IN_PROGRESS,
        expected_version=action.version,
    )
    assert action.done_on is None

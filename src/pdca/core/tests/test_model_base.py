"""The abstract bases: every organization's model starts from OrgModel, and owned actions share
one shape."""

import datetime

import pytest
from django.apps import apps
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from pdca.core.models.base import OrgModel, OwnedAction
from pdca.improvement.models import CorrectiveAction
from pdca.standards.models import RoadmapAction

TODAY = datetime.date(2026, 3, 10)


def test_every_domain_model_with_an_organization_starts_from_org_model():
    outside = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label != "core"
        and model.__module__.startswith("pdca.")
        and any(f.name == "organization" for f in model._meta.fields)
        and not issubclass(model, OrgModel)
    ]
    assert outside == []


@pytest.mark.django_db
def test_org_models_are_scoped_and_keep_their_reverse_names():
    with scope(), pytest.raises(ScopeError):  # the suite runs unscoped; a request does not
        list(RoadmapAction.objects.all())
    organization = RoadmapAction._meta.get_field("organization")
    assert organization.remote_field.related_name == "roadmap_actions"
    assert CorrectiveAction._meta.get_field("organization").remote_field.related_name == (
        "corrective_actions"
    )


@pytest.mark.parametrize("model", [CorrectiveAction, RoadmapAction])
def test_actions_share_the_owned_action_shape(model):
    assert issubclass(model, OwnedAction)
    action = model(due_on=TODAY, status=model.Status.OPEN)
    assert action.is_open
    assert not action.is_overdue(TODAY)
    assert action.is_overdue(TODAY + datetime.timedelta(days=1))
    action.status = model.Status.DONE
    assert not action.is_overdue(TODAY + datetime.timedelta(days=1))


def test_the_done_date_follows_the_status():
    action = RoadmapAction(due_on=TODAY, status=RoadmapAction.Status.DONE)
    action.follow_status_with_done_on(TODAY)
    assert action.done_on == TODAY
    action.follow_status_with_done_on(TODAY + datetime.timedelta(days=5))
    assert action.done_on == TODAY  # the day it was first done
    action.status = RoadmapAction.Status.IN_PROGRESS
    action.follow_status_with_done_on(TODAY)
    assert action.done_on is None

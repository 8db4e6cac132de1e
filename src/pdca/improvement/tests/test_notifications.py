"""Who is told what about nonconformities and corrective actions."""

import datetime

import pytest
from django.utils import timezone

from pdca.core.models import Notification
from pdca.improvement import services
from pdca.improvement.models import Nonconformity

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _raise(world, **extra):
    return services.nonconformity_raise(
        actor=world.employee,
        organization=world.org,
        title="Scrap rate above limit",
        description="Line 2 scrapped 40 parts.",
        **extra,
    )


def test_the_owner_of_a_raised_nonconformity_is_told(world):
    nc = _raise(world, owner=world.owner)
    (n,) = Notification.objects.filter(kind="improvement.nonconformity_raised", target_id=nc.pk)
    assert n.recipient == world.owner and n.title == str(nc)


def test_the_owner_of_a_corrective_action_is_told(world):
    nc = _raise(world)
    action = services.action_plan(
        actor=world.mr, nonconformity=nc, title="Tool-life limit", owner=world.owner, due_on=TODAY
    )
    (n,) = Notification.objects.filter(kind="improvement.action_assigned", target_id=action.pk)
    assert n.recipient == world.owner and n.data["due"] == TODAY.isoformat()


def test_who_raises_and_owns_is_not_told_about_their_own_act(world):
    nc = _raise(world, owner=world.employee)
    assert not Notification.objects.filter(target_id=nc.pk, kind__startswith="improvement.")


def test_the_verifier_is_told_once_when_the_check_is_due(world):
    from pdca.core.reminders import send_reminders

    nc = _raise(world)
    check = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.top
    )

    def on_the_day():
        return Notification.objects.filter(
            kind="improvement.effectiveness.due", target_id=check.pk, key__contains=":before-0:"
        )

    send_reminders(world.org, TODAY - datetime.timedelta(days=1))
    assert not on_the_day().exists()  # the day before is the 1-day reminder
    send_reminders(world.org, TODAY)
    send_reminders(world.org, TODAY)
    (n,) = on_the_day()
    assert n.recipient == world.top
    Nonconformity.objects.filter(pk=nc.pk).update(
        status=Nonconformity.Status.CANCELLED, cancel_reason="Duplicate"
    )
    Notification.objects.filter(pk=n.pk).delete()
    send_reminders(world.org, TODAY)
    assert not on_the_day().exists()


def test_escalation_notifies_in_the_app_as_well(world):
    from pdca.core.reminders import send_reminders

    nc = _raise(world)
    action = services.action_plan(
        actor=world.mr,
        nonconformity=nc,
        title="Late one",
        owner=world.owner,
        due_on=TODAY - datetime.timedelta(days=1),
    )
    send_reminders(world.org, TODAY)
    send_reminders(world.org, TODAY)
    (n,) = Notification.objects.filter(kind="improvement.action.overdue", target_id=action.pk)
    assert n.recipient == world.owner and n.data["days"] == 1

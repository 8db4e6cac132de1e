"""The record type's owner is told about records past their retention, once per new date."""

import pytest

from pdca.core.models import Notification
from pdca.records.notifications import retention_passed

pytestmark = pytest.mark.django_db


def test_the_owner_is_told_once_of_records_past_retention(world):
    rtype = world.extra["record_type"]
    retention_passed()
    retention_passed()  # the scheduler ran twice
    (n,) = Notification.objects.filter(kind="records.retention_passed", target_id=rtype.pk)
    assert n.recipient == rtype.owner and n.data["count"] >= 1

"""Who is told what about audits: the team and auditees, then the auditees of a finding."""

import pytest
from django.utils import timezone

from pdca.audits import services
from pdca.core.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_planning_tells_the_team_and_the_auditees_and_a_finding_the_auditees(world):
    audit = services.audit_save(
        actor=world.mr,
        organization=world.org,
        title="Purchasing",
        planned_start=TODAY,
        planned_end=TODAY,
        lead_auditor=world.auditor,
        programme=world.extra["au_programme"],
        team=[world.top],
        auditees=[world.employee],
    )
    told = set(
        Notification.objects.filter(kind="audits.audit_planned", target_id=audit.pk).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {world.auditor.pk, world.top.pk, world.employee.pk}
    finding = services.finding_record(
        actor=world.auditor, audit=audit, grade="observation", statement="Labels fade."
    )
    (n,) = Notification.objects.filter(kind="audits.finding_recorded", target_id=finding.pk)
    assert n.recipient == world.employee

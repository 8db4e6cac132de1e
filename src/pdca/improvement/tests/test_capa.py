"""The corrective-action lifecycle and its refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from pdca.core.models import Notification, TrailEntry
from pdca.core.reminders import send_reminders
from pdca.core.testing import PASSWORD
from pdca.improvement import services
from pdca.improvement.models import CorrectiveAction, Nonconformity

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def raise_nc(world, **extra):
    values = {"title": "Scrap rate above limit", "description": "Line 2 scrapped 40 parts."}
    values.update(extra)
    return services.nonconformity_raise(actor=world.employee, organization=world.org, **values)


def analyse(world, nc):
    return services.analysis_save(
        actor=world.owner,
        nonconformity=nc,
        whys=["Tool worn", "No tool-life limit"],
        causes=[("machine", "Worn insert"), ("method", "No change interval")],
        root_cause="No tool-life limit in the set-up sheet",
        root_cause_category="method",
        similar="could_occur",
        similar_notes="Line 3 uses the same set-up sheet",
    )


def react(world, nc, **values):
    nc.refresh_from_db()
    values = values or {"containment": "Parts quarantined and re-measured"}
    return services.nonconformity_update(
        actor=world.owner, nonconformity=nc, expected_version=nc.version, **values
    )


def closure_steps(world, nc, **values):
    nc.refresh_from_db()
    data = {"risks_outcome": "not_needed", "system_change_outcome": "not_needed"}
    data.update(values)
    return services.closure_steps_save(
        actor=world.mr, nonconformity=nc, expected_version=nc.version, **data
    )


def test_employee_raises_with_number_and_trail(world):
    first = raise_nc(world)
    second = raise_nc(world)
    assert (first.number, second.number) == (first.number, first.number + 1)
    assert first.status == Nonconformity.Status.OPEN
    assert TrailEntry.objects.filter(action="improvement.nonconformity.raised").count() >= 2


def test_raise_refuses_empty_and_future(world):
    with pytest.raises(ValidationError):
        raise_nc(world, description=" ")
    with pytest.raises(ValidationError) as err:
        raise_nc(world, found_on=TODAY + datetime.timedelta(days=2))
    assert "future" in str(err.value)


def test_closing_refused_without_root_cause_actions_done_and_verification(world):
    nc = raise_nc(world)
    with pytest.raises(ValidationError, match="reaction"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    react(world, nc)
    with pytest.raises(ValidationError, match="root cause"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    analyse(world, nc)
    with pytest.raises(ValidationError, match="at least one corrective action"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    action = services.action_plan(
        actor=world.owner, nonconformity=nc, title="Add limit", owner=world.owner, due_on=TODAY
    )
    with pytest.raises(ValidationError, match="not done"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    services.action_update(
        actor=world.owner,
        action=action,
        expected_version=action.version,
        status="done",
        notes="Limit added",
    )
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.VERIFICATION
    with pytest.raises(ValidationError, match="effectiveness"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    check = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.mr
    )
    services.check_record(
        actor=world.mr, check=check, result="effective", evidence="0 scrap in 4 weeks"
    )
    with pytest.raises(ValidationError, match="risks and opportunities"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    with pytest.raises(ValidationError) as err:
        closure_steps(world, nc, system_change_outcome="")
    assert "system_change_outcome" in err.value.message_dict
    closure_steps(world, nc)
    with pytest.raises(ValidationError, match="password"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password="wrong")
    refused = TrailEntry.objects.for_object(nc).filter(
        action="improvement.nonconformity.closure_refused"
    )
    assert refused.count() == 1  # the wrong password is recorded
    with pytest.raises(ValidationError, match="management representative"):
        services.nonconformity_close(actor=world.top, nonconformity=nc, password=PASSWORD)
    closed = services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    assert closed.status == Nonconformity.Status.CLOSED and closed.closed_by == world.mr
    actions = set(TrailEntry.objects.for_object(nc).values_list("action", flat=True))
    assert {
        "improvement.nonconformity.analysed",
        "improvement.action.planned",
        "improvement.action.updated",
        "improvement.check.recorded",
        "improvement.nonconformity.closed",
    } <= actions


def test_not_effective_reopens_analysis_and_blocks_closing(world):
    nc = raise_nc(world)
    react(world, nc)
    analyse(world, nc)
    action = services.action_plan(
        actor=world.owner, nonconformity=nc, title="Fix", owner=world.owner, due_on=TODAY
    )
    services.action_update(
        actor=world.owner,
        action=action,
        expected_version=action.version,
        status="done",
        notes="done",
    )
    ok = services.check_plan(actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.mr)
    services.check_record(actor=world.mr, check=ok, result="effective", evidence="fine")
    bad = services.check_plan(actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.mr)
    services.check_record(
        actor=world.mr, check=bad, result="not_effective", evidence="scrap is back"
    )
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.OPEN
    assert "effectiveness" in services.closing_refusal(nc)
    with pytest.raises(ValidationError):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)


def test_analysis_needs_root_cause_and_a_why_or_cause(world):
    nc = raise_nc(world)
    with pytest.raises(ValidationError) as err:
        services.analysis_save(
            actor=world.owner,
            nonconformity=nc,
            whys=[],
            causes=[],
            root_cause="",
            root_cause_category="bogus",
            similar="",
        )
    assert {"root_cause", "whys", "root_cause_category", "similar"} <= set(err.value.message_dict)
    analyse(world, nc)
    assert [w.text for w in nc.whys.all()] == ["Tool worn", "No tool-life limit"]
    assert sorted(nc.causes.values_list("category", flat=True)) == ["machine", "method"]


def test_stale_edit_is_refused(world):
    nc = raise_nc(world)
    services.nonconformity_update(actor=world.mr, nonconformity=nc, expected_version=1, title="A")
    with pytest.raises(ValidationError, match="Someone else"):
        services.nonconformity_update(
            actor=world.mr, nonconformity=nc, expected_version=1, title="B"
        )


def test_nonconformity_cannot_be_deleted_only_cancelled_with_reason(world):
    nc = raise_nc(world)
    with pytest.raises(ValueError, match="never deleted"):
        nc.delete()
    with pytest.raises(ValidationError, match="why"):
        services.nonconformity_cancel(actor=world.mr, nonconformity=nc, reason=" ")
    services.nonconformity_cancel(actor=world.mr, nonconformity=nc, reason="Duplicate of NC-1")
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.CANCELLED
    entry = TrailEntry.objects.for_object(nc).get(action="improvement.nonconformity.cancelled")
    assert entry.reason == "Duplicate of NC-1"
    with pytest.raises(ValidationError):
        services.analysis_save(
            actor=world.owner,
            nonconformity=nc,
            whys=["x"],
            causes=[],
            root_cause="x",
            root_cause_category="people",
            similar="none",
        )


def test_only_owner_or_manager_updates_an_action(world):
    nc = raise_nc(world)
    action = services.action_plan(
        actor=world.owner, nonconformity=nc, title="Fix", owner=world.employee, due_on=TODAY
    )
    with pytest.raises(ValidationError, match="owner"):
        services.action_update(
            actor=world.auditor,
            action=action,
            expected_version=action.version,
            status="done",
            notes="x",
        )
    with pytest.raises(ValidationError, match="what was done"):
        services.action_update(
            actor=world.employee,
            action=action,
            expected_version=action.version,
            status="done",
            notes="",
        )
    services.action_update(
        actor=world.employee, action=action, expected_version=action.version, status="in_progress"
    )


def _escalations(action):
    return sorted(
        (n.data["step"], n.recipient_id)
        for n in Notification.objects.filter(kind="improvement.action.overdue", target_id=action.pk)
    )


def test_escalation_owner_manager_mr_once_per_level(world, mailoutbox):
    world.memberships["owner"].manager = world.top
    world.memberships["owner"].save()
    nc = raise_nc(world)
    action = services.action_plan(
        actor=world.mr,
        nonconformity=nc,
        title="Late one",
        owner=world.owner,
        due_on=TODAY - datetime.timedelta(days=1),
    )
    send_reminders(world.org, TODAY)
    assert _escalations(action) == [("owner", world.owner.pk)]
    assert send_reminders(world.org, TODAY) == 0  # idempotent
    send_reminders(world.org, TODAY + datetime.timedelta(days=7))
    assert _escalations(action) == [("manager", world.top.pk), ("owner", world.owner.pk)]
    call_command("send-reminders", "--day", (TODAY + datetime.timedelta(days=14)).isoformat())
    assert _escalations(action) == [
        ("manager", world.top.pk),
        ("mr", world.mr.pk),
        ("owner", world.owner.pk),
    ]
    services.action_update(
        actor=world.owner,
        action=action,
        expected_version=action.version,
        status="done",
        notes="done",
    )
    send_reminders(world.org, TODAY + datetime.timedelta(days=30))
    assert len(_escalations(action)) == 3
    assert CorrectiveAction.objects.get(pk=action.pk).status == "done"

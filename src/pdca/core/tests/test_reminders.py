"""Which reminders fall due on a day: offsets before, escalation steps after, de-duplication."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from pdca.core.due import DueItem
from pdca.core.models import ReminderSetting, TrailEntry
from pdca.core.reminders import (
    Schedule,
    reminder_setting_reset,
    reminder_setting_save,
    reminders_due,
    reminders_for_day,
)
from pdca.core.roles import Role
from pdca.documents.models import Document

DUE = datetime.date(2026, 6, 30)
OWNER, MANAGER, MR1, MR2 = 11, 12, 13, 14


def item(due_on=DUE, owner=OWNER, kind="documents.review", object_id=1):
    return DueItem(
        kind=kind,
        kind_label="Review",
        title="QP-01",
        due_on=due_on,
        url="/x/",
        model="documents.document",
        object_id=object_id,
        owner_id=owner,
    )


def run(day, items=None, schedules=None, managers=None, mrs=(MR1, MR2)):
    return reminders_due(
        items if items is not None else [item()],
        day,
        schedules=schedules or {},
        managers={OWNER: MANAGER} if managers is None else managers,
        representatives=mrs,
    )


def before(days):
    return DUE - datetime.timedelta(days=days)


def after(days):
    return DUE + datetime.timedelta(days=days)


@pytest.mark.parametrize(("day", "offset"), [(30, 30), (7, 7), (1, 1), (0, 0)])
def test_default_offsets_remind_the_owner_30_7_1_days_before_and_on_the_day(day, offset):
    (reminder,) = run(before(day))
    assert reminder.recipient_id == OWNER and reminder.offset == offset and reminder.step == ""


def test_nothing_before_the_first_offset():
    assert run(before(31)) == []


def test_a_day_between_offsets_repeats_the_last_one_passed_with_the_same_key():
    (on_the_day,) = run(before(7))
    (later,) = run(before(5))
    assert later.offset == 7 and later.key == on_the_day.key


def test_an_item_new_three_days_before_gets_one_reminder_not_every_missed_one():
    reminders = run(before(3))
    assert [r.offset for r in reminders] == [7]


def test_escalation_goes_owner_then_line_manager_then_management_representatives():
    assert run(after(0)) != [] and run(after(0))[0].offset == 0  # the due day is not overdue
    assert [(r.step, r.recipient_id) for r in run(after(1))] == [("owner", OWNER)]
    assert [(r.step, r.recipient_id) for r in run(after(7))] == [
        ("owner", OWNER),
        ("manager", MANAGER),
    ]
    steps = [(r.step, r.recipient_id) for r in run(after(14))]
    assert steps == [("owner", OWNER), ("manager", MANAGER), ("mr", MR1), ("mr", MR2)]
    assert {r.days_overdue for r in run(after(14))} == {14}


def test_a_step_without_anyone_to_tell_is_left_out():
    steps = [r.step for r in run(after(20), managers={}, mrs=())]
    assert steps == ["owner"]


def test_the_owner_who_is_the_management_representative_is_not_told_twice():
    steps = [(r.step, r.recipient_id) for r in run(after(20), mrs=(OWNER,))]
    assert steps == [("owner", OWNER), ("manager", MANAGER)]


def test_an_item_without_owner_gets_no_reminder_before_and_escalates_to_the_mr():
    assert run(before(7), items=[item(owner=None)]) == []
    steps = [(r.step, r.recipient_id) for r in run(after(20), items=[item(owner=None)])]
    assert steps == [("mr", MR1), ("mr", MR2)]


def test_keys_name_item_due_date_offset_and_recipient():
    (reminder,) = run(before(7))
    assert reminder.key == f"documents.review:1:{DUE.isoformat()}:before-7:{OWNER}"
    keys = {r.key for r in run(after(14))}
    assert len(keys) == 4
    assert f"documents.review:1:{DUE.isoformat()}:escalation-mr:{MR1}" in keys


def test_a_moved_due_date_starts_its_reminders_afresh():
    (first,) = run(before(7))
    moved = item(due_on=DUE + datetime.timedelta(days=14))
    (again,) = run(before(7) + datetime.timedelta(days=14), items=[moved])
    assert again.offset == 7 and again.key != first.key
    # The old date has passed, but nothing escalates: the new one is 13 days away.
    assert [(r.offset, r.step) for r in run(after(1), items=[moved])] == [(30, "")]


def test_configured_offsets_and_steps_per_kind_and_default():
    schedules = {
        "": Schedule(offsets=(14,), escalation=(("mr", 3),)),
        "improvement.action": Schedule(offsets=(3, 0), escalation=(("manager", 2),)),
    }
    action = item(kind="improvement.action", object_id=2)
    review = item()
    assert [r.offset for r in run(before(14), items=[review], schedules=schedules)] == [14]
    assert run(before(7), items=[action], schedules=schedules) == []
    assert [r.offset for r in run(before(3), items=[action], schedules=schedules)] == [3]
    assert [(r.step, r.recipient_id) for r in run(after(2), [action], schedules)] == [
        ("manager", MANAGER)
    ]
    assert [r.step for r in run(after(3), [review], schedules)] == ["mr", "mr"]
    assert run(before(3), items=[review], schedules=schedules)[0].offset == 14


def test_no_offsets_means_no_reminder_before():
    assert run(before(0), schedules={"": Schedule(offsets=(), escalation=())}) == []


@pytest.mark.django_db
def test_reminders_for_day_reads_the_registry_and_the_members(world):
    doc = world.extra["document"]
    today = datetime.date.today()
    Document.objects.filter(pk=doc.pk).update(next_review_date=today - datetime.timedelta(days=20))
    world.memberships[Role.PROCESS_OWNER].manager = world.top
    world.memberships[Role.PROCESS_OWNER].save(update_fields=["manager"])
    reminders = [r for r in reminders_for_day(world.org, today) if r.item.object_id == doc.pk]
    assert {(r.step, r.recipient_id) for r in reminders if r.item.kind == "documents.review"} == {
        ("owner", world.owner.pk),
        ("manager", world.top.pk),
        ("mr", world.mr.pk),
    }


@pytest.mark.django_db
def test_schedule_is_saved_validated_recorded_and_reset(world):
    setting = reminder_setting_save(
        actor=world.mr,
        organization=world.org,
        kind="documents.review",
        offsets=[7, 60],
        owner_after_days=2,
        manager_after_days=None,
        mr_after_days=10,
    )
    assert setting.offsets == [60, 7] and setting.escalation() == [("owner", 2), ("mr", 10)]
    assert TrailEntry.objects.filter(action="core.reminders.created").exists()
    with pytest.raises(ValidationError) as error:
        reminder_setting_save(
            actor=world.mr,
            organization=world.org,
            kind="documents.review",
            offsets=[7],
            owner_after_days=10,
            manager_after_days=5,
            mr_after_days=None,
            version=setting.version,
        )
    assert "manager_after_days" in error.value.message_dict
    for bad in ([400], [7, 7], list(range(9))):
        with pytest.raises(ValidationError) as error:
            reminder_setting_save(
                actor=world.mr,
                organization=world.org,
                kind="",
                offsets=bad,
                owner_after_days=None,
                manager_after_days=None,
                mr_after_days=None,
            )
        assert "offsets" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        reminder_setting_save(
            actor=world.mr,
            organization=world.org,
            kind="nothing.such",
            offsets=[1],
            owner_after_days=None,
            manager_after_days=None,
            mr_after_days=None,
        )
    assert "kind" in error.value.message_dict
    reminder_setting_reset(actor=world.mr, setting=setting)
    assert not ReminderSetting.objects.filter(pk=setting.pk).exists()
    assert TrailEntry.objects.filter(action="core.reminders.reset").exists()

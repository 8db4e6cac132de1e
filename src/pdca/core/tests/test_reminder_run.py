"""The daily reminder run: what `reminders_for_day` says is due is sent through notify_each(),
once per key, to whoever may see the object."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pdca.core import notifications
from pdca.core.models import Notification
from pdca.core.reminders import reminder_setting_save, send_reminders, send_reminders_everywhere
from pdca.core.roles import Role
from pdca.documents.models import Document
from pdca.documents.testing import make_effective_document

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)
REVIEW = "documents.review"


def days(n):
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def doc(world):
    return make_effective_document(world)


def due_on(doc, when):
    Document.objects.filter(pk=doc.pk).update(next_review_date=when)


def told(doc, kind="documents.review.due"):
    return list(
        Notification.objects.filter(kind=kind, target_id=doc.pk)
        .order_by("pk")
        .values_list("recipient_id", "data")
    )


def test_a_document_due_in_7_days_run_twice_gives_exactly_one_reminder(
    world, doc, mailoutbox, django_capture_on_commit_callbacks
):
    due_on(doc, days(7))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-reminders", "--day", DAY.isoformat())
        call_command("send-reminders", "--day", DAY.isoformat())
    assert told(doc) == [(world.owner.pk, {"due": days(7).isoformat()})]
    (mail,) = [m for m in mailoutbox if doc.number in m.body]
    assert mail.to == [world.owner.email]


def test_two_runs_racing_past_the_check_still_write_one_reminder(
    world, doc, mailoutbox, django_capture_on_commit_callbacks
):
    """Both runs read "nobody told yet" before either writes: the unique key decides."""
    due_on(doc, days(7))
    with (
        mock.patch.object(notifications, "_existing", return_value=set()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_reminders(world.org, DAY)
        send_reminders(world.org, DAY)
    assert len(told(doc)) == 1
    assert len([m for m in mailoutbox if doc.number in m.body]) == 1


@pytest.mark.parametrize("before", [30, 7, 1, 0])
def test_each_default_offset_reminds_the_owner_once(world, doc, before):
    due_on(doc, days(before))
    assert send_reminders(world.org, DAY) >= 1
    assert send_reminders(world.org, DAY) == 0
    (key,) = Notification.objects.filter(target_id=doc.pk, kind="documents.review.due").values_list(
        "key", flat=True
    )
    assert key.endswith(f":before-{before}:{world.owner.pk}")


def test_nothing_is_sent_before_the_first_offset_or_between_offsets(world, doc):
    due_on(doc, days(31))
    send_reminders(world.org, DAY)
    assert told(doc) == []
    due_on(doc, days(30))
    send_reminders(world.org, DAY)
    send_reminders(world.org, days(5))  # 25 days before: the 30-day reminder was sent
    assert len(told(doc)) == 1


def test_an_organizations_own_offsets_for_a_kind(world, doc):
    reminder_setting_save(
        actor=world.mr,
        organization=world.org,
        kind=REVIEW,
        offsets=[14, 3],
        owner_after_days=2,
        manager_after_days=None,
        mr_after_days=None,
    )
    due_on(doc, days(30))
    send_reminders(world.org, DAY)
    assert told(doc) == []  # 30 is not one of this organization's offsets
    send_reminders(world.org, days(16))
    send_reminders(world.org, days(27))
    keys = Notification.objects.filter(target_id=doc.pk).values_list("key", flat=True)
    assert sorted(k.split(":")[3] for k in keys) == ["before-14", "before-3"]
    send_reminders(world.org, days(31))  # one day overdue: the owner's step is after 2
    assert told(doc, "documents.review.overdue") == []
    send_reminders(world.org, days(32))
    assert [r for r, _d in told(doc, "documents.review.overdue")] == [world.owner.pk]


def test_escalation_owner_then_manager_then_mr_on_their_days(world, doc):
    world.memberships[Role.PROCESS_OWNER].manager = world.top
    world.memberships[Role.PROCESS_OWNER].save()
    due_on(doc, DAY)

    def steps():
        return sorted((data["step"], r) for r, data in told(doc, "documents.review.overdue"))

    send_reminders(world.org, days(0))
    assert steps() == []  # the due day itself is a reminder, not an escalation
    send_reminders(world.org, days(1))
    assert steps() == [("owner", world.owner.pk)]
    send_reminders(world.org, days(6))
    assert steps() == [("owner", world.owner.pk)]
    send_reminders(world.org, days(7))
    assert steps() == [("manager", world.top.pk), ("owner", world.owner.pk)]
    send_reminders(world.org, days(14))
    assert steps() == [("manager", world.top.pk), ("mr", world.mr.pk), ("owner", world.owner.pk)]
    send_reminders(world.org, days(20))
    assert len(steps()) == 3
    (n,) = Notification.objects.filter(kind="documents.review.overdue", data__step="mr")
    assert n.data["days"] == 14 and n.data["owner"] == world.owner.display_name
    assert n.url.endswith(f"/documents/{doc.pk}/")


def test_a_moved_due_date_starts_the_reminders_afresh(world, doc):
    due_on(doc, days(7))
    send_reminders(world.org, DAY)
    due_on(doc, days(8))
    assert send_reminders(world.org, DAY) == 1
    assert [d["due"] for _r, d in told(doc)] == [days(7).isoformat(), days(8).isoformat()]


def test_a_manager_who_may_not_see_a_restricted_document_is_not_told(world, doc):
    world.memberships[Role.PROCESS_OWNER].manager = world.employee
    world.memberships[Role.PROCESS_OWNER].save()
    Document.objects.filter(pk=doc.pk).update(
        confidentiality="restricted", allowed_roles=[Role.PROCESS_OWNER], next_review_date=DAY
    )
    send_reminders(world.org, days(14))
    recipients = {r for r, _d in told(doc, "documents.review.overdue")}
    assert recipients == {world.owner.pk}  # neither the employee manager nor the MR


def test_the_run_covers_every_active_organization_and_skips_inactive_ones(world, doc):
    due_on(doc, days(7))
    world.org.is_active = False
    world.org.save()
    assert send_reminders_everywhere(DAY)["globex"] == 0
    assert "acme" not in send_reminders_everywhere(DAY)
    assert told(doc) == []


def test_the_command_refuses_an_unknown_kind(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("send-reminders", "--kind", "nothing.here")


def _queries_of_a_run(world, count):
    from pdca.improvement import services as capa
    from pdca.improvement.models import Nonconformity

    nc = Nonconformity.objects.filter(organization=world.org).first() or capa.nonconformity_raise(
        actor=world.employee, organization=world.org, title="Late work", description="x"
    )
    for i in range(count):
        capa.action_plan(
            actor=world.mr,
            nonconformity=nc,
            title=f"Action {i}",
            owner=world.owner,
            due_on=DAY - datetime.timedelta(days=15),
        )
        make_effective_document(world, title=f"Procedure {i}")
    Document.objects.filter(organization=world.org).update(next_review_date=days(7))
    with CaptureQueriesContext(connection) as run:
        sent = send_reminders(world.org, DAY)
    return sent, len(run.captured_queries)


def test_the_query_count_of_a_run_does_not_grow_with_the_items(world):
    sent_few, few = _queries_of_a_run(world, 2)
    Notification.objects.all().delete()
    sent_many, many = _queries_of_a_run(world, 8)
    assert sent_many > sent_few
    assert many <= few  # a fixed number per organization and source batch
    assert few < 60


def test_the_scheduler_sends_the_reminders_every_morning_and_the_task_sends_them(world, doc):
    from pdca.config.celery import app
    from pdca.core import tasks

    entry = app.conf.beat_schedule["core.reminders"]
    assert entry["task"] == tasks.send_reminders.name == "pdca.core.tasks.send_reminders"
    due_on(doc, days(7))
    assert tasks.send_reminders.apply(args=[DAY.isoformat()]).get() >= 1
    assert tasks.send_reminders.apply(args=[DAY.isoformat()]).get() == 0  # retried: nothing
    assert len(told(doc)) == 1


def test_records_past_retention_and_auditors_access_keep_their_own_notice(world):
    from pdca.core.due import SOURCES
    from pdca.core.notifications import KINDS

    assert not SOURCES["records.retention"].reminders and not SOURCES["core.access"].reminders
    assert "records.retention.due" not in KINDS and "documents.review.due" in KINDS


def test_a_kind_with_its_own_notice_gets_no_reminder_schedule(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="kind"):
        reminder_setting_save(
            actor=world.mr,
            organization=world.org,
            kind="records.retention",
            offsets=[7],
            owner_after_days=None,
            manager_after_days=None,
            mr_after_days=None,
        )


def test_escalations_sent_before_the_one_run_are_not_sent_again(world):
    """The migration gives the old CAPA escalations the new run's key and kind."""
    import importlib

    from django.apps import apps

    from pdca.improvement import services as capa

    nc = capa.nonconformity_raise(
        actor=world.employee, organization=world.org, title="Late", description="x"
    )
    action = capa.action_plan(
        actor=world.mr, nonconformity=nc, title="Late one", owner=world.owner, due_on=days(-3)
    )
    Notification.objects.create(
        organization=world.org,
        recipient=world.owner,
        kind="improvement.action_overdue",
        key=f"improvement.escalation:{action.pk}:owner",
        target_id=action.pk,
        data={"due": days(-3).isoformat(), "days": 1},
    )
    importlib.import_module("pdca.core.migrations.0009_reminders").forward(apps, None)
    (old,) = Notification.objects.filter(target_id=action.pk, key__contains="escalation")
    assert old.kind == "improvement.action.overdue"
    send_reminders(world.org, DAY)
    assert (
        Notification.objects.filter(kind="improvement.action.overdue", target_id=action.pk).count()
        == 1
    )

"""Background tasks: retried with back-off, recorded when they give up, shown to the platform
administrator; the periodic work (trail checkpoint, expiry of export results) on the schedule."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from pdca.config.celery import app
from pdca.core import tasks
from pdca.core.background import RETRY_DEFAULTS, task
from pdca.core.models import Job, TaskFailure
from pdca.core.testing import make_user

pytestmark = pytest.mark.django_db

ATTEMPTS: list[int] = []


@task(max_retries=2)
def flaky(fail_times: int, label: str = "") -> str:
    """Fails its first `fail_times` runs."""
    ATTEMPTS.append(1)
    if len(ATTEMPTS) <= fail_times:
        raise ConnectionError(f"mail server away ({label})")
    return "sent"


@pytest.fixture(autouse=True)
def _fresh_attempts():
    ATTEMPTS.clear()
    # As on a worker: a failed attempt is a result, not an exception in the caller (the retries
    # of an eager task are applied with this setting, whatever `apply(throw=...)` says).
    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_tasks_are_retried_with_backoff_and_acknowledged_late():
    assert flaky.max_retries == 2 and flaky.acks_late
    assert flaky.retry_backoff == RETRY_DEFAULTS["retry_backoff"] and flaky.retry_jitter
    assert flaky.autoretry_for == (Exception,)
    assert flaky.name == "pdca.core.tests.test_background.flaky"


def test_a_task_that_succeeds_on_a_retry_records_no_failure():
    assert flaky.apply(args=[2]).get() == "sent"
    assert len(ATTEMPTS) == 3
    assert not TaskFailure.objects.exists()


def test_a_task_that_keeps_failing_is_recorded_with_its_arguments_and_attempts():
    result = flaky.apply(args=[99], kwargs={"label": "reminder 7"})
    assert result.failed() and len(ATTEMPTS) == 3  # the first run and two retries
    failure = TaskFailure.objects.get()
    assert failure.task_name == flaky.name
    assert failure.arguments == {"args": [99], "kwargs": {"label": "reminder 7"}}
    assert failure.error == "ConnectionError: mail server away (reminder 7)"
    assert failure.attempts == 3
    assert "ConnectionError" in failure.traceback


def test_the_platform_administrator_sees_failed_tasks_and_no_one_else(world, client):
    TaskFailure.objects.create(
        task_name="pdca.core.tasks.run_job", arguments={"args": [5]}, error="Boom: disk full"
    )
    page = reverse("core:task_failures")
    admin = make_user("ops@pdca.test")
    admin.is_staff = True
    admin.save()
    assert client.get(page).status_code == 302  # anonymous: sign in first
    for user in (world.mr, world.top, world.outsider):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert page not in client.get(reverse("core:profile")).content.decode()
    client.force_login(admin)
    assert page in client.get(reverse("core:profile")).content.decode()  # in the user menu
    content = client.get(page).content.decode()
    assert "Boom: disk full" in content and "pdca.core.tasks.run_job" in content
    TaskFailure.objects.all().delete()
    assert "No task has failed." in client.get(page).content.decode()


def test_the_failures_page_is_paginated_with_constant_queries(
    world, client, django_assert_max_num_queries
):
    TaskFailure.objects.bulk_create(TaskFailure(task_name=f"t{i}", error="x") for i in range(60))
    admin = make_user("ops@pdca.test")
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:task_failures") + "?page=2")
    assert "Page 2 of 3" in response.content.decode()


def test_the_scheduler_sends_the_trail_checkpoint_and_the_expiry_of_results():
    schedule = app.conf.beat_schedule
    assert schedule["core.trail-checkpoint"]["task"] == tasks.trail_checkpoint.name
    assert schedule["core.trail-checkpoint"]["schedule"] == datetime.timedelta(minutes=15)
    assert schedule["core.expire-job-results"]["task"] == tasks.expire_job_results.name
    assert set(app.tasks) >= {tasks.trail_checkpoint.name, tasks.expire_job_results.name}


def test_every_periodic_entry_names_a_task_a_worker_knows():
    """Schedules name their task by string: one left behind by a renamed or removed task would
    be sent every day and fail on every worker."""
    app.loader.import_default_modules()  # what a worker imports: every app's tasks.py
    unknown = {
        name: entry["task"]
        for name, entry in app.conf.beat_schedule.items()
        if entry["task"] not in app.tasks
    }
    assert app.conf.beat_schedule and not unknown


def test_the_checkpoint_task_writes_a_checkpoint_once_per_move(world, trail_checkpoint_path):
    assert tasks.trail_checkpoint.apply().get() is True
    lines = trail_checkpoint_path.read_text().splitlines()
    assert json.loads(lines[-1])["format"] == "pdca-trail-checkpoint/1"
    assert tasks.trail_checkpoint.apply().get() is False  # nothing moved: nothing written
    assert len(trail_checkpoint_path.read_text().splitlines()) == len(lines)


def test_the_checkpoint_task_is_not_retried_and_its_failure_is_recorded(world, monkeypatch):
    from pdca.core import checkpoints

    class Broken:
        breaks = ["chain 1 moved back from 9 to 3"]
        written = False

    monkeypatch.setattr(checkpoints, "write_checkpoint", lambda: Broken())
    assert tasks.trail_checkpoint.apply(throw=False).failed()
    failure = TaskFailure.objects.get()
    assert failure.attempts == 1 and "moved back" in failure.error


def test_expired_export_results_are_deleted_with_their_files(world):
    now = timezone.now()
    old = Job.objects.create(
        organization=world.org, requested_by=world.mr, kind="core.trail", status="done"
    )
    old.result.save("old.xlsx", ContentFile(b"old"), save=False)
    old.expires_at = now - datetime.timedelta(minutes=1)
    old.save()
    fresh = Job.objects.create(
        organization=world.org,
        requested_by=world.mr,
        kind="core.trail",
        expires_at=now + datetime.timedelta(hours=1),
    )
    storage = old.result.storage
    name = old.result.name
    assert storage.exists(name)
    assert tasks.expire_job_results.apply().get() == 1
    assert not Job.objects.filter(pk=old.pk).exists() and not storage.exists(name)
    assert Job.objects.filter(pk=fresh.pk).exists()
    assert tasks.expire_job_results.apply().get() == 0  # safe to run twice


def test_a_broker_out_of_reach_is_recorded_not_an_error_for_the_user():
    """The request's work is committed before its tasks are queued: a broker that refuses the
    connection leaves a failure for the administrator instead of a server error."""
    from celery import Celery

    from pdca.core.background import send

    # An app of its own, so that the connection pool of pdca's app stays as it is.
    away = Celery("away", broker="redis://127.0.0.1:1/0", set_as_current=False)
    away.conf.task_publish_retry = False

    @away.task(name="pdca.tests.unqueued")
    def unqueued(label: str = "") -> str:
        return label

    send(unqueued, label="never")
    failure = TaskFailure.objects.get(task_name="pdca.tests.unqueued")
    assert failure.error.startswith("Not queued:") and failure.attempts == 0
    assert failure.arguments == {"args": [], "kwargs": {"label": "never"}}

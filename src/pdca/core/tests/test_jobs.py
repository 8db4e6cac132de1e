"""Long jobs: started from an export, run as the member who asked, progress on a page the
browser polls, a download for the requester alone, kept for a limited time."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from pdca.config.celery import app
from pdca.core import jobs
from pdca.core.models import Job, TaskFailure, TrailEntry
from pdca.core.roles import Role
from pdca.core.testing import export_via_job

pytestmark = pytest.mark.django_db


def trail_export_url() -> str:
    return reverse("core:trail_export", kwargs={"org": "acme"})


def start(client, url=None, query=""):
    """Start an export; the job is queued but no worker has taken it yet."""
    response = client.post((url or trail_export_url()) + (f"?{query}" if query else ""))
    assert response.status_code == 302
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def test_the_trail_export_lists_the_filtered_entries_and_is_recorded(world, login):
    client = login(world.mr)
    response = export_via_job(client, trail_export_url(), "action=core.membership")
    assert response.status_code == 200
    assert 'filename="audit-trail-acme-' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("No.", "When", "Who", "IP address", "Action")
    expected = TrailEntry.objects.filter(
        chain=world.org.pk, action__startswith="core.membership"
    ).count()
    assert len(rows) - 1 == expected > 0
    assert {row[4] for row in rows[1:]} <= {
        "Member added",
        "Member invited",
        "Roles changed",
        "Membership changed",
        "Membership ended",
        "External auditor access granted",
    }
    job = Job.objects.filter(requested_by=world.mr).latest("pk")
    assert job.status == "done" and job.progress_done == job.progress_total == expected
    assert job.parameters == {"action": "core.membership"} and job.expires_at > job.finished_at
    entry = TrailEntry.objects.filter(action="core.job.requested").get()
    assert entry.actor == world.mr and entry.changes["kind"] == "core.trail"


def test_a_role_the_policy_refuses_cannot_start_the_export(world, login):
    response = login(world.employee).post(trail_export_url())
    assert response.status_code == 403
    assert not Job.objects.filter(requested_by=world.employee).exists()
    assert login(world.outsider).post(trail_export_url()).status_code == 404


def test_the_job_page_polls_until_done_then_offers_the_download(world, login):
    client = login(world.mr)
    job = start(client)
    page = reverse("core:job", kwargs={"pk": job.pk})
    body = client.get(page).content.decode()
    assert "Waiting for a worker" in body and 'hx-trigger="every 1s"' in body
    Job.objects.filter(pk=job.pk).update(status="running", progress_done=30, progress_total=120)
    fragment = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<article id="job-progress"')
    assert "30 of 120 rows (25 %)" in fragment and 'value="25"' in fragment
    assert "every 1s" in fragment
    assert client.get(page + "download/").status_code == 404  # not ready yet
    Job.objects.filter(pk=job.pk).update(status="queued")
    jobs.job_run(job.pk)
    fragment = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in fragment and "Your export is ready." in fragment
    assert reverse("core:job_download", kwargs={"pk": job.pk}) in fragment


def test_only_the_requester_sees_the_job_and_its_download(world, login, client):
    job = start(login(world.mr))
    jobs.job_run(job.pk)
    page = reverse("core:job", kwargs={"pk": job.pk})
    download = reverse("core:job_download", kwargs={"pk": job.pk})
    assert login(world.mr).get(download).status_code == 200
    # Another member of the same organization, even one who may export the trail too.
    for other in (world.top, world.auditor, world.employee, world.outsider):
        client.force_login(other)
        assert client.get(page).status_code == 404
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(page).status_code == 302 and client.get(download).status_code == 302
    # The requester who left the organization loses it too.
    world.memberships[Role.MANAGEMENT_REP].is_active = False
    world.memberships[Role.MANAGEMENT_REP].save()
    client.force_login(world.mr)
    assert client.get(page).status_code == 404 and client.get(download).status_code == 404


def test_a_member_whose_role_changed_before_the_run_gets_nothing(world, login):
    job = start(login(world.auditor))
    membership = world.memberships[Role.INTERNAL_AUDITOR]
    membership.roles = [Role.EMPLOYEE]
    membership.save()
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.result
    assert "no longer" in job.error


def test_running_a_finished_job_again_changes_nothing(world, login):
    job = start(login(world.mr))
    jobs.job_run(job.pk)
    job.refresh_from_db()
    first = (job.result.name, job.finished_at)
    jobs.job_run(job.pk)  # a late duplicate of the task (acks are late)
    job.refresh_from_db()
    assert (job.result.name, job.finished_at) == first


def test_a_job_that_keeps_failing_is_marked_failed_and_recorded(world, login, monkeypatch):
    def broken(job, progress):
        raise OSError("storage unreachable")

    kind = jobs.JOB_KINDS["core.trail"]
    monkeypatch.setitem(
        jobs.JOB_KINDS, "core.trail", jobs.JobKind(kind.name, kind.label, kind.permission, broken)
    )
    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            job = start(login(world.mr))
    finally:
        app.conf.task_eager_propagates = before
    job.refresh_from_db()
    assert job.status == "failed" and "administrator" in job.error
    failure = TaskFailure.objects.get()
    assert failure.attempts == 4 and failure.arguments["args"] == [job.pk]  # 1 + 3 retries
    page = login(world.mr).get(reverse("core:job", kwargs={"pk": job.pk})).content.decode()
    assert "Failed" in page and "every 1s" not in page


def test_the_job_page_costs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    job = start(client)
    with django_assert_max_num_queries(6):
        client.get(reverse("core:job", kwargs={"pk": job.pk}), headers={"HX-Request": "true"})


def test_the_job_page_is_translated(world, login):
    from pdca.core.testing import assert_page_translated

    job = start(login(world.mr))
    assert_page_translated(
        login(world.mr),
        reverse("core:job", kwargs={"pk": job.pk}),
        ["Waiting for a worker", "Only you can download it."],
        ["Warten auf einen Worker", "Nur Sie können ihn herunterladen."],
    )

"""The update helpers (an edit, a state change): lock, version, whitelist, validation, changed
columns, the trail."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from pdca.core import services
from pdca.core.models import Job, Membership, Site, TrailEntry
from pdca.core.roles import Role
from pdca.core.updating import (
    ConflictError,
    check_same_organization,
    model_transition,
    model_update,
)

pytestmark = pytest.mark.django_db


def _entries(obj) -> int:
    return TrailEntry.objects.for_object(obj).count()


def test_a_versioned_update_needs_the_version(world):
    membership = world.memberships[Role.EMPLOYEE]
    with pytest.raises(ValidationError) as refused:
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=None,
            action="core.membership.updated",
        )
    assert "version" in refused.value.error_dict and not isinstance(refused.value, ConflictError)


def test_a_stale_version_is_refused_with_the_one_message_and_nothing_saved(world):
    membership = world.memberships[Role.EMPLOYEE]
    before = _entries(membership)
    with pytest.raises(ConflictError, match="Someone else changed this membership"):
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=membership.version + 1,
            action="core.membership.updated",
        )
    membership.refresh_from_db()
    assert membership.is_active and _entries(membership) == before


def test_a_field_outside_the_whitelist_is_a_programming_error(world):
    site = Site.objects.filter(organization=world.org).first()
    with pytest.raises(ValueError, match="organization"):
        services.site_save(
            actor=world.mr, organization=world.org, site=site, organization_id=world.other_org.pk
        )
    with pytest.raises(ValueError):
        services.site_save(actor=world.mr, organization=world.org, name="X", organization_id=1)


def test_only_changed_fields_are_saved_the_version_bumped_and_the_diff_recorded(world):
    membership = world.memberships[Role.EMPLOYEE]
    updated, changes = model_update(
        instance=membership,
        actor=world.mr,
        fields={"is_active": False, "roles": list(membership.roles)},
        allowed=("is_active", "roles"),
        expected_version=membership.version,
        action="core.membership.updated",
        reason="Left the company",
    )
    assert changes == {"is_active": [True, False]}
    assert updated.version == membership.version + 1
    entry = TrailEntry.objects.for_object(membership).order_by("-seq").first()
    assert entry.changes == changes and entry.reason == "Left the company"


def test_nothing_changed_saves_and_records_nothing(world):
    membership = world.memberships[Role.EMPLOYEE]
    before = _entries(membership)
    updated, changes = model_update(
        instance=membership,
        actor=world.mr,
        fields={"is_active": True},
        allowed=("is_active",),
        expected_version=membership.version,
        action="core.membership.updated",
    )
    assert changes == {} and updated.version == membership.version
    assert _entries(membership) == before


def test_validation_runs_before_anything_is_saved(world):
    membership = world.memberships[Role.EMPLOYEE]

    def refuse(current: Membership) -> None:
        raise ValidationError({"roles": "No."})

    with pytest.raises(ValidationError):
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=membership.version,
            action="core.membership.updated",
            validate=refuse,
        )
    membership.refresh_from_db()
    assert membership.is_active


def test_an_object_of_another_organization_is_refused_on_its_field(world):
    foreign = Site.objects.create(organization=world.other_org, name="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        check_same_organization(world.org, "site", foreign)
    assert "site" in refused.value.error_dict
    check_same_organization(world.org, "site", None)
    with pytest.raises(ValidationError):
        services.department_save(
            actor=world.mr, organization=world.org, name="Remote", site=foreign
        )


# model_transition: the one way a status (and its companion fields) changes.


STARTED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def _job(world) -> Job:
    return Job.objects.create(organization=world.org, requested_by=world.mr, kind="export")


def _start(job: Job, **rules) -> Job:
    return model_transition(
        instance=job,
        actor=job.requested_by,
        action="core.job.requested",
        to={"status": Job.Status.RUNNING, "started_at": STARTED},
        **rules,
    )


def _updated_columns(queries) -> list[str]:
    (update,) = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "core_job"')]
    assignments = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    return sorted(re.findall(r'"(\w+)" =', assignments))


def test_a_transition_locks_the_row_for_no_key_update(world, monkeypatch):
    job = _job(world)
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locks.append((self.model, kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    with CaptureQueriesContext(connection) as captured:
        _start(job)
    assert (Job, {"no_key": True}) in locks
    if connection.vendor == "postgresql":
        assert any("FOR NO KEY UPDATE" in q["sql"] for q in captured.captured_queries)


def test_a_transition_saves_only_the_changed_fields_with_the_version_and_auto_now(world):
    job = _job(world)
    Job.objects.filter(pk=job.pk).update(progress_total=7)  # another write the copy has not seen
    with CaptureQueriesContext(connection) as captured:
        moved = _start(job)
    assert _updated_columns(captured.captured_queries) == [
        "started_at",
        "status",
        "updated_at",
        "version",
    ]
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.started_at == STARTED
    assert job.progress_total == 7 and job.version == moved.version == 2


def test_a_transition_records_every_field_it_sets_by_default(world):
    job = _job(world)
    _start(job, reason="Picked up")
    entry = TrailEntry.objects.for_object(job).get()
    assert entry.action == "core.job.requested" and entry.reason == "Picked up"
    assert entry.changes == {
        "status": ["queued", "running"],
        "started_at": [None, STARTED.isoformat()],
    }


def test_a_transition_records_only_the_named_fields_after_the_context(world):
    job = _job(world)
    membership = world.memberships[Role.EMPLOYEE]
    _start(
        job,
        record=("status",),
        context={"kind": [None, "export"]},
        record_on=membership,
        organization=world.org,
    )
    assert not TrailEntry.objects.for_object(job).exists()
    entry = TrailEntry.objects.for_object(membership).order_by("-seq").first()
    assert entry.changes == {"kind": [None, "export"], "status": ["queued", "running"]}
    assert entry.organization == world.org


def test_recording_a_field_the_transition_does_not_set_is_a_programming_error(world):
    with pytest.raises(ValueError, match="finished_at"):
        _start(_job(world), record=("status", "finished_at"))


def test_a_stale_version_refuses_the_transition_and_nothing_is_saved(world):
    job = _job(world)
    with pytest.raises(ConflictError):
        _start(job, expected_version=job.version + 1)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.version == 1
    assert not TrailEntry.objects.for_object(job).exists()
    assert _start(job, expected_version=job.version).version == 2


def test_the_services_check_sees_the_locked_row_before_anything_is_set(world):
    job = _job(world)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)  # finished meanwhile
    seen = []

    def only_queued(current: Job) -> None:
        seen.append(current.status)
        if current.status != Job.Status.QUEUED:
            raise ValidationError("This export has already finished.")

    with pytest.raises(ValidationError, match="already finished"):
        _start(job, check=only_queued)
    job.refresh_from_db()
    assert seen == [Job.Status.DONE] and job.started_at is None and job.version == 1
    assert not TrailEntry.objects.for_object(job).exists()


def test_a_transition_to_the_state_it_is_in_is_a_no_op(world):
    job = _job(world)
    _start(job)
    with CaptureQueriesContext(connection) as captured:
        again = _start(job)
    assert again.version == 2 and TrailEntry.objects.for_object(job).count() == 1
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_always_record_writes_the_act_even_when_no_field_changes(world):
    job = _job(world)
    _start(job)
    again = _start(job, always_record=True, reason="Signed again")
    entries = TrailEntry.objects.for_object(job).order_by("seq")
    assert again.version == 3 and entries.count() == 2
    assert entries.last().changes == {} and entries.last().reason == "Signed again"

"""Consultation and participation of workers (45001 5.4): the log's rules (a date not in the
future, a topic of the standard, who took part with non-managerial workers apart), correction
with a reason and version, withdrawal that keeps the entry, barriers, the topics covered in a
period, the management review's input, the pages and the API with permissions, the
organization boundary and fixed query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from pdca.core.updating import ConflictError
from pdca.ehs import providers
from pdca.ehs.models import (
    ConsultationTopic,
    EntryStatus,
    Mechanism,
    ParticipationEvent,
    ParticipationTopic,
)
from pdca.ehs.services import participation as services
from pdca.ehs.testing import make_event
from pdca.reviews.inputs import REVIEW_INPUTS, Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY - datetime.timedelta(days=365), TODAY)


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def test_an_event_in_the_future_without_topic_or_people_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as err:
        make_event(
            world,
            held_on=TODAY + datetime.timedelta(days=1),
            consultation_topics=[],
            participation_topics=[],
            workers=[],
            managers=[],
        )
    assert set(err.value.message_dict) == {"held_on", "consultation_topics", "workers"}
    with pytest.raises(ValidationError) as err:
        make_event(world, participation_topics=["lunch"])
    assert "participation_topics" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        make_event(world, workers=[world.employee], managers=[world.employee])
    assert "managers" in err.value.message_dict
    # Contractors alone may take part (named in "others").
    event = make_event(world, workers=[], managers=[], others="Two contractor welders")
    assert event.pk and event.status == EntryStatus.ACTIVE


def test_people_and_mechanisms_of_another_organization_are_refused(world):
    with pytest.raises(ValidationError) as err:
        make_event(world, workers=[world.outsider])
    assert "workers" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        make_event(world, managers=[world.external])  # an external auditor is not a manager here
    assert "managers" in err.value.message_dict
    with scopes_disabled():
        foreign = Mechanism.objects.create(
            organization=world.other_org, kind="committee", name="Globex committee"
        )
    with pytest.raises(ValidationError) as err:
        make_event(world, mechanism=foreign)
    assert "mechanism" in err.value.message_dict


def test_correction_needs_reason_and_version_and_withdrawal_keeps_the_entry(world):
    event = world.extra["event"]
    with pytest.raises(ValidationError) as err:
        services.event_update(actor=world.mr, event=event, version=event.version, reason=" ")
    assert "reason" in err.value.message_dict
    with pytest.raises(ConflictError):
        services.event_update(
            actor=world.mr, event=event, version=event.version + 1, reason="r", topic="x"
        )
    with pytest.raises(ValidationError) as err:
        services.event_update(
            actor=world.mr,
            event=event,
            version=event.version,
            reason="r",
            managers=[world.employee],
        )
    assert "managers" in err.value.message_dict
    fixed = services.event_update(
        actor=world.mr,
        event=event,
        version=event.version,
        reason="The consultant also attended",
        managers=[world.owner, world.consultant],
    )
    assert set(fixed.managers.all()) == {world.owner, world.consultant}
    assert fixed.version == event.version + 1
    gone = services.event_withdraw(actor=world.mr, event=fixed, reason="Duplicate entry")
    assert gone.status == EntryStatus.WITHDRAWN
    with scopes_disabled():
        assert ParticipationEvent.objects.filter(pk=event.pk).exists()
    with pytest.raises(ValidationError):
        services.event_withdraw(actor=world.mr, event=gone, reason="again")
    with pytest.raises(ValidationError):
        services.event_update(actor=world.mr, event=gone, version=gone.version, reason="r")


def test_a_withdrawn_mechanism_takes_no_new_events_but_keeps_its_own(world):
    mechanism = world.extra["mechanism"]
    event = world.extra["event"]
    with pytest.raises(ValidationError):
        services.mechanism_update(
            actor=world.mr, mechanism=mechanism, version=mechanism.version, reason="", name="X"
        )
    services.mechanism_withdraw(actor=world.mr, mechanism=mechanism, reason="Merged")
    mechanism.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        make_event(world, mechanism=mechanism)
    assert "mechanism" in err.value.message_dict
    # Its earlier events can still be corrected.
    fixed = services.event_update(
        actor=world.mr, event=event, version=event.version, reason="Typo", topic="Safety committee"
    )
    assert fixed.topic == "Safety committee"


def test_barriers_are_removed_after_they_were_identified_saying_how(world):
    barrier = world.extra["barrier"]
    with pytest.raises(ValidationError) as err:
        services.barrier_update(
            actor=world.mr,
            barrier=barrier,
            version=barrier.version,
            reason="Translated",
            removed_on=barrier.identified_on - datetime.timedelta(days=1),
        )
    assert "removed_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.barrier_update(
            actor=world.mr, barrier=barrier, version=barrier.version, reason="r", removed_on=TODAY
        )
    assert "action" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.barrier_create(
            actor=world.mr,
            organization=world.org,
            kind="reprisal",
            description="x",
            identified_on=TODAY + datetime.timedelta(days=3),
            owner=world.outsider,
        )
    assert "identified_on" in err.value.message_dict
    removed = services.barrier_update(
        actor=world.mr,
        barrier=barrier,
        version=barrier.version,
        reason="Briefings now in Polish too",
        action="Safety briefings translated into Polish.",
        removed_on=TODAY,
    )
    assert removed.removed_on == TODAY
    from pdca.core.models import TrailEntry

    assert TrailEntry.objects.filter(action="ehs.barrier.removed", object_id=barrier.pk).exists()


def test_coverage_counts_current_events_of_the_period_per_topic(
    world, django_assert_max_num_queries
):
    start = TODAY - datetime.timedelta(days=30)
    before = services.coverage(world.org, start, TODAY)
    assert before.events == 1 and before.workers == 1
    assert {t.code for t in before.missing} == (
        set(ConsultationTopic.values) | set(ParticipationTopic.values)
    ) - {"objectives", "hazards"}
    make_event(world, consultation_topics=["policy"], participation_topics=[], managers=[])
    make_event(  # outside the period
        world,
        held_on=start - datetime.timedelta(days=1),
        consultation_topics=["legal"],
        participation_topics=[],
    )
    withdrawn = make_event(world, consultation_topics=["roles"], participation_topics=[])
    services.event_withdraw(actor=world.mr, event=withdrawn, reason="Did not take place")
    with django_assert_max_num_queries(2):
        after = services.coverage(world.org, start, TODAY)
    covered = {t.code: t.events for t in (*after.consultation, *after.participation) if t.events}
    assert covered == {"objectives": 1, "hazards": 1, "policy": 1}
    assert after.events == 2 and after.workers == 1
    assert after.covered == 3 and after.total == 16
    assert services.coverage(world.other_org, start, TODAY).events == 0


def test_the_review_input_summarizes_the_log(world, django_assert_max_num_queries):
    assert REVIEW_INPUTS["worker_participation"].provider is providers.worker_participation
    with django_assert_max_num_queries(3):
        summary = providers.worker_participation(world.org, YEAR)
    assert summary.params["events"] == 1 and summary.params["workers"] == 1
    assert summary.params["covered"] == 2 and summary.params["missing"] == 14
    assert summary.params["open_barriers"] == 1
    assert "start=" in summary.links[0][1]
    assert providers.worker_participation(world.other_org, YEAR).params["events"] == 0


def _form(world, **values):
    return {
        "held_on": TODAY.isoformat(),
        "mechanism": world.extra["mechanism"].pk,
        "topic": "Toolbox talk: lifting",
        "participation_topics": ["controls", "competence"],
        "workers": [world.employee.pk],
        "outcome": "Sling checks shown; two slings replaced.",
        **values,
    }


def test_pages_log_correct_and_withdraw(world, login):
    client = login(world.mr)
    r = client.get(url("ehs:participation"))
    assert r.status_code == 200
    assert b"Topics covered in the review period" in r.content
    assert b"Safety committee" in r.content and b"Two machinists" in r.content
    r = client.post(
        url("ehs:event_create"),
        _form(world, held_on=(TODAY + datetime.timedelta(days=2)).isoformat()),
    )
    assert r.status_code == 400 and "held_on" in r.context["form"].errors
    r = client.post(url("ehs:event_create"), _form(world, participation_topics=[], workers=[]))
    assert r.status_code == 400
    assert {"consultation_topics", "workers"} <= set(r.context["form"].errors)
    r = client.post(url("ehs:event_create"), _form(world))
    assert r.status_code == 302
    event = ParticipationEvent.objects.get(topic="Toolbox talk: lifting")
    r = client.get(url("ehs:event", pk=event.pk))
    assert b"Sling checks shown" in r.content and world.employee.display_name.encode() in r.content
    r = client.get(url("ehs:participation"), {"topic": "competence", "status": "active"})
    assert b"Toolbox talk: lifting" in r.content and b"monthly meeting" not in r.content
    r = client.get(url("ehs:participation"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert r.status_code == 200 and b"The period ends before it starts." in r.content
    r = client.post(
        url("ehs:event_edit", pk=event.pk), _form(world, version=event.version, reason="")
    )
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(
        url("ehs:event_edit", pk=event.pk),
        _form(world, version=event.version, reason="Wrong day", held_on=str(TODAY)),
    )
    assert r.status_code == 302
    event.refresh_from_db()
    r = client.post(
        url("ehs:event_withdraw", pk=event.pk), {"reason": "Duplicate", "version": event.version}
    )
    assert r.status_code == 302
    event.refresh_from_db()
    assert event.status == EntryStatus.WITHDRAWN


def test_mechanism_and_barrier_pages(world, login):
    client = login(world.mr)
    r = client.post(url("ehs:mechanism_create"), {"kind": "nope", "name": ""})
    assert r.status_code == 400 and {"kind", "name"} <= set(r.context["form"].errors)
    r = client.post(url("ehs:mechanism_create"), {"kind": "toolbox_talk", "name": "Toolbox talks"})
    assert r.status_code == 302
    mechanism = world.extra["mechanism"]
    r = client.post(
        url("ehs:mechanism_edit", pk=mechanism.pk),
        {"kind": "committee", "name": "H&S committee", "reason": "Renamed", "version": 1},
    )
    assert r.status_code == 302
    mechanism.refresh_from_db()
    r = client.post(
        url("ehs:mechanism_withdraw", pk=mechanism.pk),
        {"reason": "Merged into the works council", "version": mechanism.version},
    )
    assert r.status_code == 302
    barrier = world.extra["barrier"]
    r = client.post(
        url("ehs:barrier_edit", pk=barrier.pk),
        {
            "kind": "language",
            "description": barrier.description,
            "identified_on": str(barrier.identified_on),
            "owner": world.owner.pk,
            "removed_on": str(TODAY),
            "action": "",
            "reason": "Done",
            "version": barrier.version,
        },
    )
    assert r.status_code == 400 and "action" in r.context["form"].errors
    r = client.post(
        url("ehs:barrier_create"),
        {
            "kind": "time",
            "description": "Night shift cannot attend the committee.",
            "identified_on": str(TODAY),
            "owner": world.owner.pk,
        },
    )
    assert r.status_code == 302
    assert b"Night shift cannot attend" in client.get(url("ehs:participation")).content


def test_permissions_and_boundary(world, login):
    event = world.extra["event"]
    worker = login(world.employee)
    assert worker.get(url("ehs:participation")).status_code == 200
    assert worker.get(url("ehs:event", pk=event.pk)).status_code == 200
    assert worker.post(url("ehs:event_create"), _form(world)).status_code == 403
    assert worker.get(url("ehs:event_edit", pk=event.pk)).status_code == 403
    assert worker.get(url("ehs:barrier_create")).status_code == 403
    assert worker.get(url("ehs:mechanism_create")).status_code == 403
    outsider = login(world.outsider)
    assert outsider.get(url("ehs:participation")).status_code == 404
    assert outsider.get(url("ehs:participation", org="globex")).status_code == 200
    assert outsider.get(url("ehs:event", org="globex", pk=event.pk)).status_code == 404
    assert (
        outsider.post(
            url("ehs:event_withdraw", org="globex", pk=event.pk), {"reason": "x", "version": 1}
        ).status_code
        == 404
    )


def test_empty_state_and_query_count(world, login, django_assert_max_num_queries):
    services.event_withdraw(actor=world.mr, event=world.extra["event"], reason="Test")
    client = login(world.mr)
    r = client.get(url("ehs:participation"))
    assert b"No consultation or participation logged yet." in r.content
    with django_assert_max_num_queries(30) as few:
        client.get(url("ehs:participation"))
    for i in range(20):
        make_event(world, topic=f"Toolbox talk {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"Toolbox talk 0" in client.get(url("ehs:participation")).content


def test_api_log_correct_withdraw_and_coverage(world, login):
    client = login(world.mr)
    r = client.get(url("api-ehs-events"))
    assert r.status_code == 200 and r.json()["results"][0]["workers"] == [world.employee.pk]
    body = {
        "held_on": str(TODAY),
        "mechanism": world.extra["mechanism"].pk,
        "topic": "Consultation on the audit programme",
        "consultation_topics": ["audit_programme"],
        "workers": [world.employee.pk],
        "outcome": "Workers asked for an audit of the night shift.",
    }
    bad = {**body, "held_on": str(TODAY + datetime.timedelta(days=1))}
    r = client.post(url("api-ehs-events"), bad, content_type="application/json")
    assert r.status_code == 400 and "held_on" in r.json()["errors"]
    r = client.post(
        url("api-ehs-events"),
        {**body, "workers": [world.outsider.pk]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "workers" in r.json()["errors"]
    r = client.post(
        url("api-ehs-events"), {**body, "mechanism": 999999}, content_type="application/json"
    )
    assert r.status_code == 400 and "mechanism" in r.json()["errors"]
    r = client.post(url("api-ehs-events"), body, content_type="application/json")
    assert r.status_code == 201
    created = r.json()
    detail = url("api-ehs-event", pk=created["id"])
    r = client.patch(
        detail,
        {"version": created["version"] + 3, "reason": "x", "topic": "y"},
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.patch(
        detail,
        {"version": created["version"], "reason": "Better title", "topic": "Audit programme"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["topic"] == "Audit programme"
    r = client.get(url("api-ehs-coverage"))
    topics = {t["code"]: t["events"] for t in r.json()["consultation"]}
    assert r.status_code == 200 and topics["audit_programme"] == 1
    assert client.get(url("api-ehs-coverage"), {"start": "x"}).status_code == 400
    r = client.post(
        url("api-ehs-event-withdraw", pk=created["id"]),
        {"version": created["version"] + 1, "reason": "Duplicate"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert client.get(url("api-ehs-events"), {"topic": "nope"}).status_code == 400


def test_api_mechanisms_barriers_permissions_and_boundary(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-ehs-mechanisms"),
        {"kind": "survey", "name": "Annual survey"},
        content_type="application/json",
    )
    assert r.status_code == 201
    mechanism = r.json()
    r = client.patch(
        url("api-ehs-mechanism", pk=mechanism["id"]),
        {"version": mechanism["version"], "reason": "", "name": "Survey"},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url("api-ehs-mechanism-withdraw", pk=mechanism["id"]),
        {"version": mechanism["version"], "reason": "Replaced by the committee"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    body = {
        "kind": "literacy",
        "description": "Forms are hard to read for some workers.",
        "identified_on": str(TODAY),
        "owner": world.owner.pk,
    }
    r = client.post(
        url("api-ehs-barriers"),
        {**body, "owner": world.outsider.pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and "owner" in r.json()["errors"]
    r = client.post(url("api-ehs-barriers"), body, content_type="application/json")
    assert r.status_code == 201
    barrier = r.json()
    r = client.patch(
        url("api-ehs-barrier", pk=barrier["id"]),
        {
            "version": barrier["version"],
            "reason": "Pictograms",
            "action": "Pictogram forms",
            "removed_on": str(TODAY),
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["removed_on"] == str(TODAY)
    worker = login(world.employee)
    assert worker.get(url("api-ehs-events")).status_code == 200
    assert worker.get(url("api-ehs-coverage")).status_code == 200
    assert (
        worker.post(url("api-ehs-mechanisms"), {}, content_type="application/json").status_code
        == 403
    )
    assert (
        worker.post(url("api-ehs-barriers"), body, content_type="application/json").status_code
        == 403
    )
    outsider = login(world.outsider)
    event = world.extra["event"]
    assert outsider.get(url("api-ehs-event", org="globex", pk=event.pk)).status_code == 404
    assert outsider.get(url("api-ehs-events")).status_code in (403, 404)
    assert outsider.get(url("api-ehs-events", org="globex")).json()["results"] == []


def test_a_correction_keeps_who_took_part_then_even_if_they_left(world):
    from pdca.core.models import Membership

    event = world.extra["event"]
    Membership.objects.filter(organization=world.org, user=world.employee).update(is_active=False)
    fixed = services.event_update(
        actor=world.mr, event=event, version=event.version, reason="Typo", topic="Committee"
    )
    assert list(fixed.workers.all()) == [world.employee]
    # Naming them again, as a new choice, is refused.
    with pytest.raises(ValidationError) as err:
        services.event_update(
            actor=world.mr,
            event=fixed,
            version=fixed.version,
            reason="r",
            workers=[world.employee],
        )
    assert "workers" in err.value.message_dict

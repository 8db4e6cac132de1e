"""ISO 9001 10.2 as a certification auditor reads it: the reaction, similar nonconformities,
closure by correction alone, an independent verifier at the planned time, the last steps
(risks and opportunities, changes to the system), and findings of the certification body."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.core.testing import PASSWORD
from pdca.improvement import services
from pdca.improvement.models import Nonconformity
from pdca.standards.models import Process

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def raise_nc(world, **extra):
    values = {"title": "Label missing", "description": "Gauge without calibration label."}
    values.update(extra)
    return services.nonconformity_raise(actor=world.mr, organization=world.org, **values)


def update(world, nc, **values):
    nc.refresh_from_db()
    return services.nonconformity_update(
        actor=world.mr, nonconformity=nc, expected_version=nc.version, **values
    )


def analyse(world, nc, similar="none", notes=""):
    return services.analysis_save(
        actor=world.owner,
        nonconformity=nc,
        whys=["Label fell off"],
        causes=[],
        root_cause="Paper labels",
        root_cause_category="material",
        similar=similar,
        similar_notes=notes,
    )


def through_verification(world, nc, verifier=None):
    """Reaction, analysis, one action done, one effective check: all but the last steps."""
    update(world, nc, containment="Labelled again")
    analyse(world, nc)
    action = services.action_plan(
        actor=world.mr, nonconformity=nc, title="Tags", owner=world.owner, due_on=TODAY
    )
    services.action_update(
        actor=world.owner, action=action, expected_version=action.version, status="done", notes="ok"
    )
    check = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=verifier or world.mr
    )
    services.check_record(actor=world.mr, check=check, result="effective", evidence="fine")
    nc.refresh_from_db()
    return nc


def test_closing_needs_the_reaction_or_a_reason_none_was_needed(world):
    nc = raise_nc(world)
    nc = through_verification(world, nc)
    update(world, nc, containment="")
    nc.refresh_from_db()
    assert "reaction" in services.closing_refusal(nc)
    with pytest.raises(ValidationError) as err:
        update(world, nc, containment="Labelled", no_containment_reason="Nothing to contain")
    assert "no_containment_reason" in err.value.message_dict
    update(world, nc, no_containment_reason="The gauges were not in use")
    nc.refresh_from_db()
    assert "reaction" not in services.closing_refusal(nc)


def test_analysis_records_whether_similar_nonconformities_exist(world):
    nc = raise_nc(world)
    with pytest.raises(ValidationError) as err:
        analyse(world, nc, similar="")
    assert "similar" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        analyse(world, nc, similar="exist")
    assert "similar_notes" in err.value.message_dict
    analyse(world, nc, similar="exist", notes="Two more gauges in bay 2")
    nc.refresh_from_db()
    assert (nc.similar, nc.similar_notes) == ("exist", "Two more gauges in bay 2")


def test_an_analysis_from_before_the_rule_blocks_closing_until_similar_is_recorded(world):
    nc = through_verification(world, raise_nc(world))
    Nonconformity.objects.filter(pk=nc.pk).update(similar="")
    nc.refresh_from_db()
    assert "similar" in services.closing_refusal(nc)


def test_minor_internal_nonconformity_closes_by_correction_alone_with_a_reason(world):
    nc = raise_nc(world)
    with pytest.raises(ValidationError, match="reaction"):
        services.nonconformity_close(
            actor=world.mr, nonconformity=nc, password=PASSWORD, no_action_reason="One-off"
        )
    update(world, nc, no_containment_reason="Nothing to correct")
    with pytest.raises(ValidationError, match="correction that was made"):
        services.nonconformity_close(
            actor=world.mr, nonconformity=nc, password=PASSWORD, no_action_reason="One-off"
        )
    update(world, nc, no_containment_reason="", containment="Label put back")
    # Without the reason, the full corrective action is still asked for.
    with pytest.raises(ValidationError, match="root cause"):
        services.nonconformity_close(actor=world.mr, nonconformity=nc, password=PASSWORD)
    closed = services.nonconformity_close(
        actor=world.mr, nonconformity=nc, password=PASSWORD, no_action_reason="One-off slip"
    )
    assert closed.status == Nonconformity.Status.CLOSED
    assert closed.no_action_reason == "One-off slip"


@pytest.mark.parametrize(
    "values", [{"severity": "major"}, {"source": "external_audit"}], ids=["major", "external"]
)
def test_correction_alone_is_refused_for_major_or_certification_body(world, values):
    nc = raise_nc(world, **values)
    update(world, nc, containment="Label put back")
    with pytest.raises(ValidationError, match="minor internal"):
        services.nonconformity_close(
            actor=world.mr, nonconformity=nc, password=PASSWORD, no_action_reason="One-off"
        )


def test_the_verifier_is_not_an_owner_of_the_actions(world):
    nc = raise_nc(world)
    services.action_plan(
        actor=world.mr, nonconformity=nc, title="Tags", owner=world.owner, due_on=TODAY
    )
    with pytest.raises(ValidationError) as err:
        services.check_plan(
            actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.owner
        )
    assert "verifier" in err.value.message_dict
    services.check_plan(actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.top)
    with pytest.raises(ValidationError) as err:
        services.action_plan(
            actor=world.mr, nonconformity=nc, title="More", owner=world.top, due_on=TODAY
        )
    assert "owner" in err.value.message_dict


def test_only_the_named_verifier_or_the_mr_records_the_result(world):
    nc = raise_nc(world)
    check = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.employee
    )
    with pytest.raises(ValidationError, match="named verifier"):
        services.check_record(actor=world.top, check=check, result="effective", evidence="ok")
    done = services.check_record(
        actor=world.employee, check=check, result="effective", evidence="ok"
    )
    assert done.checked_by == world.employee
    other = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.employee
    )
    assert services.check_record(actor=world.mr, check=other, result="effective", evidence="ok")


def test_not_before_the_planned_date_without_a_reason(world):
    nc = raise_nc(world)
    check = services.check_plan(
        actor=world.mr,
        nonconformity=nc,
        planned_on=TODAY + datetime.timedelta(days=30),
        verifier=world.mr,
    )
    with pytest.raises(ValidationError) as err:
        services.check_record(actor=world.mr, check=check, result="effective", evidence="ok")
    assert "early_reason" in err.value.message_dict
    done = services.check_record(
        actor=world.mr,
        check=check,
        result="effective",
        evidence="ok",
        early_reason="Twelve batches since the change",
    )
    assert done.early_reason == "Twelve batches since the change"


def test_verification_pages_follow_the_verifier(world, login):
    nc = raise_nc(world)
    check = services.check_plan(
        actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.employee
    )
    top = login(world.top)
    assert top.get(url("improvement:check_record", pk=check.pk)).status_code == 403
    assert b"Record the result" not in top.get(url("improvement:detail", pk=nc.pk)).content
    employee = login(world.employee)
    assert b"Record the result" in employee.get(url("improvement:detail", pk=nc.pk)).content
    r = employee.post(
        url("improvement:check_record", pk=check.pk), {"result": "effective", "evidence": "ok"}
    )
    assert r.status_code == 302


def test_closure_asks_for_risks_and_system_change_with_their_outcome(world, login):
    nc = through_verification(world, raise_nc(world))
    assert "risks and opportunities" in services.closing_refusal(nc)
    with pytest.raises(ValidationError) as err:
        services.closure_steps_save(
            actor=world.mr,
            nonconformity=nc,
            expected_version=nc.version,
            risks_outcome="updated",
            system_change_outcome="changed",
        )
    assert {"risks_notes", "system_change_revision"} <= set(err.value.message_dict)
    foreign = Process.objects.exclude(organization=world.org).first()
    if foreign is not None:
        with pytest.raises(ValidationError):
            services.closure_steps_save(
                actor=world.mr,
                nonconformity=nc,
                expected_version=nc.version,
                risks_outcome="not_needed",
                system_change_outcome="changed",
                system_change_process=foreign,
            )
    client = login(world.mr)
    process = world.extra["process"]
    r = client.post(
        url("improvement:closure_steps", pk=nc.pk),
        {
            "version": nc.version,
            "risks_outcome": "updated",
            "risks_notes": "Calibration risk re-rated",
            "system_change_outcome": "changed",
            "system_change_process": process.pk,
            "system_change_notes": "Tag check added",
        },
    )
    assert r.status_code == 302, r.content
    nc.refresh_from_db()
    assert nc.system_change_process == process and services.closing_refusal(nc) == ""
    page = client.get(url("improvement:detail", pk=nc.pk)).content.decode()
    assert "Calibration risk re-rated" in page and str(process) in page
    assert login(world.employee).get(url("improvement:closure_steps", pk=nc.pk)).status_code == 403


def test_a_certification_body_finding_cannot_be_cancelled(world, login):
    nc = raise_nc(world, source="external_audit")
    with pytest.raises(ValidationError, match="certification body"):
        services.nonconformity_cancel(actor=world.mr, nonconformity=nc, reason="We disagree")
    client = login(world.mr)
    assert b"Cancel\xe2\x80\xa6" not in client.get(url("improvement:detail", pk=nc.pk)).content
    r = client.post(url("improvement:cancel", pk=nc.pk), {"reason": "We disagree"})
    assert r.status_code == 400
    r = client.get(url("api-improvement-cancel", pk=nc.pk)).json()
    assert r["can_cancel"] is False and "certification body" in r["reason"]
    r = client.post(
        url("api-improvement-cancel", pk=nc.pk),
        {"reason": "We disagree"},
        content_type="application/json",
    )
    assert r.status_code == 400
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.OPEN


def test_the_page_reads_the_same_queries_for_more_actions_and_checks(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nc = raise_nc(world)
    client = login(world.mr)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("improvement:detail", pk=nc.pk)).status_code == 200
        return len(ctx.captured_queries)

    def add_one():
        services.action_plan(
            actor=world.mr, nonconformity=nc, title="More", owner=world.owner, due_on=TODAY
        )
        services.check_plan(
            actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.employee
        )

    add_one()
    queries()  # warm the caches
    few = queries()
    for _ in range(4):
        add_one()
    assert queries() == few

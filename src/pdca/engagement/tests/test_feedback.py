"""Customer feedback and complaints: recorded (from whom, how, about what, severity, the
response due date), changed, answered, raising a nonconformity; the due item, the review's
inputs; pages and API with their permissions, the organization boundary and bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.due import DueQuery
from pdca.core.updating import ConflictError
from pdca.engagement import services
from pdca.engagement.due import responses_due
from pdca.engagement.models import Feedback
from pdca.engagement.testing import make_complaint
from pdca.improvement.models import Nonconformity, Source

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _form(world, **values):
    return {
        "kind": "complaint",
        "customer": "Festo SE",
        "channel": "phone",
        "received_on": TODAY.isoformat(),
        "subject": "order",
        "reference": "Order 21011",
        "description": "Delivery two days late.",
        "severity": "medium",
        "owner": world.owner.pk,
        **values,
    }


def test_a_complaint_gets_a_response_date_by_its_severity(world):
    c = make_complaint(world, severity="critical", received_on=TODAY)
    assert c.response_due_on == TODAY + datetime.timedelta(days=2)
    low = make_complaint(world, severity="low", received_on=TODAY)
    assert low.response_due_on == TODAY + datetime.timedelta(days=15)
    given = make_complaint(world, response_due_on=TODAY + datetime.timedelta(days=7))
    assert given.response_due_on == TODAY + datetime.timedelta(days=7)


def test_bad_feedback_is_refused(world):
    with pytest.raises(ValidationError):
        make_complaint(world, received_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        make_complaint(world, received_on=TODAY, response_due_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        make_complaint(world, owner=world.external)
    with pytest.raises(ValidationError):
        make_complaint(world, satisfaction=7)
    with pytest.raises(ValidationError):
        services.feedback_record(
            actor=world.employee, organization=world.org, **_form(world, owner=world.owner)
        )


def test_the_response_is_recorded_once_and_no_longer_falls_due(world):
    c = world.extra["en_feedback"]
    query = DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=TODAY + datetime.timedelta(days=60),
        today=TODAY,
    )
    assert any(item.object_id == c.pk for item in responses_due(query))
    with pytest.raises(ValidationError):
        services.feedback_respond(actor=world.owner, feedback=c, response=" ")
    with pytest.raises(ValidationError):
        services.feedback_respond(
            actor=world.owner,
            feedback=c,
            response="Sorry.",
            responded_on=c.received_on - datetime.timedelta(days=1),
        )
    done = services.feedback_respond(actor=world.owner, feedback=c, response="8D report sent.")
    assert done.status == Feedback.Status.RESPONDED and done.responded_by == world.owner
    assert not any(item.object_id == c.pk for item in responses_due(query))
    with pytest.raises(ValidationError):
        services.feedback_respond(actor=world.owner, feedback=c, response="Again.")


def test_a_complaint_raises_its_nonconformity_once(world):
    c = world.extra["en_feedback"]
    nc = services.feedback_raise_nonconformity(actor=world.mr, feedback=c)
    assert nc.source == Source.COMPLAINT and nc.source_object == c
    assert nc.severity == Nonconformity.Severity.MAJOR and nc.owner == world.owner
    assert services.feedback_raise_nonconformity(actor=world.mr, feedback=c).pk == nc.pk
    praise = make_complaint(world, kind="compliment", severity="low")
    with pytest.raises(ValidationError):
        services.feedback_raise_nonconformity(actor=world.mr, feedback=praise)


def test_a_stale_change_is_refused(world):
    c = world.extra["en_feedback"]
    with pytest.raises(ConflictError):
        services.feedback_update(actor=world.mr, feedback=c, version=c.version + 1, customer="X")
    changed = services.feedback_update(
        actor=world.mr, feedback=c, version=c.version, customer="Bosch Rexroth"
    )
    assert changed.customer == "Bosch Rexroth" and changed.version == c.version + 1


def test_the_review_inputs_show_the_feedback_figures(world):
    from pdca.engagement.providers import customer_feedback
    from pdca.reviews.inputs import REVIEW_INPUTS, Period

    assert REVIEW_INPUTS["customer_satisfaction"].provider is customer_feedback
    assert REVIEW_INPUTS["communications"].provider is customer_feedback
    make_complaint(world, kind="feedback", satisfaction=4, severity="low")
    services.feedback_raise_nonconformity(actor=world.mr, feedback=world.extra["en_feedback"])
    summary = customer_feedback(world.org, Period(TODAY - datetime.timedelta(days=365), TODAY))
    figures = dict(summary.figures)
    assert figures["Complaints"] == "1"
    assert figures["Nonconformities from complaints"] == "1"
    assert figures["Average satisfaction (1–5)"] == "4.0"
    assert "%(complaints)s" in summary.text and summary.params["complaints"] == 1


def test_the_review_compiles_the_inputs(world):
    from pdca.reviews import services as reviews

    review = reviews.review_prepare(actor=world.mr, review=world.extra["rv_review"])
    item = review.inputs.get(code="customer_satisfaction")
    assert item.summary and "Complaints" in str(item.summary)


# --- Pages --------------------------------------------------------------------------------


def test_the_list_filters_and_the_pages_open(world, login):
    client = login(world.employee)
    r = client.get(url("engagement:feedback"))
    assert r.status_code == 200 and b"Bosch Rexroth AG" in r.content
    assert b"Record feedback" not in r.content
    r = client.get(url("engagement:feedback"), {"kind": "compliment"})
    assert b"No customer feedback matches these filters." in r.content
    r = client.get(url("engagement:feedback_detail", pk=world.extra["en_feedback"].pk))
    assert r.status_code == 200 and b"Shaft 4711-B" in r.content
    r = client.get(url("engagement:feedback"), HTTP_HX_REQUEST="true")
    assert b"<html" not in r.content


def test_recording_through_the_page_with_errors_then_success(world, login):
    client = login(world.owner)
    r = client.post(url("engagement:feedback_create"), _form(world, customer="", kind="x"))
    assert r.status_code == 400
    r = client.post(
        url("engagement:feedback_create"),
        _form(world, received_on=(TODAY + datetime.timedelta(days=2)).isoformat()),
    )
    assert r.status_code == 400 and b"future" in r.content
    r = client.post(url("engagement:feedback_create"), _form(world))
    assert r.status_code == 302
    f = Feedback.objects.get(customer="Festo SE", reference="Order 21011")
    assert f.response_due_on == TODAY + datetime.timedelta(days=10)


def test_edit_respond_and_raise_pages(world, login):
    client = login(world.mr)
    c = world.extra["en_feedback"]
    r = client.get(url("engagement:feedback_edit", pk=c.pk))
    assert r.status_code == 200
    r = client.post(
        url("engagement:feedback_edit", pk=c.pk),
        _form(world, version=c.version + 4, received_on=c.received_on.isoformat()),
    )
    assert r.status_code == 409
    r = client.post(
        url("engagement:feedback_respond", pk=c.pk),
        {"response": "", "responded_on": TODAY.isoformat(), "version": c.version},
    )
    assert r.status_code == 400
    r = client.post(url("engagement:feedback_raise", pk=c.pk), {"owner": world.owner.pk})
    assert r.status_code == 302
    assert Nonconformity.objects.filter(source=Source.COMPLAINT, owner=world.owner).exists()
    r = client.post(
        url("engagement:feedback_respond", pk=c.pk),
        {"response": "8D sent.", "responded_on": TODAY.isoformat(), "version": c.version},
    )
    assert r.status_code == 302
    r = client.get(url("engagement:feedback_detail", pk=c.pk))
    assert b"8D sent." in r.content and b"Record the response" not in r.content


def test_the_employee_may_read_but_not_record(world, login):
    client = login(world.employee)
    assert client.get(url("engagement:feedback_create")).status_code == 403
    c = world.extra["en_feedback"]
    assert client.get(url("engagement:feedback_respond", pk=c.pk)).status_code == 403


def test_another_organization_sees_no_feedback(world, login):
    client = login(world.outsider)
    c = world.extra["en_feedback"]
    assert client.get(url("engagement:feedback_detail", pk=c.pk)).status_code == 404
    assert client.get(url("engagement:feedback_detail", org="globex", pk=c.pk)).status_code == 404
    r = client.get(url("api-engagement-feedback-item", org="globex", pk=c.pk))
    assert r.status_code == 404


def test_the_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    with django_assert_max_num_queries(14) as before:
        client.get(url("engagement:feedback"))
    for i in range(12):
        make_complaint(world, customer=f"Customer {i}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url("engagement:feedback"))


# --- API ----------------------------------------------------------------------------------


def test_api_records_changes_answers_and_raises(world, login):
    client = login(world.mr)
    body = _form(world)
    r = client.post(url("api-engagement-feedback"), body, content_type="application/json")
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["response_due_on"] == (TODAY + datetime.timedelta(days=10)).isoformat()
    r = client.patch(
        url("api-engagement-feedback-item", pk=item["id"]),
        {"version": item["version"] + 2, "customer": "X"},
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.patch(
        url("api-engagement-feedback-item", pk=item["id"]),
        {"version": item["version"], "severity": "high"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["severity"] == "high"
    r = client.post(
        url("api-engagement-feedback-raise", pk=item["id"]), {}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["reference"]
    r = client.post(
        url("api-engagement-feedback-respond", pk=item["id"]),
        {"version": item["version"] + 1, "response": "Sorry."},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "responded"


def test_api_bad_input(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-engagement-feedback"), _form(world, kind="rant"), content_type="application/json"
    )
    assert r.status_code == 400
    r = client.post(
        url("api-engagement-feedback"), _form(world, owner=999999), content_type="application/json"
    )
    assert r.status_code == 400
    r = client.get(url("api-engagement-feedback"), {"severity": "apocalyptic"})
    assert r.status_code == 400
    client = login(world.employee)
    r = client.post(url("api-engagement-feedback"), _form(world), content_type="application/json")
    assert r.status_code == 403

"""Review pages and the API: the flow from plan to signed minutes, errors next to the field,
empty states, the PDF, query counts that do not grow with the rows, bad input, 409, the
organization boundary."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pdca.audits.testing import editions
from pdca.core.testing import PASSWORD
from pdca.reviews import services
from pdca.reviews.models import Review, ReviewOutput
from pdca.reviews.tests.helpers import address_all, held

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def _queries(client, path):
    client.get(path)  # the first request of a session also loads what is cached after it
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_shows_an_empty_state_then_the_reviews_in_fixed_queries(world, login):
    client = login(world.mr)
    Review.objects.filter(organization=world.org).update(status=Review.Status.PLANNED)
    r = client.get(url("reviews:list") + "?status=signed")
    assert b"No management reviews match these filters." in r.content
    few = _queries(client, url("reviews:list"))
    for i in range(6):
        services.review_plan(
            actor=world.mr,
            organization=world.org,
            title=f"Review {i}",
            planned_on=TODAY - datetime.timedelta(days=30 * i),
            editions=editions("iso9001"),
            chair=world.top,
        )
    many = _queries(client, url("reviews:list"))
    assert many == few
    r = client.get(url("reviews:list"))
    assert b"Review 5" in r.content and b"overdue" in r.content


def test_plan_form_shows_errors_next_to_the_field(world, login):
    client = login(world.mr)
    assert client.get(url("reviews:create")).status_code == 200
    r = client.post(
        url("reviews:create"),
        {
            "title": "Review 2027",
            "planned_on": TODAY.isoformat(),
            "editions": [e.pk for e in editions("iso9001")],
            "chair": world.mr.pk,
            "interval_months": 12,
        },
    )
    assert r.status_code == 400
    assert b"is not top management" in r.content and b"errorlist" in r.content
    r = client.post(url("reviews:create"), {"title": "", "planned_on": "nope"})
    assert r.status_code == 400
    r = client.post(
        url("reviews:create"),
        {
            "title": "Review 2027",
            "planned_on": TODAY.isoformat(),
            "editions": [e.pk for e in editions("iso9001", "iso14001")],
            "chair": world.top.pk,
            "attendees": [world.mr.pk],
            "interval_months": 12,
        },
    )
    assert r.status_code == 302
    review = Review.objects.get(title="Review 2027")
    assert review.chair == world.top and list(review.attendees.all()) == [world.mr]
    r = client.get(url("reviews:detail", pk=review.pk))
    assert b"The inputs are not compiled yet." in r.content


def test_the_whole_review_through_the_pages(world, login):
    review = world.extra["rv_review"]
    client = login(world.mr)
    r = client.get(url("reviews:detail", pk=review.pk))
    assert b"not yet available in pdca" in r.content and b"nonconformities raised" in r.content
    # Holding with inputs unaddressed is refused with the reason on the page.
    r = client.post(
        url("reviews:hold", pk=review.pk),
        {"held_on": TODAY.isoformat(), "conclusion": "Fine", "version": review.version},
    )
    assert r.status_code == 400 and b"Every required input needs its conclusion" in r.content
    item = review.inputs.get(code="external_providers")
    assert client.get(url("reviews:input", pk=item.pk)).status_code == 200
    r = client.post(
        url("reviews:input", pk=item.pk),
        {
            "entered_data": "Survey: 8.1 of 10",
            "notes": "Up from 7.6",
            "conclusion": "Keep",
            "version": item.version,
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.is_addressed
    r = client.post(url("reviews:output_add", pk=review.pk), {"kind": "improvement", "title": ""})
    assert r.status_code == 400 and b"errorlist" in r.content
    r = client.post(
        url("reviews:output_add", pk=review.pk),
        {
            "kind": "system_change",
            "title": "Merge the two inspection procedures",
            "owner": world.owner.pk,
            "due_on": (TODAY + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert r.status_code == 302
    address_all(world, review)
    review.refresh_from_db()
    r = client.post(
        url("reviews:hold", pk=review.pk),
        {"held_on": TODAY.isoformat(), "conclusion": "Suitable", "version": review.version},
    )
    assert r.status_code == 302
    # The management representative may not sign; top management signs with the password.
    assert client.get(url("reviews:sign", pk=review.pk)).status_code == 403
    top = login(world.top)
    r = top.post(url("reviews:sign", pk=review.pk), {"password": "wrong"})
    assert r.status_code == 400 and b"password is not correct" in r.content
    r = top.post(url("reviews:sign", pk=review.pk), {"password": PASSWORD})
    assert r.status_code == 302
    r = top.get(url("reviews:detail", pk=review.pk))
    assert b"retained record of 9.3" in r.content and b"Sign the minutes" not in r.content
    pdf = top.get(url("reviews:minutes_pdf", pk=review.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    review.refresh_from_db()
    assert bytes(review.pdf) == pdf.content
    # After signing, editing is refused with the reason.
    r = client.post(
        url("reviews:edit", pk=review.pk),
        {
            "title": "Changed",
            "planned_on": TODAY.isoformat(),
            "editions": [e.pk for e in editions("iso9001")],
            "chair": world.top.pk,
            "interval_months": 12,
            "version": review.version,
        },
    )
    assert r.status_code == 400 and b"retained record" in r.content


def test_review_page_queries_do_not_grow_with_inputs_and_outputs(world, login):
    review = world.extra["rv_review"]
    client = login(world.mr)
    few = _queries(client, url("reviews:detail", pk=review.pk))
    for i in range(8):
        services.output_add(
            actor=world.mr,
            review=review,
            kind="improvement",
            title=f"Action {i}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i),
        )
    services.review_update(
        actor=world.mr,
        review=review,
        expected_version=review.version,
        editions=editions("iso9001", "iso14001", "iso27001"),
    )
    services.review_prepare(actor=world.mr, review=review)
    many = _queries(client, url("reviews:detail", pk=review.pk))
    assert many == few


def test_a_draft_pdf_before_signing(world, login):
    r = login(world.employee).get(url("reviews:minutes_pdf", pk=world.extra["rv_review"].pk))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_german_pages(world, login):
    world.mr.language = "de"
    world.mr.save(update_fields=["language"])
    client = login(world.mr)
    r = client.get(url("reviews:detail", pk=world.extra["rv_review"].pk), HTTP_ACCEPT_LANGUAGE="de")
    text = r.content.decode()
    assert "Eingaben" in text and "Ergebnisse und Maßnahmen" in text
    # The figures frozen in English message ids are shown in the reader's language.
    assert "Im Zeitraum gemeldet" in text and "Nichtkonformitäten im Zeitraum gemeldet" in text
    assert "Raised in the period" not in text
    r = client.get(url("reviews:list"), HTTP_ACCEPT_LANGUAGE="de")
    assert "Managementbewertungen" in r.content.decode()


def test_api_flow_with_bad_input_conflict_and_boundary(world, login):
    client = login(world.mr)
    r = client.post(url("api-reviews-reviews"), {}, content_type="application/json")
    assert r.status_code == 400 and "title" in r.json()["errors"]
    body = {
        "title": "API review",
        "planned_on": TODAY.isoformat(),
        "editions": [e.pk for e in editions("iso9001")],
        "chair": world.mr.pk,
    }
    r = client.post(url("api-reviews-reviews"), body, content_type="application/json")
    assert r.status_code == 400 and "chair" in r.json()["errors"]
    body["chair"] = world.top.pk
    r = client.post(url("api-reviews-reviews"), body, content_type="application/json")
    assert r.status_code == 201, r.content
    pk, version = r.json()["id"], r.json()["version"]
    r = client.patch(
        url("api-reviews-review", pk=pk),
        {"title": "API review 2", "version": version},
        content_type="application/json",
    )
    assert r.status_code == 200
    r = client.patch(
        url("api-reviews-review", pk=pk),
        {"title": "Stale", "version": version},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert client.get(url("api-reviews-prepare", pk=pk)).json()["status"] == "planned"
    assert client.post(url("api-reviews-prepare", pk=pk)).status_code == 200
    inputs = client.get(url("api-reviews-inputs", pk=pk)).json()
    assert {i["code"] for i in inputs} >= {"audits", "customer_satisfaction"}
    r = client.get(url("api-reviews-hold", pk=pk)).json()
    assert r["can_hold"] is False and r["problems"]
    r = client.post(
        url("api-reviews-hold", pk=pk),
        {"held_on": TODAY.isoformat(), "conclusion": "Fine"},
        content_type="application/json",
    )
    assert r.status_code == 400
    for item in inputs:
        r = client.patch(
            url("api-reviews-input", pk=item["id"]),
            {
                "notes": "Seen",
                "conclusion": "Adequate",
                "entered_data": "" if item["available"] else "By hand",
                "version": item["version"],
            },
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
    r = client.post(
        url("api-reviews-outputs", pk=pk),
        {"kind": "resources", "title": "A second tester", "owner": 999999, "due_on": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url("api-reviews-outputs", pk=pk),
        {
            "kind": "resources",
            "title": "A second tester",
            "owner": world.owner.pk,
            "due_on": TODAY.isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    output = r.json()
    r = client.post(
        url("api-reviews-hold", pk=pk),
        {"held_on": TODAY.isoformat(), "conclusion": "Fine"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert (
        client.post(
            url("api-reviews-sign", pk=pk), {"password": PASSWORD}, content_type="application/json"
        ).status_code
        == 403
    )
    top = login(world.top)
    assert top.get(url("api-reviews-sign", pk=pk)).json() == {"can_sign": True, "reason": ""}
    r = top.post(url("api-reviews-sign", pk=pk), {"password": ""}, content_type="application/json")
    assert r.status_code == 400
    r = top.post(
        url("api-reviews-sign", pk=pk), {"password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "signed" and r.json()["sha256"]
    # The owner reports progress; an employee who does not own it is refused.
    employee = login(world.employee)
    r = employee.patch(
        url("api-reviews-output", pk=output["id"]),
        {"status": "done", "notes": "x", "version": output["version"]},
        content_type="application/json",
    )
    assert r.status_code == 403
    owner = login(world.owner)
    r = owner.patch(
        url("api-reviews-output", pk=output["id"]),
        {"status": "done", "notes": "Hired", "version": output["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    outsider = login(world.outsider)
    for name in ("api-reviews-review", "api-reviews-inputs", "api-reviews-outputs"):
        assert outsider.get(url(name, pk=pk)).status_code == 404
    assert outsider.get(url("reviews:detail", pk=pk)).status_code == 404
    assert ReviewOutput.objects.get(pk=output["id"]).status == "done"


def test_held_review_waits_for_top_management(world, login):
    from pdca.reviews.selectors import attention

    held(world)
    titles = [a.title for a in attention(world.memberships["top"])]
    assert "Management review minutes to sign" in titles
    assert "Management review minutes to sign" not in [
        a.title for a in attention(world.memberships["mr"])
    ]

"""Suggestions: made by name or anonymously, triaged (accepted into an improvement action,
declined with a reason, merged into a duplicate); anonymity on every page, export, trail entry
and API response; permissions, the organization boundary, bad input and query counts."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.updating import ConflictError
from pdca.engagement import services
from pdca.engagement.models import Suggestion
from pdca.engagement.testing import make_suggestion
from pdca.improvement.models import CorrectiveAction, Nonconformity, Source

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
SECRET_TITLE = "Canteen hygiene is poor"


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _accept(world, suggestion, **values):
    fields = {
        "action_title": "Hygiene check of the canteen every week",
        "owner": world.owner,
        "due_on": TODAY + datetime.timedelta(days=30),
        "response": "Thank you, we do it.",
        **values,
    }
    return services.suggestion_accept(actor=world.mr, suggestion=suggestion, **fields)


def _identifies(text, user):
    lowered = text.lower()
    return any(
        part and part.lower() in lowered
        for part in (user.email, user.full_name, f'"author": {user.pk}')
    )


# --- Rules --------------------------------------------------------------------------------


def test_a_named_suggestion_keeps_its_author_and_a_number(world):
    s = make_suggestion(world, title="Tool shadow board")
    assert s.author == world.employee and not s.anonymous
    assert s.status == Suggestion.Status.NEW and s.reference.startswith("S-")
    entry = TrailEntry.objects.filter(action="engagement.suggestion.made", object_id=str(s.pk))
    assert entry.get().actor == world.employee


def test_an_anonymous_suggestion_stores_no_author_and_the_trail_names_nobody(world):
    s = make_suggestion(world, anonymous=True, title=SECRET_TITLE)
    s.refresh_from_db()
    assert s.author_id is None and s.anonymous
    entry = TrailEntry.objects.get(action="engagement.suggestion.made", object_id=str(s.pk))
    assert entry.actor_id is None
    assert entry.actor_label == "anonymous"
    assert entry.ip is None and entry.request_id == ""
    assert not _identifies(json.dumps(entry.changes), world.employee)
    assert "author" not in entry.changes


def test_the_database_refuses_an_anonymous_suggestion_with_an_author(world):
    from django.db import IntegrityError, transaction

    s = make_suggestion(world, anonymous=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=s.pk).update(author=world.employee)


def test_a_suggestion_needs_a_title_and_a_text(world):
    with pytest.raises(ValidationError):
        services.suggestion_make(
            actor=world.employee, organization=world.org, title=" ", description="x"
        )


def test_the_external_auditor_cannot_make_a_suggestion(world):
    with pytest.raises(ValidationError):
        make_suggestion_as(world, world.external)


def make_suggestion_as(world, user):
    return services.suggestion_make(
        actor=user, organization=world.org, title="An idea", description="Some words."
    )


def test_accepting_makes_an_improvement_action_without_the_author(world):
    s = make_suggestion(world, anonymous=True, title=SECRET_TITLE)
    accepted = _accept(world, s)
    assert accepted.status == Suggestion.Status.ACCEPTED
    action = CorrectiveAction.objects.get(pk=accepted.action_id)
    assert action.owner == world.owner and action.title.startswith("Hygiene check")
    nc = Nonconformity.objects.get(pk=action.nonconformity_id)
    assert nc.source == Source.EMPLOYEE and nc.source_object == accepted
    assert nc.raised_by == world.mr
    assert s.reference in nc.title
    assert not _identifies(nc.title + nc.description, world.employee)


def test_accepting_needs_an_owner_a_due_date_and_what_will_be_done(world):
    s = make_suggestion(world)
    with pytest.raises(ValidationError) as error:
        services.suggestion_accept(
            actor=world.mr, suggestion=s, action_title="", owner=None, due_on=None
        )
    assert {"action_title", "owner", "due_on"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        _accept(world, s, due_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        _accept(world, s, owner=world.external)


def test_declining_needs_a_reason(world):
    s = make_suggestion(world)
    with pytest.raises(ValidationError) as error:
        services.suggestion_decline(actor=world.mr, suggestion=s, reason=" ")
    assert "reason" in error.value.message_dict
    declined = services.suggestion_decline(actor=world.mr, suggestion=s, reason="Too costly.")
    assert declined.status == Suggestion.Status.DECLINED and declined.response == "Too costly."


def test_a_duplicate_names_the_suggestion_it_repeats(world):
    first = world.extra["en_suggestion"]
    second = make_suggestion(world, title="Date the coolant drums")
    with pytest.raises(ValidationError):
        services.suggestion_mark_duplicate(actor=world.mr, suggestion=second, duplicate_of=second)
    merged = services.suggestion_mark_duplicate(
        actor=world.mr, suggestion=second, duplicate_of=first
    )
    assert merged.status == Suggestion.Status.DUPLICATE and merged.duplicate_of == first
    third = make_suggestion(world, title="Again")
    with pytest.raises(ValidationError):
        services.suggestion_mark_duplicate(actor=world.mr, suggestion=third, duplicate_of=merged)


def test_a_suggestion_is_triaged_once(world):
    s = make_suggestion(world)
    services.suggestion_decline(actor=world.mr, suggestion=s, reason="No.")
    with pytest.raises(ValidationError):
        _accept(world, s)


def test_a_stale_triage_is_refused(world):
    s = make_suggestion(world)
    with pytest.raises(ConflictError):
        services.suggestion_decline(actor=world.mr, suggestion=s, reason="No.", version=99)


def test_only_top_management_and_the_mr_triage(world):
    s = make_suggestion(world)
    for user in (world.owner, world.employee, world.consultant, world.auditor):
        with pytest.raises(ValidationError):
            services.suggestion_decline(actor=user, suggestion=s, reason="No.")
    services.suggestion_decline(actor=world.top, suggestion=s, reason="No.")


def test_another_organizations_suggestion_is_no_duplicate(world):
    from pdca.core.models import Membership

    other = services.suggestion_make(
        actor=world.outsider, organization=world.other_org, title="Theirs", description="x."
    )
    assert Membership.objects.filter(user=world.outsider).exists()
    with pytest.raises(ValidationError):
        services.suggestion_mark_duplicate(
            actor=world.mr, suggestion=world.extra["en_suggestion"], duplicate_of=other
        )


# --- Pages --------------------------------------------------------------------------------


def test_the_board_lists_and_filters_suggestions(world, login):
    client = login(world.employee)
    r = client.get(url("engagement:suggestions"))
    assert r.status_code == 200
    assert b"Label the coolant drums" in r.content and b"Shift handover" in r.content
    r = client.get(url("engagement:suggestions"), {"mine": "on"})
    assert b"Label the coolant drums" in r.content and b"Shift handover" not in r.content
    r = client.get(url("engagement:suggestions"), {"status": "accepted"})
    assert b"No suggestions match these filters." in r.content
    r = client.get(url("engagement:suggestions"), {"status": "nonsense"})
    assert r.status_code == 200
    r = client.get(url("engagement:suggestions"), HTTP_HX_REQUEST="true")
    assert b"<html" not in r.content and b"Label the coolant drums" in r.content


def test_an_employee_makes_an_anonymous_suggestion_through_the_page(world, login):
    client = login(world.employee)
    r = client.get(url("engagement:suggest"))
    assert r.status_code == 200 and b'name="anonymous"' in r.content
    r = client.post(
        url("engagement:suggest"),
        {"title": SECRET_TITLE, "description": "The fridge is not cleaned.", "anonymous": "on"},
    )
    assert r.status_code == 302
    s = Suggestion.objects.get(title=SECRET_TITLE)
    assert s.anonymous and s.author_id is None


def test_the_suggestion_form_shows_errors(world, login):
    client = login(world.employee)
    r = client.post(url("engagement:suggest"), {"title": "", "description": ""})
    assert r.status_code == 400
    assert b'aria-invalid="true"' in r.content


def _about(html, marker):
    """The parts of a page about the suggestion: the whole main part of its own pages, the
    table rows that mention it on the lists (other people's named rows are theirs)."""
    main = html.split('id="main"', 1)[-1]
    if "<tr" not in main:
        return [main]
    return [row for row in main.split("<tr") if marker in row]


def test_anonymity_holds_on_every_page_and_response(world, login):
    s = make_suggestion(world, anonymous=True, title=SECRET_TITLE)
    _accept(world, s)
    nc = Nonconformity.objects.get(source=Source.EMPLOYEE, title__contains=s.reference)
    pages = [
        url("engagement:suggestions"),
        url("engagement:suggestions") + "?status=accepted",
        url("engagement:suggestion", pk=s.pk),
        url("improvement:detail", pk=nc.pk),
        url("improvement:list"),
        url("core:trail"),
    ]
    for viewer in (world.mr, world.top, world.employee, world.consultant):
        client = login(viewer)
        for page in pages:
            r = client.get(page)
            if r.status_code == 403 and viewer != world.mr:
                continue  # the trail is management's to read
            assert r.status_code == 200, page
            parts = _about(r.content.decode(), SECRET_TITLE[:20])
            assert parts, (page, "the suggestion is shown")
            for part in parts:
                assert not _identifies(part, world.employee), (viewer, page)
    client = login(world.mr)
    r = client.get(url("api-engagement-suggestions"))
    about = [x for x in r.json()["results"] if x["title"] == SECRET_TITLE]
    assert about and not _identifies(json.dumps(about), world.employee)
    r = client.get(url("api-trail"))
    assert r.status_code == 200
    about = [e for e in r.json()["results"] if SECRET_TITLE in json.dumps(e)]
    assert about and not _identifies(json.dumps(about), world.employee)


def _xlsx_text(content):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)
    return json.dumps(
        [[str(c) for c in row] for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
    )


def test_the_exports_name_nobody_for_an_anonymous_suggestion(world):
    from pdca.core.exports import trail_xlsx
    from pdca.core.jobs import Progress
    from pdca.core.models import Job
    from pdca.engagement.exports import suggestions_xlsx

    s = make_suggestion(world, anonymous=True, title=SECRET_TITLE)
    _accept(world, s)
    job = Job.objects.create(organization=world.org, requested_by=world.mr, kind="core.trail")
    rows = json.loads(_xlsx_text(trail_xlsx(job, Progress(job)).content))
    about = [r for r in rows if any(SECRET_TITLE in cell for cell in r)]
    assert about, "the trail export has the suggestion's entries"
    for row in about:
        assert not _identifies(json.dumps(row), world.employee), row
    job = Job.objects.create(organization=world.org, requested_by=world.mr, kind="x")
    rows = json.loads(_xlsx_text(suggestions_xlsx(job, Progress(job)).content))
    row = next(r for r in rows if SECRET_TITLE in r)
    assert "Anonymous" in row and not _identifies(json.dumps(row), world.employee)


def test_the_board_export_starts_a_job(world, login):
    client = login(world.employee)
    r = client.post(url("engagement:suggestions_export"))
    assert r.status_code == 302 and "/jobs/" in r["Location"]


def test_triage_pages_accept_decline_and_merge(world, login):
    client = login(world.mr)
    s = make_suggestion(world, title="Idea one")
    r = client.get(url("engagement:suggestion_accept", pk=s.pk))
    assert r.status_code == 200
    r = client.post(
        url("engagement:suggestion_accept", pk=s.pk),
        {
            "action_title": "Do it",
            "owner": world.owner.pk,
            "due_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
            "version": s.version,
        },
    )
    assert r.status_code == 302, r.content
    s.refresh_from_db()
    assert s.status == "accepted" and s.action_id
    r = client.get(url("engagement:suggestion", pk=s.pk))
    assert b"Do it" in r.content

    d = make_suggestion(world, title="Idea two")
    r = client.post(
        url("engagement:suggestion_decline", pk=d.pk), {"reason": "", "version": d.version}
    )
    assert r.status_code == 400
    r = client.post(
        url("engagement:suggestion_decline", pk=d.pk), {"reason": "No.", "version": d.version}
    )
    assert r.status_code == 302
    r = client.post(
        url("engagement:suggestion_decline", pk=d.pk), {"reason": "No.", "version": d.version}
    )
    assert r.status_code in (400, 409)

    m = make_suggestion(world, title="Idea three")
    r = client.post(
        url("engagement:suggestion_duplicate", pk=m.pk),
        {"duplicate_of": s.pk, "version": m.version},
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.duplicate_of_id == s.pk


def test_a_stale_triage_page_says_so(world, login):
    client = login(world.mr)
    s = make_suggestion(world)
    r = client.post(
        url("engagement:suggestion_decline", pk=s.pk), {"reason": "No.", "version": s.version + 5}
    )
    assert r.status_code == 409


def test_the_employee_cannot_triage(world, login):
    client = login(world.employee)
    s = world.extra["en_suggestion"]
    assert client.get(url("engagement:suggestion_accept", pk=s.pk)).status_code == 403
    r = client.get(url("engagement:suggestion", pk=s.pk))
    assert r.status_code == 200 and b"Accept" not in r.content.split(b'id="main"')[-1]


def test_another_organization_sees_no_suggestion(world, login):
    client = login(world.outsider)
    s = world.extra["en_suggestion"]
    assert client.get(url("engagement:suggestion", pk=s.pk)).status_code == 404
    client = login(world.outsider)
    r = client.get(url("engagement:suggestion", org="globex", pk=s.pk))
    assert r.status_code == 404
    r = client.get(url("api-engagement-suggestion", org="globex", pk=s.pk))
    assert r.status_code == 404


def test_the_board_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    for i in range(3):
        make_suggestion(world, title=f"Idea {i}")
    with django_assert_max_num_queries(14) as before:
        client.get(url("engagement:suggestions"))
    for i in range(15):
        make_suggestion(world, title=f"More {i}", anonymous=bool(i % 2))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url("engagement:suggestions"))


# --- API ----------------------------------------------------------------------------------


def test_api_makes_an_anonymous_suggestion_and_never_returns_the_author(world, login):
    client = login(world.employee)
    r = client.post(
        url("api-engagement-suggestions"),
        {"title": SECRET_TITLE, "description": "Fridge.", "anonymous": True},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["author"] is None and body["author_name"] == "" and body["anonymous"]
    client = login(world.mr)
    r = client.get(url("api-engagement-suggestion", pk=body["id"]))
    assert r.json()["author"] is None
    r = client.get(url("api-engagement-suggestions"))
    assert not _identifies(
        json.dumps([x for x in r.json()["results"] if x["anonymous"]]), world.employee
    )


def test_api_bad_input_is_refused(world, login):
    client = login(world.employee)
    r = client.post(
        url("api-engagement-suggestions"), {"title": ""}, content_type="application/json"
    )
    assert r.status_code == 400
    r = client.post(
        url("api-engagement-suggestions"),
        {"title": "x", "description": "y", "department": 999999},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.get(url("api-engagement-suggestions"), {"status": "nonsense"})
    assert r.status_code == 400


def test_api_triage(world, login):
    client = login(world.mr)
    s = make_suggestion(world, anonymous=True)
    r = client.post(
        url("api-engagement-suggestion-triage", pk=s.pk),
        {"version": s.version, "decision": "accepted"},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url("api-engagement-suggestion-triage", pk=s.pk),
        {
            "version": s.version,
            "decision": "accepted",
            "action_title": "Do it",
            "owner": world.owner.pk,
            "due_on": (TODAY + datetime.timedelta(days=9)).isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted" and r.json()["action"] and r.json()["author"] is None
    d = make_suggestion(world)
    r = client.post(
        url("api-engagement-suggestion-triage", pk=d.pk),
        {"version": d.version + 3, "decision": "declined", "response": "No."},
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.post(
        url("api-engagement-suggestion-triage", pk=d.pk),
        {"version": d.version, "decision": "duplicate", "duplicate_of": 999999},
        content_type="application/json",
    )
    assert r.status_code == 400
    client = login(world.employee)
    r = client.post(
        url("api-engagement-suggestion-triage", pk=d.pk),
        {"version": d.version, "decision": "declined", "response": "No."},
        content_type="application/json",
    )
    assert r.status_code == 403

"""Nonconformity pages, the analysis page, the dashboard items, the API, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.core.testing import PASSWORD
from pdca.improvement import services
from pdca.improvement.models import Nonconformity, Source
from pdca.improvement.selectors import analysis, attention

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_employee_raises_with_the_short_form(world, login):
    client = login(world.employee)
    r = client.post(
        url("improvement:raise"),
        {"title": "Spill at bay 3", "description": "Oil", "found_on": TODAY},
    )
    assert r.status_code == 302
    nc = Nonconformity.objects.get(title="Spill at bay 3")
    assert nc.source == "employee" and nc.raised_by == world.employee
    r = client.post(url("improvement:raise"), {"title": "", "description": "", "found_on": "x"})
    assert r.status_code == 400 and b"errorlist" in r.content


def test_close_page_shows_refusal_reason(world, login):
    nc = world.extra["im_nc"]
    client = login(world.mr)
    r = client.post(url("improvement:close", pk=nc.pk), {"password": PASSWORD})
    assert r.status_code == 400 and b"Record the reaction first" in r.content
    r = client.get(url("improvement:detail", pk=nc.pk))
    assert b"Not ready to close" in r.content


def test_cancel_page_needs_reason_and_delete_is_refused_in_api(world, login):
    nc = world.extra["im_nc"]
    client = login(world.mr)
    assert client.post(url("improvement:cancel", pk=nc.pk), {"reason": ""}).status_code == 400
    r = client.delete(url("api-improvement-nc", pk=nc.pk))
    assert r.status_code == 405 and "never deleted" in r.json()["detail"]
    assert Nonconformity.objects.filter(pk=nc.pk).exists()
    assert (
        client.post(url("improvement:cancel", pk=nc.pk), {"reason": "Raised twice"}).status_code
        == 302
    )


def test_full_capa_through_the_api(world, login):
    nc = world.extra["im_nc"]
    owner = login(world.owner)
    r = owner.post(
        url("api-improvement-analysis-save", pk=nc.pk),
        {
            "whys": ["a", "b"],
            "causes": [{"category": "people", "text": "new starter"}],
            "root_cause": "No induction",
            "root_cause_category": "people",
            "similar": "none",
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = owner.post(
        url("api-improvement-analysis-save", pk=nc.pk),
        {"whys": [], "root_cause": "", "root_cause_category": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400
    action = world.extra["im_action"]
    r = owner.patch(
        url("api-improvement-action", pk=action.pk),
        {"status": "done", "notes": "Checked", "version": action.version},
        content_type="application/json",
    )
    assert r.status_code == 200
    mr = login(world.mr)
    assert mr.get(url("api-improvement-close", pk=nc.pk)).json()["can_close"] is False
    check = world.extra["im_check"]
    r = mr.post(
        url("api-improvement-check", pk=check.pk),
        {"result": "effective", "evidence": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "early_reason" in r.json()["errors"]  # planned in 60 days
    r = mr.post(
        url("api-improvement-check", pk=check.pk),
        {"result": "effective", "evidence": "ok", "early_reason": "Ten runs already made"},
        content_type="application/json",
    )
    assert r.status_code == 200
    nc.refresh_from_db()
    r = mr.patch(
        url("api-improvement-nc", pk=nc.pk),
        {"containment": "Parts quarantined", "version": nc.version},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = mr.post(
        url("api-improvement-closure-steps", pk=nc.pk),
        {
            "risks_outcome": "updated",
            "risks_notes": "Induction risk re-rated",
            "system_change_outcome": "changed",
            "system_change_process": world.extra["process"].pk,
            "version": r.json()["version"],
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    r = mr.post(
        url("api-improvement-close", pk=nc.pk), {"password": "no"}, content_type="application/json"
    )
    assert r.status_code == 400
    r = mr.post(
        url("api-improvement-close", pk=nc.pk),
        {"password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_api_bad_input_and_org_boundary(world, login):
    client = login(world.employee)
    r = client.post(
        url("api-improvement-ncs"),
        {"title": "x", "description": "y", "process": 99999},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url("api-improvement-ncs"),
        {"title": "Door left open", "description": "Bay 2"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = client.post(
        url("api-improvement-actions", pk=world.extra["im_nc"].pk),
        {},
        content_type="application/json",
    )
    assert r.status_code == 403
    outsider = login(world.outsider)
    assert outsider.get(url("api-improvement-nc", pk=world.extra["im_nc"].pk)).status_code == 404
    glob = reverse("api-improvement-nc", kwargs={"org": "globex", "pk": world.extra["im_nc"].pk})
    assert outsider.get(glob).status_code == 404


def _many(world, n):
    for i in range(n):
        nc = services.nonconformity_raise(
            actor=world.mr,
            organization=world.org,
            title=f"NC {i}",
            description="d",
            process=world.extra["audit_process"],
            clauses=list(world.extra["im_nc"].clauses.all()),
        )
        services.action_plan(
            actor=world.mr,
            nonconformity=nc,
            title="a",
            owner=world.owner,
            due_on=TODAY - datetime.timedelta(days=1),
        )


def test_list_analysis_and_attention_query_counts(world, login, django_assert_max_num_queries):
    _many(world, 12)
    client = login(world.mr)
    with django_assert_max_num_queries(20):
        r = client.get(url("improvement:list"))
    assert r.status_code == 200 and b"recurring" in r.content and b"action overdue" in r.content
    with django_assert_max_num_queries(20):
        assert client.get(url("improvement:analysis")).status_code == 200
    with django_assert_max_num_queries(4):
        items = attention(world.memberships["owner"])
    titles = {a.title: a.count for a in items}
    # The cards count nonconformities, the rows of the lists they open.
    assert titles["Nonconformities with overdue actions"] == 12
    assert titles["Nonconformities with your open actions"] == 13


def test_analysis_figures_flag_recurrence(world):
    _many(world, 2)
    figures = analysis(world.org)
    assert figures["recurrences"] and figures["recurrences"][0]["count"] == 3
    assert dict(figures["by_source"])["Internal audit finding"] == 1
    assert figures["overdue_actions"] == 2


def test_analysis_counts_by_department_and_open_status_and_lists_a_groups_first_ten(world):
    before = analysis(world.org)
    _many(world, 12)  # twelve more on the example nonconformity's clauses and process
    extra = services.nonconformity_raise(
        actor=world.mr,
        organization=world.org,
        title="Spill in the yard",
        description="d",
        department=world.department,
    )
    services.nonconformity_cancel(actor=world.mr, nonconformity=extra, reason="Duplicate")
    in_dept = services.nonconformity_raise(
        actor=world.mr,
        organization=world.org,
        title="Label missing",
        description="d",
        department=world.department,
    )
    figures = analysis(world.org)
    # Cancelled nonconformities count nowhere; the open one counts in its department.
    assert figures["open_count"] == before["open_count"] + 13
    departments = dict(figures["by_department"])
    assert (
        departments[world.department.name]
        == dict(before["by_department"]).get(world.department.name, 0) + 1
    )
    group = figures["recurrences"][0]
    assert group["count"] == 13
    numbers = sorted(
        Nonconformity.objects.filter(organization=world.org, process=world.extra["audit_process"])
        .exclude(pk=in_dept.pk)
        .values_list("number", flat=True)
    )[:10]
    assert group["numbers"] == [f"NC-{n:04d}" for n in numbers]


def test_recurrence_is_the_same_clause_and_process_within_twelve_months(world):
    from pdca.improvement.selectors import recurring_ids
    from pdca.standards.models import Clause, Process

    # A clause no other example nonconformity is on.
    clause = Clause.objects.filter(edition__standard__code="iso9001", number="8.7").get()
    process = world.extra["audit_process"]
    other_process = Process.objects.create(organization=world.org, code="P-X", name="Other")

    def raise_nc(days_ago: int, on_process=process, clauses=(clause,)):
        return services.nonconformity_raise(
            actor=world.mr,
            organization=world.org,
            title=f"Found {days_ago} days ago",
            description="d",
            found_on=TODAY - datetime.timedelta(days=days_ago),
            process=on_process,
            clauses=list(clauses),
        )

    old = raise_nc(800)  # more than a year before the next one
    first = raise_nc(400)
    second = raise_nc(100)  # 300 days after `first`: both recur
    elsewhere = raise_nc(90, on_process=other_process)  # same clause, another process
    ids = [old.pk, first.pk, second.pk, elsewhere.pk]
    assert recurring_ids(world.org, ids, TODAY) == {first.pk, second.pk}

    services.nonconformity_cancel(actor=world.mr, nonconformity=first, reason="Duplicate")
    # A cancelled one neither recurs nor counts as the twin of another.
    assert recurring_ids(world.org, ids, TODAY) == set()


def test_choice_labels_read_as_django_would_and_translate_one_label_per_call(world, monkeypatch):
    from django.utils import translation

    nc = world.extra["im_nc"]
    assert nc.get_status_display() == str(Nonconformity.Status(nc.status).label)
    assert nc.get_source_display() == str(Source(nc.source).label)
    nc.status = "no-such-status"  # an unknown value reads as itself, as in Django
    assert nc.get_status_display() == "no-such-status"
    closed = str(Nonconformity.Status.CLOSED.label)
    calls = []
    trans = translation._trans  # what every (lazy) gettext call goes through
    real = trans.gettext
    monkeypatch.setattr(trans, "gettext", lambda s: calls.append(s) or real(s))
    nc.status = Nonconformity.Status.CLOSED
    assert nc.get_status_display() == closed
    assert calls == ["Closed"]  # Django's own display translates every choice of the field

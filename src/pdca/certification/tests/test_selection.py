"""Choosing a certification body: candidates compared on weighted criteria, the decision with
its reason approved by top management, through the pages and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.certification import selection as sel
from pdca.certification.models import BodySelection
from pdca.core.models import TrailEntry

pytestmark = pytest.mark.django_db
API = "/api/v1/o/acme/certification"


def url(world, name, **kw):
    return reverse(f"certification:{name}", kwargs={"org": world.org.slug, **kw})


def api_call(client, user, method, path, body=None):
    from pdca.core import services as core_services

    _token, raw = core_services.api_token_create(actor=user, name="script")
    return getattr(client, method)(
        API + path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_weighted_total_ranks_the_candidates(world):
    choice = world.extra["cert_selection"]
    columns = sel.comparison(choice, list(choice.candidates.all()))
    # weights 3, 3, 2, 1, 3, 2, 1 = 15; best = 75. Certa: 5*3 + 4*3 + 3*3 = 36 -> 48 %.
    assert [c.candidate.body.name for c in columns] == ["Certa Zert GmbH", "Nordzert AG"]
    assert columns[0].total == 48.0 and columns[1].total == 20.0


def test_the_comparison_page_shows_the_bodies_side_by_side(world, login):
    choice = world.extra["cert_selection"]
    page = login(world.employee).get(url(world, "selection", pk=choice.pk)).content.decode()
    assert 'data-testid="comparison"' in page
    assert "Certa Zert GmbH" in page and "Nordzert AG" in page and "48.0 %" in page
    assert "Decide" not in page  # an employee only reads
    listed = login(world.employee).get(url(world, "selections")).content.decode()
    assert f'data-selection="{choice.pk}"' in listed


def test_scores_run_from_0_to_5_and_the_criteria_must_weigh(world):
    choice = world.extra["cert_selection"]
    with pytest.raises(ValidationError, match="0 to 5"):
        sel.candidate_update(
            actor=world.mr,
            candidate=world.extra["cert_candidate"],
            expected_version=None,
            scores={"sector": 9},
        )
    with pytest.raises(ValidationError, match="Unknown criterion"):
        sel.check_scores(choice, {"colour": 3})
    with pytest.raises(ValidationError, match="at least one"):
        sel.check_criteria([{"label": "Price", "weight": 0}])


def test_top_management_decides_with_a_reason_and_the_selection_is_then_kept(world, login):
    choice = world.extra["cert_selection"]
    body = world.extra["cert_body"]
    with pytest.raises(ValidationError, match="Top management approves"):
        sel.selection_decide(actor=world.mr, selection=choice, chosen=body, reason="Best")
    client = login(world.top)
    no_reason = client.post(
        url(world, "selection_decide", pk=choice.pk),
        {"chosen": body.pk, "reason": "", "version": choice.version},
    )
    assert no_reason.status_code == 400
    response = client.post(
        url(world, "selection_decide", pk=choice.pk),
        {"chosen": body.pk, "reason": "Sector experience and the offer", "version": choice.version},
    )
    assert response.status_code == 302
    choice.refresh_from_db()
    assert choice.status == BodySelection.Status.DECIDED and choice.chosen == body
    assert choice.approved_by == world.top and choice.decided_on
    assert TrailEntry.objects.filter(action="certification.selection.decided").exists()
    with pytest.raises(ValidationError, match="decided"):
        sel.candidate_add(actor=world.mr, selection=choice, body=world.extra["cert_rival"])


def test_the_pages_start_a_comparison_add_and_score_a_body(world, login):
    client = login(world.mr)
    assert client.post(url(world, "selection_new"), {"title": ""}).status_code == 400
    data = {"title": "Recertification tender 2028", "standards": [world.extra["iso9001"].pk]}
    data.update({f"weight_{c['code']}": c["weight"] for c in sel.default_criteria()})
    data["weight_languages"] = 0  # left out
    response = client.post(url(world, "selection_new"), data)
    assert response.status_code == 302
    choice = BodySelection.objects.latest("pk")
    assert "languages" not in {c["code"] for c in choice.criteria}
    added = client.post(
        url(world, "candidate_new", pk=choice.pk),
        {"body": world.extra["cert_rival"].pk, "score_accreditation": "4", "audit_days": "7"},
    )
    assert added.status_code == 302
    candidate = choice.candidates.get()
    assert candidate.scores == {"accreditation": 4}
    bad = client.post(
        url(world, "candidate_edit", pk=candidate.pk),
        {"score_sector": "7", "version": candidate.version},
    )
    assert bad.status_code == 400
    scored = client.post(
        url(world, "candidate_edit", pk=candidate.pk),
        {"score_sector": "3", "score_accreditation": "4", "version": candidate.version},
    )
    assert scored.status_code == 302
    candidate.refresh_from_db()
    assert candidate.scores == {"accreditation": 4, "sector": 3}


def test_another_organizations_selection_is_not_found(world, login):
    client = login(world.outsider)
    choice = world.extra["cert_selection"]
    for name in ["selection", "candidate_new"]:
        other = reverse(
            f"certification:{name}", kwargs={"org": world.other_org.slug, "pk": choice.pk}
        )
        assert client.get(other).status_code == 404, name


def test_the_selection_page_query_count_does_not_grow_with_candidates(
    world, login, django_assert_max_num_queries
):
    from pdca.certification.testing import make_body

    choice = world.extra["cert_selection"]
    client = login(world.mr)
    with django_assert_max_num_queries(200) as ctx:
        client.get(url(world, "selection", pk=choice.pk))
    before = len(ctx.captured_queries)
    for i in range(3):
        body = make_body(world, name=f"Extra body {i}", accreditation_number=f"D-{i}")
        sel.candidate_add(actor=world.mr, selection=choice, body=body, scores={"sector": i})
    with django_assert_max_num_queries(before):
        client.get(url(world, "selection", pk=choice.pk))


def test_the_api_compares_and_decides(world, client):
    created = api_call(client, world.mr, "post", "/selections/", {"title": "Tender"})
    assert created.status_code == 201 and len(created.json()["criteria"]) == 7
    pk = created.json()["id"]
    bad = api_call(client, world.mr, "post", "/selections/", {"title": "X", "criteria": [{}]})
    assert bad.status_code == 400
    body = world.extra["cert_rival"]
    added = api_call(
        client,
        world.mr,
        "post",
        f"/selections/{pk}/candidates/",
        {"body": body.pk, "scores": {"reputation": 4}},
    )
    assert added.status_code == 201
    refused = api_call(client, world.employee, "post", f"/selections/{pk}/candidates/", {})
    assert refused.status_code == 403
    decision = {"chosen": body.pk, "reason": "Only offer", "version": 1}
    assert (
        api_call(client, world.mr, "post", f"/selections/{pk}/decide/", decision).status_code == 403
    )
    done = api_call(client, world.top, "post", f"/selections/{pk}/decide/", decision)
    assert done.status_code == 200 and done.json()["status"] == "decided"
    shown = api_call(client, world.employee, "get", f"/selections/{pk}/").json()
    assert shown["candidates"][0]["total"] == round(100 * 4 * 2 / 75, 1)

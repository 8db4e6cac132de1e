"""The REST API: token and session authentication, JSON errors, members, trail, schema."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from pdca.core import services, trail
from pdca.core.models import ApiToken, TrailEntry
from pdca.core.roles import Role


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _members_url(org: str = "acme") -> str:
    return reverse("api-members", kwargs={"org": org})


@pytest.mark.django_db
def test_token_authenticates_api_calls(world, client):
    _token, raw = services.api_token_create(actor=world.mr, name="script")
    me = client.get("/api/v1/me/", **_bearer(raw))
    assert me.status_code == 200
    assert me.json()["email"] == world.mr.email
    assert me.json()["organizations"] == [
        {"slug": "acme", "name": "Acme Test Ltd", "roles": ["mr"]}
    ]
    members = client.get(_members_url(), **_bearer(raw))
    assert members.status_code == 200
    assert len(members.json()["results"]) == len(world.memberships)


@pytest.mark.django_db
def test_token_use_is_noted_without_a_write_per_request(world, client):
    token, raw = services.api_token_create(actor=world.mr, name="script")
    client.get("/api/v1/me/", **_bearer(raw))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get("/api/v1/me/", **_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first_use


@pytest.mark.django_db
def test_revoked_token_is_refused_with_json_401(world, client):
    token, raw = services.api_token_create(actor=world.mr, name="script")
    services.api_token_revoke(actor=world.mr, token=token)
    response = client.get("/api/v1/me/", **_bearer(raw))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Invalid, expired or revoked token.", "status": 401}


@pytest.mark.django_db
def test_expired_token_is_refused(world, client):
    _token, raw = services.api_token_create(
        actor=world.mr, name="old", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(_members_url(), **_bearer(raw))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.django_db
def test_unknown_token_and_no_credentials_are_refused(client, world):
    assert client.get(_members_url(), **_bearer("pdca_nonsense")).status_code == 401
    anonymous = client.get(_members_url())
    assert anonymous.status_code in (401, 403)
    assert anonymous.json()["status"] == anonymous.status_code


@pytest.mark.django_db
def test_token_of_an_inactive_user_is_refused(world, client):
    _token, raw = services.api_token_create(actor=world.mr, name="script")
    world.mr.is_active = False
    world.mr.save()
    assert client.get("/api/v1/me/", **_bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_only_the_digest_of_a_token_is_stored(world):
    token, raw = services.api_token_create(actor=world.mr, name="script")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(v) for v in stored.values()}


@pytest.mark.django_db
def test_unknown_organization_is_a_json_404(world, client):
    client.force_login(world.mr)
    response = client.get(_members_url("nowhere"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No such organization.", "status": 404}


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(world, client):
    client.force_login(world.mr)
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.django_db
def test_refusal_by_role_is_a_json_403_with_the_reason(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    client.force_login(world.employee)
    response = client.patch(
        reverse("api-member", kwargs={"org": "acme", "pk": membership.pk}),
        {"roles": ["mr"], "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role does not allow this.", "status": 403}
    client.force_login(world.external)
    response = client.get(_members_url())
    assert response.status_code == 403 and response.json()["detail"]


@pytest.mark.django_db
def test_invalid_input_is_a_json_400_with_field_errors(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    url = reverse("api-member", kwargs={"org": "acme", "pk": membership.pk})
    client.force_login(world.mr)
    response = client.patch(url, {"roles": "x"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input." and body["status"] == 400
    assert "version" in body["errors"]
    response = client.patch(url, {"roles": ["nope"], "version": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "roles" in response.json()["errors"]
    response = client.patch(
        url, {"roles": ["external"], "version": 1}, content_type="application/json"
    )
    assert "expires_on" in response.json()["errors"]


@pytest.mark.django_db
def test_member_update_through_the_api_is_recorded_and_checks_the_version(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    url = reverse("api-member", kwargs={"org": "acme", "pk": membership.pk})
    client.force_login(world.mr)
    response = client.patch(
        url, {"roles": ["employee", "auditor"], "version": 1}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    entry = TrailEntry.objects.for_object(membership).latest("seq")
    assert entry.action == "core.membership.roles_changed"
    stale = client.patch(url, {"roles": ["owner"], "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert "Someone else changed" in stale.json()["detail"]


@pytest.mark.django_db
def test_member_update_refuses_another_organizations_department(world, client):
    from pdca.core.models import Department

    foreign = Department.objects.create(organization=world.other_org, name="Globex ops")
    membership = world.memberships[Role.EMPLOYEE]
    client.force_login(world.mr)
    response = client.patch(
        reverse("api-member", kwargs={"org": "acme", "pk": membership.pk}),
        {"department": foreign.pk, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.department == world.department


@pytest.mark.django_db
def test_unsupported_method_is_a_json_405(world, client):
    client.force_login(world.mr)
    response = client.delete(
        reverse("api-member", kwargs={"org": "acme", "pk": world.memberships["employee"].pk})
    )
    assert response.status_code == 405
    assert response.json()["status"] == 405


@pytest.mark.django_db
def test_trail_api_pages_with_a_cursor_and_filters(world, client):
    for i in range(7):
        trail.record(
            action="core.organization.updated",
            actor=world.mr,
            organization=world.org,
            changes={"n": [i, i + 1]},
        )
    client.force_login(world.auditor)
    url = reverse("api-trail", kwargs={"org": "acme"})
    first = client.get(url, {"page_size": 5}).json()
    assert len(first["results"]) == 5
    seqs = [e["seq"] for e in first["results"]]
    assert seqs == sorted(seqs, reverse=True)
    second = client.get(first["next"]).json()
    assert second["results"][0]["seq"] == seqs[-1] - 1
    filtered = client.get(url, {"action": "core.organization.updated"}).json()
    assert {e["action"] for e in filtered["results"]} == {"core.organization.updated"}
    assert all(len(e["hash"]) == 64 and len(e["key_id"]) == 16 for e in filtered["results"])
    assert all(e["client_request_id"] == "" for e in filtered["results"])


@pytest.mark.django_db
def test_sites_and_departments_are_listed_for_members(world, client):
    client.force_login(world.employee)
    sites = client.get(reverse("api-sites", kwargs={"org": "acme"})).json()["results"]
    assert [s["name"] for s in sites] == ["Main plant"]
    depts = client.get(reverse("api-departments", kwargs={"org": "acme"})).json()["results"]
    assert {d["name"] for d in depts} == {"Production", "Quality"}


def test_openapi_schema_generates_without_errors_or_warnings():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    assert not problems, "\n".join(problems)
    paths = schema["paths"]
    for path in (
        "/api/v1/me/",
        "/api/v1/organizations/",
        "/api/v1/o/{org}/members/",
        "/api/v1/o/{org}/members/{id}/",
        "/api/v1/o/{org}/trail/",
    ):
        assert any(p.replace("{pk}", "{id}") == path for p in paths), path
    assert "apiToken" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/o/{org}/trail/" in response.content
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.django_db
def test_api_lists_page_by_cursor_without_count_or_offset(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pdca.core.models import Site

    Site.objects.bulk_create(Site(organization=world.org, name=f"Depot {n:02}") for n in range(16))
    client.force_login(world.employee)
    url = reverse("api-sites", kwargs={"org": "acme"})
    expected = list(
        Site.objects.filter(organization=world.org)
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    page = client.get(url, {"page_size": 5}).json()
    assert set(page) == {"next", "previous", "results"} and page["previous"] is None
    names, pages = [s["name"] for s in page["results"]], [page]
    while page["next"]:
        assert "after=" in page["next"]
        with CaptureQueriesContext(connection) as queries:
            page = client.get(page["next"]).json()
        site_sql = [
            q["sql"].upper() for q in queries.captured_queries if "CORE_SITE" in q["sql"].upper()
        ]
        assert site_sql and not any("OFFSET" in sql or "COUNT(" in sql for sql in site_sql)
        names += [s["name"] for s in page["results"]]
        pages.append(page)
    assert names == expected and len(pages) == -(-len(expected) // 5)
    back = client.get(pages[-1]["previous"]).json()
    assert [s["name"] for s in back["results"]] == [s["name"] for s in pages[-2]["results"]]
    assert "before=" in pages[-1]["previous"]
    # A cursor that is not one of ours is no error: the first page by number.
    odd = client.get(url, {"after": "%%%", "page_size": 5}).json()
    assert [s["name"] for s in odd["results"]] == expected[:5]

"""Bad input is answered 400 or 404 with a message, never a server error (API and pages)."""

import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from pdca.core import services

HUGE = 99999999999999999999  # past the 64-bit integer range of SQLite and PostgreSQL


@pytest.fixture
def api(world, client):
    _token, raw = services.api_token_create(actor=world.mr, name="script")

    def call(method: str, url: str, body=None, **extra):
        return getattr(client, method)(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}", **extra
        )

    return call


AUDIT = {"title": "Stores", "planned_start": "2026-03-02", "planned_end": "2026-03-03"}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["clauses", "editions", "departments", "processes", "sites"])
def test_out_of_range_ids_in_an_audit_are_unknown_ids(api, field):
    response = api("post", "/api/v1/o/acme/audits/audits/", {**AUDIT, field: [HUGE]})
    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["One or more ids are unknown."]}


@pytest.mark.django_db
def test_out_of_range_clause_ids_in_a_nonconformity_are_unknown(api, world):
    url = "/api/v1/o/acme/improvement/nonconformities/"
    body = {"title": "Leak", "description": "Oil on the floor", "clauses": [HUGE]}
    response = api("post", url, body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"clauses": ["One or more clauses are unknown."]}
    nc = world.extra["im_nc"]
    response = api("patch", f"{url}{nc.pk}/", {"clauses": [1, HUGE]})
    assert response.status_code == 400


@pytest.mark.django_db
def test_out_of_range_ids_in_a_process_are_refused(api):
    for field in ("sites", "departments", "clauses", "interacts_with"):
        body = {"code": "P9", "name": "Stores", field: [HUGE]}
        response = api("post", "/api/v1/o/acme/standards/processes/", body)
        assert response.status_code == 400, field
        assert field in response.json()["errors"]


@pytest.mark.django_db
def test_out_of_range_ids_in_page_forms_are_field_errors(world, login):
    client = login(world.mr)
    nc = world.extra["im_nc"]
    edit_url = reverse("improvement:edit", kwargs={"org": "acme", "pk": nc.pk})
    response = client.post(
        edit_url,
        {
            "title": nc.title,
            "description": nc.description,
            "source": nc.source,
            "severity": nc.severity,
            "found_on": str(nc.found_on),
            "version": nc.version,
            "clauses": [str(HUGE)],
        },
    )
    assert response.status_code in (200, 400)
    assert "clauses" in response.context["form"].errors
    audit_url = reverse("audits:create", kwargs={"org": "acme"})
    for field in ("clauses", "sites", "departments", "processes", "editions"):
        response = client.post(audit_url, {**AUDIT, "kind": "internal", field: [str(HUGE)]})
        assert response.status_code in (200, 400), field
        assert field in response.context["form"].errors, field


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[], "AAA", 3, None])
def test_a_json_body_that_is_not_an_object_is_refused(api, world, body):
    url = f"/api/v1/o/acme/documents/revisions/{world.extra['draft_revision'].pk}/"
    response = api("patch", url, json.dumps(body))
    assert response.status_code == 400
    assert response.json() == {"detail": "Send a JSON object.", "status": 400}


@pytest.mark.django_db
def test_a_json_list_is_refused_on_creation_too(api):
    response = api("post", "/api/v1/o/acme/improvement/nonconformities/", [{"title": "x"}])
    assert response.status_code == 400
    assert response.json()["detail"] == "Send a JSON object."


@pytest.mark.django_db
def test_a_service_refusal_answers_its_message_text(api, world):
    nc = world.extra["im_nc"]
    url = f"/api/v1/o/acme/improvement/nonconformities/{nc.pk}/cancel/"
    assert api("post", url, {"reason": "Raised twice"}).status_code == 200
    response = api("post", url, {"reason": "Again"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "ErrorDetail" not in detail
    assert detail == f"{nc.reference} is cancelled."


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer pdca_nonsense", "Bearer a b"])
def test_a_wrong_bearer_token_is_said_to_be_invalid(client, world, header):
    response = client.get("/api/v1/o/acme/members/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "invalid" in response.json()["detail"].lower()


@pytest.mark.django_db
def test_an_attachment_missing_from_storage_is_not_found(world, login):
    attachment = world.extra["attachment"]
    default_storage.delete(attachment.file.name)
    response = login(world.mr).get(
        reverse("records:attachment", kwargs={"org": "acme", "pk": attachment.pk})
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_revision_file_missing_from_storage_is_not_found(world, login):
    revision = next(
        r for r in (world.extra["effective_revision"], world.extra["draft_revision"]) if r.file
    )
    default_storage.delete(revision.file.name)
    response = login(world.mr).get(
        reverse("documents:revision_file", kwargs={"org": "acme", "pk": revision.pk})
    )
    assert response.status_code == 404

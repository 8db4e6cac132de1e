import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pdca.core.testing import PASSWORD
from pdca.documents import services
from pdca.documents.models import Signature

pytestmark = pytest.mark.django_db
BASE = "/api/v1/o/acme/documents/"


def test_api_master_list_and_search(world, login):
    client = login(world.employee)
    data = client.get(BASE, {"q": "documents"}).json()
    assert data["results"][0]["number"] == world.extra["document"].number
    assert client.get(BASE, {"doc_type": "bogus"}).status_code == 400
    assert client.get(BASE + "export.xlsx").status_code == 200


def test_api_create_document_and_bad_input(world, login):
    client = login(world.mr)
    response = client.post(
        BASE,
        {"doc_type": "policy", "title": "Env policy", "text": "We protect."},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["number"].startswith("POL-")
    assert client.post(BASE, {"doc_type": "x"}, content_type="application/json").status_code == 400
    number = world.extra["document"].number
    response = client.post(
        BASE,
        {"doc_type": "policy", "title": "Dup", "number": number, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "number" in response.json()["errors"]
    response = client.post(
        BASE,
        {"doc_type": "form", "title": "F", "file": SimpleUploadedFile("f.docx", b"PK\x03\x04zz")},
    )
    assert response.status_code == 400
    assert (
        login(world.employee)
        .post(
            BASE, {"doc_type": "policy", "title": "x", "text": "y"}, content_type="application/json"
        )
        .status_code
        == 403
    )


def test_api_effective_revision_cannot_be_edited_or_deleted(world, login):
    eff = world.extra["effective_revision"]
    client = login(world.mr)
    url = f"{BASE}revisions/{eff.pk}/"
    assert client.get(url).json()["status"] == "effective"
    assert (
        client.patch(
            url, {"text": "hacked", "version": eff.version}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.delete(url).status_code == 405
    assert client.put(url, {"text": "hacked"}, content_type="application/json").status_code == 405
    assert client.delete(f"{BASE}{eff.document_id}/").status_code == 405


def test_api_draft_patch_conflict(world, login):
    draft = world.extra["draft_revision"]
    client = login(world.owner)
    url = f"{BASE}revisions/{draft.pk}/"
    assert (
        client.patch(
            url, {"text": "a", "version": draft.version}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.patch(
        url, {"text": "b", "version": draft.version}, content_type="application/json"
    )
    assert response.status_code == 409
    assert client.patch(url, {"text": "b"}, content_type="application/json").status_code == 400


def test_api_sign_with_password(world, login):
    draft = world.extra["draft_revision"]
    services.revision_submit(actor=world.owner, revision=draft)
    client = login(world.auditor)
    url = f"{BASE}revisions/{draft.pk}/sign/"
    assert (
        client.post(
            url, {"meaning": "reviewed", "password": "bad"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"meaning": "bogus", "password": PASSWORD}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            url, {"meaning": "reviewed", "password": PASSWORD}, content_type="application/json"
        ).status_code
        == 200
    )
    assert Signature.objects.filter(revision=draft, user=world.auditor).exists()
    mr = login(world.mr)
    assert (
        mr.post(
            url, {"meaning": "approved", "password": PASSWORD}, content_type="application/json"
        ).status_code
        == 200
    )
    release = f"{BASE}revisions/{draft.pk}/release/"
    assert (
        mr.post(
            release,
            {"password": PASSWORD, "effective_from": "not a date"},
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        mr.post(release, {"password": PASSWORD}, content_type="application/json").status_code == 200
    )
    draft.refresh_from_db()
    assert draft.status == "effective"


def test_api_author_cannot_approve(world, login):
    draft = world.extra["draft_revision"]
    draft.document.approvers.add(world.owner)
    services.revision_submit(actor=world.owner, revision=draft)
    response = login(world.owner).post(
        f"{BASE}revisions/{draft.pk}/sign/",
        {"meaning": "approved", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_reading_and_acknowledge(world, login):
    ack = world.extra["ack"]
    client = login(world.employee)
    assert client.get(BASE + "reading/").json()["results"][0]["id"] == ack.pk
    assert login(world.owner).post(f"{BASE}reading/{ack.pk}/acknowledge/").status_code == 403
    client = login(world.employee)
    # Reading is confirmed after the revision was opened (here: read through the API).
    assert client.post(f"{BASE}reading/{ack.pk}/acknowledge/").status_code == 400
    assert client.get(f"{BASE}revisions/{ack.revision_id}/").status_code == 200
    assert client.post(f"{BASE}reading/{ack.pk}/acknowledge/").status_code == 200
    assert client.get(BASE + "reading/").json()["results"] == []


def test_api_org_boundary(world, login):
    doc = world.extra["document"]
    assert login(world.outsider).get(f"{BASE}{doc.pk}/").status_code == 404
    assert login(world.outsider).get(f"/api/v1/o/globex/documents/{doc.pk}/").status_code == 404

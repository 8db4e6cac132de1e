"""The documents' and records' rules hold on every channel: the page, the API and the service."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.roles import Role
from pdca.documents import services
from pdca.documents.models import Document
from pdca.records.models import RecordType
from pdca.records.services import record_type_save

pytestmark = pytest.mark.django_db
DOCUMENTS_API = "/api/v1/o/acme/documents/"
TYPES_API = "/api/v1/o/acme/records/types/"


def _page(app, name, **kw):
    return reverse(f"{app}:{name}", kwargs={"org": "acme", **kw})


def _new_document(world, **values):
    return {
        "doc_type": "procedure",
        "title": "Rule check",
        "owner": world.owner.pk,
        "confidentiality": "internal",
        "review_interval_months": 12,
        "text": "Step 1",
        **values,
    }


def test_a_document_needs_text_or_a_file_in_the_service(world):
    with pytest.raises(ValidationError) as refused:
        services.document_create(
            actor=world.mr, organization=world.org, doc_type="policy", title="Empty", owner=world.mr
        )
    assert "text" in refused.value.error_dict


def test_a_document_needs_text_or_a_file_on_the_page(world, login):
    response = login(world.owner).post(_page("documents", "create"), _new_document(world, text=""))
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert not Document.objects.filter(title="Rule check").exists()


def test_a_document_needs_text_or_a_file_in_the_api(world, login):
    response = login(world.mr).post(
        DOCUMENTS_API, {"doc_type": "policy", "title": "Empty"}, content_type="application/json"
    )
    assert response.status_code == 400 and "text" in response.json()["errors"]
    assert not Document.objects.filter(title="Empty").exists()


def test_a_restricted_document_needs_named_roles_on_the_page_and_in_the_api(world, login):
    page = login(world.owner).post(
        _page("documents", "create"), _new_document(world, confidentiality="restricted")
    )
    assert page.status_code == 400 and page.context["form"].errors["allowed_roles"]
    api = login(world.mr).post(
        DOCUMENTS_API,
        {"doc_type": "policy", "title": "Secret", "text": "x", "confidentiality": "restricted"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "allowed_roles" in api.json()["errors"]
    document = world.extra["document"]
    with pytest.raises(ValidationError) as refused:
        services.document_update(
            actor=world.mr,
            document=document,
            version=document.version,
            confidentiality="restricted",
        )
    assert "allowed_roles" in refused.value.error_dict


def _new_type(world, **values):
    return {
        "name": "Rule records",
        "owner": world.mr.pk,
        "location": "HR",
        "retention_months": 12,
        "disposal_method": "shred",
        "confidentiality": "restricted",
        "is_active": "on",
        **values,
    }


def test_a_restricted_record_type_needs_named_roles_everywhere(world, login):
    with pytest.raises(ValidationError) as refused:
        record_type_save(
            actor=world.mr,
            organization=world.org,
            name="Secret records",
            owner=world.mr,
            location="Safe",
            retention_months=12,
            disposal_method="shred",
            confidentiality="restricted",
        )
    assert "allowed_roles" in refused.value.error_dict
    client = login(world.mr)
    page = client.post(_page("records", "type_create"), _new_type(world))
    assert page.status_code == 400 and page.context["form"].errors["allowed_roles"]
    data = _new_type(world)
    del data["is_active"]
    api = client.post(TYPES_API, data, content_type="application/json")
    assert api.status_code == 400 and "allowed_roles" in api.json()["errors"]
    data["allowed_roles"] = [Role.MANAGEMENT_REP]
    assert client.post(TYPES_API, data, content_type="application/json").status_code == 201
    assert not RecordType.objects.filter(name="Rule records", allowed_roles=[]).exists()


def test_the_records_api_refuses_an_owner_from_another_organization(world, login):
    data = _new_type(world, owner=world.outsider.pk, confidentiality="internal", name="Foreign")
    del data["is_active"]
    response = login(world.mr).post(TYPES_API, data, content_type="application/json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]
    assert not RecordType.objects.filter(name="Foreign").exists()

"""Control characters are refused in a document's title and number, on the page and in the API."""

import pytest
from django.urls import reverse

from pdca.documents.models import Document

pytestmark = pytest.mark.django_db
BAD = "Bell\x07 title"


def test_page_refuses_a_control_character_next_to_the_field(world, login):
    client = login(world.mr)
    body = {
        "doc_type": "policy",
        "title": BAD,
        "owner": world.mr.pk,
        "confidentiality": "internal",
        "review_interval_months": 12,
        "text": "x",
    }
    response = client.post(reverse("documents:create", kwargs={"org": "acme"}), body)
    assert response.status_code == 400
    form = response.context["form"]
    assert "U+0007" in form.errors["title"][0]
    assert "U+0007" in response.content.decode()
    assert not Document.objects.filter(title=BAD).exists()


def test_api_refuses_a_control_character_with_400(world, login):
    client = login(world.mr)
    for field, body in [
        ("title", {"doc_type": "policy", "title": BAD, "text": "x"}),
        ("number", {"doc_type": "policy", "title": "Fine", "number": "P\x1b-1", "text": "x"}),
    ]:
        response = client.post("/api/v1/o/acme/documents/", body, content_type="application/json")
        assert response.status_code == 400
        assert "U+00" in str(response.json()["errors"][field])
    assert not Document.objects.filter(title__in=[BAD, "Fine"]).exists()

"""Control characters are refused in a record's title, on the page and in the API."""

import pytest
from django.urls import reverse

from pdca.records.models import Record

pytestmark = pytest.mark.django_db
BAD = "Bell\x07 title"


def test_page_refuses_a_control_character_next_to_the_field(world, login):
    rtype = world.extra["record_type"]
    body = {"record_type": rtype.pk, "title": BAD, "date": "2024-01-01"}
    response = login(world.mr).post(reverse("records:create", kwargs={"org": "acme"}), body)
    assert response.status_code == 400
    assert "U+0007" in response.context["form"].errors["title"][0]
    assert "U+0007" in response.content.decode()
    assert not Record.objects.filter(title=BAD).exists()


def test_api_refuses_a_control_character_with_400(world, login):
    rtype = world.extra["record_type"]
    body = {"record_type": rtype.pk, "title": BAD, "date": "2024-01-01"}
    response = login(world.mr).post(
        "/api/v1/o/acme/records/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "U+0007" in str(response.json()["errors"]["title"])
    assert not Record.objects.filter(title=BAD).exists()

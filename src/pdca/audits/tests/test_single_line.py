"""Control characters are refused in an audit's title, on the page and in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.audits.models import Audit

pytestmark = pytest.mark.django_db
BAD = "Bell\x07 title"
TODAY = timezone.localdate()


def test_page_refuses_a_control_character_next_to_the_field(world, login):
    body = {
        "title": BAD,
        "kind": "internal",
        "planned_start": TODAY,
        "planned_end": TODAY,
        "lead_auditor": world.auditor.pk,
    }
    response = login(world.mr).post(reverse("audits:create", kwargs={"org": "acme"}), body)
    assert response.status_code in (200, 400)
    assert "U+0007" in response.context["form"].errors["title"][0]
    assert "U+0007" in response.content.decode()
    assert not Audit.objects.filter(title=BAD).exists()


def test_api_refuses_a_control_character_with_400(world, login):
    body = {
        "title": BAD,
        "kind": "internal",
        "planned_start": str(TODAY),
        "planned_end": str(TODAY),
        "lead_auditor": world.auditor.pk,
    }
    response = login(world.mr).post(
        "/api/v1/o/acme/audits/audits/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "U+0007" in str(response.json()["errors"]["title"])
    assert not Audit.objects.filter(title=BAD).exists()

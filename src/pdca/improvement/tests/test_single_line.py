"""Control characters are refused in a nonconformity's title, on the page and in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.improvement import services
from pdca.improvement.models import Nonconformity

pytestmark = pytest.mark.django_db
BAD = "Bell\x07 title"
TODAY = timezone.localdate()


def test_page_refuses_a_control_character_next_to_the_field(world, login):
    body = {"title": BAD, "description": "Oil", "found_on": TODAY}
    response = login(world.employee).post(
        reverse("improvement:raise", kwargs={"org": "acme"}), body
    )
    assert response.status_code == 400
    assert "U+0007" in response.context["form"].errors["title"][0]
    assert "U+0007" in response.content.decode()
    assert not Nonconformity.objects.filter(title=BAD).exists()


def test_api_refuses_a_control_character_with_400(world, login):
    body = {"title": BAD, "description": "Oil", "found_on": str(TODAY)}
    response = login(world.mr).post(
        "/api/v1/o/acme/improvement/nonconformities/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "U+0007" in str(response.json()["errors"]["title"])
    assert not Nonconformity.objects.filter(title=BAD).exists()


def test_corrective_action_title_refuses_a_control_character(world):
    with pytest.raises(ValidationError) as refusal:
        services.action_plan(
            actor=world.mr,
            nonconformity=world.extra["im_nc"],
            title="Fix\x1b it",
            owner=world.owner,
            due_on=TODAY,
        )
    assert "U+001B" in refusal.value.message_dict["title"][0]

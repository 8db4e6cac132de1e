"""Closing a nonconformity signs it with the password: wrong passwords are throttled like
sign-in, and repeating them cannot flood the audit trail."""

import pytest
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"


def test_forty_wrong_closing_passwords_are_throttled_and_recorded_a_bounded_number_of_times(
    world, login, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    nc = world.extra["im_nc"]
    client = login(world.mr)
    url = reverse("api-improvement-close", kwargs={"org": "acme", "pk": nc.pk})
    answers = [
        client.post(
            url, {"password": f"guess {n}"}, content_type="application/json", REMOTE_ADDR=IP
        )
        for n in range(40)
    ]
    statuses = [answer.status_code for answer in answers]
    assert statuses == [400] * 5 + [429] * 35
    assert "not correct" in answers[0].json()["errors"]["password"][0]
    assert "Too many wrong attempts" in answers[-1].json()["detail"]
    assert 0 < int(answers[-1]["Retry-After"]) <= 30
    refused = TrailEntry.objects.filter(action="improvement.nonconformity.closure_refused")
    assert refused.count() == 5
    # Paused: the right password is not checked either.
    response = client.post(
        url, {"password": PASSWORD}, content_type="application/json", REMOTE_ADDR=IP
    )
    assert response.status_code == 429


def test_closing_page_shows_the_pause_next_to_the_password(world, login, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    nc = world.extra["im_nc"]
    client = login(world.mr)
    url = reverse("improvement:close", kwargs={"org": "acme", "pk": nc.pk})
    for _ in range(2):
        client.post(url, {"password": "wrong"}, REMOTE_ADDR=IP)
    response = client.post(url, {"password": "wrong"}, REMOTE_ADDR=IP)
    assert response.status_code == 429
    assert "Too many wrong attempts" in response.content.decode()
    refused = TrailEntry.objects.filter(action="improvement.nonconformity.closure_refused")
    assert refused.count() == 2

"""Signing a revision re-enters the password: throttled on the sign-in counters, with a
bounded number of refusals in the audit trail."""

import pytest
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.documents import services

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"


def test_forty_wrong_signing_passwords_on_the_page_are_throttled(world, login, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    draft = world.extra["draft_revision"]
    services.revision_submit(actor=world.owner, revision=draft)
    client = login(world.auditor)
    url = reverse("documents:revision_sign", kwargs={"org": "acme", "pk": draft.pk})
    statuses = [
        client.post(url, {"meaning": "reviewed", "password": "wrong"}, REMOTE_ADDR=IP).status_code
        for _ in range(40)
    ]
    assert statuses == [400] * 5 + [429] * 35
    assert TrailEntry.objects.filter(action="documents.signature.failed").count() == 5


def test_signing_failures_count_with_sign_in_failures(world, login, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(4):
        client.post(
            reverse("core:login"),
            {"email": world.auditor.email, "password": "wrong"},
            REMOTE_ADDR=IP,
        )
    draft = world.extra["draft_revision"]
    services.revision_submit(actor=world.owner, revision=draft)
    client = login(world.auditor)
    url = f"/api/v1/o/acme/documents/revisions/{draft.pk}/sign/"

    def sign(password):
        body = {"meaning": "reviewed", "password": password}
        return client.post(url, body, content_type="application/json", REMOTE_ADDR=IP)

    assert sign("wrong").status_code == 400  # the 5th failure on the account: a pause starts
    assert sign(PASSWORD).status_code == 429

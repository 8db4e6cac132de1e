"""Request ids: pdca makes its own for every request; a client's X-Request-ID is kept apart,
and only when it is a plain, short token."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pdca.core.middleware import client_request_id
from pdca.core.models import TrailEntry


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("proxy-4f2a.B_9", "proxy-4f2a.B_9"),
        ("x" * 64, "x" * 64),
        ("x" * 65, ""),
        ("two words", ""),
        ("<script>alert(1)</script>", ""),
        ("line\r\nbreak", ""),
        ("ümlaut", ""),
        ("", ""),
    ],
)
def test_only_a_plain_short_client_request_id_is_kept(sent, kept):
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID=sent)
    assert client_request_id(request) == kept


@pytest.mark.django_db
@pytest.mark.parametrize(("sent", "kept"), [("lb-123", "lb-123"), ("y" * 100, ""), (None, "")])
def test_the_trail_keeps_pdcas_request_id_and_the_clients_apart(world, client, sent, kept):
    client.force_login(world.employee)
    headers = {"HTTP_X_REQUEST_ID": sent} if sent is not None else {}
    response = client.post(reverse("core:logout"), **headers)
    own = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", own)
    entry = TrailEntry.objects.filter(chain=0, action="core.auth.logout").order_by("-seq").first()
    assert entry is not None
    assert (entry.request_id, entry.client_request_id) == (own, kept)


@pytest.mark.django_db
def test_a_client_cannot_choose_pdcas_request_id(client):
    first = client.get(reverse("core:login"), HTTP_X_REQUEST_ID="chosen-by-client")
    second = client.get(reverse("core:login"), HTTP_X_REQUEST_ID="chosen-by-client")
    assert "chosen-by-client" not in (first["X-Request-ID"], second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]

"""The service worker and the web app manifest: public, at the root, holding no one's data."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_to_anyone(client):
    r = client.get(reverse("core:service_worker"))
    assert r.status_code == 200 and reverse("core:service_worker") == "/sw.js"
    assert r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    body = r.content.decode()
    assert '"/accounts/logout/"' in body and "You are offline" in body


def test_service_worker_speaks_the_browsers_language(client):
    body = client.get(reverse("core:service_worker"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Sie sind offline" in body


def test_manifest_makes_pdca_installable(client):
    r = client.get(reverse("core:manifest"))
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    data = json.loads(r.content)
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}


def test_pages_link_the_manifest(world, login):
    page = login(world.auditor).get(reverse("core:dashboard", kwargs={"org": "acme"}))
    assert b'rel="manifest" href="/manifest.webmanifest"' in page.content

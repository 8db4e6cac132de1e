"""Webhooks: an audit-trail action an organization chose is sent, signed, to its endpoint,
tried again when the receiver fails, and an endpoint that keeps failing is switched off. The
receiver is a real HTTP server on the loopback."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.core.models import Notification, TrailEntry
from pdca.improvement import services as improvement
from pdca.webhooks import delivery, services
from pdca.webhooks.models import Delivery, DeliveryStatus, Endpoint

pytestmark = pytest.mark.django_db


class _Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))  # type: ignore[attr-defined]
        status = self.server.answers.pop(0) if self.server.answers else 204  # type: ignore[attr-defined]
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received, server.answers = [], []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def allow_loopback(settings):
    settings.PDCA_WEBHOOKS_ALLOW_PRIVATE = True


def _endpoint(world, receiver, **values):
    return services.endpoint_create(
        actor=world.mr,
        organization=world.org,
        name="Tickets",
        url=f"http://127.0.0.1:{receiver.server_port}/hook",
        events=["improvement.nonconformity.raised"],
        **values,
    )


def _raise(world, title="Burr on housing"):
    return improvement.nonconformity_raise(
        actor=world.mr, organization=world.org, title=title, description="Found at final check."
    )


def test_a_chosen_event_is_delivered_signed_and_names_its_trail_entry(
    world, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        nc = _raise(world)
    ((headers, body),) = receiver.received
    timestamp = headers["X-Pdca-Timestamp"]
    expected = hmac.new(
        endpoint.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Pdca-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - time.time()) < 60
    payload = json.loads(body)
    entry = TrailEntry.objects.get(action="improvement.nonconformity.raised", object_id=str(nc.pk))
    assert payload["event"] == headers["X-Pdca-Event"] == "improvement.nonconformity.raised"
    assert payload["object"] == {
        "type": "improvement.nonconformity",
        "id": str(nc.pk),
        "title": str(nc),
    }
    assert (payload["trail_seq"], payload["trail_hash"]) == (entry.seq, entry.hash)
    sent = Delivery.objects.get(endpoint=endpoint)
    assert sent.status == DeliveryStatus.DELIVERED and sent.attempts == 1
    assert headers["X-Pdca-Delivery"] == payload["delivery"] == str(sent.uid)


def test_other_events_and_rolled_back_writes_send_nothing(
    world, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    _endpoint(world, receiver, is_active=True)
    other = _endpoint(world, receiver, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _raise(world)
                raise RuntimeError("the request failed after the write")
        except RuntimeError:
            pass
    assert receiver.received == [] and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _raise(world, "Second one")
    assert len(receiver.received) == 1  # the switched-off endpoint gets none
    assert not Delivery.objects.filter(endpoint=other).exists()


def test_a_failing_receiver_is_retried_then_the_endpoint_is_switched_off_and_the_mr_told(
    world, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world, receiver)
    receiver.answers = [500] * (delivery.MAX_ATTEMPTS * delivery.DISABLE_AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        _raise(world, "First")
    first = Delivery.objects.get(endpoint=endpoint)
    assert first.status == DeliveryStatus.FAILED and first.attempts == delivery.MAX_ATTEMPTS
    assert first.response_status == 500 and "500" in first.error
    assert len(receiver.received) == delivery.MAX_ATTEMPTS
    # The same delivery id on every attempt: the receiver can tell a retry from a new event.
    assert {h["X-Pdca-Delivery"] for h, _b in receiver.received} == {str(first.uid)}
    for n in range(delivery.DISABLE_AFTER - 1):
        with django_capture_on_commit_callbacks(execute=True):
            _raise(world, f"Again {n}")
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.failures == delivery.DISABLE_AFTER
    assert TrailEntry.objects.filter(action="webhooks.endpoint.disabled").count() == 1
    with scopes_disabled():
        told = Notification.objects.filter(kind="webhooks.endpoint_disabled")
        assert {n.recipient_id for n in told} == {world.mr.pk}
    # Switched on again, it starts afresh.
    services.endpoint_update(
        actor=world.mr, endpoint=endpoint, version=endpoint.version, is_active=True
    )
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failures == 0 and endpoint.disabled_reason == ""


def test_a_receiver_that_comes_back_gets_the_delivery_on_a_later_attempt(
    world, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world, receiver)
    receiver.answers = [503, 502]
    with django_capture_on_commit_callbacks(execute=True):
        _raise(world)
    sent = Delivery.objects.get(endpoint=endpoint)
    assert sent.status == DeliveryStatus.DELIVERED and sent.attempts == 3
    assert delivery.retry_delay(1) < delivery.retry_delay(2) < delivery.retry_delay(5)


def test_addresses_that_pdca_must_not_call_are_refused_on_the_page(world, client, settings):
    client.force_login(world.mr)
    url = reverse("webhooks:create", kwargs={"org": world.org.slug})
    data = {"name": "Inside", "events": ["improvement.nonconformity.raised"], "is_active": "on"}
    for address, message in (
        ("http://127.0.0.1:9/hook", "inside a private network"),
        ("https://10.1.2.3/hook", "inside a private network"),
        ("https://[::1]/hook", "inside a private network"),
        ("ftp://files.example.com/x", "Give an https:// address"),
    ):
        page = client.post(url, {**data, "url": address})
        assert page.status_code == 400 and message in page.content.decode(), address
    none_chosen = client.post(url, {**data, "url": "https://127.0.0.1/", "events": []})
    assert (
        none_chosen.status_code == 400 and "This field is required" in none_chosen.content.decode()
    )
    unknown = client.post(url, {**data, "url": "https://127.0.0.1/", "events": ["core.x"]})
    assert unknown.status_code == 400
    assert not Endpoint.objects.filter(name="Inside").exists()
    settings.PDCA_WEBHOOKS_ALLOW_PRIVATE = True
    page = client.post(url, {**data, "url": "http://127.0.0.1:9/hook"})
    assert page.status_code == 302 and Endpoint.objects.filter(name="Inside").exists()


def test_the_test_button_sends_a_signed_test_and_the_log_shows_it(
    world, client, receiver, allow_loopback, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(world, receiver)
    client.force_login(world.mr)
    test_url = reverse("webhooks:test", kwargs={"org": world.org.slug, "pk": endpoint.pk})
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(test_url)
    assert json.loads(receiver.received[0][1])["event"] == "webhooks.test"
    html = client.get(sent.url).content.decode()
    assert (
        "A test delivery is on its way" in html and "Test delivery" in html and "Delivered" in html
    )


def test_renewing_the_secret_checks_the_version_and_keeps_the_secret_out_of_the_trail(
    world, client
):
    endpoint = world.extra["webhook"]
    client.force_login(world.mr)
    url = reverse("webhooks:secret", kwargs={"org": world.org.slug, "pk": endpoint.pk})
    stale = client.post(url, {"version": endpoint.version - 1})
    assert stale.status_code == 409
    assert client.post(url, {"version": endpoint.version}).status_code == 302
    renewed = Endpoint.objects.get(pk=endpoint.pk)
    assert renewed.secret != endpoint.secret and len(renewed.secret) == 64
    entry = TrailEntry.objects.get(action="webhooks.endpoint.secret_renewed")
    assert renewed.secret not in json.dumps(entry.changes) and endpoint.secret not in json.dumps(
        entry.changes
    )


def test_only_management_manages_webhooks(world, client):
    for member, status in ((world.employee, 403), (world.owner, 403), (world.mr, 200)):
        client.force_login(member)
        page = client.get(reverse("webhooks:list", kwargs={"org": world.org.slug}))
        assert page.status_code == status


def test_the_delivery_log_costs_the_same_queries_however_long_it_is(world, client):
    endpoint = world.extra["webhook"]
    client.force_login(world.mr)
    url = reverse("webhooks:detail", kwargs={"org": world.org.slug, "pk": endpoint.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    Delivery.objects.create(organization=world.org, endpoint=endpoint, event="webhooks.test")
    client.get(url)
    few = count()
    Delivery.objects.bulk_create(
        Delivery(organization=world.org, endpoint=endpoint, event="webhooks.test")
        for _ in range(60)
    )
    assert count() == few

"""The client's address behind trusted proxies, as the trail and the throttle see it."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pdca.core.clientip import client_ip
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD

PROXY = "10.0.0.5"


def _ip(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip(PROXY, "198.51.100.1") == "198.51.100.1"


def test_the_right_most_untrusted_address_wins_over_what_the_client_wrote(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client wrote "1.2.3.4" itself; its real address was appended by the first proxy.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.1, 192.0.2.10") == "198.51.100.1"


def test_a_header_from_an_untrusted_sender_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip("203.0.113.7", "10.0.0.1, 198.51.100.1") == "203.0.113.7"


def test_the_proxy_is_not_taken_for_the_client_without_a_header(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip(PROXY, "garbage") == PROXY
    assert _ip(PROXY, "198.51.100.1:5123") == "198.51.100.1"
    assert _ip(PROXY, "[2001:db8::1]:443") == "2001:db8::1"
    assert _ip(PROXY, "not-an-address, 198.51.100.1") == "198.51.100.1"


def test_ipv6_proxies_and_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    assert _ip("fd00::1", "2001:db8::7") == "2001:db8::7"
    assert _ip("::ffff:203.0.113.7") == "203.0.113.7"


def test_a_wrong_proxy_setting_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured):
        _ip(PROXY, "198.51.100.1")


@pytest.mark.django_db
def test_the_trail_records_the_real_client_behind_the_proxy(world, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.post(
        reverse("core:login"),
        {"email": world.employee.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
    )
    entry = TrailEntry.objects.filter(action="core.auth.login").latest("seq")
    assert entry.ip == "198.51.100.1"


@pytest.mark.django_db
def test_the_proxy_address_never_becomes_everybodys_lock(world, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    login = reverse("core:login")
    for n in range(25):
        client.post(
            login,
            {"email": f"nobody{n}@acme.test", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    response = client.post(
        login,
        {"email": world.employee.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 302

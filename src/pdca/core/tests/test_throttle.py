"""The one throttle of passwords, codes and tokens: sign-in per account at an address, per
account anywhere and per address for every account; growing pauses that end; password change,
turning two-factor off, the two-factor code and API tokens on the same counters."""

import os
import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pdca.core import services, throttle
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("core:login")
IP = "203.0.113.7"
REDIS = os.environ.get("PDCA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMITS = {
    "LOGIN_FAILURE_LIMIT": 5,
    "ACCOUNT_FAILURE_LIMIT": 10,
    "ADDRESS_FAILURE_LIMIT": 20,
    "LOGIN_DELAY_SECONDS": 30,
    "LOGIN_MAX_DELAY_SECONDS": 900,
}


@pytest.fixture(autouse=True)
def limits(settings):
    for name, value in LIMITS.items():
        setattr(settings, name, value)


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def sign_in(client, email, password="wrong", ip=IP):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_one_address_cannot_try_a_few_passwords_on_every_account(world, client):
    people = [make_user(f"person{n}@acme.test") for n in range(6)]
    answers = [
        sign_in(client, person.email).status_code for person in people for _attempt in range(4)
    ]
    # 4 tries on each account stay under the per-account limit; the address's 20th failure
    # pauses every account from that address.
    assert answers[:19] == [200] * 19
    assert answers[19:] == [429] * 5
    assert sign_in(client, world.mr.email, PASSWORD).status_code == 429
    # Another address is not affected.
    assert sign_in(client, world.mr.email, PASSWORD, ip="198.51.100.9").status_code == 302


def test_one_account_cannot_be_guessed_from_many_addresses(world, client):
    answers = [
        sign_in(client, world.employee.email, ip=f"198.51.100.{n}").status_code
        for n in range(1, 13)
    ]
    # Each address fails once; the account's 10th failure anywhere pauses it everywhere.
    assert answers == [200] * 9 + [429] * 3
    assert TrailEntry.objects.filter(action="core.auth.login_failed").count() == 10
    assert sign_in(client, world.employee.email, PASSWORD, ip="192.0.2.50").status_code == 429


def test_an_address_the_account_signed_in_from_is_not_paused_by_guessing_elsewhere(world, client):
    assert sign_in(client, world.employee.email, PASSWORD, ip="192.0.2.50").status_code == 302
    client.logout()
    for n in range(1, 13):
        sign_in(client, world.employee.email, ip=f"198.51.100.{n}")
    assert sign_in(client, world.employee.email, PASSWORD, ip="198.51.100.99").status_code == 429
    assert sign_in(client, world.employee.email, PASSWORD, ip="192.0.2.50").status_code == 302


def test_pauses_grow_with_each_failure_and_end(world, client, clock):
    email = world.employee.email
    for _ in range(4):
        assert sign_in(client, email).status_code == 200
    fifth = sign_in(client, email)
    assert fifth.status_code == 429 and fifth["Retry-After"] == "30"
    assert "30 seconds" in fifth.content.decode()
    # During the pause even the right password is refused without being checked.
    assert sign_in(client, email, PASSWORD).status_code == 429
    clock.advance(31)
    assert sign_in(client, email).status_code == 429  # the next failure: a longer pause
    assert throttle.wait_seconds(account=email, ip=IP) == 60
    clock.advance(61)
    sign_in(client, email)
    assert throttle.wait_seconds(account=email, ip=IP) == 120
    for _ in range(10):
        clock.advance(throttle.wait_seconds(account=email, ip=IP) + 1)
        sign_in(client, email)
    # Never longer than the longest pause, and over when it has passed.
    assert throttle.wait_seconds(account=email, ip=IP) == 900
    clock.advance(901)
    response = sign_in(client, email, PASSWORD)
    assert response.status_code == 302
    assert TrailEntry.objects.filter(action="core.auth.login").count() == 1


def test_a_pause_started_by_someone_else_lasts_at_most_the_longest_delay(world, client, clock):
    for n in range(1, 40):
        sign_in(client, world.employee.email, ip=f"198.51.100.{n}")
    assert throttle.wait_seconds(account=world.employee.email, ip="192.0.2.50") <= 900
    clock.advance(901)
    assert sign_in(client, world.employee.email, PASSWORD, ip="192.0.2.50").status_code == 302


def test_a_successful_sign_in_restarts_the_count_at_that_address(world, client):
    for _ in range(4):
        sign_in(client, world.employee.email)
    assert sign_in(client, world.employee.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, world.employee.email).status_code == 200


def test_ipv6_addresses_of_one_network_count_together(world, client):
    people = [make_user(f"person{n}@acme.test") for n in range(5)]
    answers = [
        sign_in(client, person.email, ip=f"2001:db8:1:2::{n:x}{attempt}").status_code
        for n, person in enumerate(people)
        for attempt in range(4)
    ]
    assert answers[19] == 429


def test_password_change_is_throttled_on_the_same_counter(world, client):
    url = reverse("core:password_change")
    data = {"new_password1": "a new long secret 42", "new_password2": "a new long secret 42"}
    for _ in range(3):
        sign_in(client, world.employee.email)
    client.force_login(world.employee)
    statuses = [
        client.post(url, {"old_password": "wrong", **data}, REMOTE_ADDR=IP).status_code
        for _ in range(3)
    ]
    # The 5th failure on the account starts the pause; the 6th is refused unchecked.
    assert statuses == [200, 200, 429]
    response = client.post(url, {"old_password": PASSWORD, **data}, REMOTE_ADDR=IP)
    assert response.status_code == 429
    assert "Too many wrong attempts" in response.content.decode()
    world.employee.refresh_from_db()
    assert world.employee.check_password(PASSWORD)


def test_turning_two_factor_off_is_throttled(world, client):
    TOTPDevice.objects.create(user=world.employee, name="phone", confirmed=True)
    client.force_login(world.employee)
    url = reverse("core:two_factor_setup")
    statuses = [
        client.post(url, {"password": "wrong"}, REMOTE_ADDR=IP).status_code for _ in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    response = client.post(url, {"password": PASSWORD}, REMOTE_ADDR=IP)
    assert response.status_code == 429 and "Too many wrong attempts" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.employee, confirmed=True).exists()


def test_the_two_factor_code_is_throttled(world, client):
    device = TOTPDevice.objects.create(user=world.employee, name="phone", confirmed=True)
    assert sign_in(client, world.employee.email, PASSWORD).url == reverse("core:two_factor_verify")
    good = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
    wrong = "000000" if good != "000000" else "111111"
    url = reverse("core:two_factor_verify")
    statuses = [client.post(url, {"code": wrong}, REMOTE_ADDR=IP).status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2
    assert client.post(url, {"code": good}, REMOTE_ADDR=IP).status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_api_tokens_are_throttled_per_address(world, client):
    _token, raw = services.api_token_create(actor=world.mr, name="ci")
    members = reverse("api-members", kwargs={"org": "acme"})
    statuses = [
        client.get(members, HTTP_AUTHORIZATION=f"Bearer pdca_wrong{n}", REMOTE_ADDR=IP).status_code
        for n in range(22)
    ]
    assert statuses == [401] * 20 + [429] * 2
    paused = client.get(members, HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=IP)
    assert paused.status_code == 429 and 0 < int(paused["Retry-After"]) <= 30
    assert "Too many wrong attempts" in paused.json()["detail"]
    other = client.get(members, HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT=2)
def test_limits_come_from_the_settings(world, client):
    assert [sign_in(client, world.employee.email).status_code for _ in range(3)] == [200, 429, 429]


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_the_counters_work_through_the_shared_redis_cache(world, client, settings, clock):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    from django.core.cache import cache

    cache.clear()
    try:
        statuses = [sign_in(client, world.employee.email).status_code for _ in range(6)]
        assert statuses == [200] * 4 + [429] * 2
        # A second connection, as another application server would have, sees the pause.
        other = RedisCache(REDIS, {})
        assert other.get_many(
            [f"{c.key}:until" for c in throttle._counters(world.employee.email, IP)]
        )
        clock.advance(31)
        assert sign_in(client, world.employee.email, PASSWORD).status_code == 302
    finally:
        cache.clear()

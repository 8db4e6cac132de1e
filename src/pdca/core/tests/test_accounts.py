"""Signing in and out, throttling, two-factor sign-in, password reset, profile and tokens."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pdca.core import services
from pdca.core.models import ApiToken, TrailEntry
from pdca.core.models.tokens import hash_token
from pdca.core.testing import PASSWORD

LOGIN = reverse("core:login")
IP = "203.0.113.7"


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=IP, **extra)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


@pytest.mark.django_db
def test_sign_in_with_email_and_password_reaches_the_dashboard(world, client):
    response = _sign_in(client, "Employee@Acme.test")
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    # With a single organization, home goes straight to its dashboard.
    response = client.get(response.url)
    assert response.url == reverse("core:dashboard", kwargs={"org": "acme"})
    assert client.get(response.url).status_code == 200


@pytest.mark.django_db
def test_sign_in_is_recorded_with_the_ip_address(world, client):
    _sign_in(client, world.employee.email)
    entry = TrailEntry.objects.filter(action="core.auth.login").latest("seq")
    assert (entry.actor, entry.ip, entry.chain) == (world.employee, IP, 0)


@pytest.mark.django_db
def test_wrong_password_shows_the_error_and_keeps_the_email(world, client):
    response = _sign_in(client, world.employee.email, "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert "do not match an active account" in html
    assert f'value="{world.employee.email}"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failed_sign_in_is_recorded_with_email_and_ip(world, client):
    _sign_in(client, world.employee.email, "wrong")
    entry = TrailEntry.objects.filter(action="core.auth.login_failed").latest("seq")
    assert entry.actor is None
    assert entry.actor_label == world.employee.email
    assert entry.ip == IP


@pytest.mark.django_db
def test_empty_sign_in_form_shows_errors_next_to_fields(client):
    html = client.post(LOGIN, {"email": "not-an-email", "password": ""}).content.decode()
    assert 'id="id_email_error"' in html
    assert 'id="id_password_error"' in html
    assert 'value="not-an-email"' in html


@pytest.mark.django_db
def test_sign_out_is_recorded(world, client):
    client.force_login(world.employee)
    response = client.post(reverse("core:logout"), REMOTE_ADDR=IP)
    assert response.url == LOGIN
    entry = TrailEntry.objects.filter(action="core.auth.logout").latest("seq")
    assert (entry.actor, entry.ip) == (world.employee, IP)


@pytest.mark.django_db
def test_next_parameter_is_followed_only_within_the_site(world, client):
    target = reverse("core:profile")
    response = client.post(
        LOGIN, {"email": world.employee.email, "password": PASSWORD, "next": target}
    )
    assert response.url == target
    client.logout()
    response = client.post(
        LOGIN, {"email": world.employee.email, "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert response.url == reverse("core:home")


@pytest.mark.django_db
def test_repeated_failures_pause_the_account_even_with_the_right_password(world, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _sign_in(client, world.employee.email, "wrong")
    response = _sign_in(client, world.employee.email)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_pause_is_per_account_not_for_everyone_at_the_address(world, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _sign_in(client, world.employee.email, "wrong")
    response = _sign_in(client, world.mr.email)
    assert response.status_code == 302


@pytest.mark.django_db
def test_two_factor_setup_then_sign_in_with_a_code(world, client):
    client.force_login(world.employee)
    setup = reverse("core:two_factor_setup")
    page = client.get(setup)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.employee, confirmed=False)
    response = client.post(setup, {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert TrailEntry.objects.filter(action="core.auth.two_factor_enabled").exists()

    client.logout()
    response = _sign_in(client, world.employee.email)
    assert response.url == reverse("core:two_factor_verify")
    assert "_auth_user_id" not in client.session
    wrong = client.post(response.url, {"code": "12345"})
    assert "Enter the 6 digits" in wrong.content.decode()
    # The code just used for setup may not be replayed: take the next time step's code.
    response = client.post(reverse("core:two_factor_verify"), {"code": _code(device, drift=1)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.employee.pk
    assert client.session.get("otp_device_id")


@pytest.mark.django_db
def test_two_factor_setup_refuses_a_wrong_code(world, client):
    client.force_login(world.employee)
    setup = reverse("core:two_factor_setup")
    client.get(setup)
    device = TOTPDevice.objects.get(user=world.employee, confirmed=False)
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(setup, {"code": wrong})
    assert "That code is not valid" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_organization_requiring_two_factor_sends_members_to_setup(world, client):
    world.org.require_two_factor = True
    world.org.save()
    client.force_login(world.employee)
    dashboard = reverse("core:dashboard", kwargs={"org": "acme"})
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:two_factor_setup"))
    assert f"next={dashboard}" in response.url
    api = client.get(reverse("api-members", kwargs={"org": "acme"}))
    assert api.status_code in (200, 403)  # the API is not an HTML redirect
    client.get(response.url)
    device = TOTPDevice.objects.get(user=world.employee)
    done = client.post(response.url, {"code": _code(device)})
    assert done.url == dashboard
    assert client.get(dashboard).status_code == 200


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(world, client):
    response = client.post(reverse("core:password_reset"), {"email": world.employee.email})
    assert response.url == reverse("core:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+(/accounts/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "a new long secret 42", "new_password2": "a new long secret 42"}
    )
    assert response.url == reverse("core:password_reset_complete")
    world.employee.refresh_from_db()
    assert world.employee.check_password("a new long secret 42")
    assert TrailEntry.objects.filter(
        action="core.auth.password_reset", actor=world.employee
    ).exists()


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(client):
    client.post(reverse("core:password_reset"), {"email": "nobody@nowhere.test"})
    assert mail.outbox == []


def test_sessions_expire():
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_session_after_sign_in_has_a_limited_age(world, client):
    _sign_in(client, world.employee.email)
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_profile_update_saves_and_shows_errors_next_to_fields(world, client):
    client.force_login(world.employee)
    url = reverse("core:profile")
    response = client.post(url, {"full_name": "x" * 151, "job_title": "Machinist"})
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html and 'value="Machinist"' in html
    response = client.post(url, {"full_name": "Lucy Brennan", "job_title": "Machinist"})
    assert response.url == url
    world.employee.refresh_from_db()
    assert (world.employee.full_name, world.employee.job_title) == ("Lucy Brennan", "Machinist")


@pytest.mark.django_db
def test_api_token_is_shown_once_and_only_its_digest_is_stored(world, client):
    client.force_login(world.mr)
    response = client.post(reverse("core:token_create"), {"name": "reporting script"})
    raw = re.search(r"pdca_[A-Za-z0-9_\-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get(user=world.mr, name="reporting script")
    assert token.digest == hash_token(raw)
    assert raw not in {token.digest, token.prefix, token.name}
    assert raw not in client.get(reverse("core:profile")).content.decode()


@pytest.mark.django_db
def test_api_token_without_a_name_is_refused(world, client):
    client.force_login(world.mr)
    client.post(reverse("core:token_create"), {"name": ""})
    assert not ApiToken.objects.filter(user=world.mr).exists()


@pytest.mark.django_db
def test_revoking_a_token_is_limited_to_its_owner(world, client):
    token, _raw = services.api_token_create(actor=world.mr, name="ci")
    client.force_login(world.employee)
    assert client.post(reverse("core:token_revoke", kwargs={"pk": token.pk})).status_code == 404
    client.force_login(world.mr)
    client.post(reverse("core:token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None

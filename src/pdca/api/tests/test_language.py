"""The API answers in the caller's language: a token's or session's user in the language they
chose in their profile, anyone else (a refused token) in the one their client asks for."""

import pytest
from django.utils import translation

from pdca.core import services
from pdca.core.roles import Role


def _german(user):
    user.language = "de"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def german_token(world):
    _german(world.employee)
    _token, raw = services.api_token_create(actor=world.employee, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_a_german_token_users_errors_are_german(world, client, german_token):
    missing = client.get("/api/v1/o/nowhere/members/", **german_token)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Diese Organisation gibt es nicht."
    assert missing.headers["Content-Language"] == "de"
    refused = client.patch(
        f"/api/v1/o/acme/members/{world.memberships[Role.MANAGEMENT_REP].pk}/",
        {"roles": ["mr"], "version": 1},
        content_type="application/json",
        **german_token,
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Ihre Rolle erlaubt das nicht."
    not_an_object = client.post(
        "/api/v1/o/acme/improvement/nonconformities/",
        "[1, 2]",
        content_type="application/json",
        **german_token,
    )
    assert not_an_object.status_code == 400
    assert not_an_object.json()["detail"] == "Senden Sie ein JSON-Objekt."
    # The request's language ended with it.
    assert translation.get_language() == "en"


@pytest.mark.django_db
def test_a_stale_or_missing_version_is_refused_in_german(world, client):
    client.force_login(_german(world.mr))
    url = f"/api/v1/o/acme/members/{world.memberships[Role.EMPLOYEE].pk}/"
    bad = client.patch(
        url, {"roles": ["employee"], "version": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Ungültige Eingabe."
    assert bad.json()["errors"]["version"] == ["Eine gültige Ganzzahl ist erforderlich."]
    stale = client.patch(
        url, {"roles": ["employee", "auditor"], "version": 0}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "(Mitgliedschaft)" in stale.json()["detail"]


@pytest.mark.django_db
def test_a_refused_token_is_answered_in_the_language_the_client_asks_for(world, client):
    response = client.get(
        "/api/v1/me/", HTTP_AUTHORIZATION="Bearer pdca_wrong", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Ungültiges, abgelaufenes oder widerrufenes Token."
    english = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer pdca_wrong")
    assert english.json()["detail"] == "Invalid, expired or revoked token."

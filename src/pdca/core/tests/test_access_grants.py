"""An external auditor's access stays time-limited: each grant is at most the organization's
limit, needs a reason when it extends, and is recorded and shown on the membership page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.core import services
from pdca.core.models import AccessGrant, TrailEntry
from pdca.core.roles import Role
from pdca.core.testing import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FAR = datetime.date(2099, 12, 31)


def _form(membership, **values):
    data = {
        "roles": membership.roles,
        "department": "",
        "manager": "",
        "expires_on": membership.expires_on.isoformat() if membership.expires_on else "",
        "is_active": "on",
        "version": membership.version,
        "access_reason": "",
    }
    data.update(values)
    return data


def test_page_refuses_to_extend_an_external_auditor_to_2099(world, login):
    membership = world.memberships["external"]
    ends = membership.expires_on
    client = login(world.mr)
    r = client.post(
        reverse("core:member_edit", kwargs={"org": "acme", "pk": membership.pk}),
        _form(membership, expires_on=FAR.isoformat(), access_reason="Surveillance audit"),
    )
    assert r.status_code == 200
    form = r.context["form"]
    assert "at most 90 days" in form.errors["expires_on"][0]
    membership.refresh_from_db()
    assert membership.expires_on == ends


def test_api_refuses_to_extend_an_external_auditor_to_2099(world, login):
    membership = world.memberships["external"]
    client = login(world.mr)
    r = client.patch(
        reverse("api-member", kwargs={"org": "acme", "pk": membership.pk}),
        {"expires_on": FAR.isoformat(), "access_reason": "x", "version": membership.version},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "expires_on" in r.json()["errors"]
    membership.refresh_from_db()
    assert membership.expires_on != FAR


def test_an_extension_needs_a_reason_next_to_the_field(world, login):
    membership = world.memberships["external"]
    client = login(world.mr)
    later = TODAY + datetime.timedelta(days=60)
    r = client.post(
        reverse("core:member_edit", kwargs={"org": "acme", "pk": membership.pk}),
        _form(membership, expires_on=later.isoformat()),
    )
    assert r.status_code == 200
    assert r.context["form"].errors["access_reason"]
    assert not AccessGrant.objects.filter(membership=membership, valid_until=later).exists()


def test_an_extension_within_the_limit_is_a_recorded_grant_shown_on_the_page(world, login):
    membership = world.memberships["external"]
    before = membership.expires_on
    client = login(world.mr)
    page = reverse("core:member_edit", kwargs={"org": "acme", "pk": membership.pk})
    later = TODAY + datetime.timedelta(days=90)
    r = client.post(
        page, _form(membership, expires_on=later.isoformat(), access_reason="Stage 2 audit")
    )
    assert r.status_code == 302
    grant = AccessGrant.objects.filter(membership=membership).first()
    assert grant is not None
    assert (grant.valid_from, grant.valid_until) == (TODAY, later)
    assert grant.granted_by == world.mr and grant.reason == "Stage 2 audit"
    entry = TrailEntry.objects.filter(action="core.membership.access_granted").latest("seq")
    assert entry.changes["expires_on"] == [before.isoformat(), later.isoformat()]
    r = client.get(page)
    assert b"Stage 2 audit" in r.content and later.isoformat().encode() in r.content


def test_the_first_access_is_a_grant_and_bounded_too(world):
    user = make_user("cb2@certbody.test")
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=world.mr,
            organization=world.org,
            user=user,
            roles=[Role.EXTERNAL_AUDITOR],
            expires_on=FAR,
        )
    assert "expires_on" in error.value.message_dict
    membership = services.membership_add(
        actor=world.mr,
        organization=world.org,
        user=user,
        roles=[Role.EXTERNAL_AUDITOR],
        expires_on=TODAY + datetime.timedelta(days=10),
        access_reason="Stage 1 audit",
    )
    assert list(membership.grants.values_list("reason", flat=True)) == ["Stage 1 audit"]


def test_the_organization_sets_the_limit(world):
    services.organization_update(
        actor=world.mr, organization=world.org, external_access_max_days=14
    )
    membership = services.membership_update(
        actor=world.mr,
        membership=world.memberships["external"],
        expected_version=1,
        expires_on=TODAY + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError) as error:
        services.membership_update(
            actor=world.mr,
            membership=membership,
            expected_version=membership.version,
            expires_on=TODAY + datetime.timedelta(days=20),
            access_reason="Follow-up",
        )
    assert "14 days" in error.value.message_dict["expires_on"][0]
    services.membership_update(
        actor=world.mr,
        membership=membership,
        expected_version=membership.version,
        expires_on=TODAY + datetime.timedelta(days=14),
        access_reason="Follow-up",
    )


def test_shortening_or_ending_access_is_no_grant_and_needs_no_reason(world):
    membership = world.memberships["external"]
    grants = AccessGrant.objects.count()
    membership = services.membership_update(
        actor=world.mr,
        membership=membership,
        expected_version=membership.version,
        expires_on=TODAY + datetime.timedelta(days=1),
    )
    services.membership_update(
        actor=world.mr, membership=membership, expected_version=membership.version, is_active=False
    )
    assert AccessGrant.objects.count() == grants


def test_internal_roles_have_no_end_date_limit(world):
    membership = world.memberships["auditor"]
    services.membership_update(
        actor=world.mr, membership=membership, expected_version=membership.version, expires_on=FAR
    )
    membership.refresh_from_db()
    assert membership.expires_on == FAR


def test_organization_page_sets_the_limit_and_refuses_nonsense(world, login):
    client = login(world.mr)
    page = reverse("core:organization", kwargs={"org": "acme"})
    r = client.post(page, {"name": world.org.name, "external_access_max_days": 0})
    assert r.status_code == 200 and r.context["form"].errors["external_access_max_days"]
    r = client.post(page, {"name": world.org.name, "external_access_max_days": 30})
    assert r.status_code == 302
    world.org.refresh_from_db()
    assert world.org.external_access_max_days == 30

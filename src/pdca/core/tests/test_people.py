"""The member list, invitations and changes of role, through the pages."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from pdca.core.models import Membership, TrailEntry, User
from pdca.core.roles import Role
from pdca.core.testing import make_user


def _url(name, **kwargs):
    return reverse(f"core:{name}", kwargs={"org": "acme", **kwargs})


@pytest.mark.django_db
def test_invite_creates_the_membership_and_mails_a_password_link(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.mr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("member_invite"),
            {"email": "New.Person@acme.test", "full_name": "New Person", "roles": ["employee"]},
        )
    assert response.url == _url("members")
    membership = Membership.objects.get(organization=world.org, user__email="new.person@acme.test")
    assert membership.roles == ["employee"] and membership.invited_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@acme.test"]
    assert "/accounts/reset/" in message.body
    actions = set(
        TrailEntry.objects.filter(chain=world.org.pk, actor=world.mr).values_list(
            "action", flat=True
        )
    )
    assert {"core.user.created", "core.membership.created", "core.membership.invited"} <= actions


@pytest.mark.django_db
def test_inviting_an_existing_account_mails_a_sign_in_link(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.mr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url("member_invite"),
            {"email": world.outsider.email, "full_name": "x", "roles": ["consultant"]},
        )
    assert Membership.objects.filter(organization=world.org, user=world.outsider).exists()
    assert "/accounts/login/" in mail.outbox[0].body


@pytest.mark.django_db
def test_invite_of_external_auditor_without_end_date_is_refused_next_to_the_field(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.mr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("member_invite"),
            {"email": "cb@body.test", "full_name": "Cert Body", "roles": ["external"]},
        )
    assert response.status_code == 200
    html = response.content.decode()
    field_errors = html.split('id="id_expires_on_error"', 1)[1].split("</ul>", 1)[0]
    assert "needs an end date" in field_errors
    assert 'value="cb@body.test"' in html
    assert not User.objects.filter(email="cb@body.test").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_invite_of_external_auditor_with_end_date_is_accepted(world, client):
    client.force_login(world.mr)
    ends = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    client.post(
        _url("member_invite"),
        {"email": "cb@body.test", "full_name": "Cert", "roles": ["external"], "expires_on": ends},
    )
    assert Membership.objects.get(user__email="cb@body.test").expires_on.isoformat() == ends


@pytest.mark.django_db
def test_invite_of_an_existing_member_is_refused(world, client):
    client.force_login(world.mr)
    response = client.post(
        _url("member_invite"),
        {"email": world.employee.email, "full_name": "x", "roles": ["employee"]},
    )
    assert "already a member" in response.content.decode()


@pytest.mark.django_db
def test_invite_with_bad_input_keeps_what_was_typed(world, client):
    client.force_login(world.mr)
    response = client.post(
        _url("member_invite"), {"email": "not-an-address", "full_name": "Kept Name"}
    )
    html = response.content.decode()
    assert 'id="id_email_error"' in html and 'id="id_roles_error"' in html
    assert 'value="Kept Name"' in html


def _edit_data(membership, **overrides):
    data = {
        "roles": membership.roles,
        "department": membership.department_id or "",
        "manager": membership.manager_id or "",
        "expires_on": membership.expires_on or "",
        "is_active": "on" if membership.is_active else "",
        "version": membership.version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.django_db
def test_role_change_through_the_page_is_recorded_with_ip(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    client.force_login(world.mr)
    response = client.post(
        _url("member_edit", pk=membership.pk),
        _edit_data(membership, roles=["employee", "auditor"]),
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.url == _url("members")
    entry = TrailEntry.objects.for_object(membership).latest("seq")
    assert entry.action == "core.membership.roles_changed"
    assert entry.changes == {"roles": [["employee"], ["auditor", "employee"]]}
    assert (entry.actor, entry.ip) == (world.mr, "192.0.2.9")


@pytest.mark.django_db
def test_membership_edit_with_a_stale_version_is_refused(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    stale = _edit_data(membership, roles=["auditor"])
    client.force_login(world.top)
    client.post(_url("member_edit", pk=membership.pk), _edit_data(membership, roles=["owner"]))
    client.force_login(world.mr)
    response = client.post(_url("member_edit", pk=membership.pk), stale)
    assert response.status_code == 200
    assert "Someone else changed this membership" in response.content.decode()
    membership.refresh_from_db()
    assert membership.roles == ["owner"]


@pytest.mark.django_db
def test_last_management_representative_cannot_remove_own_role_on_the_page(world, client):
    membership = world.memberships[Role.MANAGEMENT_REP]
    client.force_login(world.mr)
    response = client.post(
        _url("member_edit", pk=membership.pk), _edit_data(membership, roles=["top"])
    )
    html = response.content.decode()
    assert "only management representative" in html.split('id="id_roles_error"', 1)[1]
    membership.refresh_from_db()
    assert membership.roles == ["mr"]


@pytest.mark.django_db
def test_member_edit_page_shows_the_history(world, client):
    membership = world.memberships[Role.EMPLOYEE]
    client.force_login(world.mr)
    html = client.get(_url("member_edit", pk=membership.pk)).content.decode()
    assert "History" in html and "Member added" in html


@pytest.mark.django_db
def test_member_list_is_paginated_and_answers_htmx_with_rows_only(world, client):
    from pdca.core import services

    for i in range(30):
        services.membership_add(
            actor=None,
            organization=world.org,
            user=make_user(f"person{i:02d}@acme.test", f"Person {i:02d}"),
            roles=["employee"],
        )
    client.force_login(world.mr)
    first = client.get(_url("members"))
    assert first.context["page"].paginator.count == 37
    assert len(first.context["page"].object_list) == 25
    assert "<html" in first.content.decode()
    second = client.get(_url("members"), {"page": 2}, HTTP_HX_REQUEST="true")
    html = second.content.decode()
    assert "<html" not in html and "<tbody>" in html
    assert len(second.context["page"].object_list) == 12
    found = client.get(_url("members"), {"q": "person 07"}, HTTP_HX_REQUEST="true")
    assert [m.user.email for m in found.context["page"].object_list] == ["person07@acme.test"]


@pytest.mark.django_db
def test_member_search_with_no_match_shows_an_empty_state(world, client):
    client.force_login(world.mr)
    html = client.get(_url("members"), {"q": "zzz"}).content.decode()
    assert "No one matches" in html


@pytest.mark.django_db
def test_employee_sees_the_list_but_cannot_edit(world, client):
    client.force_login(world.employee)
    html = client.get(_url("members")).content.decode()
    assert "Invite someone" not in html
    assert client.get(_url("member_invite")).status_code == 403

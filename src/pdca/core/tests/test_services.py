"""Every foundation service records its audit-trail entry with each changed field."""

import pytest
from django.core.exceptions import ValidationError

from pdca.core import services
from pdca.core.models import Department, TrailEntry
from pdca.core.roles import Role


def _last(obj) -> TrailEntry:
    return TrailEntry.objects.for_object(obj).order_by("-seq").first()


@pytest.mark.django_db
def test_membership_roles_change_is_recorded_with_old_and_new_roles(world):
    membership = world.memberships[Role.EMPLOYEE]
    services.membership_update(
        actor=world.mr,
        membership=membership,
        expected_version=membership.version,
        roles=[Role.EMPLOYEE, Role.INTERNAL_AUDITOR],
    )
    entry = _last(membership)
    assert entry.action == "core.membership.roles_changed"
    assert entry.actor == world.mr
    assert entry.organization == world.org
    assert entry.changes == {"roles": [["employee"], ["auditor", "employee"]]}


@pytest.mark.django_db
def test_membership_change_without_roles_is_recorded_as_update(world):
    membership = world.memberships[Role.EMPLOYEE]
    quality = Department.objects.get(organization=world.org, name="Quality")
    services.membership_update(
        actor=world.mr, membership=membership, expected_version=1, department=quality
    )
    entry = _last(membership)
    assert entry.action == "core.membership.updated"
    assert entry.changes["department"][0]["label"] == "Production"
    assert entry.changes["department"][1] == {"id": quality.pk, "label": "Quality"}


@pytest.mark.django_db
def test_membership_update_bumps_version_and_refuses_a_stale_one(world):
    membership = world.memberships[Role.EMPLOYEE]
    updated = services.membership_update(
        actor=world.mr, membership=membership, expected_version=1, roles=[Role.PROCESS_OWNER]
    )
    assert updated.version == 2
    with pytest.raises(services.ConflictError):
        services.membership_update(
            actor=world.mr, membership=membership, expected_version=1, roles=[Role.EMPLOYEE]
        )


@pytest.mark.django_db
def test_organization_update_records_changed_fields(world):
    services.organization_update(
        actor=world.mr, organization=world.org, name="Acme Renamed", require_two_factor=True
    )
    entry = _last(world.org)
    assert entry.action == "core.organization.updated"
    assert entry.changes == {
        "name": ["Acme Test Ltd", "Acme Renamed"],
        "require_two_factor": [False, True],
    }


@pytest.mark.django_db
def test_organization_update_without_change_records_nothing(world):
    count = TrailEntry.objects.count()
    services.organization_update(actor=world.mr, organization=world.org, name=world.org.name)
    assert TrailEntry.objects.count() == count


@pytest.mark.django_db
def test_site_create_and_update_are_recorded(world):
    site = services.site_save(
        actor=world.mr, organization=world.org, name="Depot", address="1 Road"
    )
    created = _last(site)
    assert created.action == "core.site.created"
    assert created.changes == {
        "address": [None, "1 Road"],
        "is_active": [None, True],
        "name": [None, "Depot"],
    }
    services.site_save(actor=world.mr, organization=world.org, site=site, name="North depot")
    updated = _last(site)
    assert updated.action == "core.site.updated"
    assert updated.changes == {"name": ["Depot", "North depot"]}


@pytest.mark.django_db
def test_department_create_and_update_are_recorded(world):
    dept = services.department_save(
        actor=world.mr, organization=world.org, name="Logistics", site=world.site
    )
    created = _last(dept)
    assert created.action == "core.department.created"
    assert created.changes["name"] == [None, "Logistics"]
    assert created.changes["site"] == [None, {"id": world.site.pk, "label": "Main plant"}]
    services.department_save(
        actor=world.mr, organization=world.org, department=dept, head=world.owner
    )
    updated = _last(dept)
    assert updated.action == "core.department.updated"
    assert updated.changes == {"head": [None, {"id": world.owner.pk, "label": str(world.owner)}]}


@pytest.mark.django_db
def test_duplicate_department_name_is_refused(world):
    with pytest.raises(ValidationError):
        services.department_save(actor=world.mr, organization=world.org, name="Quality")


@pytest.mark.django_db
def test_external_auditor_needs_an_end_date_and_no_other_role(world):
    from pdca.core.testing import make_user

    user = make_user("cb2@acme.test")
    with pytest.raises(ValidationError) as no_date:
        services.membership_add(
            actor=world.mr, organization=world.org, user=user, roles=[Role.EXTERNAL_AUDITOR]
        )
    assert "expires_on" in no_date.value.error_dict
    import datetime

    with pytest.raises(ValidationError) as mixed:
        services.membership_add(
            actor=world.mr,
            organization=world.org,
            user=user,
            roles=[Role.EXTERNAL_AUDITOR, Role.EMPLOYEE],
            expires_on=datetime.date(2099, 1, 1),
        )
    assert "roles" in mixed.value.error_dict


@pytest.mark.django_db
def test_last_management_representative_cannot_drop_own_role(world):
    membership = world.memberships[Role.MANAGEMENT_REP]
    with pytest.raises(ValidationError) as refused:
        services.membership_update(
            actor=world.mr, membership=membership, expected_version=1, roles=[Role.EMPLOYEE]
        )
    assert "roles" in refused.value.error_dict
    membership.refresh_from_db()
    assert membership.roles == [Role.MANAGEMENT_REP]


@pytest.mark.django_db
def test_management_representative_may_step_down_once_another_is_appointed(world):
    services.membership_update(
        actor=world.mr,
        membership=world.memberships[Role.TOP_MANAGEMENT],
        expected_version=1,
        roles=[Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP],
    )
    services.membership_update(
        actor=world.mr,
        membership=world.memberships[Role.MANAGEMENT_REP],
        expected_version=1,
        roles=[Role.EMPLOYEE],
    )
    world.memberships[Role.MANAGEMENT_REP].refresh_from_db()
    assert world.memberships[Role.MANAGEMENT_REP].roles == [Role.EMPLOYEE]


@pytest.mark.django_db
def test_profile_update_is_recorded(world):
    services.user_update_profile(
        actor=world.employee, user=world.employee, full_name="Lucy B", job_title="Machinist"
    )
    entry = _last(world.employee)
    assert entry.action == "core.user.updated"
    assert entry.organization is None
    assert entry.changes["full_name"] == ["Employee person", "Lucy B"]
    assert entry.changes["job_title"] == ["", "Machinist"]

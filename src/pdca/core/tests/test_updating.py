"""The one update helper: lock, version, whitelist, validation, changed columns, the trail."""

import pytest
from django.core.exceptions import ValidationError

from pdca.core import services
from pdca.core.models import Membership, Site, TrailEntry
from pdca.core.roles import Role
from pdca.core.updating import ConflictError, check_same_organization, model_update

pytestmark = pytest.mark.django_db


def _entries(obj) -> int:
    return TrailEntry.objects.for_object(obj).count()


def test_a_versioned_update_needs_the_version(world):
    membership = world.memberships[Role.EMPLOYEE]
    with pytest.raises(ValidationError) as refused:
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=None,
            action="core.membership.updated",
        )
    assert "version" in refused.value.error_dict and not isinstance(refused.value, ConflictError)


def test_a_stale_version_is_refused_with_the_one_message_and_nothing_saved(world):
    membership = world.memberships[Role.EMPLOYEE]
    before = _entries(membership)
    with pytest.raises(ConflictError, match="Someone else changed this membership"):
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=membership.version + 1,
            action="core.membership.updated",
        )
    membership.refresh_from_db()
    assert membership.is_active and _entries(membership) == before


def test_a_field_outside_the_whitelist_is_a_programming_error(world):
    site = Site.objects.filter(organization=world.org).first()
    with pytest.raises(ValueError, match="organization"):
        services.site_save(
            actor=world.mr, organization=world.org, site=site, organization_id=world.other_org.pk
        )
    with pytest.raises(ValueError):
        services.site_save(actor=world.mr, organization=world.org, name="X", organization_id=1)


def test_only_changed_fields_are_saved_the_version_bumped_and_the_diff_recorded(world):
    membership = world.memberships[Role.EMPLOYEE]
    updated, changes = model_update(
        instance=membership,
        actor=world.mr,
        fields={"is_active": False, "roles": list(membership.roles)},
        allowed=("is_active", "roles"),
        expected_version=membership.version,
        action="core.membership.updated",
        reason="Left the company",
    )
    assert changes == {"is_active": [True, False]}
    assert updated.version == membership.version + 1
    entry = TrailEntry.objects.for_object(membership).order_by("-seq").first()
    assert entry.changes == changes and entry.reason == "Left the company"


def test_nothing_changed_saves_and_records_nothing(world):
    membership = world.memberships[Role.EMPLOYEE]
    before = _entries(membership)
    updated, changes = model_update(
        instance=membership,
        actor=world.mr,
        fields={"is_active": True},
        allowed=("is_active",),
        expected_version=membership.version,
        action="core.membership.updated",
    )
    assert changes == {} and updated.version == membership.version
    assert _entries(membership) == before


def test_validation_runs_before_anything_is_saved(world):
    membership = world.memberships[Role.EMPLOYEE]

    def refuse(current: Membership) -> None:
        raise ValidationError({"roles": "No."})

    with pytest.raises(ValidationError):
        model_update(
            instance=membership,
            actor=world.mr,
            fields={"is_active": False},
            allowed=("is_active",),
            expected_version=membership.version,
            action="core.membership.updated",
            validate=refuse,
        )
    membership.refresh_from_db()
    assert membership.is_active


def test_an_object_of_another_organization_is_refused_on_its_field(world):
    foreign = Site.objects.create(organization=world.other_org, name="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        check_same_organization(world.org, "site", foreign)
    assert "site" in refused.value.error_dict
    check_same_organization(world.org, "site", None)
    with pytest.raises(ValidationError):
        services.department_save(
            actor=world.mr, organization=world.org, name="Remote", site=foreign
        )

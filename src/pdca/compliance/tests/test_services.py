import datetime

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from pdca.compliance import services
from pdca.compliance.models import Obligation, ObligationStatus
from pdca.core.models.trail import TrailEntry
from pdca.core.updating import ConflictError

pytestmark = pytest.mark.django_db


def _permit(world, **values):
    fields = {
        "title": "Water discharge permit",
        "discipline": "environment",
        "kind": "permit",
        "jurisdiction": "Landkreis Esslingen",
        "requirement": "Discharge of treated coolant water to the sewer, at most 2 m3 a day.",
        "permit_number": "WE-2024-117",
        "permit_expires_on": datetime.date.today() + datetime.timedelta(days=120),
        "responsible": world.mr,
        **values,
    }
    return services.obligation_create(actor=world.mr, organization=world.org, **fields)


def test_change_keeps_the_earlier_version_with_its_reason(world):
    ob = _permit(world)
    changed = services.obligation_update(
        actor=world.mr,
        obligation=ob,
        version=ob.version,
        reason="Permit renewed",
        permit_number="WE-2026-031",
    )
    assert changed.permit_number == "WE-2026-031"
    with scopes_disabled():
        old = changed.versions.get()
        assert old.number == 1 and old.data["permit_number"] == "WE-2024-117"
        assert old.reason == "Permit renewed"
        assert TrailEntry.objects.filter(action="compliance.obligation.updated").count() == 1


def test_change_needs_a_reason_and_the_current_version(world):
    ob = _permit(world)
    with pytest.raises(ValidationError) as err:
        services.obligation_update(
            actor=world.mr, obligation=ob, version=ob.version, reason=" ", title="X"
        )
    assert "reason" in err.value.message_dict
    with pytest.raises(ConflictError):
        services.obligation_update(
            actor=world.mr, obligation=ob, version=ob.version + 5, reason="r", title="X"
        )


def test_never_deleted_withdrawn_with_a_reason(world):
    ob = _permit(world)
    with pytest.raises(ValidationError):
        services.obligation_withdraw(actor=world.mr, obligation=ob, reason="")
    gone = services.obligation_withdraw(actor=world.mr, obligation=ob, reason="Site closed")
    assert gone.status == ObligationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.obligation_update(
            actor=world.mr, obligation=gone, version=gone.version, reason="r", title="X"
        )
    with scopes_disabled():
        assert Obligation.objects.filter(pk=ob.pk).exists()
    # A copy read before the withdrawal still finds it withdrawn (the check reads the locked row).
    with pytest.raises(ValidationError):
        services.obligation_update(
            actor=world.mr, obligation=ob, version=gone.version, reason="r", title="X"
        )


def test_expiry_only_on_a_permit_or_licence(world):
    with pytest.raises(ValidationError) as err:
        _permit(world, kind="law")
    assert "permit_expires_on" in err.value.message_dict


def test_who_may_keep_and_withdraw(world):
    from pdca.core.roles import Role

    worker = world.users[Role.EMPLOYEE]
    with pytest.raises(ValidationError, match="role"):
        services.obligation_create(
            actor=worker,
            organization=world.org,
            title="x",
            discipline="ohs",
            kind="law",
            requirement="x",
            responsible=world.mr,
        )
    ob = _permit(world)
    with pytest.raises(ValidationError, match="role"):
        services.obligation_withdraw(actor=world.owner, obligation=ob, reason="r")


def test_org_boundary_responsible_from_another_organization(world):
    from pdca.core.models import Membership

    with scopes_disabled():
        stranger = Membership.objects.filter(organization=world.other_org).first()
    if stranger is None:
        pytest.skip("no member in the other organization")
    with pytest.raises(ValidationError):
        _permit(world, responsible=stranger.user)

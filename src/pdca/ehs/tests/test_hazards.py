"""The hazard register: rating by the risk method in force (or the 5 × 5 default), the residual
risk, the PPE-only flag, controls as owned actions, reassessment with a reason, the pages,
permissions, the organization boundary, the list's query count and the due items."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.core.updating import ConflictError
from pdca.ehs.models import EntryStatus, Hazard, HazardControl
from pdca.ehs.services import hazards as services
from pdca.ehs.testing import make_control, make_hazard

pytestmark = pytest.mark.django_db


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def test_default_five_by_five_rates_and_flags_ppe_alone(world):
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()
    assert hazard.method is None and hazard.score == 12 and hazard.high
    assert hazard.ppe_only  # its only control is gloves
    engineering = make_control(world, hazard, level="engineering", title="Chip guard")
    hazard.refresh_from_db()
    assert not hazard.ppe_only
    services.control_update(
        actor=world.owner,
        control=engineering,
        expected_version=engineering.version,
        status="cancelled",
    )
    hazard.refresh_from_db()
    assert hazard.ppe_only
    low = make_hazard(world, hazard="Noise", likelihood=2, consequence=2)
    make_control(world, low, title="Ear defenders")
    low.refresh_from_db()
    assert not low.high and not low.ppe_only


def test_the_approved_risk_method_rates_hazards(world):
    from pdca.risks import method as risk_method

    method = risk_method.method_create(
        actor=world.mr,
        organization=world.org,
        title="OH&S 4 × 4",
        likelihood_levels=["Rare", "Possible", "Likely", "Certain"],
        consequence_levels=["Minor", "Serious", "Major", "Fatal"],
        acceptance_threshold=6,
        owner=world.mr,
    )
    risk_method.method_approve(actor=world.mr, method=method)
    with pytest.raises(ValidationError) as err:
        make_hazard(world, likelihood=5)
    assert "likelihood" in err.value.message_dict
    hazard = make_hazard(world, likelihood=2, consequence=4)
    assert hazard.method_id == method.pk and hazard.score == 8 and hazard.high


def test_bad_ratings_and_residual_are_refused_on_their_fields(world):
    with pytest.raises(ValidationError) as err:
        make_hazard(world, likelihood=0, consequence=6)
    assert {"likelihood", "consequence"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        make_hazard(world, residual_likelihood=4, residual_consequence=5)
    assert "residual_likelihood" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        make_hazard(world, residual_likelihood=2)
    assert "residual_consequence" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        make_hazard(world, people_exposed=[])
    assert "people_exposed" in err.value.message_dict


def test_reassessment_needs_reason_and_version_withdrawal_keeps_it(world):
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()
    with pytest.raises(ValidationError):
        services.hazard_update(actor=world.mr, entry=hazard, version=hazard.version, reason="")
    with pytest.raises(ConflictError):
        services.hazard_update(
            actor=world.mr, entry=hazard, version=hazard.version + 1, reason="r", likelihood=1
        )
    changed = services.hazard_update(
        actor=world.mr,
        entry=hazard,
        version=hazard.version,
        reason="Chip guard fitted",
        residual_likelihood=1,
        residual_consequence=4,
    )
    assert changed.residual_score == 4 and changed.score == 12
    changed = services.hazard_update(
        actor=world.mr,
        entry=changed,
        version=changed.version,
        reason="Review",
        likelihood=1,
        residual_likelihood=1,
    )
    assert not changed.high and not changed.ppe_only
    gone = services.hazard_withdraw(actor=world.mr, hazard=changed, reason="Lathe sold")
    assert gone.status == EntryStatus.WITHDRAWN
    with scopes_disabled():
        assert Hazard.objects.filter(pk=hazard.pk).exists()
    with pytest.raises(ValidationError):
        make_control(world, gone)


def test_controls_need_level_owner_and_due_date_and_only_the_owner_updates(world):
    hazard = world.extra["hazard"]
    with pytest.raises(ValidationError) as err:
        services.control_add(
            actor=world.mr, hazard=hazard, level="prayer", title="", owner=None, due_on=None
        )
    assert {"level", "title", "owner", "due_on"} <= set(err.value.message_dict)
    control = world.extra["hazard_control"]
    with pytest.raises(ValidationError) as err:
        services.control_update(
            actor=world.owner, control=control, expected_version=control.version, status="done"
        )
    assert "notes" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.control_update(
            actor=world.employee,
            control=control,
            expected_version=control.version,
            status="done",
            notes="x",
        )
    done = services.control_update(
        actor=world.owner,
        control=control,
        expected_version=control.version,
        status="done",
        notes="Gloves issued",
    )
    assert done.done_on == datetime.date.today()


def _form(world, **values):
    return {
        "location_or_task": "Coolant sump cleaning",
        "routine": "no",
        "hazard_type": "chemical",
        "hazard": "Skin contact with coolant",
        "people_exposed": ["workers", "contractors"],
        "likelihood": 3,
        "consequence": 3,
        "owner": world.owner.pk,
        **values,
    }


def test_pages_create_errors_reassess_controls_and_filters(world, login):
    client = login(world.mr)
    r = client.post(url("ehs:hazard_create"), _form(world, likelihood=9))
    assert r.status_code == 400 and "likelihood" in r.context["form"].errors
    r = client.post(url("ehs:hazard_create"), _form(world))
    assert r.status_code == 302
    with scopes_disabled():
        made = Hazard.objects.get(hazard="Skin contact with coolant")
    assert not made.routine and made.people_exposed == ["workers", "contractors"]
    r = client.get(url("ehs:hazards"), {"flag": "high", "q": "coolant"})
    assert b"Skin contact with coolant" in r.content
    r = client.get(url("ehs:hazards"), {"flag": "ppe_only", "q": "coolant"})
    assert b"No hazard matches these filters." in r.content
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()
    r = client.get(url("ehs:hazard", pk=hazard.pk))
    assert b"Sharp swarf" in r.content and b"Cut-resistant gloves" in r.content
    r = client.post(
        url("ehs:hazard_edit", pk=hazard.pk), _form(world, version=hazard.version, reason="")
    )
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(
        url("ehs:control_create", pk=hazard.pk),
        {"level": "engineering", "title": "Chip guard", "owner": world.owner.pk, "due_on": ""},
    )
    assert r.status_code == 400 and "due_on" in r.context["form"].errors
    r = client.post(
        url("ehs:control_create", pk=hazard.pk),
        {
            "level": "engineering",
            "title": "Chip guard",
            "owner": world.owner.pk,
            "due_on": "2030-01-01",
        },
    )
    assert r.status_code == 302
    hazard.refresh_from_db()
    assert not hazard.ppe_only
    control = world.extra["hazard_control"]
    r = client.post(
        url("ehs:control_edit", pk=control.pk),
        {"status": "done", "notes": "Issued", "version": control.version},
    )
    assert r.status_code == 302
    r = client.post(
        url("ehs:hazard_withdraw", pk=hazard.pk), {"reason": "Gone", "version": hazard.version}
    )
    assert r.status_code == 302


def test_permissions_and_boundary(world, login):
    hazard = world.extra["hazard"]
    control = world.extra["hazard_control"]
    worker = login(world.employee)
    assert worker.get(url("ehs:hazards")).status_code == 200
    assert worker.get(url("ehs:hazard", pk=hazard.pk)).status_code == 200
    assert worker.post(url("ehs:hazard_create"), _form(world)).status_code == 403
    assert worker.get(url("ehs:control_edit", pk=control.pk)).status_code == 403
    assert login(world.owner).get(url("ehs:control_edit", pk=control.pk)).status_code == 200
    outsider = login(world.outsider)
    assert outsider.get(url("ehs:hazard", pk=hazard.pk)).status_code == 404
    assert outsider.get(url("ehs:hazards")).status_code == 404


def test_empty_state_and_query_count(world, login, django_assert_max_num_queries):
    with scopes_disabled():
        Hazard.objects.filter(organization=world.org).update(status="withdrawn")
    client = login(world.mr)
    assert b"No hazards yet." in client.get(url("ehs:hazards")).content
    with django_assert_max_num_queries(12) as few:
        client.get(url("ehs:hazards"))
    for i in range(20):
        make_hazard(world, hazard=f"Hazard {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"Hazard 0" in client.get(url("ehs:hazards")).content


def test_reviews_and_controls_fall_due_for_their_owners(world, django_assert_max_num_queries):
    from pdca.core.due import DueQuery
    from pdca.ehs.due import controls_due, hazard_reviews_due

    today = datetime.date.today()
    soon = make_hazard(world, hazard="Noise", review_on=today + datetime.timedelta(days=10))
    query = DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=today + datetime.timedelta(days=30),
        today=today,
    )
    with django_assert_max_num_queries(2):
        items = hazard_reviews_due(query)
    assert [i.object_id for i in items] == [soon.pk]
    with django_assert_max_num_queries(1):
        controls = controls_due(query)
    assert [c.object_id for c in controls] == [world.extra["hazard_control"].pk]
    with scopes_disabled():
        assert HazardControl.objects.filter(pk=controls[0].object_id).exists()

"""Environmental aspects: significance by the maintained criteria, ratings outside them
refused, reassessment with a reason, withdrawal, the pages, permissions, the organization
boundary and the list's query count."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.core.updating import ConflictError
from pdca.ehs import services
from pdca.ehs.models import Aspect, EntryStatus
from pdca.ehs.testing import make_aspect

pytestmark = pytest.mark.django_db


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def test_score_and_significance_follow_the_criteria(world):
    aspect = world.extra["aspect"]
    assert aspect.score == 14 and not aspect.significant  # default threshold 15
    legal = make_aspect(world, aspect="Coolant to sewer", obligations=[world.extra["obligation"]])
    assert legal.score == 14 + 5 and legal.significant  # a legal link adds its points
    services.criteria_save(
        actor=world.mr,
        organization=world.org,
        scale=5,
        threshold=12,
        legal_points=0,
        legal_makes_significant=False,
        notes="",
    )
    aspect.refresh_from_db()
    assert aspect.significant and aspect.score == 14


def test_ratings_outside_the_scale_are_refused_on_their_field(world):
    with pytest.raises(ValidationError) as err:
        make_aspect(world, severity=6, frequency=0)
    assert set(err.value.message_dict) == {"severity", "frequency"}
    aspect = make_aspect(world, severity=5)
    with pytest.raises(ValidationError) as err:
        services.criteria_save(
            actor=world.mr,
            organization=world.org,
            scale=4,
            threshold=10,
            legal_points=0,
            legal_makes_significant=False,
            notes="",
        )
    assert "scale" in err.value.message_dict
    assert aspect.pk


def test_reassessment_needs_reason_and_version_withdrawal_keeps_it(world):
    aspect = world.extra["aspect"]
    with pytest.raises(ValidationError):
        services.aspect_update(actor=world.mr, entry=aspect, version=aspect.version, reason="")
    with pytest.raises(ConflictError):
        services.aspect_update(
            actor=world.mr, entry=aspect, version=aspect.version + 1, reason="r", severity=5
        )
    changed = services.aspect_update(
        actor=world.mr, entry=aspect, version=aspect.version, reason="New machine", severity=5
    )
    assert changed.score == 22 and changed.significant
    gone = services.aspect_withdraw(actor=world.mr, aspect=changed, reason="Machine sold")
    assert gone.status == EntryStatus.WITHDRAWN
    with scopes_disabled():
        assert Aspect.objects.filter(pk=aspect.pk).exists()


def test_obligation_of_another_organization_is_refused(world):
    with scopes_disabled():
        from pdca.compliance.models import Obligation

        foreign = Obligation(organization=world.other_org, title="x")
    foreign.organization_id = world.other_org.pk
    with pytest.raises(ValidationError) as err:
        make_aspect(world, obligations=[foreign])
    assert "obligations" in err.value.message_dict


def _form(world, **values):
    return {
        "activity": "Parts washing",
        "aspect": "Solvent vapour",
        "impact_on": "air",
        "impact": "VOC emissions",
        "condition": "normal",
        "life_cycle_stage": "production",
        "control": "control",
        "severity": 2,
        "frequency": 5,
        "stakeholder_concern": 1,
        "owner": world.owner.pk,
        **values,
    }


def test_pages_create_errors_and_list_filters(world, login):
    client = login(world.mr)
    r = client.post(url("ehs:aspect_create"), _form(world, severity=9))
    assert r.status_code == 400 and "severity" in r.context["form"].errors
    r = client.post(url("ehs:aspect_create"), _form(world))
    assert r.status_code == 302
    r = client.get(url("ehs:aspects"), {"significant": "no", "q": "Solvent"})
    assert b"Solvent vapour" in r.content
    r = client.get(url("ehs:aspects"), {"significant": "yes", "q": "Solvent"})
    assert b"No aspect matches these filters." in r.content
    aspect = world.extra["aspect"]
    r = client.get(url("ehs:aspect", pk=aspect.pk))
    assert b"Coolant mist to air" in r.content
    r = client.post(
        url("ehs:aspect_edit", pk=aspect.pk),
        _form(world, version=aspect.version, reason=""),
    )
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    # The page reassesses (the aspect's own field "aspect" is no clash with the service's).
    r = client.post(
        url("ehs:aspect_edit", pk=aspect.pk),
        _form(world, version=aspect.version, reason="New extraction hood", severity=4),
    )
    assert r.status_code == 302
    aspect.refresh_from_db()
    assert aspect.aspect == "Solvent vapour" and aspect.severity == 4
    r = client.post(
        url("ehs:aspect_withdraw", pk=aspect.pk), {"reason": "Gone", "version": aspect.version}
    )
    assert r.status_code == 302


def test_criteria_page(world, login):
    client = login(world.mr)
    assert client.get(url("ehs:criteria")).status_code == 200
    r = client.post(url("ehs:criteria"), {"scale": 1, "threshold": 0, "legal_points": 0})
    assert r.status_code == 400
    r = client.post(url("ehs:criteria"), {"scale": 5, "threshold": 12, "legal_points": 3})
    assert r.status_code == 302
    assert login(world.owner).get(url("ehs:criteria")).status_code == 403


def test_permissions_and_boundary(world, login):
    aspect = world.extra["aspect"]
    worker = login(world.employee)
    assert worker.get(url("ehs:aspects")).status_code == 200
    assert worker.get(url("ehs:aspect", pk=aspect.pk)).status_code == 200
    assert worker.post(url("ehs:aspect_create"), _form(world)).status_code == 403
    assert worker.get(url("ehs:aspect_edit", pk=aspect.pk)).status_code == 403
    outsider = login(world.outsider)
    assert outsider.get(url("ehs:aspect", pk=aspect.pk)).status_code == 404
    assert outsider.get(url("ehs:aspects")).status_code == 404


def test_empty_state_and_query_count(world, login, django_assert_max_num_queries):
    with scopes_disabled():
        Aspect.objects.filter(organization=world.org).update(status="withdrawn")
    client = login(world.mr)
    assert b"No environmental aspects yet." in client.get(url("ehs:aspects")).content
    with django_assert_max_num_queries(12) as few:
        client.get(url("ehs:aspects"))
    for i in range(20):
        make_aspect(world, aspect=f"Aspect {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"Aspect 0" in client.get(url("ehs:aspects")).content


def test_planned_reviews_fall_due_for_the_owner(world, django_assert_max_num_queries):
    import datetime

    from pdca.core.due import DueQuery
    from pdca.ehs.due import aspect_reviews_due

    today = datetime.date.today()
    soon = make_aspect(world, aspect="Noise", review_on=today + datetime.timedelta(days=10))
    make_aspect(world, aspect="Dust", review_on=today + datetime.timedelta(days=300))
    query = DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=today + datetime.timedelta(days=30),
        today=today,
    )
    with django_assert_max_num_queries(2):
        items = aspect_reviews_due(query)
    assert [i.object_id for i in items] == [soon.pk]
    assert items[0].owner_id == world.owner.pk
    services.aspect_withdraw(actor=world.mr, aspect=soon, reason="Compressor replaced")
    assert aspect_reviews_due(query) == []


def test_a_changed_obligation_asks_for_the_review_of_its_aspects(world):
    import datetime

    from pdca.compliance import services as compliance
    from pdca.core.models import TrailEntry

    today = datetime.date.today()
    obligation = world.extra["obligation"]
    cited = make_aspect(
        world,
        aspect="Coolant to sewer",
        obligations=[obligation],
        review_on=today + datetime.timedelta(days=200),
    )
    other = make_aspect(world, aspect="Noise", review_on=today + datetime.timedelta(days=200))
    compliance.obligation_update(
        actor=world.mr,
        obligation=obligation,
        version=obligation.version,
        reason="New limit of 1.5 m3 a day",
        requirement="At most 1.5 m3 a day.",
    )
    cited.refresh_from_db()
    other.refresh_from_db()
    assert cited.review_on == today and other.review_on == today + datetime.timedelta(days=200)
    entry = TrailEntry.objects.get(action="ehs.aspect.review_asked", object_id=cited.pk)
    assert "New limit of 1.5 m3 a day" in entry.reason
    # It is a due item for the aspect's owner now.
    from pdca.core.due import DueQuery
    from pdca.ehs.due import aspect_reviews_due

    query = DueQuery(organization=world.org, viewer=None, start=None, end=today, today=today)
    assert cited.pk in [i.object_id for i in aspect_reviews_due(query)]
    # A withdrawn aspect is not asked again; a second change leaves a review already due.
    services.aspect_withdraw(actor=world.mr, aspect=other, reason="Compressor replaced")
    obligation.refresh_from_db()
    compliance.obligation_update(
        actor=world.mr,
        obligation=obligation,
        version=obligation.version,
        reason="Typo",
        requirement="At most 1.5 m3 per day.",
    )
    assert TrailEntry.objects.filter(action="ehs.aspect.review_asked").count() == 1

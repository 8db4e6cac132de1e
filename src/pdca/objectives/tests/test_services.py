"""The rules of objectives, KPIs and measurements, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pdca.core.models import Notification, TrailEntry
from pdca.core.updating import ConflictError
from pdca.objectives import services
from pdca.objectives.models import (
    Correction,
    Indicator,
    Measurement,
    Objective,
    period_due_on,
    period_start,
)
from pdca.standards.models import EvidenceLink

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = period_start(TODAY, "monthly")


def months_ago(n: int) -> datetime.date:
    day = THIS_MONTH
    for _ in range(n):
        day = period_start(day - datetime.timedelta(days=1), "monthly")
    return day


def make_kpi(world, **extra):
    values = {
        "name": "Scrap rate",
        "definition": "Scrapped parts / parts made",
        "value_type": "percent",
        "direction": "lower",
        "target": Decimal("1.5"),
        "red_threshold": Decimal("2.5"),
        "first_period": months_ago(12),
        "owner": world.owner,
    }
    values.update(extra)
    return services.indicator_create(actor=world.mr, organization=world.org, **values)


def test_objective_target_without_deadline_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=world.mr,
            organization=world.org,
            title="Less scrap",
            owner=world.owner,
            target="≤ 1.5 %",
        )
    assert "deadline" in error.value.message_dict


def test_objective_for_a_standard_not_chosen_is_refused(world):
    from pdca.standards.models import Edition

    not_chosen = Edition.objects.get(standard__code="iso45001")
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=world.mr,
            organization=world.org,
            title="Zero injuries",
            owner=world.owner,
            editions=[not_chosen],
        )
    assert "editions" in error.value.message_dict


def test_objective_owner_of_another_organization_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=world.mr, organization=world.org, title="Less scrap", owner=world.outsider
        )
    assert "owner" in error.value.message_dict


def test_objective_is_evidence_for_6_2_and_its_kpi_for_9_1(world):
    objective = world.extra["ob_objective"]
    kpi = world.extra["ob_kpi"]
    numbers = set(
        EvidenceLink.objects.filter(
            object_id=objective.pk, content_type__model="objective"
        ).values_list("clause__number", flat=True)
    )
    assert numbers == {"6.2.1"}
    link = EvidenceLink.objects.get(object_id=kpi.pk, content_type__model="indicator")
    assert link.clause.number == "9.1.1" and link.required.code == "9.1.1"


def test_objective_is_never_deleted_but_withdrawn_with_reason(world):
    objective = world.extra["ob_objective"]
    with pytest.raises(ValueError):
        objective.delete()
    with pytest.raises(ValidationError) as error:
        services.objective_withdraw(actor=world.mr, objective=objective, reason=" ")
    assert "reason" in error.value.message_dict
    done = services.objective_withdraw(actor=world.mr, objective=objective, reason="Plant sold")
    assert done.status == Objective.Status.WITHDRAWN and done.withdrawn_reason == "Plant sold"
    with pytest.raises(ValidationError):
        services.objective_update(
            actor=world.mr, objective=done, expected_version=done.version, title="Again"
        )


def test_objective_stale_edit_is_a_conflict(world):
    objective = world.extra["ob_objective"]
    services.objective_update(
        actor=world.mr, objective=objective, expected_version=objective.version, resources="2 h"
    )
    with pytest.raises(ConflictError):
        services.objective_update(
            actor=world.top, objective=objective, expected_version=objective.version, title="X"
        )


def test_threshold_contradicting_the_direction_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_kpi(world, direction="lower", target=Decimal("1.5"), red_threshold=Decimal("1"))
    assert "red_threshold" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_kpi(world, direction="higher", target=Decimal("97"), red_threshold=Decimal("98"))
    assert "red_threshold" in error.value.message_dict


def test_percentage_target_over_100_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_kpi(world, direction="higher", target=Decimal("120"), red_threshold=Decimal("90"))
    assert "target" in error.value.message_dict


def test_first_period_is_the_start_of_its_period(world):
    kpi = make_kpi(world, frequency="quarterly", first_period=datetime.date(2025, 5, 17))
    assert kpi.first_period == datetime.date(2025, 4, 1)


def test_measurement_for_a_period_that_does_not_exist_is_refused(world):
    kpi = make_kpi(world)
    for period in (months_ago(2) + datetime.timedelta(days=3), months_ago(13)):
        with pytest.raises(ValidationError) as error:
            services.measurement_record(actor=world.owner, indicator=kpi, period=period, value=1)
        assert "period" in error.value.message_dict
    future = period_start(TODAY + datetime.timedelta(days=40), "monthly")
    with pytest.raises(ValidationError) as error:
        services.measurement_record(actor=world.owner, indicator=kpi, period=future, value=1)
    assert "period" in error.value.message_dict


def test_measurement_of_the_wrong_type_is_refused(world):
    kpi = make_kpi(world)
    for value in ("abc", "101", "-1", "nan"):
        with pytest.raises(ValidationError) as error:
            services.measurement_record(
                actor=world.owner, indicator=kpi, period=months_ago(1), value=value
            )
        assert "value" in error.value.message_dict
    count = make_kpi(
        world, value_type="count", direction="lower", target=Decimal(0), red_threshold=Decimal(2)
    )
    with pytest.raises(ValidationError) as error:
        services.measurement_record(
            actor=world.owner, indicator=count, period=months_ago(1), value="1.5"
        )
    assert "value" in error.value.message_dict


def test_second_measurement_of_a_period_is_refused(world):
    kpi = make_kpi(world)
    services.measurement_record(actor=world.owner, indicator=kpi, period=months_ago(1), value=1)
    with pytest.raises(ValidationError) as error:
        services.measurement_record(actor=world.owner, indicator=kpi, period=months_ago(1), value=2)
    assert "period" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            organization=world.org,
            indicator=kpi,
            period=months_ago(1),
            value=3,
            rating="green",
            measured_by=world.owner,
        )


def test_ratings_streak_and_next_due_follow_the_measurements(world):
    kpi = make_kpi(world, red_periods=2)
    services.measurement_record(actor=world.owner, indicator=kpi, period=months_ago(3), value=1)
    services.measurement_record(actor=world.owner, indicator=kpi, period=months_ago(2), value=3)
    kpi.refresh_from_db()
    assert (kpi.rating, kpi.red_streak, kpi.offers_nonconformity) == ("red", 1, False)
    m = services.measurement_record(
        actor=world.owner, indicator=kpi, period=months_ago(1), value="2.9"
    )
    assert m.rating == "red"
    kpi.refresh_from_db()
    assert (kpi.red_streak, kpi.offers_nonconformity) == (2, True)
    assert kpi.last_period == months_ago(1)
    assert kpi.next_due_on == period_due_on(THIS_MONTH, "monthly")
    amber = services.measurement_record(
        actor=world.owner, indicator=kpi, period=THIS_MONTH, value="2"
    )
    assert amber.rating == "amber"


def test_new_target_rates_the_results_again(world):
    kpi = make_kpi(world)
    m = services.measurement_record(
        actor=world.owner, indicator=kpi, period=months_ago(1), value="2"
    )
    assert m.rating == "amber"
    kpi.refresh_from_db()
    kpi = services.indicator_update(
        actor=world.mr, indicator=kpi, expected_version=kpi.version, target=Decimal("2")
    )
    m.refresh_from_db()
    assert m.rating == "green" and kpi.rating == "green"


def test_frequency_stays_once_results_are_entered(world):
    kpi = world.extra["ob_kpi"]
    with pytest.raises(ValidationError) as error:
        services.indicator_update(
            actor=world.mr, indicator=kpi, expected_version=kpi.version, frequency="quarterly"
        )
    assert "frequency" in error.value.message_dict


def test_correction_keeps_the_earlier_value(world):
    m = world.extra["ob_measurement"]
    with pytest.raises(ValidationError) as error:
        services.measurement_correct(
            actor=world.owner, measurement=m, expected_version=m.version, value="95", reason=""
        )
    assert "reason" in error.value.message_dict
    fixed = services.measurement_correct(
        actor=world.owner,
        measurement=m,
        expected_version=m.version,
        value="95.5",
        reason="Returns counted twice",
    )
    assert fixed.value == Decimal("95.5") and fixed.rating == "amber"
    correction = Correction.objects.get(measurement=m)
    assert correction.old_value == Decimal("92.5") and correction.new_value == Decimal("95.5")
    entry = TrailEntry.objects.filter(action="objectives.measurement.corrected").get()
    assert entry.changes["value"] == ["92.5", "95.5"]
    assert entry.reason == "Returns counted twice"
    with pytest.raises(ConflictError):
        services.measurement_correct(
            actor=world.mr, measurement=m, expected_version=m.version, value="96", reason="x"
        )
    with pytest.raises(ValueError):
        fixed.delete()


def test_only_the_owner_or_a_manager_enters_results(world):
    kpi = world.extra["ob_kpi"]
    with pytest.raises(ValidationError):
        services.measurement_record(
            actor=world.employee, indicator=kpi, period=THIS_MONTH, value=98
        )
    with pytest.raises(ValidationError):
        services.measurement_record(
            actor=world.external, indicator=kpi, period=THIS_MONTH, value=98
        )
    assert (
        services.measurement_record(
            actor=world.mr, indicator=kpi, period=THIS_MONTH, value=98
        ).rating
        == "green"
    )


def test_red_result_tells_the_owners(world, django_capture_on_commit_callbacks):
    kpi = make_kpi(world, owner=world.employee)
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(actor=world.mr, indicator=kpi, period=months_ago(1), value=4)
    assert Notification.objects.filter(kind="objectives.kpi_red", recipient=world.employee).exists()


def test_nonconformity_raised_from_a_red_result_links_back(world):
    from pdca.improvement.models import Source
    from pdca.standards.registry import nc_source_link

    m = world.extra["ob_measurement"]
    nc = services.nonconformity_raise_from(actor=world.mr, measurement=m)
    assert nc.source == Source.KPI and nc.source_object == m
    assert nc.owner == world.owner
    assert [c.number for c in nc.clauses.all()] == ["9.1.1"]
    assert services.nonconformity_raise_from(actor=world.mr, measurement=m) == nc
    _label, url_name, kwargs = nc_source_link(m)
    assert url_name == "objectives:kpi" and kwargs == {"pk": m.indicator_id}
    with pytest.raises(ValidationError):
        services.nonconformity_raise_from(actor=world.employee, measurement=m)


def test_green_result_raises_no_nonconformity(world):
    kpi = world.extra["ob_kpi"]
    m = services.measurement_record(actor=world.owner, indicator=kpi, period=THIS_MONTH, value=99)
    with pytest.raises(ValidationError):
        services.nonconformity_raise_from(actor=world.mr, measurement=m)


def test_action_done_needs_notes_and_only_its_owner_or_a_manager(world):
    action = world.extra["ob_action"]
    with pytest.raises(ValidationError) as error:
        services.action_update(
            actor=world.owner, action=action, expected_version=action.version, status="done"
        )
    assert "notes" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.action_update(
            actor=world.employee,
            action=action,
            expected_version=action.version,
            status="in_progress",
        )
    done = services.action_update(
        actor=world.owner,
        action=action,
        expected_version=action.version,
        status="done",
        notes="Slots agreed",
    )
    assert done.done_on == TODAY


def test_kpi_of_another_organization_objective_is_refused(world):
    other = Objective.objects.filter(organization=world.other_org).first()
    if other is None:
        other = services.objective_create(
            actor=world.outsider,
            organization=world.other_org,
            title="Other",
            owner=world.outsider,
        )
    with pytest.raises(ValidationError) as error:
        make_kpi(world, objective=other)
    assert "objective" in error.value.message_dict
    assert not Indicator.objects.filter(objective=other, organization=world.org).exists()

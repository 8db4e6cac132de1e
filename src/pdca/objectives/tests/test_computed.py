"""KPIs computed from pdca's own data: the registry, the rules of a computed KPI, computing on
demand (page and API) and in the daily run, and the modules' first computations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pdca.core import metrics
from pdca.core.models import TrailEntry
from pdca.improvement.services import nonconformity_raise
from pdca.objectives import services
from pdca.objectives.models import Measurement, next_period, period_start

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = period_start(TODAY, "monthly")
LAST_MONTH = period_start(THIS_MONTH - datetime.timedelta(days=1), "monthly")
THREE_AGO = period_start(LAST_MONTH - datetime.timedelta(days=40), "monthly")


def nc_kpi(world, **fields):
    values = {
        "name": "Nonconformities per month",
        "definition": "Nonconformities found in the month",
        "value_type": "count",
        "direction": "lower",
        "target": Decimal(2),
        "red_threshold": Decimal(5),
        "first_period": THREE_AGO,
        "owner": world.owner,
        "data_source": "computed",
        "computed_source": "improvement.nonconformities",
        **fields,
    }
    return services.indicator_create(actor=world.mr, organization=world.org, **values)


def test_the_modules_register_their_computations():
    codes = {code for code, _label in metrics.metric_choices()}
    assert {
        "improvement.actions_on_time",
        "improvement.nonconformities",
        "documents.reviews_overdue",
        "people.training_compliance",
        "audits.programme_completion",
        "ehs.lost_time_injuries",
    } <= codes
    with pytest.raises(ValueError):
        metrics.register_metric(metrics.Metric("nodot", "x", "count", lambda o, s, e: None))
    with pytest.raises(ValueError):
        metrics.register_metric(metrics.Metric("a.b", "x", "money", lambda o, s, e: None))
    assert metrics.share(1, 3) == Decimal("33.3") and metrics.share(0, 0) is None


def test_a_computed_kpi_names_a_known_source_of_its_kind(world):
    with pytest.raises(ValidationError) as error:
        nc_kpi(world, computed_source="")
    assert "computed_source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        nc_kpi(world, computed_source="improvement.unknown")
    assert "computed_source" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        nc_kpi(world, value_type="percent", target=Decimal(2), red_threshold=Decimal(5))
    assert "value_type" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        nc_kpi(world, data_source="manual")
    assert "computed_source" in error.value.message_dict


def test_compute_enters_each_finished_period_once(world):
    nc_kpi_ = nc_kpi(world)
    for day in (LAST_MONTH, LAST_MONTH + datetime.timedelta(days=3), THREE_AGO):
        nonconformity_raise(
            actor=world.mr,
            organization=world.org,
            title="Burr on housing",
            description="Found at final inspection",
            found_on=day,
        )
    entered = services.indicator_compute(actor=world.owner, indicator=nc_kpi_)
    by_period = {m.period: m.value for m in entered}
    assert THIS_MONTH not in by_period  # not finished yet
    assert by_period[LAST_MONTH] >= 2 and by_period[THREE_AGO] >= 1
    assert set(by_period) == {THREE_AGO, next_period(THREE_AGO, "monthly"), LAST_MONTH}
    assert all(m.measured_by == world.owner for m in entered)
    assert services.indicator_compute(actor=world.owner, indicator=nc_kpi_) == []
    nc_kpi_.refresh_from_db()
    assert nc_kpi_.last_period == LAST_MONTH


def test_a_period_with_nothing_to_measure_gets_no_result(world):
    kpi = nc_kpi(
        world,
        name="Corrective actions on time",
        value_type="percent",
        direction="higher",
        target=Decimal(90),
        red_threshold=Decimal(70),
        computed_source="improvement.actions_on_time",
    )
    entered = services.indicator_compute(actor=world.mr, indicator=kpi)
    assert all(Decimal(0) <= m.value <= Decimal(100) for m in entered)


def test_only_a_computed_kpi_is_computed_and_only_by_those_who_record(world):
    with pytest.raises(ValidationError, match="by hand"):
        services.indicator_compute(actor=world.mr, indicator=world.extra["ob_kpi"])
    kpi = nc_kpi(world)
    with pytest.raises(ValidationError):
        services.indicator_compute(actor=world.employee, indicator=kpi)


def test_the_daily_run_enters_them_in_the_owners_name(world):
    kpi = nc_kpi(world)
    assert services.compute_all() >= 3
    results = Measurement.objects.filter(indicator=kpi)
    assert results.count() == 3 and {m.measured_by for m in results} == {world.owner}
    entries = TrailEntry.objects.filter(action="objectives.measurement.recorded", actor=None)
    assert entries.count() == 3 and {e.actor_label for e in entries} == {"pdca"}
    assert services.compute_all() == 0


def test_documents_reviews_overdue_counts_effective_documents(world):
    value = metrics.metric("documents.reviews_overdue").compute(world.org, THREE_AGO, THIS_MONTH)
    assert value is not None and value >= 0


def test_compute_page_and_api(world, login):
    kpi = nc_kpi(world)
    page = reverse("objectives:compute", kwargs={"org": "acme", "pk": kpi.pk})
    owner = login(world.owner)
    kpi_page = owner.get(reverse("objectives:kpi", kwargs={"org": "acme", "pk": kpi.pk}))
    assert page.encode() in kpi_page.content and b"Nonconformities found" in kpi_page.content
    assert owner.get(page).status_code == 200
    done = owner.post(page, {})
    assert done.status_code == 302 and Measurement.objects.filter(indicator=kpi).count() == 3
    assert login(world.employee).post(page, {}).status_code == 403
    client = APIClient()
    client.force_authenticate(world.owner)
    api = reverse("api-objectives-compute", kwargs={"org": "acme", "pk": kpi.pk})
    answer = client.post(api)
    assert answer.status_code == 201 and answer.json() == []
    manual = reverse(
        "api-objectives-compute", kwargs={"org": "acme", "pk": world.extra["ob_kpi"].pk}
    )
    assert client.post(manual).status_code == 400


def test_the_api_defines_a_computed_kpi(world):
    client = APIClient()
    client.force_authenticate(world.mr)
    body = {
        "name": "Overdue reviews",
        "definition": "Document reviews overdue at month end",
        "value_type": "count",
        "direction": "lower",
        "target": "0",
        "red_threshold": "3",
        "owner": world.mr.pk,
        "data_source": "computed",
        "computed_source": "documents.reviews_overdue",
    }
    made = client.post(reverse("api-objectives-kpis", kwargs={"org": "acme"}), body, format="json")
    assert made.status_code == 201 and made.json()["computed_source"] == "documents.reviews_overdue"
    body["computed_source"] = "nothing.here"
    bad = client.post(reverse("api-objectives-kpis", kwargs={"org": "acme"}), body, format="json")
    assert bad.status_code == 400 and "computed_source" in bad.json()["errors"]


def test_training_compliance_counts_the_competences_held_on_the_periods_last_day(world):
    from pdca.people.metrics import training_compliance

    # The employee, a machinist, holds CNC turning (achieved 300 days ago) but no forklift
    # licence: one of the two competences required.
    assert training_compliance(world.org, LAST_MONTH, THIS_MONTH) == Decimal("50.0")
    long_ago = TODAY - datetime.timedelta(days=350)
    assert training_compliance(world.org, long_ago, long_ago + datetime.timedelta(days=1)) == 0
    # One who has left is no longer counted; with no one required to hold anything: no value.
    from pdca.people.models import Person

    Person.objects.filter(pk=world.extra["people_person"].pk).update(
        left_on=LAST_MONTH - datetime.timedelta(days=1)
    )
    assert training_compliance(world.org, LAST_MONTH, THIS_MONTH) is None
    assert training_compliance(world.other_org, LAST_MONTH, THIS_MONTH) is None


def test_audit_programme_completion_counts_the_internal_audits_held(world):
    from pdca.audits.metrics import programme_completion
    from pdca.audits.models import Audit

    audit = world.extra["au_audit"]
    end = LAST_MONTH + datetime.timedelta(days=3)
    Audit.objects.filter(pk=audit.pk).update(planned_start=LAST_MONTH, planned_end=end)
    assert programme_completion(world.org, LAST_MONTH, THIS_MONTH) == Decimal("0.0")
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.CLOSED)
    assert programme_completion(world.org, LAST_MONTH, THIS_MONTH) == Decimal("100.0")
    # A supplier audit is not the internal programme; a month without audits has no value.
    Audit.objects.filter(pk=audit.pk).update(kind=Audit.Kind.SUPPLIER)
    assert programme_completion(world.org, LAST_MONTH, THIS_MONTH) is None


def test_a_kpi_computes_training_compliance_each_month(world):
    kpi = nc_kpi(
        world,
        name="Training compliance",
        value_type="percent",
        direction="higher",
        target=Decimal(95),
        red_threshold=Decimal(80),
        first_period=LAST_MONTH,
        computed_source="people.training_compliance",
    )
    (result,) = services.indicator_compute(actor=world.mr, indicator=kpi)
    assert result.value == Decimal("50.0") and result.period == LAST_MONTH


def test_lost_time_injuries_count_injuries_costing_a_day(world):
    from pdca.ehs.metrics import lost_time_injuries
    from pdca.ehs.models import Incident

    during = timezone.make_aware(
        datetime.datetime.combine(LAST_MONTH + datetime.timedelta(days=3), datetime.time(10))
    )
    injury, near_miss = world.extra["incident_investigated"], world.extra["incident"]
    Incident.objects.filter(pk__in=[injury.pk, near_miss.pk]).update(
        occurred_at=during, days_lost=2
    )
    # The near miss does not count, whatever its record says; the injury does.
    assert lost_time_injuries(world.org, LAST_MONTH, THIS_MONTH) == 1
    Incident.objects.filter(pk=injury.pk).update(days_lost=0)
    assert lost_time_injuries(world.org, LAST_MONTH, THIS_MONTH) == 0
    Incident.objects.filter(pk=injury.pk).update(days_lost=1)
    assert lost_time_injuries(world.org, THIS_MONTH, next_period(THIS_MONTH, "monthly")) == 0
    assert lost_time_injuries(world.other_org, LAST_MONTH, THIS_MONTH) == 0


def test_an_import_enters_each_kpis_results_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    from pdca.core.imports import Row

    kpis = [
        nc_kpi(world, name=f"Scrap {n}", data_source="manual", computed_source="") for n in "ab"
    ]
    months = [THREE_AGO]
    while len(months) < 3:
        months.append(next_period(months[-1], "monthly"))

    def rows(periods):
        return [
            Row(line=i + 2, values={"kpi": k.name, "period": p.isoformat(), "value": "1"})
            for i, (k, p) in enumerate((k, p) for k in kpis for p in periods)
        ]

    with django_assert_max_num_queries(60) as one:
        services.measurements_enter(actor=world.mr, organization=world.org, rows=rows(months[:1]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        entered = services.measurements_enter(
            actor=world.mr, organization=world.org, rows=rows(months[1:])
        )
    assert len(entered) == 4
    assert Measurement.objects.filter(indicator__in=kpis).count() == 6
    recorded = TrailEntry.objects.filter(action="objectives.measurement.recorded")
    assert recorded.filter(object_id__in=[str(k.pk) for k in kpis]).count() == 6
    kpis[0].refresh_from_db()
    assert kpis[0].last_period == months[-1]

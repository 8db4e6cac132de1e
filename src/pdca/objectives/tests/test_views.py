"""The objectives pages: lists with fixed query counts, the KPI page and its chart, entering,
correcting and raising through the page, errors next to their field, German."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.core.attention import attention_for
from pdca.core.testing import assert_page_translated
from pdca.objectives import services
from pdca.objectives.models import Correction, Measurement, Objective, period_start

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = period_start(TODAY, "monthly")


def url(name: str, **kwargs) -> str:
    return reverse(f"objectives:{name}", kwargs={"org": "acme", **kwargs})


def more_objectives(world, n: int) -> None:
    for i in range(n):
        objective = services.objective_create(
            actor=world.mr,
            organization=world.org,
            title=f"Objective {i}",
            owner=world.owner,
            target="x",
            deadline=TODAY + datetime.timedelta(days=90),
            editions=[world.extra["iso9001"].edition],
        )
        services.indicator_create(
            actor=world.mr,
            organization=world.org,
            objective=objective,
            process=world.extra["process"],
            name=f"KPI {i}",
            definition="d",
            direction="lower",
            target=Decimal(1),
            red_threshold=Decimal(2),
            owner=world.owner,
        )


def test_lists_take_the_same_queries_whatever_the_rows(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    for name in ("list", "kpis"):
        client.get(url(name))  # warm the per-process caches
    counts = {}
    for rows in (0, 6):
        more_objectives(world, rows)
        for name in ("list", "kpis"):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url(name)).status_code == 200
            counts.setdefault(name, []).append(len(ctx.captured_queries))
    for name, (few, many) in counts.items():
        assert few == many, (name, few, many)
    with django_assert_max_num_queries(30):
        client.get(url("kpis"), {"rating": "red"})


def test_list_filters_and_empty_state(world, login):
    client = login(world.employee)
    page = client.get(url("list"), {"q": "nothing like this"})
    assert "No objective matches these filters." in page.content.decode()
    page = client.get(url("kpis"), {"rating": "red"})
    assert "On-time delivery" in page.content.decode()
    page = client.get(url("kpis"), {"rating": "green"})
    assert "No KPI matches these filters." in page.content.decode()
    rows = client.get(url("kpis"), HTTP_HX_REQUEST="true")
    assert "<html" not in rows.content.decode() and "On-time delivery" in rows.content.decode()


def test_kpi_page_carries_its_chart_and_offers_a_nonconformity(world, login):
    kpi = world.extra["ob_kpi"]
    page = login(world.mr).get(url("kpi", pk=kpi.pk)).content.decode()
    assert 'id="kpi-chart-data"' in page and "kpi-chart.js" in page
    assert '"target": 97.0' in page and '"red": 94.0' in page
    assert url("raise_nc", pk=world.extra["ob_measurement"].pk) in page


def test_kpi_page_queries_do_not_grow_with_results(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kpi = world.extra["ob_kpi"]
    client = login(world.owner)
    client.get(url("kpi", pk=kpi.pk))
    with CaptureQueriesContext(connection) as few:
        client.get(url("kpi", pk=kpi.pk))
    services.measurement_record(actor=world.owner, indicator=kpi, period=THIS_MONTH, value=96)
    with CaptureQueriesContext(connection) as many:
        client.get(url("kpi", pk=kpi.pk))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_recording_through_the_page_shows_the_error_next_to_the_period(world, login):
    kpi = world.extra["ob_kpi"]
    client = login(world.owner)
    response = client.post(url("record", pk=kpi.pk), {"period": "2020-01-15", "value": "98"})
    assert response.status_code == 400
    assert response.context["form"].errors["period"]
    response = client.post(url("record", pk=kpi.pk), {"period": "", "value": "abc"})
    assert response.status_code == 400 and response.context["form"].errors["value"]
    response = client.post(
        url("record", pk=kpi.pk), {"period": THIS_MONTH.isoformat(), "value": "98"}
    )
    assert response.status_code == 302
    assert Measurement.objects.filter(indicator=kpi, period=THIS_MONTH, value=98).exists()


def test_month_input_names_the_first_day(world, login):
    kpi = world.extra["ob_kpi"]
    login(world.owner).post(
        url("record", pk=kpi.pk), {"period": THIS_MONTH.strftime("%Y-%m"), "value": "97"}
    )
    assert Measurement.objects.filter(indicator=kpi, period=THIS_MONTH).exists()


def test_correcting_through_the_page_keeps_the_old_value_and_refuses_a_stale_one(world, login):
    m = world.extra["ob_measurement"]
    client = login(world.owner)
    response = client.post(
        url("correct", pk=m.pk), {"value": "93", "reason": "", "version": m.version}
    )
    assert response.status_code == 400 and response.context["form"].errors["reason"]
    response = client.post(
        url("correct", pk=m.pk), {"value": "93", "reason": "Recounted", "version": m.version}
    )
    assert response.status_code == 302
    assert Correction.objects.get(measurement=m).old_value == Decimal("92.5")
    response = client.post(
        url("correct", pk=m.pk), {"value": "94", "reason": "Again", "version": m.version}
    )
    assert response.status_code == 409


def test_raising_through_the_page_opens_the_nonconformity(world, login):
    m = world.extra["ob_measurement"]
    response = login(world.mr).post(url("raise_nc", pk=m.pk))
    assert response.status_code == 302
    from pdca.improvement.selectors import raised_from

    nc = raised_from(m)
    assert nc is not None and response.url.endswith(f"/{nc.pk}/")
    page = login(world.mr).get(url("kpi", pk=m.indicator_id)).content.decode()
    assert nc.reference in page


def test_objective_form_refuses_a_target_without_deadline_next_to_the_field(world, login):
    response = login(world.mr).post(
        url("create"),
        {
            "title": "Less scrap",
            "owner": world.owner.pk,
            "target": "≤ 1.5 %",
            "frequency": "monthly",
            "status": "on_track",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["deadline"]


def test_objective_form_creates_and_edits(world, login):
    client = login(world.mr)
    response = client.post(
        url("create"),
        {
            "title": "Less scrap",
            "owner": world.owner.pk,
            "target": "≤ 1.5 %",
            "deadline": "2027-12-31",
            "frequency": "monthly",
            "status": "on_track",
            "editions": [world.extra["iso9001"].edition_id],
        },
    )
    assert response.status_code == 302
    objective = Objective.objects.get(title="Less scrap")
    response = client.post(
        url("edit", pk=objective.pk),
        {
            "title": "Less scrap on line 2",
            "owner": world.owner.pk,
            "frequency": "monthly",
            "status": "at_risk",
            "version": objective.version - 1,
        },
    )
    assert response.status_code == 409


def test_kpi_form_refuses_a_threshold_against_the_direction(world, login):
    response = login(world.mr).post(
        url("kpi_create"),
        {
            "name": "Scrap",
            "definition": "d",
            "value_type": "percent",
            "direction": "lower",
            "target": "1.5",
            "red_threshold": "1",
            "frequency": "monthly",
            "owner": world.owner.pk,
            "data_source": "manual",
            "red_periods": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["red_threshold"]


def test_withdraw_and_action_pages(world, login):
    objective = world.extra["ob_objective"]
    action = world.extra["ob_action"]
    client = login(world.owner)
    response = client.post(
        url("action_update", pk=action.pk),
        {"status": "done", "notes": "", "version": action.version},
    )
    assert response.status_code == 400 and response.context["form"].errors["notes"]
    client = login(world.mr)
    response = client.post(url("withdraw", pk=objective.pk), {"reason": ""})
    assert response.status_code == 400
    response = client.post(url("withdraw", pk=objective.pk), {"reason": "Plant sold"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.status == "withdrawn"


def test_red_kpi_is_an_attention_card_for_its_owner(world):
    owner = world.memberships["owner"]
    titles = [a.title for a in attention_for(owner)]
    assert "Your KPIs off target" in titles
    employee = world.memberships["employee"]
    assert "KPIs off target" not in [a.title for a in attention_for(employee)]


def test_process_page_shows_its_kpis(world, login):
    process = world.extra["process"]
    page = login(world.employee).get(
        reverse("standards:process", kwargs={"org": "acme", "pk": process.pk})
    )
    assert "On-time delivery" in page.content.decode()


GERMAN = {
    "list": (["New objective", "Deadline", "Owner"], ["Neues Ziel", "Termin", "Verantwortlich"]),
    "kpis": (["New KPI", "Last result", "Next due"], ["Neue Kennzahl", "Letztes Ergebnis"]),
    "kpi": (["Enter a result", "Results", "Trend"], ["Ergebnis erfassen", "Ergebnisse"]),
    "detail": (["Plan an action", "Add a KPI"], ["Maßnahme planen", "Kennzahl hinzufügen"]),
    "performance": (["Performance: objectives and KPIs", "Trend"], ["Leistung: Ziele", "Verlauf"]),
    "approvals": (["Approvals of the objectives"], ["Freigaben der Ziele"]),
    "enter": (["Enter results for a period"], ["Ergebnisse eines Zeitraums erfassen"]),
    "import": (["Import results", "Check the file"], ["Ergebnisse importieren", "Datei prüfen"]),
}


@pytest.mark.parametrize("name", list(GERMAN))
def test_pages_in_german(world, login, name):
    kwargs = {}
    if name == "kpi":
        kwargs = {"pk": world.extra["ob_kpi"].pk}
    if name == "detail":
        kwargs = {"pk": world.extra["ob_objective"].pk}
    english, german = GERMAN[name]
    assert_page_translated(login(world.mr), url(name, **kwargs), english, german)

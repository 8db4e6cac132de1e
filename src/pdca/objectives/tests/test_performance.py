"""Performance that triggers action, and shows at a glance: an improvement action raised from an
objective off track (page and API), and the printable, exportable performance page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pdca.core.models import Notification
from pdca.objectives import services
from pdca.objectives.models import ObjectiveAction

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DUE = TODAY + datetime.timedelta(days=20)


def url(name: str, org: str = "acme", **kwargs) -> str:
    return reverse(f"objectives:{name}", kwargs={"org": org, **kwargs})


def test_an_objective_with_a_kpi_off_target_offers_an_improvement_action(world, login):
    objective = world.extra["ob_objective"]  # its KPI is red in the world (92.5 against 97)
    reasons = services.off_track_reasons(objective)
    assert len(reasons) == 1 and "On-time delivery is off target: 92.5" in reasons[0]
    page = login(world.mr).get(url("detail", pk=objective.pk))
    assert url("improve", pk=objective.pk).encode() in page.content
    assert (
        url("improve", pk=objective.pk).encode()
        not in login(world.employee).get(url("detail", pk=objective.pk)).content
    )
    action = services.improvement_action_raise(
        actor=world.mr,
        objective=objective,
        title="Second carrier for the Friday loads",
        owner=world.owner,
        due_on=DUE,
    )
    assert action.kind == ObjectiveAction.Kind.IMPROVEMENT and "92.5" in action.reason
    assert Notification.objects.filter(recipient=world.owner).exists()
    shown = login(world.mr).get(url("detail", pk=objective.pk)).content.decode()
    assert "Improvement action" in shown and "Second carrier" in shown


def test_an_objective_on_track_is_refused_and_so_are_bad_inputs(world):
    objective = world.extra["ob_objective"]
    kpi = world.extra["ob_kpi"]
    services.indicator_update(
        actor=world.mr, indicator=kpi, expected_version=kpi.version, red_threshold=Decimal(90)
    )  # 92.5 is amber now
    with pytest.raises(ValidationError, match="on track"):
        services.improvement_action_raise(
            actor=world.mr, objective=objective, title="x", owner=world.owner, due_on=DUE
        )
    objective.refresh_from_db()
    off = services.objective_update(
        actor=world.mr, objective=objective, expected_version=objective.version, status="off_track"
    )
    with pytest.raises(ValidationError) as error:
        services.improvement_action_raise(
            actor=world.mr, objective=off, title=" ", owner=world.owner, due_on=DUE
        )
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.improvement_action_raise(
            actor=world.employee, objective=off, title="x", owner=world.owner, due_on=DUE
        )
    with pytest.raises(ValidationError):
        services.improvement_action_raise(
            actor=world.mr, objective=off, title="x", owner=world.external, due_on=DUE
        )


def test_improve_page_and_api(world, login):
    objective = world.extra["ob_objective"]
    client = login(world.owner)
    assert client.get(url("improve", pk=objective.pk)).status_code == 200
    bad = client.post(url("improve", pk=objective.pk), {"title": "", "owner": world.owner.pk})
    assert bad.status_code == 400
    done = client.post(
        url("improve", pk=objective.pk),
        {"title": "Daily carrier call", "owner": world.owner.pk, "due_on": DUE.isoformat()},
    )
    assert done.status_code == 302 and objective.actions.filter(kind="improvement").count() == 1
    assert login(world.employee).get(url("improve", pk=objective.pk)).status_code == 403
    api = APIClient()
    api.force_authenticate(world.mr)
    endpoint = reverse("api-objectives-improve", kwargs={"org": "acme", "pk": objective.pk})
    made = api.post(
        endpoint,
        {"title": "Buffer stock", "owner": world.owner.pk, "due_on": DUE.isoformat()},
        format="json",
    )
    assert made.status_code == 201 and made.json()["kind"] == "improvement"
    assert api.post(endpoint, {"title": "x"}, format="json").status_code == 400
    other = reverse("api-objectives-improve", kwargs={"org": "globex", "pk": objective.pk})
    assert api.post(other, {}, format="json").status_code in (403, 404)


def more_kpis(world, n: int) -> None:
    for i in range(n):
        objective = services.objective_create(
            actor=world.mr,
            organization=world.org,
            title=f"Objective {i}",
            owner=world.owner,
            target="x",
            deadline=TODAY + datetime.timedelta(days=60 + i),
        )
        kpi = services.indicator_create(
            actor=world.mr,
            organization=world.org,
            objective=objective,
            name=f"KPI {i}",
            definition="d",
            direction="lower",
            target=Decimal(1),
            red_threshold=Decimal(2),
            owner=world.owner,
            first_period=TODAY - datetime.timedelta(days=70),
        )
        for months in (2, 1):
            day = TODAY.replace(day=1)
            for _m in range(months):
                day = (day - datetime.timedelta(days=1)).replace(day=1)
            if day >= kpi.first_period:
                services.measurement_record(actor=world.owner, indicator=kpi, period=day, value=i)


def test_performance_page_shows_every_kpi_by_objective(world, login):
    client = login(world.top)
    page = client.get(url("performance"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Deliver on time" in body and "On-time delivery" in body and "data-print" in body
    assert "92.5" in body
    assert url("performance_export") in body


def test_performance_page_queries_do_not_grow(world, login):
    client = login(world.top)
    client.get(url("performance"))
    counts = []
    for n in (0, 5):
        more_kpis(world, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("performance")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_performance_export_is_a_spreadsheet(world, login):
    response = login(world.employee).get(url("performance_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Objective" and any(r[3] == "On-time delivery" for r in rows[1:])
    assert login(world.outsider).get(url("performance_export")).status_code == 404

"""Many results at once: one period on one page, and imports from CSV/XLSX with a preview; each
row checked on its own, nothing half-entered. Through the services, the pages and the API."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from rest_framework.test import APIClient

from pdca.core import imports
from pdca.objectives import services
from pdca.objectives.models import Measurement, period_start

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = period_start(TODAY, "monthly")
LAST_MONTH = period_start(THIS_MONTH - datetime.timedelta(days=1), "monthly")
NEXT_MONTH = period_start(THIS_MONTH + datetime.timedelta(days=31), "monthly")


def url(name: str, org: str = "acme") -> str:
    return reverse(f"objectives:{name}", kwargs={"org": org})


def scrap_kpi(world, owner=None):
    return services.indicator_create(
        actor=world.mr,
        organization=world.org,
        name="Scrap rate",
        definition="Scrapped parts / parts made",
        value_type="percent",
        direction="lower",
        target=Decimal("1.5"),
        red_threshold=Decimal("3"),
        first_period=LAST_MONTH,
        owner=owner or world.owner,
    )


def rows(*values: dict[str, str]) -> list[imports.Row]:
    return [imports.Row(line=i, values=v) for i, v in enumerate(values, start=2)]


def csv_file(text: str, name: str = "results.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def count() -> int:
    return Measurement.objects.count()


def test_bulk_entry_enters_all_or_none(world):
    otd, scrap = world.extra["ob_kpi"], scrap_kpi(world)
    before = count()
    bad = rows({"kpi": str(otd.pk), "value": "96"}, {"kpi": str(scrap.pk), "value": "120"})
    with pytest.raises(imports.ImportRefused) as error:
        services.measurements_enter(
            actor=world.owner, organization=world.org, rows=bad, period=THIS_MONTH
        )
    assert [(e.line, e.messages) for e in error.value.row_errors] == [
        (3, ["value: A percentage lies between 0 and 100."])
    ]
    assert count() == before
    good = rows({"kpi": str(otd.pk), "value": "96"}, {"kpi": str(scrap.pk), "value": "1,2"})
    entered = services.measurements_enter(
        actor=world.owner, organization=world.org, rows=good, period=THIS_MONTH
    )
    assert [m.rating for m in entered] == ["amber", "green"]
    assert entered[1].value == Decimal("1.2") and count() == before + 2


def test_each_row_is_refused_with_its_reason(world):
    otd, scrap = world.extra["ob_kpi"], scrap_kpi(world)
    mine = scrap_kpi(world, owner=world.employee)
    preview = services.measurements_check(
        actor=world.employee,
        organization=world.org,
        rows=rows(
            {"kpi": "Nothing like it", "period": "2026-01", "value": "1"},
            {"kpi": str(mine.pk), "period": THIS_MONTH.isoformat(), "value": "1"},
            {"kpi": str(mine.pk), "period": THIS_MONTH.isoformat(), "value": "2"},
            {"kpi": str(otd.pk), "period": THIS_MONTH.isoformat(), "value": "1"},
            {"kpi": str(mine.pk), "period": "soon", "value": "1"},
            {"kpi": str(mine.pk), "period": NEXT_MONTH.isoformat(), "value": "1"},
            {"kpi": str(mine.pk), "period": LAST_MONTH.replace(day=2).isoformat(), "value": "1"},
            {"kpi": str(mine.pk), "period": LAST_MONTH.isoformat(), "value": "lots"},
            {"kpi": "", "period": LAST_MONTH.isoformat(), "value": "1"},
        ),
    )
    reasons = {e.line: " ".join(e.messages) for e in preview.errors}
    assert "There is no KPI" in reasons[2]
    assert 3 not in reasons and "entered already" in reasons[4]  # twice in the file
    assert "owner" in reasons[5]  # another person's KPI
    assert "2026-03" in reasons[6]
    assert "not started" in reasons[7]
    assert "no monthly period" in reasons[8]
    assert "Enter a number" in reasons[9]
    assert "Name the KPI" in reasons[10]
    assert len(preview.good) == 1 and not preview.ok
    del scrap


def test_a_period_already_entered_and_a_name_two_kpis_share_are_refused(world):
    otd = world.extra["ob_kpi"]
    scrap_kpi(world)
    scrap_kpi(world)
    preview = services.measurements_check(
        actor=world.mr,
        organization=world.org,
        rows=rows(
            {"kpi": otd.name.upper(), "period": LAST_MONTH.strftime("%Y-%m"), "value": "97"},
            {"kpi": "scrap rate", "period": THIS_MONTH.isoformat(), "value": "1"},
        ),
    )
    reasons = {e.line: " ".join(e.messages) for e in preview.errors}
    assert "entered already" in reasons[2] and "Several KPIs" in reasons[3]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03", datetime.date(2026, 3, 1)),
        ("01.03.2026", datetime.date(2026, 3, 1)),
        ("2026 q2", datetime.date(2026, 4, 1)),
        ("2026", datetime.date(2026, 1, 1)),
        ("March", None),
    ],
)
def test_periods_as_people_write_them(text, day):
    assert services.parse_period(text) == day


def test_enter_page_lists_the_period_and_enters_all_or_none(world, login):
    otd, scrap = world.extra["ob_kpi"], scrap_kpi(world)
    client = login(world.owner)
    address = url("enter") + f"?frequency=monthly&period={THIS_MONTH.isoformat()}"
    page = client.get(address)
    assert page.status_code == 200
    assert b"On-time delivery" in page.content and b"Scrap rate" in page.content
    before = count()
    posted = {
        "kpi": [otd.pk, scrap.pk],
        f"value-{otd.pk}": "98",
        f"value-{scrap.pk}": "x",
        f"comment-{otd.pk}": "Good month",
    }
    refused = client.post(address, posted)
    assert refused.status_code == 400 and count() == before
    body = refused.content.decode()
    assert f'id="errors-{scrap.pk}"' in body and "Enter a number" in body
    assert 'value="98"' in body  # what was typed stays
    posted[f"value-{scrap.pk}"] = ""  # left for later
    done = client.post(address, posted)
    assert done.status_code == 302 and count() == before + 1
    again = client.get(address)
    assert b"On-time delivery" not in again.content and b"Scrap rate" in again.content
    assert client.post(address, {"kpi": [scrap.pk]}).status_code == 400  # nothing entered


def test_enter_page_bad_period_and_who_sees_what(world, login):
    scrap_kpi(world)
    client = login(world.owner)
    bad = client.get(url("enter") + "?frequency=monthly&period=2026-03-05")
    assert bad.status_code == 200 and b"starts on the 1st" in bad.content
    assert client.post(url("enter") + "?frequency=weekly", {}).status_code == 400
    employee = login(world.employee).get(url("enter"))
    assert employee.status_code == 200 and b"Scrap rate" not in employee.content
    assert login(world.external).get(url("enter")).status_code == 403
    assert login(world.external).get(url("import")).status_code == 403


def test_enter_page_queries_do_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    address = url("enter") + f"?frequency=monthly&period={THIS_MONTH.isoformat()}"
    client.get(address)
    for _i in range(6):
        scrap_kpi(world)
    with django_assert_max_num_queries(20):
        assert client.get(address).status_code == 200


def xlsx(table: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    for line in table:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("results.xlsx", out.getvalue())


def test_import_page_previews_then_imports_all(world, login):
    scrap = scrap_kpi(world)
    client = login(world.mr)
    assert client.get(url("import")).status_code == 200
    before = count()
    upload = xlsx(
        [
            ["KPI", "Period", "Value", "Comment"],
            ["Scrap rate", LAST_MONTH, 2.5, "New tool"],
            [scrap.pk, THIS_MONTH.strftime("%Y-%m"), 1.1, ""],
        ]
    )
    preview = client.post(url("import"), {"file": upload})
    assert preview.status_code == 200 and count() == before
    assert b"2 results are ready to import" in preview.content
    rows_json = preview.context["rows_json"]
    done = client.post(url("import"), {"rows": rows_json})
    assert done.status_code == 302 and count() == before + 2
    scrap.refresh_from_db()
    assert scrap.last_value == Decimal("1.1") and scrap.rating == "green"
    # The same rows again: checked again, now entered already, nothing imported.
    again = client.post(url("import"), {"rows": rows_json})
    assert again.status_code == 400 and b"entered already" in again.content


def test_import_page_shows_bad_rows_and_imports_nothing(world, login):
    scrap_kpi(world)
    client = login(world.mr)
    before = count()
    text = f"kpi;period;value\nScrap rate;{LAST_MONTH:%Y-%m};2\nScrap rate;{THIS_MONTH:%Y-%m};-1\n"
    page = client.post(url("import"), {"file": csv_file(text)})
    body = page.content.decode()
    assert page.status_code == 400 and count() == before
    assert "1 row has errors: nothing is imported." in body and "between 0 and 100" in body
    assert page.context["rows_json"] == ""
    wrong = client.post(url("import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert wrong.status_code == 400 and b"CSV or XLSX" in wrong.content
    tampered = client.post(url("import"), {"rows": "not json"})
    assert tampered.status_code == 400 and b"Upload the file again" in tampered.content
    assert client.post(url("import"), {}).status_code == 400


def api(name: str, org: str = "acme") -> str:
    return reverse(name, kwargs={"org": org})


def test_api_bulk_and_import(world):
    otd, scrap = world.extra["ob_kpi"], scrap_kpi(world)
    client = APIClient()
    client.force_authenticate(world.owner)
    before = count()
    body = {
        "period": THIS_MONTH.isoformat(),
        "results": [{"kpi": otd.pk, "value": "99"}, {"kpi": scrap.pk, "value": "101"}],
    }
    refused = client.post(api("api-objectives-bulk"), body, format="json")
    assert refused.status_code == 400 and refused.json()["bad_rows"][0]["line"] == 2
    assert count() == before
    assert (
        client.post(api("api-objectives-bulk"), {"results": []}, format="json").status_code == 400
    )
    body["results"][1]["value"] = "1"
    done = client.post(api("api-objectives-bulk"), body, format="json")
    assert done.status_code == 201 and len(done.json()["measurements"]) == 2
    text = f"kpi,period,value\n{scrap.pk},{LAST_MONTH:%Y-%m},2\n"
    preview = client.post(
        api("api-objectives-import"), {"file": csv_file(text)}, format="multipart"
    )
    assert preview.status_code == 200 and preview.json()["applied"] is False
    assert count() == before + 2
    applied = client.post(
        api("api-objectives-import"), {"file": csv_file(text), "apply": True}, format="multipart"
    )
    assert applied.status_code == 201 and applied.json()["rows"][0]["kpi"] == scrap.pk
    assert count() == before + 3
    bad = client.post(
        api("api-objectives-import"), {"file": csv_file(text), "apply": True}, format="multipart"
    )
    assert bad.status_code == 400 and "entered already" in json.dumps(bad.json())
    pdf = client.post(
        api("api-objectives-import"),
        {"file": SimpleUploadedFile("a.pdf", b"%PDF")},
        format="multipart",
    )
    assert pdf.status_code == 400 and "file" in pdf.json()["errors"]
    client.force_authenticate(world.external)
    assert client.post(api("api-objectives-bulk"), body, format="json").status_code == 403

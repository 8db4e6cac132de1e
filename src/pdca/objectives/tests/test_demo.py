"""The objectives demo: Acme's four objectives with a year of results, one KPI red for three
months with its nonconformity, customer satisfaction as 9.1.2 evidence; Northwind's six months.
Safe to run twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from pdca.core.models import Organization
from pdca.objectives.models import Indicator, Measurement, Objective
from pdca.standards.models import EvidenceLink


@pytest.mark.django_db
def test_demo_builds_the_objectives_once():
    # The shared test world may hold an "acme" already: the demo builds its own beside it.
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    call_command("demo", stdout=StringIO())
    acme = Organization.objects.get(slug="acme")
    kpis = {k.name: k for k in Indicator.objects.filter(organization=acme)}
    assert set(kpis) == {
        "On-time delivery",
        "Scrap rate",
        "Customer satisfaction score",
        "Energy per part",
    }
    assert all(k.measurements.count() == 12 for k in kpis.values())
    on_time = kpis["On-time delivery"]
    assert (on_time.rating, on_time.red_streak, on_time.offers_nonconformity) == ("red", 3, True)
    from pdca.improvement.selectors import raised_from

    nc = raised_from(on_time.measurements.order_by("-period").first())
    assert nc is not None and nc.source == "kpi" and nc.owner == on_time.owner
    assert kpis["Scrap rate"].rating == "green"
    satisfaction = EvidenceLink.objects.filter(
        organization=acme,
        object_id=kpis["Customer satisfaction score"].pk,
        content_type__model="indicator",
    ).values_list("clause__number", flat=True)
    assert set(satisfaction) == {"9.1.1", "9.1.2"}
    northwind = Organization.objects.get(slug="northwind")
    assert Measurement.objects.filter(organization=northwind).count() == 12
    before = Measurement.objects.count(), Objective.objects.count()
    call_command("demo", stdout=StringIO())
    assert (Measurement.objects.count(), Objective.objects.count()) == before

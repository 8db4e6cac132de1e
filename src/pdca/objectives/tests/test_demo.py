"""The objectives demo: Acme's objectives with a year of results (lost-time injuries computed
from the incident register), one KPI red for three months with its nonconformity, customer
satisfaction as 9.1.2 evidence, the year's set signed by top management; Northwind's six
months. Safe to run twice."""

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
        "Lost-time injuries",
    }
    assert all(k.measurements.count() == 12 for k in kpis.values())
    # Computed from the incident register: the demo's lost-time injury, once its month is over.
    import datetime

    from django.db.models import Sum

    from pdca.ehs.models import Incident

    month = datetime.date.today().replace(day=1)
    injuries = Incident.objects.filter(
        organization=acme, kind="injury", days_lost__gte=1, occurred_at__date__lt=month
    ).count()
    lost = kpis["Lost-time injuries"].measurements.aggregate(n=Sum("value"))["n"]
    assert lost == injuries and kpis["Lost-time injuries"].data_source == "computed"
    # Top management signed the year's set of objectives.
    from pdca.objectives.models import SetApproval

    approval = SetApproval.objects.get(organization=acme, outdated_at__isnull=True)
    assert approval.signed_by.email == "top@acme.example"
    assert (
        approval.objectives.count()
        == Objective.objects.filter(organization=acme, deadline__year=approval.year).count()
    )
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

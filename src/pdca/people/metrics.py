"""What the people app computes for KPIs (`core.metrics`): training compliance, the share of
the competences their job roles require that people hold, up to date."""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pdca.core.metrics import Metric, register_metric, share
from pdca.core.models import Organization

CHUNK = 500  # people per matrix read: four queries each


def training_compliance(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """On the period's last day, of the competences required of the people employed then
    (by their current job roles), the share held at the level required and not lapsed, by the
    records achieved by that day; nothing to measure when no one needed anything."""
    from pdca.people.models import Person
    from pdca.people.selectors import Cell, matrix

    day = end - datetime.timedelta(days=1)
    employed = (
        Person.objects.filter(organization=organization, assignments__isnull=False)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .distinct()
        .order_by("pk")
    )
    ids = list(employed.values_list("pk", flat=True))
    required = held = 0
    for at in range(0, len(ids), CHUNK):
        people = list(Person.objects.filter(pk__in=ids[at : at + CHUNK]).order_by("pk"))
        for row in matrix(people, as_of=day).rows:
            for cell in row.cells:
                if cell.state == Cell.NOT_REQUIRED:
                    continue
                required += 1
                held += cell.state in Cell.UP_TO_DATE
    return share(held, required)


def register() -> None:
    register_metric(
        Metric(
            "people.training_compliance",
            _("Training compliance"),
            "percent",
            training_compliance,
            _(
                "On the period's last day, the share of the competences people's job roles "
                "require that they held at the level required and not lapsed."
            ),
        )
    )

"""The people demo: Acme's machinists and drivers, a licence expiring next month and one
expired, a session to evaluate; safe to run twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from pdca.core.models import Membership, Organization
from pdca.people.models import CompetenceRecord, JobRole, Person
from pdca.people.selectors import Cell, matrix

pytestmark = pytest.mark.django_db


def test_the_demo_builds_acmes_matrix_and_runs_twice():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    call_command("demo", stdout=StringIO())
    acme = Organization.objects.get(slug="acme")
    roles = set(JobRole.objects.filter(organization=acme).values_list("name", flat=True))
    assert {"CNC machinist", "Forklift driver", "Internal auditor"} <= roles
    people = list(Person.objects.filter(organization=acme).select_related("membership__user"))
    rows = {r.person.membership.user.full_name: r for r in matrix(people).rows}
    lucy = {c.name: x.state for c, x in rows["Lucy Brennan"].items}
    sam = {c.name: x.state for c, x in rows["Sam Ortiz"].items}
    assert lucy["Forklift licence"] == Cell.EXPIRING
    assert sam["Forklift licence"] == Cell.IN_TRAINING  # expired, booked on the refresher
    count = CompetenceRecord.objects.filter(organization=acme).count()
    call_command("demo", stdout=StringIO())
    assert CompetenceRecord.objects.filter(organization=acme).count() == count
    assert (
        Membership.objects.filter(organization=acme, user__email="s.ortiz@acme.example").count()
        == 1
    )

"""A nonconformity's source is any registered object (an audit finding today), linked
generically: improvement imports none of the modules that raise nonconformities."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.audits import services as audits
from pdca.improvement import services
from pdca.improvement.models import Nonconformity
from pdca.improvement.selectors import raised_from


def _raise(world, source, organization=None):
    return services.nonconformity_raise(
        actor=world.mr,
        organization=organization or world.org,
        title="Torque not checked",
        description="Two wrenches were out of calibration.",
        source_object=source,
    )


@pytest.mark.django_db
def test_a_finding_raises_one_nonconformity_however_often_it_is_asked(world):
    finding = world.extra["au_finding"]
    first = raised_from(finding)
    assert first is not None and first.source_object == finding
    assert audits.finding_raise_nonconformity(actor=world.mr, finding=finding) == first
    assert _raise(world, finding) == first


@pytest.mark.django_db
def test_only_a_registered_model_can_be_a_source(world):
    before = Nonconformity.objects.count()
    with pytest.raises(ValueError, match="not a registered nonconformity source"):
        _raise(world, world.site)
    assert Nonconformity.objects.count() == before


@pytest.mark.django_db
def test_a_source_of_another_organization_is_refused(world):
    with pytest.raises(ValidationError, match="another organization"):
        _raise(world, world.extra["au_finding"], organization=world.other_org)


@pytest.mark.django_db
def test_the_page_links_the_source_and_the_api_names_it(world, login):
    finding = world.extra["au_finding"]
    nc = raised_from(finding)
    client = login(world.mr)
    page = client.get(reverse("improvement:detail", kwargs={"org": "acme", "pk": nc.pk}))
    finding_url = reverse("audits:finding", kwargs={"org": "acme", "pk": finding.pk})
    assert f'href="{finding_url}"' in page.content.decode()
    data = client.get(f"/api/v1/o/acme/improvement/nonconformities/{nc.pk}/").json()
    assert data["source_kind"] == "audits.finding"
    assert data["source_id"] == finding.pk

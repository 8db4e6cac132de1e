"""A nonconformity's corrective action opens or updates an entry of the register (10.2.1 e)):
in one step from the nonconformity's page, through the page and the API, with the register's
rules (owner, scales, closed entries), permissions and the organization boundary."""

import pytest
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.risks import corrective, services
from pdca.risks.models import Risk

pytestmark = pytest.mark.django_db


def page(world, name, **kwargs):
    return reverse(name, kwargs={"org": world.org.slug, **kwargs})


def test_the_nc_page_offers_the_step_and_a_new_entry_keeps_the_nc(world, login):
    nc = world.extra["im_nc"]
    client = login(world.mr)
    detail = client.get(page(world, "improvement:detail", pk=nc.pk)).content.decode()
    step = page(world, "risks:from_nc", pk=nc.pk)
    assert step in detail
    refused = client.post(step, {"likelihood": 3, "consequence": 9, "kind": "risk"})
    assert refused.status_code == 400
    assert "owner" in refused.context["form"].errors
    bad_scale = client.post(
        step, {"likelihood": 3, "consequence": 9, "kind": "risk", "owner": world.owner.pk}
    )
    assert bad_scale.status_code == 400 and "consequence" in bad_scale.context["form"].errors
    response = client.post(
        step,
        {"title": "", "likelihood": 3, "consequence": 4, "kind": "risk", "owner": world.owner.pk},
    )
    assert response.status_code == 302
    risk = Risk.objects.filter(organization=world.org).order_by("-number").first()
    assert risk.title == nc.title and list(risk.nonconformities.all()) == [nc]
    assert risk.process_id == nc.process_id
    detail = client.get(page(world, "improvement:detail", pk=nc.pk)).content.decode()
    assert risk.reference in detail
    shown = client.get(page(world, "risks:detail", pk=risk.pk)).content.decode()
    assert nc.reference in shown
    assert TrailEntry.objects.filter(action="risks.risk.nonconformity_linked").exists()


def test_an_existing_entry_is_assessed_again_from_the_nc(world, login):
    nc = world.extra["im_nc"]
    risk = world.extra["rk_risk"]
    response = login(world.mr).post(
        page(world, "risks:from_nc", pk=nc.pk),
        {"risk": risk.pk, "likelihood": 4, "consequence": 4, "kind": "risk"},
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.score == 16 and nc in risk.nonconformities.all()
    assert risk.accepted_at is None  # a changed score asks the owner to accept again
    # Linking twice keeps one link.
    corrective.risk_from_nonconformity(
        actor=world.mr,
        nonconformity=nc,
        risk=risk,
        expected_version=risk.version,
        likelihood=4,
        consequence=4,
    )
    assert risk.nonconformities.count() == 1


def test_a_closed_entry_cannot_be_updated_from_an_nc(world, login):
    risk = world.extra["rk_risk"]
    services.risk_close(actor=world.mr, risk=risk, reason="Supplier replaced")
    response = login(world.mr).post(
        page(world, "risks:from_nc", pk=world.extra["im_nc"].pk),
        {"risk": risk.pk, "likelihood": 2, "consequence": 2, "kind": "risk"},
    )
    assert response.status_code == 400  # a closed entry is not offered


def test_only_the_register_keepers_take_the_step(world, login):
    nc = world.extra["im_nc"]
    step = page(world, "risks:from_nc", pk=nc.pk)
    employee = login(world.employee)
    assert employee.get(step).status_code == 403
    assert step not in employee.get(page(world, "improvement:detail", pk=nc.pk)).content.decode()


def test_the_step_through_the_api(world, login):
    nc = world.extra["im_nc"]
    client = login(world.mr)
    address = page(world, "api-risks-from-nc", pk=nc.pk)

    def post(data, to=address, who=client):
        return who.post(to, data, content_type="application/json")

    assert post({"likelihood": 2, "consequence": 2}).status_code == 400  # no owner
    assert post({"likelihood": 2, "consequence": 2, "risk": 999999}).status_code == 400
    assert post({"likelihood": 0, "consequence": 2, "owner": world.owner.pk}).status_code == 400
    created = post({"likelihood": 2, "consequence": 3, "owner": world.owner.pk, "title": "Hold"})
    assert created.status_code == 201 and created.json()["score"] == 6
    risk = world.extra["rk_risk"]
    updated = post({"likelihood": 4, "consequence": 4, "risk": risk.pk})
    assert updated.status_code == 201 and updated.json()["id"] == risk.pk
    assert post({"likelihood": 1, "consequence": 2}, who=login(world.employee)).status_code == 403
    assert post({"likelihood": 1, "consequence": 2}, who=login(world.outsider)).status_code == 404

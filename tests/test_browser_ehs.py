"""The environment and safety registers end to end in a real browser (issue 18, "Done when"):
a machinist reports a near miss from a phone with a photo; the production manager
investigates with a worker representative and raises a corrective action; the hazard is
reassessed with an engineering control; the management representative records the year's
evaluation of compliance, one non-compliance raising a nonconformity, and readiness for ISO
14001 9.1.2 turns present."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.compliance.models import Evaluation
from pdca.ehs.models import HazardControl, Incident
from pdca.ehs.testing import PNG
from pdca.improvement.models import Nonconformity, Source
from pdca.standards.models import OrgStandard
from pdca.standards.selectors.readiness import readiness
from tests.browsing import DESKTOP, PHONE, sign_in, submit


def _present_9_1_2(world) -> bool:
    os14 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso14001")
    rows = [r for r in readiness(world.org, [os14], gates=False)[0].required]
    return all(r.present for r in rows if r.clause_number == "9.1.2")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_near_miss_to_corrective_action_and_the_evaluation_of_compliance(
    live_server, browser, world, tmp_path
):
    org, base = world.org.slug, live_server.url
    hazard = world.extra["hazard"]

    def url(name, **kwargs):
        return base + reverse(name, kwargs={"org": org, **kwargs})

    # 1. The machinist reports a near miss from a phone, with a photo.
    photo = tmp_path / "chuck.png"
    photo.write_bytes(PNG)
    context, phone, errors = sign_in(browser, base, world.employee, PHONE)
    phone.goto(url("ehs:incident_report"))
    phone.select_option("select[name=kind]", "near_miss")
    when = timezone.localtime() - datetime.timedelta(minutes=20)
    phone.fill("[name=occurred_at]", when.strftime("%Y-%m-%dT%H:%M"))
    phone.fill("[name=place]", "Lathe bay 3")
    phone.fill("[name=description]", "Swarf hook slipped; hand came close to the chuck.")
    phone.set_input_files("input[name=photo]", str(photo))
    submit(phone, "description")
    incident = Incident.objects.get(organization=world.org, place="Lathe bay 3")
    assert incident.kind == "near_miss" and incident.photos.count() == 1
    assert incident.reported_by == world.employee
    assert incident.reference in phone.content()
    assert not errors, errors
    context.close()

    # 2. The production manager investigates with a worker representative and raises the
    # corrective action.
    context, manager, errors = sign_in(browser, base, world.owner, DESKTOP)
    manager.goto(url("ehs:incident_investigate", pk=incident.pk))
    manager.select_option("select[name=lead]", str(world.owner.pk), force=True)
    manager.select_option("select[name=worker_representative]", str(world.employee.pk), force=True)
    manager.fill("[name=team]", "Production manager, the machinist's worker representative")
    manager.fill("[name=root_cause]", "The swarf hook is too short for the new chuck.")
    manager.select_option("select[name=hazards]", [str(hazard.pk)], force=True)
    manager.fill("[name=communicated]", "Told at the shift briefing.")
    submit(manager, "root_cause")
    incident.refresh_from_db()
    assert incident.status == "investigating"
    assert incident.worker_representative == world.employee
    manager.goto(url("ehs:incident_raise", pk=incident.pk))
    with manager.expect_navigation():
        manager.get_by_role("button", name="Raise").click()
    nc = Nonconformity.objects.get(source=Source.INCIDENT, source_id=incident.pk)
    assert nc.owner == world.owner

    # 3. The hazard is reassessed with an engineering control.
    manager.goto(url("ehs:control_create", pk=hazard.pk))
    manager.select_option("select[name=level]", "engineering")
    manager.fill("[name=title]", "Interlocked chuck guard")
    manager.select_option("select[name=owner]", str(world.owner.pk), force=True)
    manager.fill("[name=due_on]", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    submit(manager, "due_on")
    assert HazardControl.objects.filter(hazard=hazard, level="engineering").exists()
    manager.goto(url("ehs:hazard_edit", pk=hazard.pk))
    manager.fill("[name=residual_likelihood]", "1")
    manager.fill("[name=residual_consequence]", "4")
    manager.fill("[name=reason]", "Near miss at lathe bay 3; interlocked guard planned.")
    submit(manager, "reason")
    hazard.refresh_from_db()
    assert hazard.residual_score == 4
    assert "Interlocked chuck guard" in manager.content()
    assert not errors, errors
    context.close()

    # 4. The year's evaluation of compliance: one non-compliance raises its NC, and readiness
    # for ISO 14001 9.1.2 turns present. The world's earlier evaluation assessed nothing.
    Evaluation.objects.filter(organization=world.org).update(result="not_assessed")
    assert not _present_9_1_2(world)
    obligation = world.extra["obligation"]
    context, mr, errors = sign_in(browser, base, world.mr, DESKTOP)
    mr.goto(url("compliance:evaluate", pk=obligation.pk))
    mr.fill("[name=evaluated_on]", timezone.localdate().isoformat())
    mr.select_option("select[name=method]", "measurement")
    mr.select_option("select[name=result]", "non_compliant")
    mr.fill("[name=evidence]", "Meter readings: 2.4 m3 on three days in October.")
    mr.select_option("select[name=evaluator]", str(world.mr.pk), force=True)
    submit(mr, "evidence")
    evaluation = Evaluation.objects.filter(obligation=obligation).order_by("-pk").first()
    assert evaluation.result == "non_compliant"
    assert Nonconformity.objects.filter(source=Source.COMPLIANCE, source_id=evaluation.pk).exists()
    assert _present_9_1_2(world)
    assert not errors, errors
    context.close()

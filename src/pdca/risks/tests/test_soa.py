"""The Statement of Applicability approved as a signed revision: who may approve, refused while
a control is undecided or a needed control excluded, the password, the revisions kept, what
changed since, readiness's 6.1.3 d) item, pages and API with bad input and the boundary."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.risks import isms, soa
from pdca.risks.models import SoARevision
from pdca.standards import services as standards
from pdca.standards.models import Clause
from pdca.standards.selectors.readiness import load, soa_held

pytestmark = pytest.mark.django_db


def page(world, name, **kwargs):
    return reverse(f"risks:{name}", kwargs={"org": world.org.slug, **kwargs})


def api(world, name, org=None, **kwargs):
    return reverse(name, kwargs={"org": org or world.org.slug, **kwargs})


def decide_every_control(world, applicable=True):
    os27 = world.extra["iso27001"]
    for control in Clause.objects.filter(edition=os27.edition, kind="control", children=None):
        if not os27.soa_entries.filter(clause=control).exists():
            standards.soa_set(
                actor=world.mr,
                org_standard=os27,
                clause=control,
                applicable=applicable,
                justification="Treats the risks of the scope.",
            )
    return os27


def held(world):
    os27 = world.extra["iso27001"]
    return soa_held(load(world.org, [os27]), os27)


def test_approval_is_refused_while_a_control_is_undecided(world):
    with pytest.raises(ValidationError, match="no decision yet"):
        soa.soa_approve(
            actor=world.mr, org_standard=world.extra["iso27001"], note="First", password=PASSWORD
        )


def test_approval_is_refused_while_a_control_a_risk_needs_is_excluded(world):
    os27 = decide_every_control(world)
    risk = world.extra["rk_risk"]
    control = Clause.objects.get(edition=os27.edition, number="A.8.30")
    isms.controls_set(actor=world.mr, risk=risk, expected_version=risk.version, controls=[control])
    entry = os27.soa_entries.get(clause=control)
    standards.soa_set(
        actor=world.mr,
        org_standard=os27,
        clause=control,
        applicable=False,
        justification="No development.",
        expected_version=entry.version,
    )
    with pytest.raises(ValidationError, match=r"A\.8\.30"):
        soa.soa_approve(actor=world.mr, org_standard=os27, note="Second", password=PASSWORD)


def test_a_wrong_password_approves_nothing_and_is_recorded(world):
    os27 = decide_every_control(world)
    with pytest.raises(ValidationError):
        soa.soa_approve(actor=world.mr, org_standard=os27, note="Second", password="nope")
    assert SoARevision.objects.filter(org_standard=os27).count() == 1
    assert TrailEntry.objects.filter(action="risks.soa.approval_refused").exists()


def test_approving_keeps_every_revision_and_readiness_counts_the_approved_one(world, login):
    os27 = decide_every_control(world)
    SoARevision.objects.filter(org_standard=os27).delete()  # as if none were approved yet
    assert not held(world)  # every control decided, but no revision approved
    client = login(world.mr)
    missing = client.post(page(world, "soa_approve", pk=os27.pk), {"password": PASSWORD})
    assert missing.status_code == 400 and "note" in missing.context["form"].errors
    response = client.post(
        page(world, "soa_approve", pk=os27.pk), {"note": "First issue", "password": PASSWORD}
    )
    assert response.status_code == 302
    first = SoARevision.objects.get(org_standard=os27)
    assert first.number == 1 and first.approved_by == world.mr
    assert len(first.lines) == first.applicable_count + first.excluded_count
    assert held(world)
    # A changed line shows as changed since the revision, until a new one is approved.
    entry = os27.soa_entries.select_related("clause").first()
    was = entry.justification
    standards.soa_set(
        actor=world.mr,
        org_standard=os27,
        clause=entry.clause,
        applicable=True,
        justification="Required by the customer contract.",
        expected_version=entry.version,
    )
    listing = client.get(page(world, "soa_revisions")).content.decode()
    assert "1 control changed since" in listing
    second = soa.soa_approve(actor=world.mr, org_standard=os27, note="Contract", password=PASSWORD)
    assert second.number == 2
    assert SoARevision.objects.filter(org_standard=os27).count() == 2
    first.refresh_from_db()
    before = next(line for line in first.lines if line["number"] == entry.clause.number)
    assert before["justification"] == was
    shown = client.get(page(world, "soa_revision", pk=second.pk)).content.decode()
    assert "Required by the customer contract." in shown


def test_only_top_management_or_the_management_representative_approves(world, login):
    os27 = decide_every_control(world)
    response = login(world.owner).post(
        page(world, "soa_approve", pk=os27.pk), {"note": "Mine", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert login(world.employee).get(page(world, "soa_revisions")).status_code == 200
    assert SoARevision.objects.filter(org_standard=os27).count() == 1


def test_revisions_page_keeps_its_query_count(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    assert client.get(page(world, "soa_revisions")).status_code == 200
    with django_assert_max_num_queries(60) as few:
        client.get(page(world, "soa_revisions"))
    os27 = world.extra["iso27001"]
    for number in range(2, 12):
        SoARevision.objects.create(
            organization=world.org,
            org_standard=os27,
            number=number,
            lines=[],
            note=f"Revision {number}",
            approved_by=world.mr,
            approved_at=world.extra["rk_soa_revision"].approved_at,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Revision 11" in client.get(page(world, "soa_revisions")).content.decode()


def test_approve_through_the_api_with_bad_input_and_the_boundary(world, login):
    os27 = decide_every_control(world)
    client = login(world.mr)
    address = api(world, "api-risks-soa-revisions")

    def post(data, to=address):
        return client.post(to, data, content_type="application/json")

    assert post({"org_standard": os27.pk, "password": PASSWORD}).status_code == 400
    assert post({"org_standard": 999999, "note": "x", "password": PASSWORD}).status_code == 400
    wrong = post({"org_standard": os27.pk, "note": "x", "password": "nope"})
    assert wrong.status_code == 400 and "password" in wrong.json()["errors"]
    created = post({"org_standard": os27.pk, "note": "Second", "password": PASSWORD})
    assert created.status_code == 201 and created.json()["number"] == 2
    listed = client.get(address).json()
    assert [r["number"] for r in listed["results"]][:2] == [2, 1]
    detail = client.get(api(world, "api-risks-soa-revision", pk=created.json()["id"])).json()
    assert len(detail["lines"]) == detail["applicable_count"] + detail["excluded_count"]
    assert login(world.owner).post(
        address,
        {"org_standard": os27.pk, "note": "Mine", "password": PASSWORD},
        content_type="application/json",
    ).status_code in (403,)
    outsider = login(world.outsider)
    assert outsider.get(address).status_code == 404
    other = api(world, "api-risks-soa-revision", org="globex", pk=created.json()["id"])
    assert outsider.get(other).status_code == 404


# --- Reasons other than risks, and the "implemented without a reason" flag ----------------


def test_a_reason_names_an_annex_a_control_a_kind_and_what_requires_it(world):
    def save(**fields):
        return soa.reason_save(
            actor=world.mr,
            organization=world.org,
            reason=None,
            expected_version=None,
            fields={
                "clause": isms.annex_controls(world.org).get(number="A.5.31"),
                "kind": "contract",
                "reference": "Customer contract, security annex",
                **fields,
            },
        )

    clause_9001 = Clause.objects.filter(edition__standard__code="iso9001").first()
    with pytest.raises(ValidationError, match="Annex A control"):
        save(clause=clause_9001)
    with pytest.raises(ValidationError) as refused:
        save(reference="  ")
    assert "reference" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        save(kind="whim")
    assert "kind" in refused.value.message_dict
    reason = save()
    assert str(reason) == "Contract: Customer contract, security annex"


def test_the_soa_lists_other_reasons_and_flags_a_control_implemented_without_one(world, login):
    os27 = world.extra["iso27001"]
    bare = Clause.objects.get(edition=os27.edition, number="A.5.2")
    standards.soa_set(
        actor=world.mr, org_standard=os27, clause=bare, applicable=True, justification="Roles."
    )
    standards.assessment_update(
        actor=world.mr, organization=world.org, clause=bare, status="implemented"
    )
    lines = {line["number"]: line for line in soa.current_lines(os27)}
    assert lines["A.5.34"]["reasons"] == ["Law or regulation: GDPR Art. 32"]
    assert "A.5.2" in soa.without_reason(list(lines.values()))
    body = login(world.mr).get(
        reverse("standards:soa", kwargs={"org": world.org.slug, "pk": os27.pk})
    )
    text = body.content.decode()
    assert "GDPR Art. 32" in text and "implemented without a reason" in text
    assert "1 control implemented without a reason" in (
        login(world.mr).get(page(world, "soa_revisions")).content.decode()
    )


def test_reason_pages_refuse_bad_input_and_other_roles(world, login, django_assert_max_num_queries):
    control = isms.annex_controls(world.org).get(number="A.5.31")
    data = {"clause": control.pk, "kind": "law", "reference": "NIS2 Art. 21", "is_active": "on"}
    assert login(world.employee).post(page(world, "reason_create"), data).status_code == 403
    client = login(world.mr)
    bad = client.post(page(world, "reason_create"), {"clause": control.pk, "kind": "law"})
    assert bad.status_code == 400 and "reference" in bad.context["form"].errors
    assert client.post(page(world, "reason_create"), data).status_code == 302
    with django_assert_max_num_queries(30) as few:
        assert "NIS2 Art. 21" in client.get(page(world, "reasons")).content.decode()
    for n in range(15):
        soa.reason_save(
            actor=world.mr,
            organization=world.org,
            reason=None,
            expected_version=None,
            fields={"clause": control, "kind": "business", "reference": f"Tender {n}"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page(world, "reasons"))
    reason = world.extra["rk_reason"]
    withdrawn = client.post(
        page(world, "reason_edit", pk=reason.pk),
        {
            "version": reason.version,
            "clause": reason.clause_id,
            "kind": "law",
            "reference": "GDPR Art. 32",
        },
    )
    assert withdrawn.status_code == 302
    reason.refresh_from_db()
    assert not reason.is_active  # withdrawn, kept


def test_reasons_through_the_api(world, login):
    client = login(world.mr)
    address = api(world, "api-risks-soa-reasons")
    control = isms.annex_controls(world.org).get(number="A.5.31")

    def post(data):
        return client.post(address, data, content_type="application/json")

    assert post({"clause": 999999, "kind": "law", "reference": "x"}).status_code == 400
    assert post({"clause": control.pk, "kind": "whim", "reference": "x"}).status_code == 400
    created = post({"clause": control.pk, "kind": "law", "reference": "NIS2 Art. 21"})
    assert created.status_code == 201 and created.json()["control"] == "A.5.31"
    listed = client.get(address).json()
    assert "NIS2 Art. 21" in [r["reference"] for r in listed["results"]]
    employee = login(world.employee)
    assert (
        employee.post(
            address,
            {"clause": control.pk, "kind": "law", "reference": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert login(world.outsider).get(address).status_code == 404


def soa_gate(world):
    edition = world.extra["iso27001"].edition
    from pdca.standards.selectors import stage1_checklist

    return {g.code: g for g in stage1_checklist(world.org, edition)}["soa"]


def test_the_stage1_gate_asks_for_an_approved_revision_still_as_decided(world):
    from pdca.standards.gates import FAIL, PASS

    assert soa_gate(world).state == FAIL  # undecided controls
    SoARevision.objects.filter(organization=world.org).delete()  # the world's own revision
    os27 = decide_every_control(world)
    gate = soa_gate(world)
    # Every control decided is not enough: the Statement is approved, signed.
    assert gate.state == FAIL and "as revision 1" in gate.detail
    soa.soa_approve(actor=world.mr, org_standard=os27, note="First", password=PASSWORD)
    gate = soa_gate(world)
    assert gate.state == PASS and "revision 1" in gate.detail
    # Progress on a control's implementation needs no new revision...
    control = Clause.objects.get(edition=os27.edition, number="A.5.1")
    current = standards.assessment_for(world.org, control)
    standards.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=control,
        expected_version=current.version or None,
        status="implemented",
    )
    assert soa_gate(world).state == PASS
    entry = os27.soa_entries.get(clause=control)
    # ...but a changed decision does, until it is approved again.
    standards.soa_set(
        actor=world.mr,
        org_standard=os27,
        clause=control,
        applicable=True,
        justification="Policies are required by the customers' contracts.",
        expected_version=entry.version,
    )
    gate = soa_gate(world)
    assert gate.state == FAIL and "A.5.1" in gate.detail and "revision 1" in gate.detail
    soa.soa_approve(actor=world.mr, org_standard=os27, note="A.5.1", password=PASSWORD)
    assert soa_gate(world).state == PASS

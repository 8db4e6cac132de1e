"""Evaluation of compliance: the rules (evidence, dates, frequency, a non-compliance raising
its nonconformity), the due items, the status summary, the stage 1 gate and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.compliance import services
from pdca.compliance.due import amendment_checks_due, evaluations_due, permits_expiring
from pdca.compliance.gates import evaluation_of_compliance
from pdca.compliance.models import Evaluation
from pdca.compliance.selectors import compliance_status
from pdca.compliance.testing import make_obligation
from pdca.core.due import DueQuery
from pdca.core.roles import Role
from pdca.core.updating import ConflictError
from pdca.improvement.models import Nonconformity, Source
from pdca.standards.gates import FAIL, PASS

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def _evaluate(world, obligation, **values):
    fields = {
        "evaluated_on": TODAY,
        "method": "inspection",
        "result": "compliant",
        "evidence": "Site walk: waste separated in the marked containers.",
        "evaluator": world.mr,
        **values,
    }
    return services.evaluation_record(actor=world.mr, obligation=obligation, **fields)


def test_an_evaluation_sets_when_the_next_is_due(world):
    ob = make_obligation(world, evaluation_months=3)
    assert ob.next_evaluation_on == TODAY  # a new obligation is due at once
    _evaluate(world, ob, evaluated_on=TODAY - datetime.timedelta(days=10))
    ob.refresh_from_db()
    assert ob.last_result == "compliant"
    assert ob.next_evaluation_on > TODAY + datetime.timedelta(days=70)
    # an older evaluation entered later does not move the dates back
    _evaluate(world, ob, evaluated_on=TODAY - datetime.timedelta(days=200), result="not_assessed")
    ob.refresh_from_db()
    assert ob.last_result == "compliant" and ob.last_evaluated_on == TODAY - datetime.timedelta(10)
    # "not assessed" leaves it due: compliance is not known
    _evaluate(world, ob, result="not_assessed", evidence="Meter broken, no readings.")
    ob.refresh_from_db()
    assert ob.next_evaluation_on == TODAY


def test_evidence_and_date_are_required(world):
    ob = world.extra["obligation"]
    with pytest.raises(ValidationError) as err:
        _evaluate(world, ob, evidence="  ")
    assert "evidence" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _evaluate(world, ob, evaluated_on=TODAY + datetime.timedelta(days=1))
    assert "evaluated_on" in err.value.message_dict


def test_non_compliance_raises_a_nonconformity_once(world):
    ob = world.extra["obligation"]
    ev = _evaluate(world, ob, result="non_compliant", evidence="Discharge 2.8 m3 on 3 May.")
    with scopes_disabled():
        nc = Nonconformity.objects.get(source_id=ev.pk, source=Source.COMPLIANCE)
    assert nc.owner == ob.responsible and "Water discharge permit" in nc.title
    # a correction of a compliant one to non-compliant raises its own
    ok = _evaluate(world, ob)
    services.evaluation_correct(
        actor=world.mr,
        evaluation=ok,
        version=ok.version,
        reason="Lab result came back",
        result="non_compliant",
    )
    with scopes_disabled():
        assert Nonconformity.objects.filter(source=Source.COMPLIANCE).count() == 2


def test_correction_needs_reason_and_version_and_is_never_a_delete(world):
    ev = world.extra["evaluation"]
    with pytest.raises(ValidationError):
        services.evaluation_correct(actor=world.mr, evaluation=ev, version=ev.version, reason="")
    with pytest.raises(ConflictError):
        services.evaluation_correct(
            actor=world.mr, evaluation=ev, version=ev.version + 1, reason="r", notes="x"
        )
    fixed = services.evaluation_correct(
        actor=world.mr, evaluation=ev, version=ev.version, reason="Typo", notes="Meter M-3"
    )
    assert fixed.status == "corrected" and Evaluation.objects.filter(pk=ev.pk).exists()


def test_withdrawn_obligation_is_not_evaluated_and_roles(world):
    ob = make_obligation(world, title="Old permit")
    with pytest.raises(ValidationError, match="role"):
        services.evaluation_record(
            actor=world.employee,
            obligation=ob,
            evaluated_on=TODAY,
            method="inspection",
            result="compliant",
            evidence="x",
            evaluator=world.mr,
        )
    _evaluate(world, ob)  # the internal auditor may too
    services.evaluation_record(
        actor=world.auditor,
        obligation=ob,
        evaluated_on=TODAY,
        method="document_review",
        result="compliant",
        evidence="Permit file read",
        evaluator=world.auditor,
    )
    services.obligation_withdraw(actor=world.mr, obligation=ob, reason="Surrendered")
    with pytest.raises(ValidationError):
        _evaluate(world, ob)


def _query(world, days=60, **kw):
    return DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=TODAY + datetime.timedelta(days=days),
        today=TODAY,
        **kw,
    )


def test_due_items_evaluation_permit_and_amendment_check(world):
    late = make_obligation(world, title="Emissions permit", permit_number="BImSchG-4711")
    q = _query(world)
    titles = [i.title for i in evaluations_due(q)]
    assert any("Emissions permit" in t for t in titles)
    assert all("Water discharge permit" not in t for t in titles)  # evaluated a month ago
    permits = permits_expiring(_query(world, days=200))
    assert {i.object_id for i in permits} >= {late.pk, world.extra["obligation"].pk}
    assert all(i.owner_id == world.mr.pk for i in permits)
    assert amendment_checks_due(q)
    assert not evaluations_due(_query(world, owners=[world.owner.pk]))


def test_due_sources_keep_their_query_count(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        evaluations_due(_query(world))
    for i in range(10):
        make_obligation(world, title=f"Permit {i}")
    with django_assert_max_num_queries(3):
        assert len(evaluations_due(_query(world))) >= 10


def test_compliance_status_summary(world):
    nc_ob = make_obligation(
        world, title="Waste act", kind="law", permit_number="", permit_expires_on=None
    )
    _evaluate(world, nc_ob, result="non_compliant")
    make_obligation(
        world,
        title="REACH",
        discipline="ohs",
        kind="regulation",
        permit_number="",
        permit_expires_on=None,
    )
    status = compliance_status(world.org)
    env = status["environment"]
    assert env.obligations == 2 and env.compliant == 1 and env.non_compliant == 1
    assert env.permits_expiring == 0 and env.all_evaluated  # the permit runs 120 more days
    assert status["ohs"].never_evaluated == 1 and status["ohs"].evaluation_overdue == 0
    assert status["all"].obligations == 3
    permit = world.extra["obligation"]
    permit.__class__.objects.filter(pk=permit.pk).update(
        permit_expires_on=TODAY + datetime.timedelta(days=30)
    )
    assert compliance_status(world.org)["environment"].permits_expiring == 1


class _Std:
    def __init__(self, code):
        self.edition = type("E", (), {"standard": type("S", (), {"code": code})()})()


class _Ctx:
    def __init__(self, world, code, present=False):
        self.organization = world.org
        self.org_standard = _Std(code)
        row = type("R", (), {"clause_number": "9.1.2", "present": present})()
        self.readiness = type("Rd", (), {"required": [row]})()
        self.cache = {}

    def once(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def test_gate_reads_the_register_and_keeps_the_linked_record_rule(world):
    # The world's environmental permit is evaluated: the 14001 gate passes from the register.
    assert evaluation_of_compliance(_Ctx(world, "iso14001")).state == PASS
    # No OH&S obligation: the 45001 gate keeps today's rule, a linked 9.1.2 record.
    assert evaluation_of_compliance(_Ctx(world, "iso45001", present=True)).state == PASS
    assert evaluation_of_compliance(_Ctx(world, "iso45001")).state == FAIL
    old = make_obligation(world, title="Noise permit")
    old.__class__.objects.filter(pk=old.pk).update(
        next_evaluation_on=TODAY - datetime.timedelta(days=1)
    )
    result = evaluation_of_compliance(_Ctx(world, "iso14001", present=True))
    assert result.state == FAIL and "Noise permit" in result.detail


def test_evaluate_page_errors_next_to_fields_and_success(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    assert client.get(url("compliance:evaluate", pk=ob.pk)).status_code == 200
    data = {
        "evaluated_on": TODAY.isoformat(),
        "method": "measurement",
        "result": "non_compliant",
        "evidence": "",
        "evaluator": world.mr.pk,
    }
    r = client.post(url("compliance:evaluate", pk=ob.pk), data)
    assert r.status_code == 400 and "evidence" in r.context["form"].errors
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    r = client.post(
        url("compliance:evaluate", pk=ob.pk), {**data, "evidence": "x", "evaluated_on": future}
    )
    assert r.status_code == 400 and "evaluated_on" in r.context["form"].errors
    r = client.post(url("compliance:evaluate", pk=ob.pk), {**data, "evidence": "2.8 m3 on 3 May"})
    assert r.status_code == 302
    page = client.get(url("compliance:detail", pk=ob.pk)).content
    assert b"NC-" in page and b"2.8 m3 on 3 May" in page
    assert login(world.employee).post(url("compliance:evaluate", pk=ob.pk), data).status_code == 403


def test_correct_page(world, login):
    ev = world.extra["evaluation"]
    client = login(world.mr)
    data = {
        "evaluated_on": ev.evaluated_on.isoformat(),
        "method": ev.method,
        "result": ev.result,
        "evidence": ev.evidence,
        "evaluator": world.mr.pk,
        "notes": "Meter M-3",
        "version": ev.version,
        "reason": "",
    }
    r = client.post(url("compliance:evaluation_correct", pk=ev.pk), data)
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(url("compliance:evaluation_correct", pk=ev.pk), {**data, "reason": "Meter"})
    assert r.status_code == 302
    r = client.post(url("compliance:evaluation_correct", pk=ev.pk), {**data, "reason": "again"})
    assert r.status_code == 409
    assert (
        login(world.users[Role.EMPLOYEE])
        .get(url("compliance:evaluation_correct", pk=ev.pk))
        .status_code
        == 403
    )


def test_evaluations_page_with_status_and_query_count(world, login, django_assert_max_num_queries):
    client = login(world.employee)
    r = client.get(url("compliance:evaluations"))
    assert r.status_code == 200 and b"Compliance status" in r.content
    with django_assert_max_num_queries(14) as few:
        client.get(url("compliance:evaluations"))
    ob = world.extra["obligation"]
    for i in range(8):
        _evaluate(
            world,
            ob,
            result="non_compliant" if i % 2 else "compliant",
            evaluated_on=TODAY - datetime.timedelta(days=i),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(url("compliance:evaluations"))
    assert b"NC-" in r.content
    r = client.get(url("compliance:evaluations"), {"result": "non_compliant"})
    assert r.status_code == 200
    assert client.get(url("compliance:evaluations"), {"year": "x"}).status_code == 200


def test_outsider_cannot_see_or_evaluate(world, login):
    ob = world.extra["obligation"]
    client = login(world.outsider)
    assert client.get(url("compliance:evaluations")).status_code == 404
    assert client.post(url("compliance:evaluate", pk=ob.pk), {}).status_code == 404


def test_the_clause_page_lists_evaluations_in_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    """An evaluation's label names its obligation: the evidence choice list joins it."""
    import datetime as dt

    from django.urls import reverse

    from pdca.compliance import services as compliance
    from pdca.standards.models import Clause, OrgStandard

    os14 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso14001")
    page = reverse(
        "standards:clause",
        kwargs={
            "org": "acme",
            "pk": os14.pk,
            "clause": Clause.objects.get(edition=os14.edition, number="9.1.2").pk,
        },
    )

    def evaluate(n: int) -> None:
        compliance.evaluation_record(
            actor=world.mr,
            obligation=world.extra["obligation"],
            evaluated_on=dt.date.today() - dt.timedelta(days=n),
            method="inspection",
            result="compliant",
            evidence=f"Walk-round {n}",
            evaluator=world.mr,
        )

    evaluate(1)
    client = login(world.mr)
    client.get(page)
    with django_assert_max_num_queries(80) as few:
        assert client.get(page).status_code == 200
    for n in range(10):
        evaluate(n + 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = client.get(page).content
    assert content.count(b'value="compliance.evaluation:') >= 11

"""Sharing across standards through the API: "also valid for this standard?" for a shared
clause's status, and for a piece of evidence, through the same services as the clause page."""

import pytest
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.roles import Role
from pdca.standards import services
from pdca.standards.models import Assessment, AssessmentConfirmation, Edition, EvidenceLink
from pdca.standards.tests.test_sharing import choose, clause, present, result_of

pytestmark = pytest.mark.django_db
S = Assessment.Status


def confirm_url(org_standard, c, org="acme"):
    return reverse(
        "api-standards-assessment-confirm",
        kwargs={"org": org, "pk": org_standard.pk, "clause": c.pk},
    )


def share_url(link, org="acme"):
    return reverse("api-standards-evidence-share", kwargs={"org": org, "pk": link.pk})


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def shared(world):
    """ISO 45001 chosen beside 9001, whose 7.3 (awareness, shared) is implemented."""
    os45 = choose(world, "iso45001")
    a = services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "7.3"),
        status=S.IMPLEMENTED,
    )
    return os45, clause("iso45001", "7.3"), a


def test_a_shared_status_is_confirmed_for_another_standard(world, login, shared):
    os45, c45, a = shared
    assert result_of(world, os45).by_status[S.IMPLEMENTED] == 0
    r = post(login(world.mr), confirm_url(os45, c45), {"version": a.version})
    assert r.status_code == 200, r.content
    assert os45.pk in r.json()["confirmed_for"] and r.json()["status"] == S.IMPLEMENTED
    assert r.json()["shared_hs"] == "7.3"
    assert result_of(world, os45).by_status[S.IMPLEMENTED] == 1
    assert TrailEntry.objects.filter(action="standards.assessment.confirmed").exists()
    again = post(login(world.mr), confirm_url(os45, c45), {"version": a.version})
    assert again.status_code == 400 and "already confirmed" in again.json()["detail"]


def test_confirming_a_changed_status_is_a_conflict(world, login, shared):
    os45, c45, a = shared
    r = post(login(world.mr), confirm_url(os45, c45), {"version": a.version - 1})
    assert r.status_code == 409
    assert not AssessmentConfirmation.objects.filter(org_standard=os45).exists()


@pytest.mark.parametrize("body", [{}, {"version": "one"}])
def test_confirming_needs_the_version_seen(world, login, shared, body):
    os45, c45, _a = shared
    r = post(login(world.mr), confirm_url(os45, c45), body)
    assert r.status_code == 400 and "version" in r.json()["errors"]


def test_a_clause_that_is_not_shared_cannot_be_confirmed(world, login, shared):
    os45, _c45, a = shared
    own = clause("iso45001", "6.1.2.1")  # hazard identification: 45001's own
    r = post(login(world.mr), confirm_url(os45, own), {"version": a.version})
    assert r.status_code == 400 and "shared clause" in r.json()["detail"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.TOP_MANAGEMENT, 200),
        (Role.MANAGEMENT_REP, 200),
        (Role.CONSULTANT, 200),
        (Role.PROCESS_OWNER, 403),
        (Role.INTERNAL_AUDITOR, 403),
        (Role.EMPLOYEE, 403),
        (Role.EXTERNAL_AUDITOR, 403),
    ],
)
def test_confirming_is_for_those_who_assess(world, login, shared, role, status):
    os45, c45, a = shared
    r = post(login(world.users[role]), confirm_url(os45, c45), {"version": a.version})
    assert r.status_code == status, r.content
    assert AssessmentConfirmation.objects.filter(org_standard=os45).exists() == (status == 200)


def test_another_organizations_standard_is_not_found(world, login, shared):
    _os45, c45, a = shared
    theirs = services.org_standard_choose(
        actor=world.outsider,
        organization=world.other_org,
        edition=Edition.objects.get(standard__code="iso45001"),
    )
    r = post(login(world.mr), confirm_url(theirs, c45), {"version": a.version})
    assert r.status_code == 404
    os45 = shared[0]
    assert post(login(world.outsider), confirm_url(os45, c45), {"version": 1}).status_code == 404


# --- Evidence ------------------------------------------------------------------------------


@pytest.fixture
def audit_record_link(world):
    """A record linked as evidence of 9001 9.2.2 (audit results: shared by the HS)."""
    record = world.extra["record"]
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "9.2.2"), obj=record
    )
    return EvidenceLink.objects.get(clause=clause("iso9001", "9.2.2"), object_id=record.pk)


def test_evidence_is_linked_for_another_standard(world, login, audit_record_link):
    os14 = choose(world, "iso14001")
    assert not present(result_of(world, os14), "9.2.2", "9.2.2")
    r = post(login(world.mr), share_url(audit_record_link), {"org_standard": os14.pk})
    assert r.status_code == 201, r.content
    assert r.json()["clause"] == clause("iso14001", "9.2.2").pk
    assert r.json()["content_type"] == "records.record"
    assert present(result_of(world, os14), "9.2.2", "9.2.2")


def test_discipline_specific_evidence_is_not_shared(world, login):
    os14 = choose(world, "iso14001")
    document = world.extra["document"]
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "5.2.2"), obj=document
    )
    link = EvidenceLink.objects.get(clause=clause("iso9001", "5.2.2"), object_id=document.pk)
    r = post(login(world.mr), share_url(link), {"org_standard": os14.pk})
    assert r.status_code == 400 and "specific to its discipline" in r.json()["detail"]
    assert not EvidenceLink.objects.filter(clause__edition=os14.edition).exists()


def test_sharing_needs_a_standard_of_this_organization(world, login, audit_record_link):
    theirs = services.org_standard_choose(
        actor=world.outsider,
        organization=world.other_org,
        edition=Edition.objects.get(standard__code="iso14001"),
    )
    client = login(world.mr)
    for body in ({}, {"org_standard": "x"}, {"org_standard": theirs.pk}):
        r = post(client, share_url(audit_record_link), body)
        assert r.status_code == 400 and "org_standard" in r.json()["errors"], body


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGEMENT_REP, 201),
        (Role.PROCESS_OWNER, 201),
        (Role.INTERNAL_AUDITOR, 403),
        (Role.EMPLOYEE, 403),
        (Role.EXTERNAL_AUDITOR, 403),
    ],
)
def test_sharing_is_for_those_who_link_evidence(world, login, audit_record_link, role, status):
    os14 = choose(world, "iso14001")
    r = post(login(world.users[role]), share_url(audit_record_link), {"org_standard": os14.pk})
    assert r.status_code == status, r.content


def test_another_organizations_link_is_not_found(world, login, audit_record_link):
    os14 = choose(world, "iso14001")
    r = post(login(world.outsider), share_url(audit_record_link), {"org_standard": os14.pk})
    assert r.status_code == 404
    process = services.process_save(
        actor=world.outsider,
        organization=world.other_org,
        code="G1",
        name="Globex sales",
        owner=world.outsider,
        purpose="Sell",
    )
    services.evidence_link(
        actor=world.outsider,
        organization=world.other_org,
        clause=clause("iso9001", "9.2.2"),
        obj=process,
    )
    theirs = EvidenceLink.objects.get(object_id=process.pk, clause=clause("iso9001", "9.2.2"))
    r = post(login(world.mr), share_url(theirs), {"org_standard": os14.pk})
    assert r.status_code == 404

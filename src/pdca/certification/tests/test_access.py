"""The body's auditor: let into one audit for a time, asking for evidence, the answers with
links, and the log of what they opened that the management representative sees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.certification import access
from pdca.certification.models import AuditorAccess, EvidenceRequest
from pdca.core.models import Membership, TrailEntry

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
API = "/api/v1/o/acme/certification"


def url(world, name, **kw):
    return reverse(f"certification:{name}", kwargs={"org": world.org.slug, **kw})


def external_membership(world):
    return Membership.objects.get(organization=world.org, user=world.external)


def api_call(client, user, method, path, body=None):
    from pdca.core import services as core_services

    _token, raw = core_services.api_token_create(actor=user, name="script")
    return getattr(client, method)(
        API + path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )


def test_the_auditor_sees_only_the_audit_they_were_let_into(world, login):
    client = login(world.external)
    stage1 = world.extra["external_audit"]
    surveillance = world.extra["surveillance"]
    assert client.get(url(world, "audit", pk=stage1.pk)).status_code == 200
    assert client.get(url(world, "audit", pk=surveillance.pk)).status_code == 404
    listed = client.get(url(world, "audits")).content.decode()
    assert f"/audits/{stage1.pk}/" in listed and f"/audits/{surveillance.pk}/" not in listed
    # an internal member sees every audit
    assert login(world.employee).get(url(world, "audit", pk=surveillance.pk)).status_code == 200


def test_once_the_access_ends_the_auditor_sees_the_audit_no_more(world, login):
    grant = AuditorAccess.objects.get(audit=world.extra["external_audit"])
    access.auditor_access_end(actor=world.mr, access=grant)
    client = login(world.external)
    assert client.get(url(world, "audit", pk=grant.audit_id)).status_code == 404
    pack = world.extra["cert_pack"]
    assert client.get(url(world, "pack_download", pk=pack.pk)).status_code == 404


def test_an_access_never_outlasts_the_membership_and_is_for_external_auditors_only(world):
    audit = world.extra["surveillance"]
    member = external_membership(world)
    with pytest.raises(ValidationError, match="membership ends"):
        access.auditor_access_grant(
            actor=world.mr,
            audit=audit,
            membership=member,
            valid_from=TODAY,
            valid_until=member.expires_on + datetime.timedelta(days=1),
        )
    employee = Membership.objects.get(organization=world.org, user=world.employee)
    with pytest.raises(ValidationError, match="only role is external auditor"):
        access.auditor_access_grant(
            actor=world.mr, audit=audit, membership=employee, valid_from=TODAY, valid_until=TODAY
        )
    with pytest.raises(ValidationError, match="on or after its first day"):
        access.auditor_access_grant(
            actor=world.mr,
            audit=audit,
            membership=member,
            valid_from=TODAY,
            valid_until=TODAY - datetime.timedelta(days=1),
        )


def test_the_mr_lets_the_auditor_in_through_the_page(world, login):
    audit = world.extra["surveillance"]
    member = external_membership(world)
    client = login(world.mr)
    form = client.get(url(world, "access_new", pk=audit.pk))
    assert form.status_code == 200 and world.external.email in form.content.decode()
    bad = client.post(
        url(world, "access_new", pk=audit.pk),
        {"membership": member.pk, "valid_from": TODAY, "valid_until": "not a date"},
    )
    assert bad.status_code == 400
    response = client.post(
        url(world, "access_new", pk=audit.pk),
        {"membership": member.pk, "valid_from": TODAY, "valid_until": member.expires_on},
    )
    assert response.status_code == 302
    assert login(world.external).get(url(world, "audit", pk=audit.pk)).status_code == 200
    assert TrailEntry.objects.filter(action="certification.access.granted").exists()


def test_the_auditor_asks_and_the_mr_answers_with_links(world, login):
    audit = world.extra["external_audit"]
    auditor = login(world.external)
    page = auditor.get(url(world, "audit", pk=audit.pk)).content.decode()
    assert url(world, "request_new", pk=audit.pk) in page
    assert auditor.post(url(world, "request_new", pk=audit.pk), {"text": ""}).status_code == 400
    response = auditor.post(
        url(world, "request_new", pk=audit.pk),
        {"text": "Show me the calibration records of the CMM for 2026"},
    )
    assert response.status_code == 302
    asked = EvidenceRequest.objects.filter(audit=audit).latest("pk")
    assert asked.asked_by == world.external and asked.status == "open"
    mr = login(world.mr)
    refused = mr.post(
        url(world, "request_answer", pk=asked.pk),
        {"answer": "Here", "links": "https://evil.example/x", "version": asked.version},
    )
    assert refused.status_code == 400 and "pages of this organization" in refused.content.decode()
    record = f"/o/{world.org.slug}/records/"
    answered = mr.post(
        url(world, "request_answer", pk=asked.pk),
        {"answer": "The 2026 records", "links": f"http://testserver{record}", "version": 1},
    )
    assert answered.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "answered" and asked.links == [record]
    assert record in auditor.get(url(world, "audit", pk=audit.pk)).content.decode()


def test_an_internal_member_cannot_ask_and_the_auditor_cannot_answer(world, login):
    audit = world.extra["external_audit"]
    asked = world.extra["cert_request"]
    assert (
        login(world.mr).post(url(world, "request_new", pk=audit.pk), {"text": "x"}).status_code
        == 403
    )
    response = login(world.external).post(
        url(world, "request_answer", pk=asked.pk), {"answer": "x", "version": asked.version}
    )
    assert response.status_code == 403


def test_what_the_auditor_opens_is_in_the_trail_and_the_mr_sees_it(world, login):
    audit = world.extra["external_audit"]
    pack = world.extra["cert_pack"]
    auditor = login(world.external)
    auditor.get(url(world, "audit", pk=audit.pk))
    auditor.get(url(world, "pack_download", pk=pack.pk))
    auditor.get(url(world, "audit", pk=world.extra["surveillance"].pk))  # 404: not recorded
    log = login(world.mr).get(url(world, "opened", pk=audit.pk)).content.decode()
    assert url(world, "audit", pk=audit.pk) in log
    assert url(world, "pack_download", pk=pack.pk) in log
    assert url(world, "audit", pk=world.extra["surveillance"].pk) not in log
    # an internal member's visits are not the auditor's
    login(world.employee).get(url(world, "overview"))
    assert not TrailEntry.objects.filter(action=access.OPENED, actor=world.employee).exists()


def test_the_opened_log_is_for_the_keepers_and_its_query_count_is_fixed(
    world, login, django_assert_max_num_queries
):
    audit = world.extra["external_audit"]
    assert login(world.employee).get(url(world, "opened", pk=audit.pk)).status_code == 403
    assert login(world.external).get(url(world, "opened", pk=audit.pk)).status_code == 403
    mr = login(world.mr)
    auditor = login(world.external)
    auditor.get(url(world, "overview"))
    mr = login(world.mr)
    with django_assert_max_num_queries(200) as ctx:
        mr.get(url(world, "opened", pk=audit.pk))
    before = len(ctx.captured_queries)
    auditor = login(world.external)
    for _ in range(5):
        auditor.get(url(world, "overview"))
    mr = login(world.mr)
    with django_assert_max_num_queries(before):
        assert mr.get(url(world, "opened", pk=audit.pk)).status_code == 200


def test_another_organizations_auditor_pages_are_not_found(world, login):
    client = login(world.outsider)
    audit = world.extra["external_audit"]
    for name, pk in [
        ("access_new", audit.pk),
        ("opened", audit.pk),
        ("request_answer", world.extra["cert_request"].pk),
        ("access_end", world.extra["cert_access"].pk),
    ]:
        other = reverse(f"certification:{name}", kwargs={"org": world.other_org.slug, "pk": pk})
        assert client.get(other).status_code == 404, name
    # asking is the auditor's: another organization's manager is refused before any lookup
    other = reverse("certification:request_new", kwargs={"org": world.other_org.slug, "pk": 1})
    assert client.get(other).status_code == 403


def test_the_api_lets_in_asks_and_answers(world, client):
    audit = world.extra["surveillance"]
    member = external_membership(world)
    body = {
        "membership": member.pk,
        "valid_from": str(TODAY),
        "valid_until": str(member.expires_on),
    }
    created = api_call(client, world.mr, "post", f"/audits/{audit.pk}/accesses/", body)
    assert created.status_code == 201 and created.json()["auditor"]
    bad = api_call(client, world.mr, "post", f"/audits/{audit.pk}/accesses/", {"membership": 0})
    assert bad.status_code == 400
    asked = api_call(
        client, world.external, "post", f"/audits/{audit.pk}/requests/", {"text": "The SoA"}
    )
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    assert (
        api_call(
            client, world.employee, "post", f"/audits/{audit.pk}/requests/", {"text": "x"}
        ).status_code
        == 403
    )
    answer = {"answer": "", "links": ["https://elsewhere.example/"], "version": 1}
    refused = api_call(client, world.mr, "post", f"/requests/{request_id}/answer/", answer)
    assert refused.status_code == 400
    answer["links"] = [f"/o/{world.org.slug}/standards/"]
    done = api_call(client, world.mr, "post", f"/requests/{request_id}/answer/", answer)
    assert done.status_code == 200 and done.json()["status"] == "answered"
    listed = api_call(client, world.external, "get", f"/audits/{audit.pk}/requests/").json()
    assert [r["id"] for r in listed] == [request_id]

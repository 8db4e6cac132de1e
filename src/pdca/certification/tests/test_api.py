import datetime

import pytest

from pdca.certification.models import ExternalAudit, ExternalFinding
from pdca.core import services as core_services
from pdca.core.dates import add_months
from pdca.improvement.selectors import raised_from

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
BASE = "/api/v1/o/acme/certification"


@pytest.fixture
def api(world, client):
    def as_user(user):
        _token, raw = core_services.api_token_create(actor=user, name="script")

        def call(method, url, body=None):
            return getattr(client, method)(
                BASE + url,
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )

        return call

    return as_user


def test_read_lists_and_details(api, world):
    call = api(world.employee)
    assert call("get", "/bodies/").json()["results"][0]["name"] == "Certa Zert GmbH"
    certs = call("get", "/certificates/").json()["results"]
    assert [c["number"] for c in certs] == ["QM-4711"]
    audits = call("get", "/audits/?kind=surveillance1").json()["results"]
    assert len(audits) == 1
    audit = world.extra["external_audit"]
    findings = call("get", f"/audits/{audit.pk}/findings/").json()
    assert findings[0]["grade"] == "minor" and findings[0]["grade_definition"]
    assert call("get", "/audits/?kind=nonsense").status_code == 400


def test_writes_need_the_role(api, world):
    call = api(world.employee)
    assert call("post", "/bodies/", {"name": "X"}).status_code == 403
    audit = world.extra["external_audit"]
    body = {"grade": "observation", "statement": "x"}
    assert call("post", f"/audits/{audit.pk}/findings/", body).status_code == 403
    finding = world.extra["external_finding"]
    answer = {"step": "submit", "on": TODAY.isoformat(), "response": "x", "version": 1}
    assert call("post", f"/findings/{finding.pk}/answer/", answer).status_code == 403
    # a process owner may answer findings, not plan audits
    owner = api(world.owner)
    assert (
        owner(
            "post", f"/findings/{finding.pk}/answer/", {**answer, "version": finding.version}
        ).status_code
        == 200
    )
    assert owner("post", "/audits/", {}).status_code == 403


def test_another_organizations_objects_are_not_found(api, world):
    call = api(world.outsider)
    audit = world.extra["external_audit"]
    cert = world.extra["certificate"]
    for url in (
        f"/audits/{audit.pk}/",
        f"/certificates/{cert.pk}/",
        f"/audits/{audit.pk}/findings/",
    ):
        assert call("get", url.replace(BASE, "")).status_code in (403, 404)
    globex = "/api/v1/o/globex/certification"
    _t, raw = core_services.api_token_create(actor=world.outsider, name="g")
    from django.test import Client

    c = Client()
    response = c.get(f"{globex}/audits/{audit.pk}/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    response = c.get(f"{globex}/certificates/{cert.pk}/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404


def test_certificate_rules_through_the_api(api, world):
    call = api(world.mr)
    decided = add_months(TODAY, -1)
    body = {
        "body": world.extra["cert_body"].pk,
        "number": "ISMS-1",
        "standards": [world.extra["iso27001"].pk],
        "scope": "Hosting",
        "initial_certified_on": decided.isoformat(),
        "decided_on": decided.isoformat(),
        "issued_on": decided.isoformat(),
        "expires_on": add_months(decided, 37).isoformat(),
    }
    response = call("post", "/certificates/", body)
    assert response.status_code == 400
    assert "expires_on" in response.json()["errors"]
    assert call("post", "/certificates/", {**body, "standards": [999999]}).status_code == 400
    assert call("post", "/certificates/", {**body, "decided_on": "soon"}).status_code == 400
    response = call(
        "post", "/certificates/", {**body, "expires_on": add_months(decided, 36).isoformat()}
    )
    assert response.status_code == 201
    cert_id = response.json()["id"]
    kinds = {
        a["kind"] for a in call("get", "/audits/").json()["results"] if a["certificate"] == cert_id
    }
    assert kinds == {"surveillance1", "surveillance2", "recertification"}
    # a correction needs its reason and the version; a stale version is 409
    version = response.json()["version"]
    patch = {**body, "expires_on": add_months(decided, 36).isoformat(), "number": "ISMS-1a"}
    assert (
        call("patch", f"/certificates/{cert_id}/", {**patch, "version": version}).status_code == 400
    )
    ok = call("patch", f"/certificates/{cert_id}/", {**patch, "version": version, "reason": "Typo"})
    assert ok.status_code == 200 and ok.json()["number"] == "ISMS-1a"
    stale = call(
        "patch", f"/certificates/{cert_id}/", {**patch, "version": version, "reason": "Again"}
    )
    assert stale.status_code == 409
    status = {
        "status": "suspended",
        "reason": "Late",
        "since": TODAY.isoformat(),
        "until": add_months(TODAY, 8).isoformat(),
        "version": version + 1,
    }
    response = call("post", f"/certificates/{cert_id}/status/", status)
    assert response.status_code == 400 and "until" in response.json()["errors"]


def test_stage2_and_findings_through_the_api(api, world):
    call = api(world.mr)
    base = {
        "body": world.extra["cert_body"].pk,
        "standards": [world.extra["iso9001"].pk],
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    }
    response = call("post", "/audits/", {**base, "kind": "stage2"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert call("post", "/audits/", {**base, "kind": "stage9"}).status_code == 400
    audit = world.extra["external_audit"]
    url = f"/audits/{audit.pk}/findings/"
    response = call("post", url, {"grade": "major", "statement": "No risk owner"})
    assert response.status_code == 400 and "response_due_on" in response.json()["errors"]
    due = (TODAY + datetime.timedelta(days=20)).isoformat()
    response = call(
        "post", url, {"grade": "major", "statement": "No risk owner", "response_due_on": due}
    )
    assert response.status_code == 201
    finding = ExternalFinding.objects.get(pk=response.json()["id"])
    assert raised_from(finding).severity == "major"
    held = call(
        "post",
        f"/audits/{audit.pk}/held/",
        {"outcome": "passed", "decided_on": TODAY.isoformat(), "version": audit.version + 0},
    )
    assert held.status_code in (400, 409)
    fresh = ExternalAudit.objects.get(pk=audit.pk)
    held = call(
        "post",
        f"/audits/{audit.pk}/held/",
        {"outcome": "passed", "decided_on": TODAY.isoformat(), "version": fresh.version},
    )
    assert held.status_code == 400 and "decided_on" in held.json()["errors"]
    answer = call(
        "post",
        f"/findings/{finding.pk}/answer/",
        {"step": "verify", "on": TODAY.isoformat(), "version": finding.version},
    )
    assert answer.status_code == 400
    assert call("get", f"/findings/{finding.pk}/").json()["status"] == "open"
    assert call("delete", f"/findings/{finding.pk}/").status_code == 405

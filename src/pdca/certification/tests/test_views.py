import datetime

import pytest
from django.urls import reverse

from pdca.certification import services
from pdca.certification.models import ExternalAudit, ExternalFinding
from pdca.core.dates import add_months
from pdca.core.testing import assert_page_translated

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(world, name, **kw):
    return reverse(f"certification:{name}", kwargs={"org": world.org.slug, **kw})


def test_overview_shows_the_cycle_the_open_findings_and_the_stage1_checklist(world, login):
    page = login(world.employee).get(url(world, "overview")).content.decode()
    assert "QM-4711" in page
    assert 'data-testid="timeline"' in page
    assert "Surveillance 1" in page and "Recertification" in page
    assert "The risk treatment plan has no owners" in page
    # 27001 is not certified: its stage 1 checklist (the standards app's gates) is shown
    assert 'data-testid="stage1-checklist"' in page and "data-gate=" in page
    assert "Record a certificate" not in page  # an employee only reads


def test_overview_empty_state(world, login):
    client = login(world.outsider)
    page = client.get(
        reverse("certification:overview", kwargs={"org": world.other_org.slug})
    ).content.decode()
    assert "No certificate recorded yet." in page


def test_overview_query_count_does_not_grow_with_audits_and_findings(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    client.get(url(world, "overview"))
    with django_assert_max_num_queries(200) as ctx:
        client.get(url(world, "overview"))
    before = len(ctx.captured_queries)
    body = world.extra["cert_body"]
    for i in range(4):
        decided = add_months(TODAY, -3 - i)
        cert = services.certificate_create(
            actor=world.mr,
            organization=world.org,
            body=body,
            number=f"EXTRA-{i}",
            standards=[world.extra["iso9001"]],
            scope="Machining",
            initial_certified_on=decided,
            decided_on=decided,
            issued_on=decided,
            expires_on=add_months(decided, 36),
        )
        audit = services.audit_plan(
            actor=world.mr,
            organization=world.org,
            body=body,
            kind="special",
            certificate=cert,
            standards=[world.extra["iso9001"]],
            starts_on=TODAY - datetime.timedelta(days=2),
            ends_on=TODAY - datetime.timedelta(days=2),
        )
        services.finding_create(
            actor=world.mr,
            audit=audit,
            grade="minor",
            statement=f"F{i}",
            response_due_on=TODAY + datetime.timedelta(days=30),
        )
    with django_assert_max_num_queries(before):
        response = client.get(url(world, "overview"))
    assert response.content.decode().count('data-testid="cycle"') == 5


@pytest.mark.parametrize("name", ["audits", "bodies"])
def test_lists_query_count_does_not_grow(world, login, django_assert_max_num_queries, name):
    client = login(world.mr)
    client.get(url(world, name))
    with django_assert_max_num_queries(100) as ctx:
        client.get(url(world, name))
    before = len(ctx.captured_queries)
    for i in range(5):
        body = services.body_create(actor=world.mr, organization=world.org, name=f"CB {i}")
        services.audit_plan(
            actor=world.mr,
            organization=world.org,
            body=body,
            kind="stage1",
            standards=[world.extra["iso27001"]],
            starts_on=TODAY,
            ends_on=TODAY,
        )
    with django_assert_max_num_queries(before):
        assert client.get(url(world, name)).status_code == 200


def test_audit_page_shows_findings_with_their_nonconformity(world, login):
    audit = world.extra["external_audit"]
    page = login(world.auditor).get(url(world, "audit", pk=audit.pk)).content.decode()
    assert "Minor nonconformity" in page
    assert "NC-" in page
    assert "Record a finding" not in page


def test_stage2_before_stage1_is_refused_next_to_the_field(world, login):
    response = login(world.mr).post(
        url(world, "audit_new"),
        {
            "kind": "stage2",
            "body": world.extra["cert_body"].pk,
            "standards": [world.extra["iso9001"].pk],
            "starts_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=21)).isoformat(),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "stage 1" in form.errors["kind"][0]


def test_the_audit_form_shows_the_stage1_checklist_before_booking(world, login):
    page = login(world.mr).get(url(world, "audit_new") + "?kind=stage1").content.decode()
    assert 'data-testid="stage1-checklist"' in page
    page = login(world.mr).get(url(world, "audit_new") + "?kind=surveillance1").content.decode()
    assert 'data-testid="stage1-checklist"' not in page


def test_certificate_form_refuses_an_expiry_beyond_three_years(world, login):
    decided = add_months(TODAY, -1)
    response = login(world.mr).post(
        url(world, "certificate_new"),
        {
            "body": world.extra["cert_body"].pk,
            "number": "Q-1",
            "standards": [world.extra["iso27001"].pk],
            "scope": "Hosting",
            "initial_certified_on": decided.isoformat(),
            "decided_on": decided.isoformat(),
            "issued_on": decided.isoformat(),
            "expires_on": add_months(decided, 37).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "three years" in response.context["form"].errors["expires_on"][0]


def test_record_a_certificate_through_the_page(world, login):
    decided = add_months(TODAY, -1)
    response = login(world.mr).post(
        url(world, "certificate_new"),
        {
            "body": world.extra["cert_body"].pk,
            "number": "ISMS-77",
            "standards": [world.extra["iso27001"].pk],
            "scope": "Hosting",
            "initial_certified_on": decided.isoformat(),
            "decided_on": decided.isoformat(),
            "issued_on": decided.isoformat(),
            "expires_on": add_months(decided, 36).isoformat(),
        },
    )
    assert response.status_code == 302
    page = login(world.mr).get(response["Location"]).content.decode()
    assert "ISMS-77" in page and "Surveillance 1" in page


def test_finding_without_deadline_is_refused_on_the_page(world, login):
    audit = world.extra["external_audit"]
    response = login(world.mr).post(
        url(world, "finding_new", pk=audit.pk),
        {"grade": "major", "statement": "No SoA", "response_due_on": ""},
    )
    assert response.status_code == 400
    assert "deadline" in response.context["form"].errors["response_due_on"][0]
    response = login(world.mr).get(url(world, "finding_new", pk=audit.pk))
    assert response.context["form"].initial[
        "response_due_on"
    ] == audit.ends_on + datetime.timedelta(days=90)


def test_answer_a_finding_through_the_page_and_a_stale_version_conflicts(world, login):
    finding = world.extra["external_finding"]
    data = {
        "step": "submit",
        "on": TODAY.isoformat(),
        "response": "Owners named",
        "version": finding.version,
    }
    response = login(world.owner).post(url(world, "finding_answer", pk=finding.pk), data)
    assert response.status_code == 302
    assert ExternalFinding.objects.get(pk=finding.pk).status == "submitted"
    response = login(world.owner).post(
        url(world, "finding_answer", pk=finding.pk), {**data, "step": "accept"}
    )
    assert response.status_code == 409


def test_cancel_and_status_pages(world, login):
    audit = world.extra["surveillance"]
    response = login(world.mr).post(
        url(world, "audit_cancel", pk=audit.pk), {"reason": "", "version": audit.version}
    )
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = login(world.mr).post(
        url(world, "audit_cancel", pk=audit.pk),
        {"reason": "Body moved it", "version": audit.version},
    )
    assert response.status_code == 302
    assert ExternalAudit.objects.get(pk=audit.pk).status == "cancelled"
    cert = world.extra["certificate"]
    response = login(world.mr).post(
        url(world, "certificate_status", pk=cert.pk),
        {
            "status": "suspended",
            "since": TODAY.isoformat(),
            "until": "",
            "reason": "Late",
            "version": cert.version,
        },
    )
    assert response.status_code == 400 and "until" in response.context["form"].errors


def test_pages_in_german(world, login):
    client = login(world.mr)
    assert_page_translated(
        client,
        url(world, "overview"),
        ["Surveillance", "Record a certificate"],
        ["Überwachungsaudit 1", "Zertifikat erfassen"],
    )
    assert_page_translated(
        client,
        url(world, "audit", pk=world.extra["external_audit"].pk),
        ["Findings", "Lead auditor"],
        ["Feststellungen", "Nebenabweichung"],
    )

"""Example certification objects for the shared test world, and the ids every certification
URL is opened with (the permission walk and the organization boundary test)."""

import datetime
from typing import Any

from pdca.certification import services
from pdca.certification.models import CertificationBody, ExternalAudit
from pdca.core.dates import add_months
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.standards.models import Standard


def make_body(world: World, name: str = "Certa Zert GmbH", **values: Any) -> CertificationBody:
    fields: dict[str, Any] = {
        "accreditation_body": "DAkkS",
        "accreditation_number": "D-ZM-11111-01-00",
        "accredited_standards": list(Standard.objects.filter(code__in=["iso9001", "iso27001"])),
        "contact_name": "Dr. Petra Lang",
        "contact_email": "p.lang@certa.example",
        **values,
    }
    return services.body_create(actor=world.mr, organization=world.org, name=name, **fields)


def _certification_world(world: World) -> None:
    today = datetime.date.today()
    body = make_body(world)
    decided = add_months(today, -10)
    certificate = services.certificate_create(
        actor=world.mr,
        organization=world.org,
        body=body,
        number="QM-4711",
        standards=[world.extra["iso9001"]],
        scope="Machining of precision parts",
        initial_certified_on=decided,
        decided_on=decided,
        issued_on=decided,
        expires_on=add_months(decided, 36),
    )
    stage1 = services.audit_plan(
        actor=world.mr,
        organization=world.org,
        body=body,
        kind=ExternalAudit.Kind.STAGE1,
        standards=[world.extra["iso27001"]],
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=19),
        lead_auditor="Jan Vogt",
    )
    stage1 = services.audit_record_held(
        actor=world.mr, audit=stage1, outcome=ExternalAudit.Outcome.PASSED
    )
    finding = services.finding_create(
        actor=world.mr,
        audit=stage1,
        grade="minor",
        statement="The risk treatment plan has no owners for three controls.",
        response_due_on=today + datetime.timedelta(days=60),
    )
    from pdca.certification.pack import pack_create

    pack, _content = pack_create(actor=world.mr, audit=stage1)
    from pdca.certification import access
    from pdca.core.models import Membership

    auditor = Membership.objects.get(organization=world.org, user=world.external)
    let_in = access.auditor_access_grant(
        actor=world.mr,
        audit=stage1,
        membership=auditor,
        valid_from=today - datetime.timedelta(days=21),
        valid_until=auditor.expires_on or today,
    )
    asked = access.evidence_request_create(
        actor=world.external, audit=stage1, text="The risk treatment plan, approved"
    )
    from pdca.certification import selection as sel

    choice = sel.selection_create(
        actor=world.mr,
        organization=world.org,
        title="First ISO 27001 certification",
        standards=[world.extra["iso27001"]],
    )
    rival = make_body(world, name="Nordzert AG", accreditation_number="D-ZM-22222-01-00")
    candidate = sel.candidate_add(
        actor=world.mr,
        selection=choice,
        body=body,
        scores={"accreditation": 5, "sector": 4, "offer": 3},
        audit_days=8,
        price=14500,
    )
    sel.candidate_add(actor=world.mr, selection=choice, body=rival, scores={"accreditation": 5})
    world.extra.update(
        cert_selection=choice,
        cert_candidate=candidate,
        cert_rival=rival,
        cert_pack=pack,
        cert_access=let_in,
        cert_request=asked,
        cert_body=body,
        certificate=certificate,
        external_audit=stage1,
        external_finding=finding,
        surveillance=certificate.audits.get(kind=ExternalAudit.Kind.SURVEILLANCE1),
    )


def _certification_urls(world: World) -> dict[str, dict[str, Any]]:
    body = world.extra["cert_body"]
    certificate = world.extra["certificate"]
    audit = world.extra["external_audit"]
    finding = world.extra["external_finding"]
    return {
        "certification:body": {"pk": body.pk},
        "certification:body_edit": {"pk": body.pk},
        "certification:certificate": {"pk": certificate.pk},
        "certification:certificate_edit": {"pk": certificate.pk},
        "certification:certificate_status": {"pk": certificate.pk},
        "certification:event_new": {"pk": certificate.pk},
        "certification:audit": {"pk": audit.pk},
        "certification:audit_edit": {"pk": audit.pk},
        "certification:audit_held": {"pk": audit.pk},
        "certification:audit_cancel": {"pk": world.extra["surveillance"].pk},
        "certification:finding_new": {"pk": audit.pk},
        "certification:pack_start": {"pk": audit.pk},
        "certification:selection": {"pk": world.extra["cert_selection"].pk},
        "certification:selection_decide": {"pk": world.extra["cert_selection"].pk},
        "certification:candidate_new": {"pk": world.extra["cert_selection"].pk},
        "certification:candidate_edit": {"pk": world.extra["cert_candidate"].pk},
        "api-certification-selection": {"pk": world.extra["cert_selection"].pk},
        "api-certification-selection-candidates": {"pk": world.extra["cert_selection"].pk},
        "api-certification-selection-decide": {"pk": world.extra["cert_selection"].pk},
        "certification:access_new": {"pk": audit.pk},
        "certification:access_end": {"pk": world.extra["cert_access"].pk},
        "certification:request_new": {"pk": audit.pk},
        "certification:request_answer": {"pk": world.extra["cert_request"].pk},
        "certification:opened": {"pk": audit.pk},
        "certification:pack": {"pk": world.extra["cert_pack"].pk},
        "certification:pack_download": {"pk": world.extra["cert_pack"].pk},
        "certification:finding_answer": {"pk": finding.pk},
        "api-certification-body": {"pk": body.pk},
        "api-certification-certificate": {"pk": certificate.pk},
        "api-certification-certificate-status": {"pk": certificate.pk},
        "api-certification-audit": {"pk": audit.pk},
        "api-certification-audit-held": {"pk": audit.pk},
        "api-certification-audit-findings": {"pk": audit.pk},
        "api-certification-audit-packs": {"pk": audit.pk},
        "api-certification-audit-accesses": {"pk": audit.pk},
        "api-certification-audit-requests": {"pk": audit.pk},
        "api-certification-request-answer": {"pk": world.extra["cert_request"].pk},
        "api-certification-finding": {"pk": finding.pk},
        "api-certification-finding-answer": {"pk": finding.pk},
    }


register_world_builder(_certification_world)
register_url_examples(_certification_urls)

"""Example audit objects for the shared test world, and ids for every audits URL."""

import datetime
from typing import Any

from django.utils import timezone

from pdca.audits import services
from pdca.audits.models import Audit, ChecklistQuestion, Finding
from pdca.core.models import Department
from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.standards.models import Clause, Edition, OrgStandard, Process

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def editions(*codes: str) -> list[Edition]:
    return list(Edition.objects.filter(standard__code__in=codes, is_current=True))


def clauses(edition_codes: tuple[str, ...], numbers: tuple[str, ...]) -> list[Clause]:
    return list(
        Clause.objects.filter(
            edition__standard__code__in=edition_codes, edition__is_current=True, number__in=numbers
        )
    )


def make_signable(world: World, audit: Audit | None = None) -> Audit:
    """Bring an audit to where its report can be signed: reporting, its last day today, every
    question answered and every nonconformity acknowledged by the auditee."""
    audit = audit or world.extra["au_audit"]
    today = timezone.localdate()
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.REPORTING, planned_start=today, planned_end=today
    )
    ChecklistQuestion.objects.filter(audit=audit, answer="").update(answer="conform")
    Finding.objects.filter(
        audit=audit, grade__in=Finding.NONCONFORMITIES, acknowledged_by=None
    ).update(acknowledged_by=world.owner, acknowledged_at=timezone.now())
    audit.refresh_from_db()
    return audit


def build_audits_world(world: World) -> None:
    org = world.org
    today = timezone.localdate()
    # The standards world chooses ISO 9001 (and 27001); an integrated audit adds ISO 14001.
    for edition in editions("iso14001"):
        OrgStandard.objects.get_or_create(organization=org, edition=edition)
    quality = Department.objects.get(organization=org, name="Quality")
    process = Process.objects.create(
        organization=org, code="P-05", name="Production", owner=world.owner
    )
    process.departments.add(world.department)  # type: ignore[arg-type]
    programme = services.programme_save(
        actor=world.mr,
        organization=org,
        title="Audit programme 2025-2027",
        cycle_start=today.replace(month=1, day=1),
        cycle_end=today.replace(year=today.year + 2, month=12, day=31),
    )
    audit = services.audit_save(
        actor=world.mr,
        organization=org,
        programme=programme,
        title="Production and purchasing",
        kind=Audit.Kind.INTERNAL,
        planned_start=today,
        planned_end=today + datetime.timedelta(days=1),
        lead_auditor=world.auditor,
        clauses=clauses(("iso9001", "iso14001"), ("8.5", "9.2")),
        processes=[process],
        departments=[quality],
        editions=editions("iso9001", "iso14001"),
        auditees=[world.owner],
    )
    services.checklist_generate(actor=world.auditor, audit=audit)
    # The finding breaks a clause: take a clause's question (processes have questions too).
    question = audit.questions.exclude(clause=None).order_by("position", "pk").first()
    assert question is not None
    photo = services.photo_add(
        actor=world.auditor, question=question, client_id="world-photo", name="p.png", data=PNG
    )
    finding = services.finding_record(
        actor=world.auditor,
        audit=audit,
        grade=Finding.Grade.MINOR,
        statement="Two work orders without a signed first-off inspection.",
        evidence="WO-1182, WO-1190",
        requirement="Release of products only after planned checks",
        clause=question.clause,
        process=process,
    )
    world.extra.update(
        {
            "audit_process": process,
            "au_programme": programme,
            "au_audit": audit,
            "au_question": question,
            "au_photo": photo,
            "au_finding": finding,
            "au_template": services.template_save(actor=world.auditor, audit=audit, name="Base"),
        }
    )


def audits_url_examples(world: World) -> dict[str, dict[str, Any]]:
    audit = world.extra["au_audit"].pk
    return {
        "audits:programme_edit": {"pk": world.extra["au_programme"].pk},
        "audits:detail": {"pk": audit},
        "audits:edit": {"pk": audit},
        "audits:status": {"pk": audit},
        "audits:schedule_add": {"pk": audit},
        "audits:checklist": {"pk": audit},
        "audits:checklist_edit": {"pk": audit},
        "audits:checklist_sync": {"pk": audit},
        "audits:photo_upload": {"pk": audit},
        "audits:conflict_resolve": {"pk": world.extra["au_question"].pk},
        "audits:photo": {"pk": world.extra["au_photo"].pk},
        "audits:finding_create": {"pk": audit},
        "audits:finding": {"pk": world.extra["au_finding"].pk},
        "audits:finding_acknowledge": {"pk": world.extra["au_finding"].pk},
        "audits:finding_raise": {"pk": world.extra["au_finding"].pk},
        "audits:finding_refusal": {"pk": world.extra["au_finding"].pk},
        "audits:report": {"pk": audit},
        "audits:report_pdf": {"pk": audit},
        "audits:sign": {"pk": audit},
        "api-audits-programme": {"pk": world.extra["au_programme"].pk},
        "api-audits-audit": {"pk": audit},
        "api-audits-checklist": {"pk": audit},
        "api-audits-findings": {"pk": audit},
        "api-audits-finding": {"pk": world.extra["au_finding"].pk},
        "api-audits-sign": {"pk": audit},
        "api-audits-grid": {"pk": world.extra["au_programme"].pk},
    }


register_world_builder(build_audits_world)
register_url_examples(audits_url_examples)

"""The stage 1 documentation pack: what a certification body reviews before it comes on site
(17021-1 9.3.1.2), assembled as one ZIP on a worker (core/jobs.py) and kept with its audit.

It holds, for the audit's standards: the scope statements, the policies, the current effective
revision of every mandatory document as its controlled PDF, the Statement of Applicability of
ISO/IEC 27001, the readiness report with the stage 1 checklist, the internal audit programme
with the signed reports, the latest signed management review minutes, and a manifest naming each
file's SHA-256 and the revision that was current on the day, so that "the version live when the
auditor sampled it" can be shown later.
"""

import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pdca.audits.models import Audit
from pdca.certification.models import DocumentationPack, ExternalAudit
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.jobs import JobRefused, JobResult, Progress
from pdca.core.models import Job, Membership, User
from pdca.core.pdf import FAMILY, ControlledPDF, Frame, controlled_copy_note
from pdca.core.permissions import can
from pdca.documents.models import DocType, Document, DocumentStatus, Signature
from pdca.documents.pdf import revision_pdf
from pdca.documents.selectors import visible_documents
from pdca.reviews.models import Review
from pdca.standards.exports import readiness_xlsx, soa_xlsx
from pdca.standards.models import EvidenceLink, OrgStandard, RequiredInformation
from pdca.standards.selectors import gap_analysis
from pdca.standards.selectors.readiness import readiness

PACK_KIND = "certification.pack"
# How far back the internal audits of the pack reach: one certification cycle.
AUDIT_YEARS = 3


@dataclass
class PackFile:
    path: str
    what: str
    make: Any  # () -> bytes, called while the job counts its steps
    extra: dict[str, Any] = field(default_factory=dict)


def _text_pdf(
    organization: str, heading: str, sections: list[tuple[str, list[str]]], empty: str = ""
) -> bytes:
    """A short controlled PDF of sections of lines (the scope, the checklist, the programme)."""
    now = timezone.now()
    details = [_("As of %(day)s") % {"day": _day(timezone.localdate(now))}]
    pdf = ControlledPDF(
        Frame(
            organization=organization,
            heading=heading,
            details=details,
            note=controlled_copy_note(now),
        )
    )
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FAMILY, "", 10)
    if not sections:
        pdf.multi_cell(0, 5, empty or "-", new_x="LMARGIN", new_y="NEXT", align="L")
    for title, lines in sections:
        pdf.section(title)
        pdf.set_font(FAMILY, "", 10)
        for line in lines or ["-"]:
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT", align="L")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())


def _day(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "-"


def mandatory_documents(membership: Membership, editions: list[int]) -> list[Document]:
    """The effective documents linked as evidence of a document to maintain on a clause of
    these editions (the mandatory documented information), that the member may see."""
    document_type = ContentType.objects.get_for_model(Document)
    maintain = RequiredInformation.Kind.MAINTAIN
    linked = EvidenceLink.objects.filter(
        organization=membership.organization,
        content_type=document_type,
        clause__edition_id__in=editions,
    ).filter(
        Q(required__kind=maintain) | Q(required__isnull=True, clause__required_info__kind=maintain)
    )
    return list(
        visible_documents(membership)
        .filter(
            pk__in=linked.values("object_id"),
            status=DocumentStatus.EFFECTIVE,
            current_revision__isnull=False,
        )
        .select_related("current_revision", "organization")
        .order_by("number")
    )


def _document_file(folder: str, doc: Document, printed_by: str) -> PackFile:
    rev = doc.current_revision
    assert rev is not None

    def make() -> bytes:
        signatures = list(Signature.objects.filter(revision=rev).order_by("signed_at"))
        return revision_pdf(rev, signatures, printed_by=printed_by)

    return PackFile(
        f"{folder}/{slugify(doc.number)}-rev{slugify(rev.label)}.pdf",
        f"{doc.number} {doc.title}",
        make,
        {
            "document": doc.number,
            "revision": rev.label,
            "revision_id": rev.pk,
            "content_hash": rev.content_hash,
            "effective_from": rev.effective_from.isoformat() if rev.effective_from else "",
        },
    )


def pack_files(audit: ExternalAudit, membership: Membership) -> list[PackFile]:
    """What the pack of `audit` holds today, in the ZIP's order; each file is made later."""
    organization = membership.organization
    org_name = organization.name
    printed_by = membership.user.display_name
    standards = list(audit.standards.select_related("edition__standard").order_by("edition_id"))
    editions = [os.edition_id for os in standards]
    files: list[PackFile] = []

    certificate = audit.certificate
    exclusions = (
        [_("Exclusions as printed: %(x)s") % {"x": certificate.exclusions}]
        if certificate is not None and certificate.exclusions
        else []
    )
    scope_sections = [
        (os.edition.label, [os.scope.strip() or _("No scope statement written."), *exclusions])
        for os in standards
    ]
    files.append(
        PackFile(
            "01-scope.pdf",
            _("Scope of the management system"),
            lambda: _text_pdf(org_name, _("Scope of the management system"), scope_sections),
        )
    )

    policies = list(
        visible_documents(membership)
        .filter(
            doc_type=DocType.POLICY,
            status=DocumentStatus.EFFECTIVE,
            current_revision__isnull=False,
        )
        .select_related("current_revision", "organization")
        .order_by("number")
    )
    files += [_document_file("02-policy", doc, printed_by) for doc in policies]
    shown = {doc.pk for doc in policies}
    files += [
        _document_file("03-mandatory-documents", doc, printed_by)
        for doc in mandatory_documents(membership, editions)
        if doc.pk not in shown
    ]

    for os in standards:
        if os.edition.standard.code == "iso27001":
            files.append(_soa_file(os))

    results = readiness(organization, standards) if standards else []
    checklist = [
        (
            r.org_standard.edition.label,
            [f"[{g.state_label}] {g.title}: {g.detail}" for g in r.gates],
        )
        for r in results
    ]
    files.append(
        PackFile(
            "05-stage1-checklist.pdf",
            _("Stage 1 readiness checklist"),
            lambda: _text_pdf(org_name, _("Stage 1 readiness checklist"), checklist),
        )
    )
    files.append(
        PackFile(
            "05-readiness.xlsx",
            _("Readiness report"),
            lambda: readiness_xlsx(org_name, results),
        )
    )

    since = audit.starts_on.replace(year=audit.starts_on.year - AUDIT_YEARS)
    internal = list(
        Audit.objects.filter(
            organization=organization,
            kind=Audit.Kind.INTERNAL,
            editions__in=editions,
            planned_start__gte=since,
        )
        .distinct()
        .select_related("report")
        .defer("report__content")
        .order_by("planned_start", "reference")
    )
    programme = [
        (
            f"{a.reference} {a.title}",
            [
                f"{_day(a.planned_start)} – {_day(a.planned_end)}, {a.get_status_display()}",
                _("Report signed %(when)s") % {"when": _day(a.report.signed_at.date())}
                if hasattr(a, "report")
                else _("No signed report yet."),
            ],
        )
        for a in internal
    ]
    files.append(
        PackFile(
            "06-internal-audits/programme.pdf",
            _("Internal audit programme"),
            lambda: _text_pdf(
                org_name,
                _("Internal audit programme"),
                programme,
                _("No internal audit of these standards in the last three years."),
            ),
        )
    )
    for a in internal:
        report = getattr(a, "report", None)
        if report is not None:
            files.append(
                PackFile(
                    f"06-internal-audits/{slugify(a.reference)}.pdf",
                    _("Signed report of %(audit)s") % {"audit": a.reference},
                    lambda report=report: bytes(report.pdf),
                )
            )

    review = (
        Review.objects.filter(
            organization=organization, status=Review.Status.SIGNED, editions__in=editions
        )
        .exclude(pdf=None)
        .order_by("-held_on", "-number")
        .first()
    )
    if review is not None and review.pdf is not None:
        minutes = bytes(review.pdf)
        files.append(
            PackFile(
                f"07-management-review/{slugify(review.reference)}.pdf",
                _("Signed minutes of %(review)s") % {"review": review.reference},
                lambda: minutes,
            )
        )
    return files


def _soa_file(os: OrgStandard) -> PackFile:
    def make() -> bytes:
        lines, _result, data = gap_analysis(os)
        themes = {t.pk: f"{t.code} {t.title}" for t in data.themes.get(os.edition_id, [])}
        controls = [line for line in lines if line.clause.kind == "control"]
        return soa_xlsx(os.organization.name, os.edition.label, controls, themes)

    return PackFile(
        f"04-statement-of-applicability-{slugify(os.edition.standard.code)}.xlsx",
        _("Statement of Applicability (%(edition)s)") % {"edition": os.edition.label},
        make,
    )


def _manifest_csv(entries: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("File"), _("Content"), _("SHA-256"), _("Bytes"), _("Document"), _("Revision")]
    )
    for e in entries:
        writer.writerow(
            [
                e["path"],
                e["what"],
                e["sha256"],
                e["size"],
                e.get("document", ""),
                e.get("revision", ""),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def pack_zip(files: list[PackFile], progress: Progress | None = None) -> tuple[bytes, list[dict]]:
    """The ZIP of `files` with its manifest (`manifest.csv`), and the manifest's entries."""
    entries: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in files:
            content = f.make()
            archive.writestr(f.path, content)
            entries.append(
                {
                    "path": f.path,
                    "what": f.what,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "size": len(content),
                    **f.extra,
                }
            )
            if progress is not None:
                progress.step()
        archive.writestr("manifest.csv", _manifest_csv(entries))
    return buffer.getvalue(), entries


def pack_name(audit: ExternalAudit, made_on: datetime.date) -> str:
    return f"{slugify(audit.organization.slug)}-{audit.kind}-pack-{made_on:%Y-%m-%d}.zip"


def pack_create(*, actor: User, audit: ExternalAudit, progress: Progress | None = None) -> Any:
    """Assemble the documentation pack of `audit` as it stands now and keep it with the audit
    (a trail entry names it, with its SHA-256). Refused for a cancelled audit."""
    membership = ensure_allowed(
        actor=actor, organization=audit.organization, permission="certification.manage", obj=audit
    )
    if audit.status == ExternalAudit.Status.CANCELLED:
        raise ValidationError(_("A cancelled audit gets no documentation pack."))
    files = pack_files(audit, membership)
    if progress is not None:
        progress.total(len(files))
    content, entries = pack_zip(files, progress)
    name = pack_name(audit, timezone.localdate())
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        pack = DocumentationPack(
            organization=audit.organization,
            audit=audit,
            file_name=name,
            size=len(content),
            sha256=digest,
            manifest=entries,
            made_by=actor,
        )
        pack.file.save(name, ContentFile(content), save=False)
        pack.save()
        trail.record(
            action="certification.pack.created",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes={"pack": name, "sha256": digest, "files": len(entries)},
        )
    return pack, content


def pack_job(job: Job, progress: Progress) -> JobResult:
    """The background job: the pack made, kept with the audit, and offered for download."""
    audit = (
        ExternalAudit.objects.filter(organization=job.organization, pk=job.parameters["audit"])
        .select_related("certificate", "organization")
        .first()
    )
    membership = Membership.objects.current().get(
        organization=job.organization, user=job.requested_by
    )
    if audit is None or not can(membership, "certification.manage", audit):
        raise JobRefused(_("This audit is no longer there for you."))
    pack, content = pack_create(actor=job.requested_by, audit=audit, progress=progress)
    return JobResult(pack.file_name, content)

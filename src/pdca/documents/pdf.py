"""A revision as PDF: a controlled copy of its text as the screen shows it, its signatures and,
when it is not the current revision, a watermark.

Every page names the organization, the document's number and title, the revision, its status
and effective date, "page N of M" and the controlled-copy note with the time printed
(`pdca.core.pdf.ControlledPDF`). Text is printed exactly as stored, in pdca's Unicode fonts; a
character the fonts cannot show refuses the PDF (`UnprintableText`) rather than printing
something else."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from pdca.core.pdf import ControlledPDF, Frame, controlled_copy_note, write_markdown
from pdca.documents.models import Revision, RevisionStatus
from pdca.documents.rendering import render_markdown


def _frame(rev: Revision, printed_at: datetime.datetime, printed_by: str) -> Frame:
    doc = rev.document
    details = [
        _("Revision %(label)s") % {"label": rev.label},
        _("Status: %(status)s") % {"status": rev.get_status_display()},
        _("Effective from %(date)s")
        % {"date": date_format(rev.effective_from, "SHORT_DATE_FORMAT")}
        if rev.effective_from
        else _("Not yet effective"),
    ]
    if rev.ended_on:
        details.append(
            _("Ended %(date)s") % {"date": date_format(rev.ended_on, "SHORT_DATE_FORMAT")}
        )
    historic = rev.status in (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)
    note = controlled_copy_note(printed_at, by=printed_by)
    if historic:
        note = _("NOT CURRENT - for reference only.") + " " + note
    return Frame(
        organization=str(doc.organization),
        heading=f"{doc.number}  {doc.title}",
        details=details,
        note=note,
        watermark=rev.get_status_display().upper()
        if rev.status != RevisionStatus.EFFECTIVE
        else "",
        fine_print=_("Content hash (SHA-256 of the text and file): %(hash)s")
        % {"hash": rev.content_hash},
    )


def revision_pdf(
    rev: Revision,
    signatures: list[Any],
    *,
    printed_at: datetime.datetime | None = None,
    printed_by: str = "",
) -> bytes:
    doc = rev.document
    pdf = ControlledPDF(_frame(rev, printed_at or timezone.now(), printed_by))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVuSans", "B", 15)
    pdf.multi_cell(0, 7, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVuSans", "", 8.5)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(
        0,
        4.5,
        _("Reason for change: %(reason)s") % {"reason": rev.change_reason},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    write_markdown(pdf, str(render_markdown(rev.text)))
    if rev.file_name:
        pdf.ln(2)
        pdf.set_font("DejaVuSans", "", 9)
        pdf.multi_cell(
            0,
            5,
            _("Attached file: %(name)s (%(size)s bytes)")
            % {
                "name": rev.file_name,
                "size": number_format(rev.file_size or 0, force_grouping=True),
            },
            new_x="LMARGIN",
            new_y="NEXT",
        )
    _signatures(pdf, rev, signatures)
    return bytes(pdf.output())


def _signatures(pdf: ControlledPDF, rev: Revision, signatures: list[Any]) -> None:
    pdf.ln(2)
    pdf.section(_("Signatures"))
    if not signatures:
        pdf.cell(0, 5, _("None yet."), new_x="LMARGIN", new_y="NEXT")
        return
    for sig in signatures:
        if pdf.will_page_break(16):
            pdf.add_page()
        pdf.set_font("DejaVuSans", "B", 9)
        pdf.multi_cell(
            0,
            4.5,
            _("%(name)s - %(meaning)s - %(when)s UTC")
            % {
                "name": sig.full_name,
                "meaning": sig.get_meaning_display(),
                "when": f"{sig.signed_at:%Y-%m-%d %H:%M}",
            },
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVuSans", "", 7.5)
        if sig.comment:
            pdf.multi_cell(0, 4, f"“{sig.comment}”", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(
            0,
            3.8,
            _("Content hash signed: %(hash)s") % {"hash": sig.content_hash}
            + "\n"
            + _("Signature record hash: %(hash)s") % {"hash": sig.signed_hash},
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1.5)

"""A revision as PDF: its text, its signatures and, when it is no longer current, a watermark.

Text is printed exactly as stored, in pdca's Unicode font (`pdca.core.pdf`); a character the font
cannot show refuses the PDF (`UnprintableText`) rather than printing something else."""

from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from pdca.core.pdf import FAMILY, UnicodePDF
from pdca.documents.models import Revision, RevisionStatus


def _watermark(pdf: FPDF, label: str) -> None:
    with pdf.local_context(fill_opacity=0.15):
        pdf.set_font(FAMILY, "B", 64)
        pdf.set_text_color(200, 0, 0)
        with pdf.rotation(45, x=pdf.w / 2, y=pdf.h / 2):
            pdf.text(pdf.w / 2 - 80, pdf.h / 2, label)
    pdf.set_text_color(0, 0, 0)


def revision_pdf(rev: Revision, signatures: list[Any]) -> bytes:
    doc = rev.document
    historic = rev.status in (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)
    not_current = rev.status != RevisionStatus.EFFECTIVE
    mark = rev.get_status_display().upper() if not_current else ""

    class _PDF(UnicodePDF):
        def header(self) -> None:
            if mark:
                _watermark(self, mark)
            self.set_font(FAMILY, "B", 9)
            self.cell(0, 6, f"{doc.number}  {doc.title}", new_x="LMARGIN", new_y="NEXT")
            self.set_font(FAMILY, "", 8)
            status = rev.get_status_display()
            line = _("Revision %(label)s - %(status)s") % {"label": rev.label, "status": status}
            if rev.effective_from:
                line += _(", effective from %(date)s") % {
                    "date": date_format(rev.effective_from, "SHORT_DATE_FORMAT")
                }
            self.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            if historic:
                self.set_text_color(200, 0, 0)
                self.cell(
                    0, 5, _("NOT CURRENT - for reference only"), new_x="LMARGIN", new_y="NEXT"
                )
                self.set_text_color(0, 0, 0)
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, "", 7)
            self.cell(
                0,
                5,
                _("SHA-256 %(hash)s   page %(page)s")
                % {"hash": rev.content_hash, "page": self.page_no()},
            )

    pdf = _PDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(
        0,
        5,
        _("Reason for change: %(reason)s") % {"reason": rev.change_reason},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 10)
    for line in (rev.text or "").splitlines():
        stripped = line.lstrip("#").strip()
        if line.startswith("#"):
            pdf.set_font(FAMILY, "B", 11)
            pdf.multi_cell(0, 6, stripped, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FAMILY, "", 10)
        else:
            pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    if rev.file_name:
        pdf.ln(2)
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
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 6, _("Signatures"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    if not signatures:
        pdf.cell(0, 5, _("None yet."), new_x="LMARGIN", new_y="NEXT")
    for sig in signatures:
        text = _("%(name)s - %(meaning)s - %(when)s UTC - signed hash %(hash)s...") % {
            "name": sig.full_name,
            "meaning": sig.get_meaning_display(),
            "when": f"{sig.signed_at:%Y-%m-%d %H:%M}",
            "hash": sig.signed_hash[:16],
        }
        if sig.comment:
            text += f" - {sig.comment}"
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

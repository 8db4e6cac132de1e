"""The minutes of a management review: the canonical text that is signed and hashed, and the
PDF printed from it (every line of the text, on `core.pdf.ControlledPDF` pages)."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.core.pdf import FAMILY, ControlledPDF, Frame, controlled_copy_note
from pdca.reviews.models import OutputKind, Review


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "-"


def minutes_parts(review: Review) -> dict[str, Any]:
    """What the minutes show, in a fixed number of queries."""
    return {
        "editions": list(review.editions.select_related("standard")),
        "attendees": list(review.attendees.order_by("full_name")),
        "inputs": list(review.inputs.all()),
        "outputs": list(review.outputs.select_related("owner")),
    }


def minutes_text(review: Review, parts: dict[str, Any] | None = None) -> str:
    parts = parts or minutes_parts(review)
    r = review
    lines = [
        _("Management review %(reference)s: %(title)s")
        % {"reference": r.reference, "title": r.title},
        _("Held on: %(date)s") % {"date": _date(r.held_on)},
        _("Period reviewed: %(start)s to %(end)s")
        % {"start": _date(r.period_start), "end": _date(r.period_end)},
        _("Standards covered: %(list)s")
        % {"list": ", ".join(str(e) for e in parts["editions"]) or "-"},
        _("Chair: %(name)s") % {"name": r.chair},
        _("Attendees: %(names)s") % {"names": ", ".join(str(u) for u in parts["attendees"]) or "-"},
        "",
        _("Inputs") + ":",
    ]
    for i, item in enumerate(parts["inputs"], start=1):
        lines.append(f"{i}. {item.title} ({item.clauses})")
        shown = item.shown
        if shown["text"]:
            lines.append("  " + _("Compiled by pdca: %(text)s") % {"text": shown["text"]})
        if item.entered_data:
            lines.append("  " + _("Information: %(text)s") % {"text": item.entered_data})
        if item.notes:
            lines.append("  " + _("Discussion: %(text)s") % {"text": item.notes})
        lines.append("  " + _("Conclusion: %(text)s") % {"text": item.conclusion or "-"})
    lines += ["", _("Outputs and actions") + ":"]
    for output in parts["outputs"]:
        lines.append(
            f"- [{OutputKind(output.kind).label}] {output.title} "
            + _("(owner %(owner)s, due %(due)s)")
            % {"owner": output.owner, "due": _date(output.due_on)}
        )
    if not parts["outputs"]:
        lines.append("-")
    lines += [
        "",
        _("Conclusion on suitability, adequacy and effectiveness") + ":",
        r.conclusion or "-",
    ]
    if r.communication:
        lines += ["", _("Communication of the outputs") + ":", r.communication]
    return "\n".join(lines)


def minutes_pdf(
    review: Review, text: str, *, signed_by: str = "", signed_at: str = "", digest: str = ""
) -> bytes:
    details = [_("Status: %(status)s") % {"status": review.get_status_display()}]
    if signed_at:
        details.append(_("Signed %(when)s") % {"when": signed_at})
        note = _(
            "Signed minutes; the signed original is kept in pdca. Uncontrolled when printed: "
            "produced %(when)s."
        ) % {"when": signed_at}
    else:
        note = controlled_copy_note(timezone.now())
    pdf = ControlledPDF(
        Frame(
            organization=str(review.organization),
            heading=f"{review.reference}  {review.title}",
            details=details,
            note=note,
        )
    )
    pdf.alias_nb_pages()
    pdf.add_page()
    heading, *lines = text.splitlines()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for line in lines:
        if line.endswith(":") and not line.startswith(" "):
            pdf.set_font(FAMILY, "B", 11)
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 10)
    if signed_by:
        pdf.ln(4)
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(
            0,
            5,
            _("Signed by %(name)s on %(when)s. SHA-256 of the signed text: %(digest)s")
            % {"name": signed_by, "when": signed_at, "digest": digest},
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())

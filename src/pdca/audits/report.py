"""The audit report: its content (scope, team, summary, checklist results, findings by grade
and clause, conclusion), optionally cut to one standard of an integrated audit, as text and as
PDF.

The PDF prints the text exactly (`pdca.core.pdf`), or refuses with `UnprintableText`."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.audits.models import Audit, ChecklistQuestion, Finding
from pdca.audits.models.checklist import Answer
from pdca.audits.models.finding import GRADE_DEFINITIONS
from pdca.core.pdf import FAMILY, ControlledPDF, Frame, controlled_copy_note


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "-"


GRADE_ORDER = [g.value for g in reversed(Finding.Grade)]
ANSWER_ORDER = [a.value for a in Answer]


def _clause_label(clause: Any) -> str:
    return f"{clause.edition} {clause.number}" if clause else "-"


@dataclass
class ReportContent:
    audit: Audit
    standard: str = ""
    standards: list[Any] = field(default_factory=list)
    clauses: list[Any] = field(default_factory=list)
    processes: list[Any] = field(default_factory=list)
    departments: list[Any] = field(default_factory=list)
    sites: list[Any] = field(default_factory=list)
    team: list[Any] = field(default_factory=list)
    auditees: list[Any] = field(default_factory=list)
    by_grade: list[tuple[str, list[Finding]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    questions: list[ChecklistQuestion] = field(default_factory=list)
    # (answer label, count) for conform, nonconform, observation, not checked, then unanswered.
    answer_counts: list[tuple[str, int]] = field(default_factory=list)
    # Clauses with several minor nonconformities: together they may be a major one.
    systemic: list[tuple[str, int]] = field(default_factory=list)

    @property
    def definitions(self) -> dict[str, str]:
        return {str(Finding.Grade(g).label): str(d) for g, d in GRADE_DEFINITIONS.items()}

    def as_text(self) -> str:
        """The canonical text that is signed and hashed."""
        a = self.audit

        def joined(items: list[Any]) -> str:
            return ", ".join(str(i) for i in items) or "-"

        def line(label: str, value: Any) -> str:
            return f"{label}: {value}"

        lines = [
            _("Audit report %(reference)s: %(title)s")
            % {"reference": a.reference, "title": a.title},
            line(_("Type"), a.get_kind_display()),
            line(
                _("Dates"),
                _("%(start)s to %(end)s")
                % {"start": _date(a.planned_start), "end": _date(a.planned_end)},
            ),
            line(_("Criteria"), joined(self.standards)),
            line(_("Other criteria"), a.criteria_documents or "-"),
            line(_("Clauses"), joined([f"{c.edition} {c.number}" for c in self.clauses])),
            line(_("Processes"), joined(self.processes)),
            line(_("Departments"), joined(self.departments)),
            line(_("Sites"), joined(self.sites)),
            line(_("Lead auditor"), a.lead_auditor or "-"),
            line(_("Team"), joined(self.team)),
            line(_("Auditees"), joined(self.auditees)),
            "",
            _("Summary") + ":",
            a.summary or "-",
            "",
            _("Checklist") + ":",
            ", ".join(f"{label} {n}" for label, n in self.answer_counts) or "-",
        ]
        for i, q in enumerate(self.questions, start=1):
            answer = Answer(q.answer).label if q.answer else _("not answered")
            lines.append(f"{i}. [{_clause_label(q.clause)}] {q.text}: {answer}")
            if q.answer == Answer.NOT_CHECKED and q.notes:
                lines.append("  " + line(_("Why not checked"), q.notes))
        lines += ["", _("Findings") + ":"]
        for label, findings in self.by_grade:
            lines.append(f"{label} ({len(findings)})")
            lines.append("  " + str(GRADE_DEFINITIONS[findings[0].grade]))
            for f in findings:
                lines.append(f"- [{_clause_label(f.clause)}] {f.statement}")
                if f.clause is None and f.no_clause_reason:
                    lines.append("  " + line(_("Why no clause"), f.no_clause_reason))
                if f.evidence:
                    lines.append("  " + line(_("Evidence"), f.evidence))
                if f.requirement:
                    lines.append("  " + line(_("Requirement not met"), f.requirement))
                if f.acknowledged_by:
                    lines.append("  " + _("Acknowledged by %(name)s") % {"name": f.acknowledged_by})
                elif f.refusal_recorded_at:
                    lines.append(
                        "  " + line(_("Not acknowledged by the auditee"), f.refusal_reason)
                    )
        lines += ["", _("Conclusion") + ":", a.conclusion or "-"]
        return "\n".join(lines)


def report_content(audit: Audit, standard: str = "") -> ReportContent:
    """Everything the report shows, in a fixed number of queries. With `standard` (a standard
    code such as "iso9001"), only that standard's clauses and the findings against them."""
    editions = list(audit.editions.select_related("standard"))
    clauses = list(audit.clauses.select_related("edition__standard").order_by("sort_key"))
    findings = list(
        audit.findings.select_related(
            "clause__edition__standard", "clause__hs", "process", "acknowledged_by"
        ).order_by("clause__sort_key", "pk")
    )
    questions = list(
        audit.questions.select_related("clause__edition__standard").prefetch_related(
            "also_clauses__edition__standard"
        )
    )
    if standard:
        editions = [e for e in editions if e.standard.code == standard]
        clauses = [c for c in clauses if c.edition.standard.code == standard]
        # A finding on a shared (harmonized) clause counts for every standard that shares it.
        hs_ids = {c.hs_id for c in clauses if c.hs_id}
        findings = [
            f
            for f in findings
            if f.clause is None
            or f.clause.edition.standard.code == standard
            or (f.clause.hs_id is not None and f.clause.hs_id in hs_ids)
        ]
        # A question asked once for several standards answers for each of them.
        questions = [
            q
            for q in questions
            if q.clause is None
            or any(c.edition.standard.code == standard for c in [q.clause, *q.also_clauses.all()])
        ]
    by_grade = []
    counts = {}
    for grade in GRADE_ORDER:
        group = [f for f in findings if f.grade == grade]
        counts[grade] = len(group)
        if group:
            by_grade.append((str(Finding.Grade(grade).label), group))
    answered = {a: sum(1 for q in questions if q.answer == a) for a in ANSWER_ORDER}
    answer_counts = [(str(Answer(a).label), answered[a]) for a in ANSWER_ORDER]
    unanswered = sum(1 for q in questions if not q.answer)
    if unanswered:
        answer_counts.append((_("not answered"), unanswered))
    minors: dict[str, int] = {}
    for f in findings:
        if f.grade == Finding.Grade.MINOR and f.clause is not None:
            minors[_clause_label(f.clause)] = minors.get(_clause_label(f.clause), 0) + 1
    return ReportContent(
        audit=audit,
        questions=questions,
        answer_counts=answer_counts,
        systemic=[(label, n) for label, n in minors.items() if n > 1],
        standard=standard,
        standards=editions,
        clauses=clauses,
        processes=list(audit.processes.all()),
        departments=list(audit.departments.all()),
        sites=list(audit.sites.all()),
        team=list(audit.team.all()),
        auditees=list(audit.auditees.all()),
        by_grade=by_grade,
        counts=counts,
    )


def report_frame(content: ReportContent, *, signed_at: str = "") -> Frame:
    """What every page of the report names: organization, audit, status, dates, page N of M."""
    a = content.audit
    details = [
        _("Status: %(status)s") % {"status": a.get_status_display()},
        _("%(start)s to %(end)s") % {"start": _date(a.planned_start), "end": _date(a.planned_end)},
    ]
    if content.standard:
        details.append(content.standard)
    if signed_at:
        details.append(_("Signed %(when)s") % {"when": signed_at})
        note = _(
            "Signed audit report; the signed original is kept in pdca. Uncontrolled when "
            "printed: produced %(when)s."
        ) % {"when": signed_at}
    else:
        note = controlled_copy_note(timezone.now())
    return Frame(
        organization=str(a.organization),
        heading=f"{a.reference}  {a.title}",
        details=details,
        note=note,
    )


def report_pdf(
    content: ReportContent, *, signed_by: str = "", signed_at: str = "", digest: str = ""
) -> bytes:
    pdf = ControlledPDF(report_frame(content, signed_at=signed_at))
    pdf.alias_nb_pages()
    pdf.add_page()
    # Every line of the signed text is printed, its first line (reference and title) as heading.
    heading, *lines = content.as_text().splitlines()
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

"""The competence matrix as a spreadsheet (written through `pdca.core.xlsx`), made on a worker
as the member who asked sees it, filtered as the page was: one row per person, one column
per competence required, then their awareness."""

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from pdca.core import xlsx
from pdca.core.jobs import JobResult, Progress
from pdca.core.models import Job, Membership

MATRIX_KIND = "people.matrix"
FILTER_KEYS = ("q", "department", "site", "job_role", "competence")
CHUNK = 500  # people per matrix read: four queries each, whatever the number of competences


def matrix_parameters(query: Any) -> dict[str, str]:
    return {k: query.get(k) for k in FILTER_KEYS if query.get(k)}


def matrix_job(job: Job, progress: Progress) -> JobResult:
    from pdca.people import selectors
    from pdca.people.forms import MatrixFilter
    from pdca.people.models import Competence, Requirement

    organization = job.organization
    membership = Membership.objects.get(organization=organization, user=job.requested_by)
    form = MatrixFilter(job.parameters or None, organization=organization)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    people = list(selectors.matrix_people(membership, data))
    progress.total(len(people))
    required = Requirement.objects.filter(organization=organization)
    if data.get("competence"):
        required = required.filter(competence=data["competence"])
    columns = list(
        Competence.objects.filter(pk__in=required.values("competence_id")).order_by("name", "pk")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Competence matrix")[:31])
    xlsx.append(
        ws,
        [_("Person"), _("Department"), _("Job roles")]
        + [c.name for c in columns]
        + [_("Awareness")],
    )
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        grid = selectors.matrix(chunk, competence=data.get("competence"))
        awareness = selectors.awareness_of(organization, chunk)
        for row in grid.rows:
            cells = {c.pk: cell for c, cell in row.items}
            aware = awareness.get(row.person.pk)
            values: list[Any] = [
                row.person.membership.user.display_name,
                str(row.person.membership.department or ""),
                ", ".join(row.job_roles),
            ]
            for competence in columns:
                cell = cells.get(competence.pk)
                if cell is None:
                    values.append(str(selectors.Cell.LABELS[selectors.Cell.NOT_REQUIRED]))
                else:
                    until = f" ({cell.until.isoformat()})" if cell.until else ""
                    values.append(cell.label + until)
            values.append(
                _("%(done)s of %(total)s acknowledged") % {"done": aware.done, "total": aware.total}
                if aware and aware.total
                else ""
            )
            xlsx.append(ws, values)
            progress.step()
    return JobResult(
        f"competence-matrix-{organization.slug}.xlsx",
        xlsx.workbook_bytes(wb, title=_("Competence matrix")),
    )

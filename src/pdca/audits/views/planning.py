"""The programme grid, the audit list and the audit plan pages."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pdca.audits import selectors, services
from pdca.audits.forms import AuditFilterForm, AuditForm, ProgrammeForm, ScheduleForm, StatusForm
from pdca.audits.models import Audit, AuditProgramme
from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.organization import apply_errors

DONE = {"closed", "reporting", "in_progress"}


def grid_rows_html(grid: selectors.Grid, base: str) -> SafeString:
    """The coverage table's rows. Built here rather than in the template: a three-year grid has
    a thousand cells, and the template engine would spend most of the page's time on them."""
    now = grid.quarters.index(grid.current) if grid.current in grid.quarters else -1
    out = []
    badges_of: dict[int, str] = {}  # an audit shows in many cells: escape it once

    def badge(a: selectors.AuditMark) -> str:
        if a.pk not in badges_of:
            badges_of[a.pk] = (
                f'<a class="badge {"ok" if a.status in DONE else "info"}" href="{base}{a.pk}/" '
                f'title="{escape(a.title)}">{escape(a.reference)}</a>'
            )
        return badges_of[a.pk]

    for row in grid.clause_rows + grid.process_rows:
        flag = (
            ""
            if row.covered or row.heading
            else '<span class="badge warn" title="not yet audited this cycle">!</span> '
        )
        label = escape(row.label if row.kind == "clause" else f"Process: {row.label}")
        risk = (
            f' <span class="badge danger" title="findings and nonconformities in 12 months">'
            f"risk {row.risk}</span>"
            if row.risk >= selectors.RISK_THRESHOLD
            else ""
        )
        cells = []
        for i, cell in enumerate(row.view):
            badges = " ".join(badge(a) for a in cell.shown)
            more = f' <span class="small muted">+{cell.more}</span>' if cell.more else ""
            cells.append(f"<td{' class=now' if i == now else ''}>{badges}{more}</td>")
        heading = ' class="heading"' if row.heading else ""
        out.append(f'<tr{heading}><th scope="row">{flag}{label}{risk}</th>{"".join(cells)}</tr>')
    return mark_safe("\n".join(out))


class ProgrammeView(OrgView):
    permission = "audits.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        programmes = list(AuditProgramme.objects.filter(organization=self.org))
        for each in programmes:
            each.organization = self.org  # already loaded: saves the grid a query
        chosen = request.GET.get("programme")
        programme = next((p for p in programmes if str(p.pk) == chosen), None)
        programme = programme or selectors.current_programme(self.org, programmes)
        grid = selectors.programme_grid(programme) if programme else None
        base = reverse("audits:programme", kwargs={"org": self.org.slug})
        return render(
            request,
            "audits/programme.html",
            {
                "programmes": programmes,
                "programme": programme,
                "grid": grid,
                "can_plan": can(self.membership, "audits.plan"),
                "grid_rows": grid_rows_html(grid, base) if grid else "",
            },
        )


class ProgrammeEditView(OrgView):
    permission = "audits.plan"

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        programme = self.load(pk)
        initial = {"version": programme.version} if programme else {}
        return self.show(ProgrammeForm(instance=programme, initial=initial), programme)

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        programme = self.load(pk)
        form = ProgrammeForm(request.POST, instance=programme)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                saved = services.programme_save(
                    actor=acting_user(request),
                    organization=self.org,
                    programme=programme,
                    expected_version=version,
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The programme was saved."))
                return redirect(f"/o/{org}/audits/?programme={saved.pk}")
        return self.show(form, programme)

    def load(self, pk: int | None) -> AuditProgramme | None:
        if pk is None:
            return None
        return get_object_for(self.request, AuditProgramme, "audits.plan", pk=pk)

    def show(self, form: ProgrammeForm, programme: AuditProgramme | None) -> HttpResponse:
        return render(
            self.request,
            "audits/programme_form.html",
            {
                "form": form,
                "programme": programme,
                "history": object_history(programme) if programme else [],
            },
        )


class AuditListView(OrgView):
    permission = "audits.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        filters = AuditFilterForm(request.GET)
        data = filters.cleaned_data if filters.is_valid() else {}
        page = self.paginate(selectors.audit_list(self.org, data))
        counts = selectors.nc_counts([a.pk for a in page.object_list])
        for audit in page.object_list:
            audit.nc_count = counts.get(audit.pk, 0)
        template = "audits/_audit_rows.html" if request.htmx else "audits/audit_list.html"  # type: ignore[attr-defined]
        return render(
            request,
            template,
            {
                "page": page,
                "filters": filters,
                "query": request.GET.urlencode(),
                "today": timezone.localdate(),
                "can_plan": can(self.membership, "audits.plan"),
            },
        )


class AuditEditView(OrgView):
    permission = "audits.plan"

    def get(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        audit = self.load(pk)
        initial: dict[str, Any] = {"version": audit.version} if audit else {}
        if audit is None:
            programme = selectors.current_programme(self.org)
            initial.update({"programme": programme, "lead_auditor": acting_user(request)})
        return self.show(AuditForm(instance=audit, initial=initial, organization=self.org), audit)

    def post(self, request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
        audit = self.load(pk)
        form = AuditForm(request.POST, instance=audit, organization=self.org)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                saved = services.audit_save(
                    actor=acting_user(request),
                    organization=self.org,
                    audit=audit,
                    expected_version=version,
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(ref)s was saved.") % {"ref": saved.reference})
                return redirect("audits:detail", org=org, pk=saved.pk)
        return self.show(form, audit)

    def load(self, pk: int | None) -> Audit | None:
        if pk is None:
            return None
        return get_object_for(self.request, Audit, "audits.plan", pk=pk)

    def show(self, form: AuditForm, audit: Audit | None) -> HttpResponse:
        return render(self.request, "audits/audit_form.html", {"form": form, "audit": audit})


class AuditDetailView(OrgView):
    permission = "audits.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(
            request, Audit.objects.select_related("lead_auditor", "programme"), "audits.view", pk=pk
        )
        questions = list(audit.questions.values_list("answer", "has_conflict"))
        context = {
            "audit": audit,
            "clauses": audit.clauses.select_related("edition").order_by("edition", "sort_key"),
            "schedule": audit.schedule.select_related("auditee"),
            "findings": audit.findings.select_related("clause__edition", "process"),
            "answered": sum(1 for a, _c in questions if a),
            "question_count": len(questions),
            "conflicts": sum(1 for _a, c in questions if c),
            "report": getattr(audit, "report", None) if audit.is_closed else None,
            "status_form": StatusForm(initial={"status": audit.status}),
            "can_plan": can(self.membership, "audits.plan") and not audit.is_closed,
            "can_conduct": can(self.membership, "audits.conduct") and not audit.is_closed,
            "is_lead": audit.lead_auditor_id == request.user.pk,
            "history": object_history(audit),
        }
        return render(request, "audits/audit_detail.html", context)


class AuditStatusView(OrgView):
    permission = "audits.plan"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.plan", pk=pk)
        form = StatusForm(initial={"status": audit.status})
        return render(request, "audits/status.html", {"audit": audit, "form": form})

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.plan", pk=pk)
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                services.audit_set_status(
                    actor=acting_user(request), audit=audit, status=form.cleaned_data["status"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("audits:detail", org=org, pk=pk)
        return render(request, "audits/status.html", {"audit": audit, "form": form}, status=400)


class ScheduleAddView(OrgView):
    permission = "audits.plan"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.plan", pk=pk)
        form = ScheduleForm(organization=self.org)
        return render(request, "audits/schedule_form.html", {"audit": audit, "form": form})

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.plan", pk=pk)
        form = ScheduleForm(request.POST, organization=self.org)
        if form.is_valid():
            try:
                services.schedule_add(actor=acting_user(request), audit=audit, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("audits:detail", org=org, pk=pk)
        return render(request, "audits/schedule_form.html", {"audit": audit, "form": form})

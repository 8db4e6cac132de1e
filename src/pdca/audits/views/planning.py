"""The programme grid, the audit list and the audit plan pages."""

import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pdca.audits import selectors, services
from pdca.audits.forms import AuditFilterForm, AuditForm, ProgrammeForm, ScheduleForm, StatusForm
from pdca.audits.models import Audit, AuditProgramme
from pdca.core.access import get_object_for
from pdca.core.jinja import render_rows
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.organization import apply_errors


@functools.lru_cache(maxsize=4096)
def _badge(base: str, mark: selectors.AuditMark) -> SafeString:
    return format_html(
        '<a class="badge {}" href="{}{}/" title="{}">{}</a>',
        "ok" if mark.status in Audit.DONE_STATUSES else "info",
        base,
        mark.pk,
        mark.title,
        mark.reference,
    )


def grid_rows(request: HttpRequest, grid: selectors.Grid, base: str) -> SafeString:
    """The coverage table's rows. An audit shows in many of a three-year grid's thousand cells,
    so its badge is rendered once (and kept while it does not change), not once per cell."""
    return render_rows(
        request,
        "audits/_grid_rows.html",
        {
            "grid": grid,
            "badges": lambda marks: mark_safe(" ".join(_badge(base, m) for m in marks)),
            "risk_threshold": selectors.RISK_THRESHOLD,
        },
    )


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
                "grid_rows": grid_rows(request, grid, base) if grid else "",
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

    def get(self, request: OrgRequest, org: str) -> HttpResponse:
        filters = AuditFilterForm(request.GET)
        data = filters.cleaned_data if filters.is_valid() else {}
        page = self.paginate(selectors.audit_list(self.membership, data))
        counts = selectors.nc_counts([a.pk for a in page.object_list])
        for audit in page.object_list:
            audit.nc_count = counts.get(audit.pk, 0)
        template = "audits/_audit_rows.html" if request.htmx else "audits/audit_list.html"
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

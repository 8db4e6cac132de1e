"""The programme grid, the audit list and the audit plan pages."""

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.audits import selectors, services
from pdca.audits.forms import AuditFilterForm, AuditForm, ProgrammeForm, ScheduleForm, StatusForm
from pdca.audits.models import Audit, AuditProgramme
from pdca.core.access import get_object_for
from pdca.core.jinja import render_rows
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView


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


class ProgrammeEditView(FormView):
    permission = "audits.plan"
    model = AuditProgramme
    form_class = ProgrammeForm
    template_name = "audits/programme_form.html"
    form_takes = ("instance",)
    context_name = "programme"
    error_status = 200
    success_message = gettext_lazy("The programme was saved.")

    def initial(self, obj: AuditProgramme | None) -> dict[str, Any]:
        return {"version": obj.version} if obj else {}

    def context(self, obj: AuditProgramme | None) -> dict[str, Any]:
        return {"history": object_history(obj) if obj else []}

    def act(self, obj: AuditProgramme | None, form: Any) -> AuditProgramme:
        version, data = versioned(form)
        return services.programme_save(
            actor=acting_user(self.request),
            organization=self.org,
            programme=obj,
            expected_version=version,
            **data,
        )

    def success_url(self, obj: AuditProgramme) -> str:
        return f"/o/{self.org.slug}/audits/?programme={obj.pk}"


class AuditListView(ListView):
    permission = "audits.view"
    template_name = "audits/audit_list.html"
    rows_template = "audits/_audit_rows.html"
    filter_class = AuditFilterForm
    counted = True

    def rows(self, data: dict[str, Any]) -> Any:
        return selectors.audit_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        counts = selectors.nc_counts([a.pk for a in page.object_list])
        for audit in page.object_list:
            audit.nc_count = counts.get(audit.pk, 0)
        return {"today": timezone.localdate(), "can_plan": can(self.membership, "audits.plan")}


class AuditEditView(FormView):
    permission = "audits.plan"
    model = Audit
    form_class = AuditForm
    template_name = "audits/audit_form.html"
    form_takes = ("instance", "organization")
    context_name = "audit"
    error_status = 200
    success_route = "audits:detail"

    def initial(self, obj: Audit | None) -> dict[str, Any]:
        if obj is not None:
            return {"version": obj.version}
        programme = selectors.current_programme(self.org)
        return {"programme": programme, "lead_auditor": acting_user(self.request)}

    def act(self, obj: Audit | None, form: Any) -> Audit:
        version, data = versioned(form)
        return services.audit_save(
            actor=acting_user(self.request),
            organization=self.org,
            audit=obj,
            expected_version=version,
            **data,
        )

    def message(self, obj: Audit, form: Any) -> str:
        saved = _("%(ref)s was saved.") % {"ref": obj.reference}
        from pdca.audits.services.planning import qualification_warnings

        warnings = qualification_warnings(obj)
        return " ".join([saved, *warnings])


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


class AuditStatusView(ConfirmView):
    permission = "audits.plan"
    model = Audit
    form_class = StatusForm
    template_name = "audits/status.html"
    error_status = 400
    context_name = "audit"
    success_route = "audits:detail"

    def initial(self, obj: Audit) -> dict[str, Any]:
        return {"status": obj.status}

    def act(self, obj: Audit, form: Any) -> None:
        services.audit_set_status(
            actor=acting_user(self.request), audit=obj, status=form.cleaned_data["status"]
        )


class ScheduleAddView(ConfirmView):
    permission = "audits.plan"
    model = Audit
    form_class = ScheduleForm
    template_name = "audits/schedule_form.html"
    form_takes = ("organization",)
    context_name = "audit"
    error_status = 200
    success_route = "audits:detail"

    def act(self, obj: Audit, form: Any) -> None:
        services.schedule_add(actor=acting_user(self.request), audit=obj, **form.cleaned_data)

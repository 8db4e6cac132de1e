"""Nonconformity pages: the list, the short form to raise one, the CAPA page with each step's
small form, and the analysis page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, field_values
from pdca.core.views.lists import ListView
from pdca.improvement import selectors, services
from pdca.improvement.forms import (
    ActionForm,
    ActionUpdateForm,
    AnalysisForm,
    CancelForm,
    CheckPlanForm,
    CheckRecordForm,
    CloseForm,
    ClosureStepsForm,
    NcFilterForm,
    NonconformityForm,
    RaiseForm,
)
from pdca.improvement.models import CorrectiveAction, EffectivenessCheck, Nonconformity, Source
from pdca.standards.registry import nc_sections, nc_source_link


class NonconformityListView(ListView):
    permission = "improvement.view"
    template_name = "improvement/list.html"
    rows_template = "improvement/_nc_rows.html"
    filter_class = NcFilterForm

    def rows(self, data: dict[str, Any]) -> Any:
        if data.get("mine"):
            data["mine_user"] = acting_user(self.request)
        return selectors.nonconformity_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        ids = [nc.pk for nc in page.object_list]
        return {
            "overdue": selectors.overdue_nc_ids(self.org, ids, today),
            "recurring": selectors.recurring_ids(self.org, ids, today),
            "can_raise": can(self.membership, "improvement.raise"),
        }


class RaiseView(FormView):
    permission = "improvement.raise"
    form_class = RaiseForm
    template_name = "improvement/raise.html"
    form_takes = ("organization",)
    error_status = 400
    success_route = "improvement:detail"

    def initial(self, obj: None) -> dict[str, Any]:
        return {"found_on": timezone.localdate()}

    def act(self, obj: None, form: Any) -> Nonconformity:
        return services.nonconformity_raise(
            actor=acting_user(self.request),
            organization=self.org,
            source=Source.EMPLOYEE,
            **form.cleaned_data,
        )

    def message(self, obj: Nonconformity, form: Any) -> str:
        return _("%(ref)s was raised. Thank you.") % {"ref": obj.reference}


def _detail_context(request: HttpRequest, membership: Any, nc: Nonconformity) -> dict[str, Any]:
    today = timezone.localdate()
    actions = list(nc.actions.select_related("owner").prefetch_related("escalations"))
    checks = list(nc.checks.select_related("verifier", "checked_by"))
    user = acting_user(request)
    return {
        "nc": nc,
        "whys": list(nc.whys.all()),
        "causes": list(nc.causes.all()),
        "actions": actions,
        "checks": checks,
        "recordable_checks": {
            c.pk for c in checks if can(membership, "improvement.record_check", c)
        }
        if nc.is_open
        else set(),
        "today": today,
        "refusal": services.closing_refusal(nc) if nc.is_open else "",
        "can_manage": can(membership, "improvement.manage") and nc.is_open,
        "can_verify": can(membership, "improvement.verify") and nc.is_open,
        "can_close": can(membership, "improvement.close") and nc.is_open,
        "can_cancel": can(membership, "improvement.cancel")
        and nc.is_open
        and not nc.from_certification_body,
        "my_actions": {a.pk for a in actions if can(membership, "improvement.update_action", a)}
        if nc.is_open
        else set(),
        "user": user,
        "history": object_history(nc),
        "source_link": _source_link(nc),
        "nc_sections": nc_sections(request, membership, nc),
    }


def _source_link(nc: Nonconformity) -> tuple[str, str] | None:
    link = nc_source_link(nc.source_object)
    if link is None:
        return None
    label, url_name, kwargs = link
    return label, reverse(url_name, kwargs={"org": nc.organization.slug, **kwargs})


class NonconformityDetailView(OrgView):
    permission = "improvement.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        nc = get_object_for(
            request,
            Nonconformity.objects.select_related(
                "owner",
                "process",
                "department",
                "raised_by",
                "source_type",
                "closed_by",
                "system_change_revision__document",
                "system_change_process",
            ),
            "improvement.view",
            pk=pk,
        )
        context = _detail_context(request, self.membership, nc)
        context["clauses"] = nc.clauses.select_related("edition")
        return render(request, "improvement/detail.html", context)


class StepView(ConfirmView):
    """A small page for one step of the CAPA (its form and a confirmation); subclasses name the
    permission, the form and the service call. The object is the nonconformity unless a
    subclass loads one of its parts (an action, an effectiveness check)."""

    model = Nonconformity
    template_name = "improvement/step.html"
    title: str | Promise = ""
    button: str | Promise = gettext_lazy("Save")
    shows_refusal = False  # the closing step says why the nonconformity is not ready

    def nc_of(self, obj: Any) -> Nonconformity:
        return obj if isinstance(obj, Nonconformity) else obj.nonconformity

    def context(self, obj: Any) -> dict[str, Any]:
        nc = self.nc_of(obj)
        return {
            "nc": nc,
            "title": self.title,
            "button": self.button,
            "shows_refusal": self.shows_refusal,
            "refusal": services.closing_refusal(nc) if nc.is_open else "",
        }

    def success_url(self, obj: Any) -> str:
        return reverse(
            "improvement:detail", kwargs={"org": self.org.slug, "pk": self.nc_of(obj).pk}
        )


class EditView(StepView):
    permission = "improvement.manage"
    title = gettext_lazy("Edit the nonconformity")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return NonconformityForm(
            data, instance=obj, initial={"version": obj.version}, organization=self.org
        )

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        version = values.pop("version")
        clauses = values.pop("clauses")
        services.nonconformity_update(
            actor=acting_user(self.request),
            nonconformity=obj,
            expected_version=version,
            clauses=clauses,
            **values,
        )


class AnalysisEditView(StepView):
    permission = "improvement.manage"
    title = gettext_lazy("Root-cause analysis: five whys and fishbone")
    template_name = "improvement/analysis_form.html"

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return AnalysisForm(data, initial=AnalysisForm.initial_for(obj))

    def act(self, obj: Any, form: Any) -> None:
        services.analysis_save(
            actor=acting_user(self.request),
            nonconformity=obj,
            whys=form.whys(),
            causes=form.causes(),
            root_cause=form.cleaned_data["root_cause"],
            root_cause_category=form.cleaned_data["root_cause_category"],
            similar=form.cleaned_data["similar"],
            similar_notes=form.cleaned_data["similar_notes"],
            expected_version=form.cleaned_data.get("version"),
        )


class ActionAddView(StepView):
    permission = "improvement.manage"
    title = gettext_lazy("Plan a corrective action")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return ActionForm(data, organization=self.org)

    def act(self, obj: Any, form: Any) -> None:
        services.action_plan(
            actor=acting_user(self.request), nonconformity=obj, **form.cleaned_data
        )


class ActionUpdateView(StepView):
    permission = "improvement.update_action"
    title = gettext_lazy("Update the action")

    def load(self, pk: int) -> Any:
        return get_object_for(
            self.request,
            CorrectiveAction.objects.select_related("nonconformity"),
            self.permission,
            pk=pk,
        )

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return ActionUpdateForm(data, initial=field_values(obj, ("status", "notes", "version")))

    def act(self, obj: Any, form: Any) -> None:
        services.action_update(
            actor=acting_user(self.request),
            action=obj,
            status=form.cleaned_data["status"],
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data.get("version"),
        )


class CheckPlanView(StepView):
    permission = "improvement.verify"
    title = gettext_lazy("Plan the verification of effectiveness")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return CheckPlanForm(data, organization=self.org)

    def act(self, obj: Any, form: Any) -> None:
        services.check_plan(actor=acting_user(self.request), nonconformity=obj, **form.cleaned_data)


class CheckRecordView(StepView):
    permission = "improvement.record_check"
    title = gettext_lazy("Verify effectiveness")
    button = gettext_lazy("Record the result")

    def load(self, pk: int) -> Any:
        return get_object_for(
            self.request,
            EffectivenessCheck.objects.select_related("nonconformity"),
            self.permission,
            pk=pk,
        )

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return CheckRecordForm(data, check=obj, today=timezone.localdate())

    def act(self, obj: Any, form: Any) -> None:
        services.check_record(actor=acting_user(self.request), check=obj, **form.cleaned_data)


class ClosureStepsView(StepView):
    permission = "improvement.manage"
    title = gettext_lazy("Risks and opportunities, and the management system")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = field_values(obj, ("version", *services.CLOSURE_STEP_FIELDS))
        return ClosureStepsForm(data, initial=initial, organization=self.org)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        services.closure_steps_save(
            actor=acting_user(self.request),
            nonconformity=obj,
            expected_version=values.pop("version"),
            **values,
        )


class CloseView(StepView):
    permission = "improvement.close"
    title = gettext_lazy("Close the nonconformity")
    button = gettext_lazy("Sign and close")
    shows_refusal = True

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return CloseForm(data, nc=obj)

    def act(self, obj: Any, form: Any) -> None:
        services.nonconformity_close(
            actor=acting_user(self.request),
            nonconformity=obj,
            password=form.cleaned_data["password"],
            no_action_reason=form.cleaned_data.get("no_action_reason", ""),
        )


class CancelView(StepView):
    permission = "improvement.cancel"
    title = gettext_lazy("Cancel the nonconformity")
    button = gettext_lazy("Cancel it")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return CancelForm(data)

    def act(self, obj: Any, form: Any) -> None:
        services.nonconformity_cancel(
            actor=acting_user(self.request), nonconformity=obj, reason=form.cleaned_data["reason"]
        )


class AnalysisView(OrgView):
    permission = "improvement.view_analysis"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        figures = selectors.analysis(self.org)
        charts = {
            k: {"labels": [r[0] for r in figures[k]], "values": [r[1] for r in figures[k]]}
            for k in ("by_source", "by_category", "by_department", "by_clause", "by_month")
        }
        return render(request, "improvement/analysis.html", {"figures": figures, "charts": charts})

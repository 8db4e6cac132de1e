"""Pages of the risk method and the register of risks and opportunities: the method with its
versions, the register (filtered, paged), an entry's page with each step's small form, and the
heat map."""

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
from pdca.risks import history, selectors, services
from pdca.risks import method as methods
from pdca.risks.forms import (
    ActionForm,
    ActionUpdateForm,
    ApproveForm,
    AssessForm,
    CloseForm,
    EvaluateForm,
    MethodForm,
    PasswordForm,
    RiskFilterForm,
    RiskForm,
    TreatForm,
)
from pdca.risks.models import Kind, Risk, RiskAction, RiskMethod
from pdca.standards.models import SoAEntry


class MethodView(OrgView):
    """The method in force, its drafts and its earlier versions."""

    permission = "risks.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        versions = list(
            RiskMethod.objects.filter(organization=self.org).select_related("owner", "approved_by")
        )
        current = next((m for m in versions if m.status == RiskMethod.Status.APPROVED), None)
        user = acting_user(request)
        return render(
            request,
            "risks/method.html",
            {
                "current": current,
                "versions": versions,
                "can_draft": can(self.membership, "risks.manage_method"),
                "can_approve": can(self.membership, "risks.approve_method"),
                "user": user,
            },
        )


class MethodCreateView(FormView):
    permission = "risks.manage_method"
    form_class = MethodForm
    template_name = "risks/method_form.html"
    form_takes = ("organization", "initial")
    success_route = "risks:method"
    success_pk = False
    success_message = gettext_lazy("The new method version is drafted: its owner approves it.")

    def initial(self, obj: None) -> dict[str, Any]:
        # A new version starts from the one in force.
        current = methods.current(self.org)
        if current is None:
            return {"owner": acting_user(self.request)}
        return field_values(
            current,
            (
                "title",
                "likelihood_levels",
                "consequence_levels",
                "acceptance_threshold",
                "acceptance_criteria",
                "owner",
            ),
        )

    def act(self, obj: None, form: Any) -> RiskMethod:
        return methods.method_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class MethodApproveView(ConfirmView):
    permission = "risks.approve_method"
    model = RiskMethod
    form_class = ApproveForm
    template_name = "risks/method_approve.html"
    context_name = "method"
    success_route = "risks:method"
    success_pk = False
    success_message = gettext_lazy("The method is approved and in force.")

    def context(self, obj: RiskMethod) -> dict[str, Any]:
        return {"current": methods.current(self.org)}

    def act(self, obj: RiskMethod, form: Any) -> RiskMethod:
        return methods.method_approve(actor=acting_user(self.request), method=obj)


class RegisterView(ListView):
    permission = "risks.view"
    template_name = "risks/register.html"
    rows_template = "risks/_risk_rows.html"
    filter_class = RiskFilterForm

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> Any:
        return selectors.register_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        current = methods.current(self.org)
        return {
            "current": current,
            "today": timezone.localdate(),
            "can_manage": can(self.membership, "risks.manage"),
        }


class RiskCreateView(FormView):
    permission = "risks.manage"
    form_class = RiskForm
    template_name = "risks/risk_form.html"
    success_route = "risks:detail"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        self.method = methods.current(self.org)
        return {"organization": self.org, "method": self.method}

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"kind": self.request.GET.get("kind") or Kind.RISK}

    def context(self, obj: Any) -> dict[str, Any]:
        return {"method": self.method, "title": _("Enter a risk or opportunity")}

    def act(self, obj: Any, form: Any) -> Risk:
        return services.risk_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )

    def message(self, obj: Risk, form: Any) -> str:
        return _("%(ref)s is in the register.") % {"ref": obj.reference}


def _risk_queryset() -> Any:
    return Risk.objects.select_related("owner", "process", "method", "accepted_by")


class RiskDetailView(OrgView):
    permission = "risks.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        risk = get_object_for(request, _risk_queryset(), "risks.view", pk=pk)
        current = methods.current(self.org)
        actions = list(risk.actions.select_related("owner", "process"))
        user = acting_user(request)
        managing = can(self.membership, "risks.manage") and risk.is_open
        controls = list(risk.controls.order_by("sort_key"))
        excluded = set(
            SoAEntry.objects.filter(
                organization=self.org, applicable=False, clause__in=[c.pk for c in controls]
            ).values_list("clause__number", flat=True)
        )
        return render(
            request,
            "risks/detail.html",
            {
                "risk": risk,
                "current": current,
                "up_to_date": risk.scored_under_current(current),
                "standards": list(risk.standards.all()),
                "actions": actions,
                "today": timezone.localdate(),
                "can_manage": managing,
                "can_treat": risk.is_open and can(self.membership, "risks.treat", risk),
                "can_accept": can(self.membership, "risks.accept", risk)
                and not services.acceptance_refusal(risk, user),
                "my_actions": {
                    a.pk for a in actions if can(self.membership, "risks.update_action", a)
                }
                if risk.is_open
                else set(),
                "history": object_history(risk),
                "assets": list(risk.assets.all()),
                "controls": controls,
                "excluded": excluded,
            },
        )


class StepView(ConfirmView):
    """A small page for one step of an entry (its form and a confirmation); subclasses name the
    permission, the form and the service call."""

    model: Any = Risk
    select_related: tuple[str, ...] = ("owner", "process", "method", "accepted_by")
    template_name = "risks/step.html"
    title: str | Promise = ""
    button: str | Promise = gettext_lazy("Save")

    def risk_of(self, obj: Any) -> Risk:
        return obj if isinstance(obj, Risk) else obj.risk

    def context(self, obj: Any) -> dict[str, Any]:
        return {"risk": self.risk_of(obj), "title": self.title, "button": self.button}

    def success_url(self, obj: Any) -> str:
        return reverse("risks:detail", kwargs={"org": self.org.slug, "pk": self.risk_of(obj).pk})


class RiskEditView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Edit the entry")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = field_values(obj, ("version", *services.DESCRIPTION_FIELDS))
        initial["standards"] = list(obj.standards.all())
        return RiskForm(data, initial=initial, organization=self.org, method=None, editing=True)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        version = values.pop("version")
        standards = values.pop("standards")
        services.risk_update(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=version,
            fields=values,
            standards=standards,
        )


class AssessView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Assess under the method in force")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        current = methods.current(self.org)
        initial = field_values(obj, ("version", "likelihood", "consequence"))
        if obj.method_id == getattr(current, "pk", None):
            initial.update(field_values(obj, ("residual_likelihood", "residual_consequence")))
        return AssessForm(data, initial=initial, method=current)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        services.risk_assess(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=values.pop("version"),
            **values,
        )


class TreatView(StepView):
    """The treatment and residual risk: the register's keepers choose it, or the risk's owner
    (who signs when retaining a risk above the acceptance criteria)."""

    permission = "risks.treat"
    title = gettext_lazy("Treatment and residual risk")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = field_values(
            obj, ("version", "treatment", "residual_likelihood", "residual_consequence")
        )
        return TreatForm(data, initial=initial, method=obj.method)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        services.risk_treat(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=values.pop("version"),
            **values,
        )


class AcceptView(StepView):
    permission = "risks.accept"
    title = gettext_lazy("Approve the treatment and accept the residual risk")
    button = gettext_lazy("Sign")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return PasswordForm(data)

    def act(self, obj: Any, form: Any) -> None:
        services.risk_accept(
            actor=acting_user(self.request), risk=obj, password=form.cleaned_data["password"]
        )


class EvaluateView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Evaluate the effectiveness of the actions")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = field_values(obj, ("version", "effectiveness"))
        initial["notes"] = obj.effectiveness_notes
        return EvaluateForm(data, initial=initial)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        services.risk_evaluate(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=values["version"],
            effectiveness=values["effectiveness"],
            notes=values["notes"],
        )


class CloseView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Close the entry")
    button = gettext_lazy("Close it")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return CloseForm(data, initial={"version": obj.version})

    def act(self, obj: Any, form: Any) -> None:
        services.risk_close(
            actor=acting_user(self.request),
            risk=obj,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )


class ActionAddView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Plan an action")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return ActionForm(data, organization=self.org)

    def act(self, obj: Any, form: Any) -> None:
        services.action_add(actor=acting_user(self.request), risk=obj, **form.cleaned_data)


class ActionUpdateView(StepView):
    permission = "risks.update_action"
    title = gettext_lazy("Update the action")
    model = RiskAction
    select_related = ("risk",)

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


class HeatMapView(OrgView):
    permission = "risks.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        current = methods.current(self.org)
        kind = request.GET.get("kind", "")
        kind = kind if kind in Kind.values else ""
        heat = selectors.heat_map(self.org, current, kind) if current else None
        points = history.trend(self.org, timezone.localdate())
        chart = history.trend_chart(points)
        context = {
            "current": current,
            "heat": heat,
            "kind": kind,
            "kinds": Kind.choices,
            "trend": points,
            "kept": any(p.open_risks is not None for p in points[:-1]),
            "chart": chart,
            "chart_data": {chart.key: chart.as_json()},
        }
        return render(request, "risks/heatmap.html", context)

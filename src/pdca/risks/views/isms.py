"""Pages of the ISMS risk assessment: the asset inventory, an entry's scenario and controls, and
the assessment runs with their retained results."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.paging import quick_page
from pdca.core.permissions import can
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.forms import FormView, field_values
from pdca.core.views.lists import ListView
from pdca.risks import isms, selectors
from pdca.risks.forms import AssetForm, ControlsForm, RunForm, ScenarioForm
from pdca.risks.models import AssessmentRun, Asset
from pdca.risks.views.register import StepView


class AssetFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *Asset.Kind.choices],
        required=False,
    )


class AssetListView(ListView):
    permission = "risks.view"
    template_name = "risks/assets.html"
    rows_template = "risks/_asset_rows.html"
    filter_class = AssetFilterForm

    def rows(self, data: dict[str, Any]) -> Any:
        rows = Asset.objects.filter(organization=self.org).select_related("owner")
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        return rows.order_by("kind", "name")

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "risks.manage")}


class AssetView(FormView):
    permission = "risks.manage"
    model = Asset
    form_class = AssetForm
    form_takes = ("organization",)
    template_name = "risks/context_form.html"
    success_route = "risks:assets"
    success_pk = False
    success_message = gettext_lazy("The asset is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        if obj is None:
            return {"is_active": True}
        return field_values(obj, ("version", *isms.ASSET_FIELDS))

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Asset")}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        return isms.asset_save(
            actor=acting_user(self.request),
            organization=self.org,
            asset=obj,
            expected_version=values.pop("version"),
            fields=values,
        )


class ScenarioView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Information security scenario")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = field_values(
            obj, ("version", "threat", "confidentiality", "integrity", "availability")
        )
        initial["assets"] = list(obj.assets.all())
        return ScenarioForm(data, initial=initial, organization=self.org)

    def act(self, obj: Any, form: Any) -> None:
        values = dict(form.cleaned_data)
        isms.scenario_set(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=values.pop("version"),
            **values,
        )


class ControlsView(StepView):
    permission = "risks.manage"
    title = gettext_lazy("Annex A controls needed")

    def make_form(self, obj: Any, data: Any = None) -> Any:
        initial = {"version": obj.version, "controls": list(obj.controls.all())}
        return ControlsForm(
            data, initial=initial, controls=isms.annex_controls(self.org).order_by("sort_key")
        )

    def act(self, obj: Any, form: Any) -> None:
        isms.controls_set(
            actor=acting_user(self.request),
            risk=obj,
            expected_version=form.cleaned_data.get("version"),
            controls=form.cleaned_data["controls"],
        )


class RunListView(ListView):
    permission = "risks.view"
    template_name = "risks/runs.html"
    rows_template = "risks/_run_rows.html"

    def rows(self, data: dict[str, Any]) -> Any:
        return AssessmentRun.objects.filter(organization=self.org).select_related(
            "method", "run_by"
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "can_manage": can(self.membership, "risks.manage"),
            "excluded": selectors.excluded_but_needed(self.org),
        }


class RunCreateView(FormView):
    permission = "risks.manage"
    form_class = RunForm
    template_name = "risks/context_form.html"
    success_route = "risks:run"

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Run the information security risk assessment")}

    def act(self, obj: Any, form: Any) -> Any:
        return isms.assessment_run(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class RunDetailView(OrgView):
    permission = "risks.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        run = get_object_for(
            request,
            AssessmentRun.objects.select_related("method", "run_by"),
            self.permission,
            pk=pk,
        )
        results = run.results.select_related("risk", "owner")
        page = quick_page(results, request.GET.get("page"))
        return render(request, "risks/run.html", {"run": run, "page": page})

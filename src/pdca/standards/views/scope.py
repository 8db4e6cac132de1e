"""Choosing standards, the scope statement, exclusions and the Statement of Applicability."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.forms import FormView, versioned
from pdca.standards import services
from pdca.standards.exports import soa_xlsx
from pdca.standards.forms import ChooseStandardForm, ExclusionForm, ScopeForm, SoAForm
from pdca.standards.models import Clause, Exclusion, OrgStandard
from pdca.standards.registry import soa_reasons
from pdca.standards.selectors import gap_analysis, my_open_clauses
from pdca.standards.selectors.readiness import readiness
from pdca.standards.views import load_org_standard

MY_CLAUSES_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HomeView(OrgView):
    """The organization's standards with their readiness, and the clauses assigned to me."""

    permission = "standards.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        results = readiness(self.org)
        mine = (
            my_open_clauses(self.org, acting_user(request))
            .select_related("hs", "clause__edition")
            .order_by("target_date", "pk")[:MY_CLAUSES_SHOWN]
            if request.GET.get("mine")
            else None
        )
        return render(
            request,
            "standards/home.html",
            {
                "results": results,
                "mine": mine,
                "can_manage": can(self.membership, "standards.manage_scope"),
                "can_export": can(self.membership, "standards.export"),
            },
        )


class ChooseView(FormView):
    permission = "standards.manage_scope"
    form_class = ChooseStandardForm
    template_name = "standards/choose.html"
    form_takes = ("organization",)
    error_status = 200
    success_route = "standards:gap"

    def act(self, obj: None, form: Any) -> OrgStandard:
        return services.org_standard_choose(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )

    def message(self, obj: OrgStandard, form: Any) -> str:
        return _("%(standard)s added. Walk its clauses to find the gaps.") % {"standard": obj}


class ScopeEditView(FormView):
    permission = "standards.manage_scope"
    form_class = ScopeForm
    template_name = "standards/scope_edit.html"
    form_takes = ("instance",)
    context_name = "os"
    error_status = 200
    success_route = "standards:gap"
    success_message = gettext_lazy("The scope was saved.")

    def load(self, pk: int) -> OrgStandard:
        return load_org_standard(self.request, pk, self.permission)

    def context(self, obj: OrgStandard) -> dict[str, Any]:
        return {"history": object_history(obj)}

    def act(self, obj: OrgStandard, form: Any) -> None:
        version, data = versioned(form)
        services.org_standard_update(
            actor=acting_user(self.request), org_standard=obj, expected_version=version, **data
        )


class ExclusionsView(FormView):
    """The standard's exclusions, and the form to declare one."""

    permissions = {"GET": "standards.view", "POST": "standards.manage_scope"}
    form_class = ExclusionForm
    template_name = "standards/exclusions.html"
    context_name = "os"
    error_status = 200
    success_route = "standards:exclusions"
    success_message = gettext_lazy("The exclusion was recorded.")

    def load(self, pk: int) -> OrgStandard:
        return load_org_standard(self.request, pk)

    def form_kwargs(self, obj: OrgStandard) -> dict[str, Any]:
        return {"org_standard": obj}

    def context(self, obj: OrgStandard) -> dict[str, Any]:
        rows = Exclusion.objects.filter(org_standard=obj).select_related("clause", "created_by")
        return {"rows": rows, "can_manage": can(self.membership, "standards.manage_scope")}

    def act(self, obj: OrgStandard, form: Any) -> None:
        services.exclusion_declare(
            actor=acting_user(self.request), org_standard=obj, **form.cleaned_data
        )


@org_view("standards.manage_scope")
def exclusion_withdraw(request: HttpRequest, org: str, pk: int, ex: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk, "standards.manage_scope")
    exclusion = get_object_for(
        request,
        Exclusion.objects.filter(org_standard=org_standard).select_related("clause"),
        "standards.manage_scope",
        pk=ex,
    )
    error = ""
    if request.method == "POST":
        try:
            services.exclusion_withdraw(
                actor=acting_user(request),
                exclusion=exclusion,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request, _("%(number)s applies again.") % {"number": exclusion.clause.number}
            )
            return redirect("standards:exclusions", org=org, pk=pk)
    return render(
        request,
        "standards/exclusion_withdraw.html",
        {"os": org_standard, "ex": exclusion, "error": error},
    )


def _soa_lines(org_standard):  # type: ignore[no-untyped-def]
    lines, result, data = gap_analysis(org_standard)
    themes = {t.pk: f"{t.code} {t.title}" for t in data.themes.get(org_standard.edition_id, [])}
    return [line for line in lines if line.clause.kind == "control"], result, themes


@org_view("standards.view")
def soa(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk)
    lines, _result, themes = _soa_lines(org_standard)
    decided = sum(1 for line in lines if line.soa is not None)
    total = len(lines)
    # The dashboard's card opens the controls still waiting for a decision.
    undecided_only = request.GET.get("need") == "undecided"
    if undecided_only:
        lines = [line for line in lines if line.clause.is_leaf and line.soa is None]
    reasons = soa_reasons(org_standard, [line.clause.id for line in lines])
    for line in lines:
        # The risks (or other reasons) that call for the control, from the modules that know.
        line.reasons = reasons.get(line.clause.id, [])  # type: ignore[attr-defined]
    return render(
        request,
        "standards/soa.html",
        {
            "os": org_standard,
            "lines": lines,
            "themes": themes,
            "decided": decided,
            "undecided_only": undecided_only,
            "total": total,
            "can_manage": can(request.membership, "standards.manage_scope"),
            "can_export": can(request.membership, "standards.export"),
            "print": False,
        },
    )


class SoAEditView(FormView):
    """One control's line of the Statement of Applicability (the URL names the standard and
    the control)."""

    permission = "standards.manage_scope"
    form_class = SoAForm
    template_name = "standards/soa_edit.html"
    context_name = "control"
    error_status = 200

    def load(self, pk: int) -> Clause:
        self.org_standard = load_org_standard(self.request, pk, self.permission)
        control = get_object_for(
            self.request,
            Clause.objects.filter(edition_id=self.org_standard.edition_id, kind="control"),
            self.permission,
            pk=self.kwargs["clause"],
        )
        self.entry = self.org_standard.soa_entries.filter(clause=control).first()
        return control

    def initial(self, obj: Clause) -> dict[str, Any]:
        if self.entry is None:
            return {"version": 0}
        return {
            "applicable": "yes" if self.entry.applicable else "no",
            "justification": self.entry.justification,
            "version": self.entry.version,
        }

    def context(self, obj: Clause) -> dict[str, Any]:
        return {
            "os": self.org_standard,
            "history": object_history(self.entry) if self.entry else [],
        }

    def act(self, obj: Clause, form: Any) -> None:
        services.soa_set(
            actor=acting_user(self.request),
            org_standard=self.org_standard,
            clause=obj,
            applicable=form.cleaned_data["applicable"],
            justification=form.cleaned_data["justification"],
            expected_version=form.cleaned_data["version"],
        )

    def message(self, obj: Clause, form: Any) -> str:
        return _("%(number)s saved in the Statement of Applicability.") % {"number": obj.number}

    def success_url(self, obj: Clause) -> str:
        return reverse("standards:soa", kwargs={"org": self.org.slug, "pk": self.org_standard.pk})


@org_view("standards.export")
def soa_export(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk, "standards.export")
    lines, _result, themes = _soa_lines(org_standard)
    content = soa_xlsx(org_standard.organization.name, org_standard.edition.label, lines, themes)
    response = HttpResponse(content, content_type=XLSX)
    name = slugify(f"{org_standard.organization.slug} soa {org_standard.edition.standard.code}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@org_view("standards.export")
def soa_print(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk, "standards.export")
    lines, _result, themes = _soa_lines(org_standard)
    reasons = soa_reasons(org_standard, [line.clause.id for line in lines])
    for line in lines:
        line.reasons = reasons.get(line.clause.id, [])  # type: ignore[attr-defined]
    return render(
        request,
        "standards/soa_print.html",
        {"os": org_standard, "lines": lines, "themes": themes},
    )

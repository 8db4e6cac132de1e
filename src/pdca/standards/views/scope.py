"""Choosing standards, the scope statement, exclusions and the Statement of Applicability."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.organization import apply_errors
from pdca.standards import services
from pdca.standards.exports import soa_xlsx
from pdca.standards.forms import ChooseStandardForm, ExclusionForm, ScopeForm, SoAForm
from pdca.standards.models import Assessment, Clause, Exclusion
from pdca.standards.selectors import gap_analysis
from pdca.standards.selectors.readiness import readiness
from pdca.standards.views import load_org_standard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HomeView(OrgView):
    """The organization's standards with their readiness, and the clauses assigned to me."""

    permission = "standards.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        results = readiness(self.org)
        mine = (
            Assessment.objects.filter(organization=self.org, owner=acting_user(request))
            .select_related("hs", "clause__edition")
            .exclude(status__in=["verified", "na"])
            .order_by("target_date")[:50]
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


class ChooseView(OrgView):
    permission = "standards.manage_scope"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        form = ChooseStandardForm(organization=self.org)
        return render(request, "standards/choose.html", {"form": form})

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = ChooseStandardForm(request.POST, organization=self.org)
        if form.is_valid():
            try:
                chosen = services.org_standard_choose(
                    actor=acting_user(request), organization=self.org, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(standard)s added. Walk its clauses to find the gaps.")
                    % {"standard": chosen},
                )
                return redirect("standards:gap", org=org, pk=chosen.pk)
        return render(request, "standards/choose.html", {"form": form})


@org_view("standards.manage_scope")
def scope_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk, "standards.manage_scope")
    form = ScopeForm(request.POST or None, instance=org_standard)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.org_standard_update(
                actor=acting_user(request),
                org_standard=org_standard,
                expected_version=version,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The scope was saved."))
            return redirect("standards:gap", org=org, pk=pk)
    return render(
        request,
        "standards/scope_edit.html",
        {"form": form, "os": org_standard, "history": object_history(org_standard)},
    )


@org_view({"GET": "standards.view", "POST": "standards.manage_scope"})
def exclusions(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk)
    may_manage = can(request.membership, "standards.manage_scope")
    form = ExclusionForm(request.POST or None, org_standard=org_standard)
    if request.method == "POST" and form.is_valid():
        try:
            services.exclusion_declare(
                actor=acting_user(request), org_standard=org_standard, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The exclusion was recorded."))
            return redirect("standards:exclusions", org=org, pk=pk)
    rows = Exclusion.objects.filter(org_standard=org_standard).select_related(
        "clause", "created_by"
    )
    return render(
        request,
        "standards/exclusions.html",
        {"os": org_standard, "form": form, "rows": rows, "can_manage": may_manage},
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
    return render(
        request,
        "standards/soa.html",
        {
            "os": org_standard,
            "lines": lines,
            "themes": themes,
            "decided": decided,
            "can_manage": can(request.membership, "standards.manage_scope"),
            "can_export": can(request.membership, "standards.export"),
            "print": False,
        },
    )


@org_view("standards.manage_scope")
def soa_edit(request: HttpRequest, org: str, pk: int, clause: int) -> HttpResponse:
    org_standard = load_org_standard(request, pk, "standards.manage_scope")
    control = get_object_for(
        request,
        Clause.objects.filter(edition_id=org_standard.edition_id, kind="control"),
        "standards.manage_scope",
        pk=clause,
    )
    entry = org_standard.soa_entries.filter(clause=control).first()
    initial = (
        {
            "applicable": "yes" if entry.applicable else "no",
            "justification": entry.justification,
            "version": entry.version,
        }
        if entry
        else {"version": 0}
    )
    form = SoAForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.soa_set(
                actor=acting_user(request),
                org_standard=org_standard,
                clause=control,
                applicable=form.cleaned_data["applicable"],
                justification=form.cleaned_data["justification"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(number)s saved in the Statement of Applicability.")
                % {"number": control.number},
            )
            return redirect("standards:soa", org=org, pk=pk)
    return render(
        request,
        "standards/soa_edit.html",
        {
            "os": org_standard,
            "control": control,
            "form": form,
            "history": object_history(entry) if entry else [],
        },
    )


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
    return render(
        request,
        "standards/soa_print.html",
        {"os": org_standard, "lines": lines, "themes": themes},
    )

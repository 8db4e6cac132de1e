"""Objectives and KPIs: the lists, an objective's page with its KPIs and plan, a KPI's page with
its trend chart and results, entering and correcting results, raising a nonconformity."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pdca.core import imports
from pdca.core.access import get_object_for, visible_rows
from pdca.core.permissions import can, decide
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, apply_errors, versioned
from pdca.core.views.lists import ListView
from pdca.objectives import selectors, services
from pdca.objectives.forms import (
    ActionForm,
    ActionUpdateForm,
    ApproveForm,
    ComputeForm,
    CorrectForm,
    EntryPeriodForm,
    ImportForm,
    ImproveForm,
    IndicatorFilter,
    IndicatorForm,
    MeasurementForm,
    ObjectiveFilter,
    ObjectiveForm,
    RaiseForm,
    WithdrawForm,
    default_period,
)
from pdca.objectives.models import (
    Indicator,
    Measurement,
    Objective,
    ObjectiveAction,
    SetApproval,
    period_label,
)
from pdca.objectives.policies import ACTING


def objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related("owner")


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("owner", "process", "objective")


def measurements() -> QuerySet[Measurement]:
    return Measurement.objects.select_related(
        "indicator", "indicator__owner", "indicator__objective", "measured_by"
    )


class ObjectiveListView(ListView):
    permission = "objectives.view"
    template_name = "objectives/list.html"
    rows_template = "objectives/_objective_rows.html"
    filter_class = ObjectiveFilter
    filters_name = "form"

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> QuerySet[Objective]:
        return selectors.objective_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "objectives.manage")}


class ObjectiveEditView(FormView):
    permission = "objectives.manage"
    model = Objective
    form_class = ObjectiveForm
    template_name = "objectives/form.html"
    form_takes = ("organization",)
    initial_fields = (*services.OBJECTIVE_FIELDS, "version")
    success_route = "objectives:detail"

    def initial(self, obj: Objective | None) -> dict[str, Any]:
        if obj is None:
            return {"owner": self.request.user.pk, "frequency": "monthly", "status": "on_track"}
        return {
            **super().initial(obj),
            "editions": list(obj.editions.all()),
            "processes": list(obj.processes.all()),
        }

    def context(self, obj: Objective | None) -> dict[str, Any]:
        cancel = (
            reverse("objectives:detail", kwargs={"org": self.org.slug, "pk": obj.pk})
            if obj
            else reverse("objectives:list", kwargs={"org": self.org.slug})
        )
        return {"title": obj or _("New objective"), "cancel": cancel}

    def act(self, obj: Objective | None, form: Any) -> Objective:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.objective_create(actor=actor, organization=self.org, **data)
        return services.objective_update(
            actor=actor, objective=obj, expected_version=version, **data
        )

    def message(self, obj: Objective, form: Any) -> str:
        return _("Objective saved.")


class ObjectiveDetailView(OrgView):
    permission = "objectives.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        objective = get_object_for(request, objectives(), "objectives.view", pk=pk)
        kpis = list(objective.indicators.select_related("owner", "process").order_by("name"))
        actions = list(objective.actions.select_related("owner"))
        today = timezone.localdate()
        context = {
            "objective": objective,
            "kpis": kpis,
            "actions": actions,
            "editions": list(objective.editions.select_related("standard")),
            "processes": list(objective.processes.all()),
            "history": object_history(objective),
            "today": today,
            "can_manage": can(self.membership, "objectives.manage") and objective.is_open,
            "off_track": services.off_track_reasons(objective) if objective.is_open else [],
            "can_improve": can(self.membership, "objectives.raise_action"),
        }
        for a in actions:
            a.may_update = bool(decide(self.membership, "objectives.update_action", a))  # type: ignore[attr-defined]
        return render(request, "objectives/detail.html", context)


class WithdrawView(ConfirmView):
    permission = "objectives.manage"
    model = Objective
    form_class = WithdrawForm
    template_name = "objectives/withdraw.html"
    context_name = "objective"
    success_route = "objectives:detail"
    success_message = gettext_lazy("The objective is withdrawn; it stays on record.")

    def act(self, obj: Objective, form: Any) -> Objective:
        return services.objective_withdraw(
            actor=acting_user(self.request), objective=obj, reason=form.cleaned_data["reason"]
        )


class ActionAddView(FormView):
    permission = "objectives.manage"
    model = Objective
    form_class = ActionForm
    template_name = "objectives/action_form.html"
    context_name = "objective"
    form_takes = ("organization",)
    success_message = gettext_lazy("Action planned.")

    def initial(self, obj: Objective) -> dict[str, Any]:
        return {"owner": obj.owner_id}

    def act(self, obj: Objective, form: Any) -> Objective:
        services.action_plan(actor=acting_user(self.request), objective=obj, **form.cleaned_data)
        return obj

    def success_url(self, obj: Objective) -> str:
        return reverse("objectives:detail", kwargs={"org": self.org.slug, "pk": obj.pk})


class ImproveView(FormView):
    """Raise an improvement action on an objective off track."""

    permission = "objectives.raise_action"
    model = Objective
    form_class = ImproveForm
    template_name = "objectives/improve.html"
    context_name = "objective"
    form_takes = ("organization",)
    success_message = gettext_lazy("Improvement action raised.")

    def initial(self, obj: Objective) -> dict[str, Any]:
        return {"owner": obj.owner_id, "due_on": timezone.localdate() + datetime.timedelta(days=30)}

    def context(self, obj: Objective) -> dict[str, Any]:
        return {"reasons": services.off_track_reasons(obj)}

    def act(self, obj: Objective, form: Any) -> Objective:
        services.improvement_action_raise(
            actor=acting_user(self.request), objective=obj, **form.cleaned_data
        )
        return obj

    def success_url(self, obj: Objective) -> str:
        return reverse("objectives:detail", kwargs={"org": self.org.slug, "pk": obj.pk})


class ActionUpdateView(ConfirmView):
    permission = "objectives.update_action"
    model = ObjectiveAction
    select_related = ("objective", "owner")
    form_class = ActionUpdateForm
    template_name = "objectives/action_update.html"
    context_name = "action"
    initial_fields = ("status", "notes", "version")
    success_message = gettext_lazy("Action updated.")

    def act(self, obj: ObjectiveAction, form: Any) -> ObjectiveAction:
        version, data = versioned(form)
        return services.action_update(
            actor=acting_user(self.request), action=obj, expected_version=version, **data
        )

    def success_url(self, obj: ObjectiveAction) -> str:
        return reverse("objectives:detail", kwargs={"org": self.org.slug, "pk": obj.objective_id})


class IndicatorListView(ListView):
    permission = "objectives.view"
    template_name = "objectives/kpis.html"
    rows_template = "objectives/_kpi_rows.html"
    filter_class = IndicatorFilter
    filters_name = "form"

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> QuerySet[Indicator]:
        return selectors.indicator_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "can_manage": can(self.membership, "objectives.manage"),
            "can_record": can(self.membership, "objectives.record"),
        }


class IndicatorEditView(FormView):
    permission = "objectives.manage"
    model = Indicator
    form_class = IndicatorForm
    template_name = "objectives/form.html"
    form_takes = ("organization",)
    initial_fields = (*services.INDICATOR_FIELDS, "version")
    success_route = "objectives:kpi"

    def initial(self, obj: Indicator | None) -> dict[str, Any]:
        if obj is None:
            objective = self.request.GET.get("objective", "")
            return {
                "owner": self.request.user.pk,
                "objective": int(objective) if objective.isdigit() else None,
                "frequency": "monthly",
                "red_periods": 1,
                "is_active": True,
                "data_source": "manual",
            }
        return super().initial(obj)

    def context(self, obj: Indicator | None) -> dict[str, Any]:
        cancel = (
            reverse("objectives:kpi", kwargs={"org": self.org.slug, "pk": obj.pk})
            if obj
            else reverse("objectives:kpis", kwargs={"org": self.org.slug})
        )
        return {"title": obj or _("New KPI"), "cancel": cancel}

    def act(self, obj: Indicator | None, form: Any) -> Indicator:
        version, data = versioned(form)
        actor = acting_user(self.request)
        if obj is None:
            return services.indicator_create(actor=actor, organization=self.org, **data)
        if data.get("first_period") is None:
            data.pop("first_period", None)
        return services.indicator_update(
            actor=actor, indicator=obj, expected_version=version, **data
        )

    def message(self, obj: Indicator, form: Any) -> str:
        return _("KPI saved.")


class IndicatorDetailView(OrgView):
    permission = "objectives.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        kpi = get_object_for(request, indicators(), "objectives.view", pk=pk)
        return render(request, "objectives/kpi.html", indicator_context(self.membership, kpi))


def indicator_context(membership: Any, kpi: Indicator) -> dict[str, Any]:
    """What a KPI's page shows, in a fixed number of queries whatever its results."""
    from pdca.core.metrics import metric
    from pdca.improvement.selectors import raised_from_any

    results = selectors.recent_measurements(kpi)
    shown = Measurement.objects.filter(pk__in=[m.pk for m in results])
    raised = {nc.source_id: nc for nc in raised_from_any(shown)}
    may_record = bool(decide(membership, "objectives.record", kpi))
    for m in results:
        m.label = period_label(m.period, kpi.frequency)  # type: ignore[attr-defined]
        m.nc = raised.get(m.pk)  # type: ignore[attr-defined]
    return {
        "kpi": kpi,
        "results": list(reversed(results)),
        "chart": selectors.chart_data(kpi, results),
        "history": object_history(kpi),
        "can_manage": can(membership, "objectives.manage"),
        "can_record": may_record and kpi.is_active,
        "can_correct": may_record,
        "can_raise": can(membership, "objectives.raise_nc") and can(membership, "improvement.view"),
        "unit": kpi.unit_suffix(),
        "metric": metric(kpi.computed_source) if kpi.computed_source else None,
    }


class RecordView(FormView):
    """Enter one period's result; a refused one is shown next to its field."""

    permission = "objectives.record"
    model = Indicator
    select_related = ("owner", "objective")
    form_class = MeasurementForm
    template_name = "objectives/record.html"
    context_name = "kpi"
    success_route = "objectives:kpi"

    def initial(self, obj: Indicator) -> dict[str, Any]:
        return {"period": default_period(obj, timezone.localdate())}

    def act(self, obj: Indicator, form: Any) -> Indicator:
        self.saved = services.measurement_record(
            actor=acting_user(self.request), indicator=obj, **form.cleaned_data
        )
        return obj

    def message(self, obj: Indicator, form: Any) -> str:
        label = period_label(self.saved.period, obj.frequency)
        return _("%(period)s entered: %(rating)s.") % {
            "period": label,
            "rating": self.saved.get_rating_display(),
        }


class CorrectView(ConfirmView):
    permission = "objectives.record"
    model = Measurement
    select_related = ("indicator", "indicator__owner", "measured_by")
    form_class = CorrectForm
    template_name = "objectives/correct.html"
    context_name = "measurement"
    initial_fields = ("value", "comment", "version")
    success_message = gettext_lazy("The result is corrected; its earlier value is kept.")

    def context(self, obj: Measurement) -> dict[str, Any]:
        return {"label": period_label(obj.period, obj.indicator.frequency)}

    def act(self, obj: Measurement, form: Any) -> Measurement:
        version, data = versioned(form)
        return services.measurement_correct(
            actor=acting_user(self.request), measurement=obj, expected_version=version, **data
        )

    def success_url(self, obj: Measurement) -> str:
        return reverse("objectives:kpi", kwargs={"org": self.org.slug, "pk": obj.indicator_id})


class RaiseNcView(ConfirmView):
    permission = "objectives.raise_nc"
    model = Measurement
    select_related = ("indicator", "indicator__owner", "indicator__process")
    form_class = RaiseForm
    template_name = "objectives/raise_nc.html"
    context_name = "measurement"

    def context(self, obj: Measurement) -> dict[str, Any]:
        return {"label": period_label(obj.period, obj.indicator.frequency)}

    def act(self, obj: Measurement, form: Any) -> Any:
        return services.nonconformity_raise_from(actor=acting_user(self.request), measurement=obj)

    def message(self, obj: Any, form: Any) -> str:
        return _("%(ref)s raised from the KPI.") % {"ref": obj.reference}

    def success_url(self, obj: Any) -> str:
        return reverse("improvement:detail", kwargs={"org": self.org.slug, "pk": obj.pk})


def process_section(request: Any, process: Any) -> str:
    """The KPIs of a process on its page (one query)."""
    membership = getattr(request, "membership", None)
    if membership is None or not can(membership, "objectives.view"):
        return ""
    kpis = list(
        visible_rows(membership, Indicator)
        .filter(process=process, is_active=True)
        .select_related("owner")
        .order_by("name")[:50]
    )
    return render_to_string(
        "objectives/_process_section.html", {"kpis": kpis, "process": process}, request=request
    )


def _year_asked(request: HttpRequest) -> int:
    text = request.POST.get("year") or request.GET.get("year") or ""
    year = int(text) if text.isdigit() else 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class ApprovalListView(ListView):
    """Top management's signed approvals of the sets of objectives, newest first."""

    permission = "objectives.view"
    template_name = "objectives/approvals.html"
    rows_template = "objectives/_approval_rows.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[SetApproval]:
        return SetApproval.objects.select_related("signed_by").order_by(
            "-year", "-signed_at", "-pk"
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        year = timezone.localdate().year
        return {
            "can_approve": can(self.membership, "objectives.approve"),
            "year": year,
            "current": services.current_approval(self.org, year),
        }


class ApproveView(FormView):
    """Top management signs a year's set of objectives with the password."""

    permission = "objectives.approve"
    form_class = ApproveForm
    template_name = "objectives/approve.html"
    success_route = "objectives:approval"

    def initial(self, obj: None) -> dict[str, Any]:
        return {"year": _year_asked(self.request)}

    def context(self, obj: None) -> dict[str, Any]:
        year = _year_asked(self.request)
        return {
            "year": year,
            "objectives": services.set_objectives(self.org, year),
            "current": services.current_approval(self.org, year),
        }

    def act(self, obj: None, form: Any) -> SetApproval:
        return services.set_approve(
            actor=acting_user(self.request),
            organization=self.org,
            year=form.cleaned_data["year"],
            password=form.cleaned_data["password"],
        )

    def message(self, obj: SetApproval, form: Any) -> str:
        return _("The objectives for %(year)s are approved and signed.") % {"year": obj.year}


class ApprovalDetailView(OrgView):
    permission = "objectives.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        approval = get_object_for(
            request, SetApproval.objects.select_related("signed_by"), "objectives.view", pk=pk
        )
        context = {
            "approval": approval,
            "objectives": list(approval.objectives.select_related("owner").order_by("deadline")),
            "history": object_history(approval),
            "can_approve": can(self.membership, "objectives.approve") and not approval.is_current,
        }
        return render(request, "objectives/approval.html", context)


def _previous_period(frequency: str) -> Any:
    from pdca.objectives.models import period_start

    current = period_start(timezone.localdate(), frequency)
    return period_start(current - datetime.timedelta(days=1), frequency)


def _row_errors_by_line(error: imports.ImportRefused) -> dict[int, list[str]]:
    return {e.line: e.messages for e in error.row_errors}


class EnterView(OrgView):
    """One period's results for many KPIs on one page: each value is checked on its own row,
    and the page enters all of them or none."""

    permission = "objectives.record"
    per_page = 50

    def kpis(self, frequency: str, period: Any) -> QuerySet[Indicator]:
        qs = (
            visible_rows(self.membership, Indicator)
            .filter(is_active=True, frequency=frequency, first_period__lte=period)
            .exclude(measurements__period=period)
            .select_related("objective", "process")
            .order_by("name", "pk")
        )
        if not self.membership.has_role(*ACTING):
            qs = qs.filter(owner=acting_user(self.request))
        return qs

    def page(
        self, form: Any, errors: dict[int, list[str]] | None = None, status: int = 200
    ) -> HttpResponse:
        from django.core.paginator import Paginator

        context: dict[str, Any] = {"form": form, "rows": [], "page": None}
        if form.is_valid():
            frequency, period = form.cleaned_data["frequency"], form.cleaned_data["period"]
            page = Paginator(self.kpis(frequency, period), self.per_page).get_page(
                self.request.GET.get("page")
            )
            posted = self.request.POST
            context.update(
                page=page,
                period_label=period_label(period, frequency),
                query=self.request.GET.urlencode(),
                rows=[
                    {
                        "kpi": k,
                        "value": posted.get(f"value-{k.pk}", ""),
                        "comment": posted.get(f"comment-{k.pk}", ""),
                        "errors": (errors or {}).get(k.pk, []),
                    }
                    for k in page.object_list
                ],
            )
        return render(self.request, "objectives/enter.html", context, status=status)

    def period_form(self) -> EntryPeriodForm:
        data = self.request.GET.copy()
        data.setdefault("frequency", "monthly")
        if data["frequency"] in ("monthly", "quarterly", "yearly"):
            data.setdefault("period", _previous_period(data["frequency"]).isoformat())
        return EntryPeriodForm(data)

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.page(self.period_form())

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = self.period_form()
        if not form.is_valid():
            return self.page(form, status=400)
        ids = [int(i) for i in request.POST.getlist("kpi") if i.isdigit()]
        # The line of a row is its KPI's number: the errors go back to that row.
        rows = [
            imports.Row(
                line=pk,
                values={
                    "kpi": str(pk),
                    "value": request.POST.get(f"value-{pk}", ""),
                    "comment": request.POST.get(f"comment-{pk}", ""),
                },
            )
            for pk in ids
            if request.POST.get(f"value-{pk}", "").strip()
        ]
        try:
            if not rows:
                raise ValidationError(_("Enter at least one result."))
            entered = services.measurements_enter(
                actor=acting_user(request),
                organization=self.org,
                rows=rows,
                period=form.cleaned_data["period"],
            )
        except imports.ImportRefused as error:
            messages.error(request, error.messages[0])
            return self.page(form, _row_errors_by_line(error), status=400)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.page(form, status=400)
        messages.success(
            request,
            ngettext("%(n)s result entered.", "%(n)s results entered.", len(entered))
            % {"n": len(entered)},
        )
        return redirect(request.get_full_path())


class ImportView(OrgView):
    """Import results from a CSV or XLSX file: a preview with each bad row and its reason,
    then all of them or none."""

    permission = "objectives.record"

    def page(self, form: Any, preview: Any = None, status: int = 200, **extra: Any) -> HttpResponse:
        context = {"form": form, "preview": preview, **extra}
        if preview is not None:
            context["rows_json"] = imports.rows_to_json(preview.rows) if preview.ok else ""
            context["good"] = [
                {
                    "line": row.line,
                    "entry": entry,
                    "label": period_label(entry.period, entry.indicator.frequency),
                }
                for row, entry in preview.good[:200]
            ]
        return render(self.request, "objectives/import.html", context, status=status)

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.page(ImportForm())

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        actor = acting_user(request)
        if "rows" in request.POST:  # the confirmation of a preview: checked again, then entered
            form = ImportForm()
            try:
                rows = imports.rows_from_json(request.POST["rows"])
                entered = services.measurements_enter(actor=actor, organization=self.org, rows=rows)
            except imports.ImportRefused as error:
                return self.page(form, None, status=400, refused=error.row_errors)
            except ValidationError as error:
                return self.page(form, status=400, refusal=" ".join(error.messages))
            messages.success(
                request,
                ngettext("%(n)s result imported.", "%(n)s results imported.", len(entered))
                % {"n": len(entered)},
            )
            return redirect(reverse("objectives:kpis", kwargs={"org": self.org.slug}))
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            rows = imports.read_rows(form.cleaned_data["file"])
        except ValidationError as error:
            apply_errors(form, error)
            return self.page(form, status=400)
        preview = services.measurements_check(actor=actor, organization=self.org, rows=rows)
        return self.page(form, preview, status=200 if preview.ok else 400)


class ComputeView(ConfirmView):
    """Enter a computed KPI's results of the finished periods not entered yet."""

    permission = "objectives.record"
    model = Indicator
    select_related = ("owner", "organization")
    form_class = ComputeForm
    template_name = "objectives/compute.html"
    context_name = "kpi"
    success_route = "objectives:kpi"

    def context(self, obj: Indicator) -> dict[str, Any]:
        from pdca.core.metrics import metric

        return {"metric": metric(obj.computed_source)}

    def act(self, obj: Indicator, form: Any) -> Indicator:
        self.entered = services.indicator_compute(actor=acting_user(self.request), indicator=obj)
        return obj

    def message(self, obj: Indicator, form: Any) -> str:
        if not self.entered:
            return _("Nothing to compute: every finished period has its result.")
        return ngettext(
            "%(n)s result computed and entered.",
            "%(n)s results computed and entered.",
            len(self.entered),
        ) % {"n": len(self.entered)}


class PerformanceView(ListView):
    """Every measured KPI by objective, its last result, rating and trend, with the objectives'
    statuses and the set's approval: for top management, printable and exportable."""

    permission = "objectives.view"
    template_name = "objectives/performance.html"
    rows_template = "objectives/_performance_rows.html"
    counted = True
    per_page = 100

    def rows(self, data: dict[str, Any]) -> QuerySet[Indicator]:
        return selectors.performance_rows(self.membership)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        kpis = list(page.object_list)
        selectors.add_trends(kpis)
        year = timezone.localdate().year
        return {
            **selectors.performance_summary(self.membership),
            "kpis": kpis,
            "year": year,
            "approval": services.current_approval(self.org, year),
            "today": timezone.localdate(),
        }


class PerformanceExportView(OrgView):
    """The performance page as a spreadsheet: every measured KPI with its objective."""

    permission = "objectives.view"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        from openpyxl import Workbook

        from pdca.core import xlsx

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Performance")[:31])
        xlsx.append(
            sheet,
            [
                _("Objective"),
                _("Objective status"),
                _("Deadline"),
                _("KPI"),
                _("Owner"),
                _("Direction"),
                _("Target"),
                _("Red threshold"),
                _("Unit"),
                _("Last period"),
                _("Last result"),
                _("Rating"),
                _("Red periods in a row"),
            ],
        )
        for k in selectors.performance_rows(self.membership).iterator(chunk_size=500):
            o = k.objective
            xlsx.append(
                sheet,
                [
                    o.title if o else _("Organization or process"),
                    o.get_status_display() if o else "",
                    o.deadline if o and o.deadline else "",
                    k.name,
                    k.owner.display_name,
                    k.get_direction_display(),
                    k.target,
                    k.red_threshold,
                    k.unit_suffix(),
                    period_label(k.last_period, k.frequency) if k.last_period else "",
                    k.last_value if k.last_value is not None else "",
                    k.get_rating_display() if k.rating else _("not measured yet"),
                    k.red_streak,
                ],
            )
        data = xlsx.workbook_bytes(book, title=str(_("Performance")))
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"performance-{self.org.slug}-{timezone.localdate().isoformat()}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

"""Findings, the one-step nonconformity, the report page, its PDF and signing."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.audits import selectors, services
from pdca.audits.exports import REPORT_KIND
from pdca.audits.forms import AcknowledgeForm, FindingForm, RefusalForm, SignForm
from pdca.audits.models import Audit, Finding
from pdca.audits.models.finding import GRADE_DEFINITIONS
from pdca.audits.report import report_content
from pdca.core.access import get_object_for
from pdca.core.pdf import pdf_response
from pdca.core.permissions import can
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.jobs import start_job_response
from pdca.core.views.lists import ListView
from pdca.improvement import selectors as improvement_selectors


class FindingCreateView(ConfirmView):
    """A finding recorded on the audit (the URL names the audit)."""

    permission = "audits.conduct"
    model = Audit
    form_class = FindingForm
    template_name = "audits/finding_form.html"
    context_name = "audit"
    error_status = 200
    success_route = "audits:finding"
    success_message = gettext_lazy("The finding was recorded.")

    def form_kwargs(self, obj: Audit) -> dict[str, Any]:
        return {"audit": obj}

    def context(self, obj: Audit) -> dict[str, Any]:
        return {"definitions": grade_definitions()}

    def initial(self, obj: Audit) -> dict[str, Any]:
        initial: dict[str, Any] = {"raise_nonconformity": True}
        question = obj.questions.filter(pk=self.request.GET.get("question") or 0).first()
        if question is not None:
            initial.update(
                {
                    "question": question.pk,
                    "clause": question.clause_id,
                    "process": question.process_id,
                    "evidence": question.evidence_seen,
                    "statement": question.notes,
                }
            )
            if question.answer == "nonconform":
                initial["grade"] = Finding.Grade.MINOR
            elif question.answer == "observation":
                initial["grade"] = Finding.Grade.OBSERVATION
        return initial

    def act(self, obj: Audit, form: Any) -> Finding:
        data = dict(form.cleaned_data)
        return services.finding_record(
            actor=acting_user(self.request),
            audit=obj,
            grade=data["grade"],
            statement=data["statement"],
            clause=data["clause"],
            process=data["process"],
            evidence=data["evidence"],
            requirement=data["requirement"],
            no_clause_reason=data.get("no_clause_reason", ""),
            question=data.get("question"),
            raise_nonconformity=data["raise_nonconformity"],
        )


def grade_definitions() -> list[tuple[str, str, str]]:
    """(grade, label, definition) of every grade, in their order of the choices."""
    return [(g.value, str(g.label), str(GRADE_DEFINITIONS[g])) for g in Finding.Grade]


class FindingDetailView(OrgView):
    permission = "audits.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        finding = get_object_for(
            request,
            Finding.objects.select_related(
                "audit", "clause__edition", "process", "acknowledged_by"
            ),
            "audits.view",
            pk=pk,
        )
        return self.show(finding, AcknowledgeForm())

    def show(
        self,
        finding: Finding,
        form: AcknowledgeForm,
        status: int = 200,
        refusal_form: RefusalForm | None = None,
    ) -> HttpResponse:
        can_conduct = can(self.membership, "audits.conduct", finding)
        context = {
            "finding": finding,
            "audit": finding.audit,
            "form": form,
            "refusal_form": refusal_form or RefusalForm(),
            "can_record_refusal": can_conduct
            and finding.is_nonconformity
            and not finding.acknowledgement_settled
            and not finding.audit.is_closed,
            "nonconformity": improvement_selectors.raised_from(finding),
            "can_acknowledge": can(self.membership, "audits.acknowledge")
            and finding.acknowledged_by_id is None,
            "can_conduct": can_conduct,
        }
        return render(self.request, "audits/finding_detail.html", context, status=status)


class FindingAcknowledgeView(FindingDetailView):
    """The auditee's acknowledgement of a finding, with an optional note."""

    permission = "audits.acknowledge"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        finding = get_object_for(request, Finding, self.permission, pk=pk)
        form = AcknowledgeForm(request.POST)
        if not form.is_valid():
            return self.show(finding, form, status=400)
        try:
            services.finding_acknowledge(
                actor=acting_user(request), finding=finding, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.show(finding, form, status=400)
        messages.success(request, _("The finding is acknowledged."))
        return redirect("audits:finding", org=org, pk=pk)


class FindingRefusalView(FindingDetailView):
    """The audit team records that the auditee would not acknowledge a finding."""

    permission = "audits.conduct"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        finding = get_object_for(request, Finding, self.permission, pk=pk)
        form = RefusalForm(request.POST)
        if not form.is_valid():
            return self.show(finding, AcknowledgeForm(), status=400, refusal_form=form)
        try:
            services.finding_refusal_record(
                actor=acting_user(request), finding=finding, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.show(finding, AcknowledgeForm(), status=400, refusal_form=form)
        messages.success(request, _("The auditee's refusal is recorded."))
        return redirect("audits:finding", org=org, pk=pk)


class FindingRaiseView(FindingDetailView):
    """Raise the nonconformity a nonconforming finding calls for."""

    permission = "audits.conduct"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        finding = get_object_for(request, Finding, self.permission, pk=pk)
        try:
            nc = services.finding_raise_nonconformity(actor=acting_user(request), finding=finding)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.show(finding, AcknowledgeForm(), status=400)
        messages.success(request, _("%(ref)s raised.") % {"ref": nc.reference})
        return redirect("audits:finding", org=org, pk=pk)


class ReportView(OrgView):
    permission = "audits.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(
            request, Audit.objects.select_related("lead_auditor"), "audits.view", pk=pk
        )
        standard = request.GET.get("standard", "")
        content = report_content(audit, standard)
        report = getattr(audit, "report", None) if audit.is_closed else None
        is_lead = audit.lead_auditor_id == request.user.pk
        context = {
            "audit": audit,
            "content": content,
            "report": report,
            "definitions": grade_definitions(),
            "problems": services.signing_problems(audit) if is_lead and not report else [],
            "standard": standard,
            "all_standards": list(audit.editions.select_related("standard")),
        }
        return render(request, "audits/report.html", context)


class ReportPdfView(OrgView):
    """The signed report is the very PDF that was signed, served at once; any other (a draft,
    one standard's part of an integrated report) is printed on a worker (audits/exports.py)."""

    permission = "audits.download_report"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.download_report", pk=pk)
        report = getattr(audit, "report", None) if audit.is_closed else None
        if report is None or request.GET.get("standard"):
            return redirect(reverse("audits:report", kwargs={"org": org, "pk": pk}))
        signed = bytes(report.pdf)  # the very PDF that was signed
        return pdf_response(request, lambda: signed, filename=f"{audit.reference}.pdf")

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        audit = get_object_for(request, Audit, "audits.download_report", pk=pk)
        parameters = {"audit": audit.pk, "standard": request.GET.get("standard", "")}
        return start_job_response(self, REPORT_KIND, parameters)


class SignView(ConfirmView):
    """The lead auditor signs the report off, which closes the audit."""

    permission = "audits.sign"
    model = Audit
    form_class = SignForm
    template_name = "audits/sign.html"
    context_name = "audit"
    success_route = "audits:report"
    success_message = gettext_lazy("The report is signed and the audit closed.")

    def initial(self, obj: Audit) -> dict[str, Any]:
        return {"summary": obj.summary, "conclusion": obj.conclusion}

    def context(self, obj: Audit) -> dict[str, Any]:
        return {
            "content": report_content(obj),
            "is_lead": obj.lead_auditor_id == self.request.user.pk,
            "problems": services.signing_problems(obj),
        }

    def act(self, obj: Audit, form: Any) -> None:
        services.report_sign(actor=acting_user(self.request), audit=obj, **form.cleaned_data)


class FindingListView(ListView):
    """Every finding of every audit, newest first; narrowed to what awaits my acknowledgement."""

    permission = "audits.view"
    template_name = "audits/finding_list.html"
    rows_template = "audits/_finding_rows.html"

    def filters(self) -> tuple[dict[str, Any], dict[str, Any]]:
        get = self.request.GET
        grades = {value for value, _label in Finding.Grade.choices}
        filters = {
            "to_acknowledge": bool(get.get("to_acknowledge")),
            "grade": get.get("grade", "") if get.get("grade") in grades else "",
        }
        return filters, filters

    def rows(self, data: dict[str, Any]) -> Any:
        return selectors.finding_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "grades": Finding.Grade.choices}

"""Pages of the Statement of Applicability's revisions: the revisions of each ISO/IEC 27001
standard, the approval of a new one (signed) and an approved revision as it was."""

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.forms import FormView, field_values
from pdca.core.views.lists import ListView
from pdca.risks import soa
from pdca.risks.forms import ControlReasonForm, SoAApproveForm
from pdca.risks.models import ControlReason, ReasonKind, SoARevision
from pdca.standards.models import Assessment

STATUS_LABELS = dict(Assessment.Status.choices)


class SoARevisionListView(ListView):
    permission = "risks.view"
    template_name = "risks/soa_revisions.html"
    rows_template = "risks/_soa_revision_rows.html"

    def rows(self, data: dict[str, Any]) -> Any:
        return SoARevision.objects.filter(organization=self.org).select_related(
            "org_standard__edition__standard", "approved_by"
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        standards = []
        for org_standard in soa.soa_standards(self.org):
            latest = soa.latest_revision(org_standard)
            lines = soa.current_lines(org_standard)
            standards.append(
                {
                    "os": org_standard,
                    "latest": latest,
                    "changed": soa.changed_since(latest, lines),
                    "refusal": soa.approval_refusal(lines),
                    "without_reason": soa.without_reason(lines),
                }
            )
        return {"standards": standards, "can_approve": can(self.membership, "risks.approve_soa")}


class SoAApproveView(FormView):
    permission = "risks.approve_soa"
    form_class = SoAApproveForm
    template_name = "risks/soa_approve.html"
    context_name = "os"

    def load(self, pk: int) -> Any:
        return get_object_for(self.request, soa.soa_standards(self.org), self.permission, pk=pk)

    def context(self, obj: Any) -> dict[str, Any]:
        lines = soa.current_lines(obj)
        latest = soa.latest_revision(obj)
        return {
            "latest": latest,
            "changed": soa.changed_since(latest, lines),
            "refusal": soa.approval_refusal(lines),
            "without_reason": soa.without_reason(lines),
            "count": len(lines),
        }

    def act(self, obj: Any, form: Any) -> Any:
        return soa.soa_approve(
            actor=acting_user(self.request),
            org_standard=obj,
            note=form.cleaned_data["note"],
            password=form.cleaned_data["password"],
        )

    def message(self, obj: Any, form: Any) -> str:
        return _("Revision %(number)s of the Statement of Applicability is approved.") % {
            "number": obj.number
        }

    def success_url(self, obj: Any) -> str:
        return reverse("risks:soa_revision", kwargs={"org": self.org.slug, "pk": obj.pk})


class SoARevisionView(OrgView):
    permission = "risks.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        revision = get_object_for(
            request,
            SoARevision.objects.select_related("org_standard__edition__standard", "approved_by"),
            self.permission,
            pk=pk,
        )
        lines = [
            {**line, "status_label": STATUS_LABELS.get(line["status"], "")}
            for line in revision.lines
        ]
        return render(request, "risks/soa_revision.html", {"revision": revision, "lines": lines})


class ReasonFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", gettext_lazy("All reasons")), *ReasonKind.choices],
        required=False,
    )


class ReasonListView(ListView):
    permission = "risks.view"
    template_name = "risks/reasons.html"
    rows_template = "risks/_reason_rows.html"
    filter_class = ReasonFilterForm

    def rows(self, data: dict[str, Any]) -> Any:
        rows = ControlReason.objects.filter(organization=self.org).select_related("clause")
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        return rows.order_by("-is_active", "clause__sort_key", "pk")

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "risks.manage")}


class ReasonView(FormView):
    permission = "risks.manage"
    model = ControlReason
    form_class = ControlReasonForm
    form_takes = ("organization",)
    template_name = "risks/context_form.html"
    success_route = "risks:reasons"
    success_pk = False
    success_message = gettext_lazy("The reason is saved.")

    def initial(self, obj: Any) -> dict[str, Any]:
        if obj is None:
            return {"is_active": True}
        return field_values(obj, ("version", *soa.REASON_FIELDS))

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": gettext_lazy("Reason for including a control")}

    def act(self, obj: Any, form: Any) -> Any:
        values = dict(form.cleaned_data)
        return soa.reason_save(
            actor=acting_user(self.request),
            organization=self.org,
            reason=obj,
            expected_version=values.pop("version"),
            fields=values,
        )

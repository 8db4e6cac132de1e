"""The register of legal and other requirements: the list, an obligation's page with its
earlier versions, entering, changing (a new version, with a reason) and withdrawing."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.compliance import selectors, services
from pdca.compliance.forms import (
    EvaluationCorrectForm,
    EvaluationFilter,
    EvaluationForm,
    ObligationEditForm,
    ObligationFilter,
    ObligationForm,
    WithdrawForm,
)
from pdca.compliance.models import Evaluation, Obligation, ObligationStatus
from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView


def obligations() -> QuerySet[Obligation]:
    return Obligation.objects.select_related("responsible")


class ObligationListView(ListView):
    permission = "compliance.view"
    template_name = "compliance/list.html"
    rows_template = "compliance/_obligation_rows.html"
    filter_class = ObligationFilter
    filters_name = "form"

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> QuerySet[Obligation]:
        return selectors.obligation_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"today": timezone.localdate(), "can_edit": can(self.membership, "compliance.edit")}


class ObligationDetailView(OrgView):
    permission = "compliance.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        obligation = get_object_for(request, obligations(), "compliance.view", pk=pk)
        active = obligation.status == ObligationStatus.ACTIVE
        context = {
            "obligation": obligation,
            "evaluations": selectors.with_nonconformities(selectors.evaluations_of(obligation)),
            "can_evaluate": active and can(self.membership, "compliance.evaluate", obligation),
            "versions": selectors.obligation_versions(obligation),
            "applies_to": selectors.applies_to(obligation),
            "history": object_history(obligation),
            "today": timezone.localdate(),
            "can_edit": active and can(self.membership, "compliance.edit", obligation),
            "can_withdraw": active and can(self.membership, "compliance.withdraw", obligation),
        }
        return render(request, "compliance/detail.html", context)


class ObligationCreateView(FormView):
    permission = "compliance.edit"
    form_class = ObligationForm
    template_name = "compliance/form.html"
    form_takes = ("organization",)
    success_route = "compliance:detail"
    success_message = gettext_lazy("The obligation is in the register.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"responsible": self.request.user.pk}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("New obligation")}

    def act(self, obj: None, form: Any) -> Obligation:
        return services.obligation_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class ObligationEditView(FormView):
    permission = "compliance.edit"
    model = Obligation
    select_related = ("responsible",)
    form_class = ObligationEditForm
    template_name = "compliance/form.html"
    context_name = "obligation"
    form_takes = ("organization",)
    initial_fields = (*services.FIELDS, *services.RELATED, "version")
    success_route = "compliance:detail"
    success_message = gettext_lazy("The obligation was changed; the earlier version is kept.")

    def context(self, obj: Obligation) -> dict[str, Any]:
        return {"title": _("Change %(title)s") % {"title": obj.title}}

    def act(self, obj: Obligation, form: Any) -> Obligation:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.obligation_update(
            actor=acting_user(self.request),
            obligation=obj,
            version=version,
            reason=reason,
            **data,
        )


class ObligationWithdrawView(ConfirmView):
    permission = "compliance.withdraw"
    model = Obligation
    form_class = WithdrawForm
    template_name = "compliance/withdraw.html"
    context_name = "obligation"
    initial_fields = ("version",)
    success_route = "compliance:detail"
    success_message = gettext_lazy("The obligation was withdrawn; it stays in the register.")

    def act(self, obj: Obligation, form: Any) -> Obligation:
        return services.obligation_withdraw(
            actor=acting_user(self.request),
            obligation=obj,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )


class EvaluateView(ConfirmView):
    """Record an evaluation of compliance with the obligation the URL names."""

    permission = "compliance.evaluate"
    model = Obligation
    form_class = EvaluationForm
    template_name = "compliance/evaluate.html"
    context_name = "obligation"
    form_takes = ("organization",)
    success_route = "compliance:detail"

    def initial(self, obj: Obligation) -> dict[str, Any]:
        return {"evaluated_on": timezone.localdate(), "evaluator": self.request.user.pk}

    def act(self, obj: Obligation, form: Any) -> Obligation:
        evaluation = services.evaluation_record(
            actor=acting_user(self.request), obligation=obj, **form.cleaned_data
        )
        return evaluation.obligation  # with its next evaluation date

    def message(self, obj: Obligation, form: Any) -> str:
        if form.cleaned_data["result"] == "non_compliant":
            return _("Evaluation recorded; a nonconformity was raised for the non-compliance.")
        return _("Evaluation recorded; the next one is due on %(date)s.") % {
            "date": obj.next_evaluation_on
        }


class EvaluationCorrectView(ConfirmView):
    permission = "compliance.evaluate"
    model = Evaluation
    select_related = ("obligation", "evaluator")
    form_class = EvaluationCorrectForm
    template_name = "compliance/evaluation_correct.html"
    context_name = "evaluation"
    form_takes = ("organization",)
    initial_fields = (*services.EVALUATION_FIELDS, "version")
    success_message = gettext_lazy("The evaluation was corrected; the trail keeps what it said.")

    def success_url(self, obj: Evaluation) -> str:
        from django.urls import reverse

        return reverse("compliance:detail", kwargs={"org": self.org.slug, "pk": obj.obligation_id})

    def act(self, obj: Evaluation, form: Any) -> Evaluation:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.evaluation_correct(
            actor=acting_user(self.request),
            evaluation=obj,
            version=version,
            reason=reason,
            **data,
        )


class EvaluationListView(ListView):
    """The retained evaluations (9.1.2) and the compliance status above them."""

    permission = "compliance.view"
    template_name = "compliance/evaluations.html"
    rows_template = "compliance/_evaluation_rows.html"
    filter_class = EvaluationFilter
    filters_name = "form"

    def rows(self, data: dict[str, Any]) -> QuerySet[Evaluation]:
        return selectors.evaluation_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        status = selectors.compliance_status(self.org)
        return {
            "status": status["all"],
            "by_discipline": [s for code, s in status.items() if code != "all"],
            "rows": selectors.with_nonconformities(list(page.object_list)),
            "warning_days": selectors.PERMIT_WARNING_DAYS,
        }

"""The register of environmental aspects: the list, an aspect's page, entering, reassessing
(with a reason) and withdrawing, and the significance criteria."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.ehs import selectors, services
from pdca.ehs.forms import AspectEditForm, AspectFilter, AspectForm, CriteriaForm, WithdrawForm
from pdca.ehs.models import Aspect, EntryStatus


class AspectListView(ListView):
    permission = "ehs.view"
    template_name = "ehs/aspects.html"
    rows_template = "ehs/_aspect_rows.html"
    filter_class = AspectFilter
    filters_name = "form"

    def rows(self, data: dict[str, Any]) -> QuerySet[Aspect]:
        return selectors.aspect_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "criteria": services.criteria_for(self.org),
            "can_edit": can(self.membership, "ehs.edit"),
            "can_manage": can(self.membership, "ehs.manage"),
        }


class AspectDetailView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        aspect = get_object_for(request, Aspect.objects.select_related("owner"), "ehs.view", pk=pk)
        active = aspect.status == EntryStatus.ACTIVE
        context = {
            "aspect": aspect,
            "obligations": list(aspect.obligations.order_by("title")),
            "documents": list(aspect.documents.order_by("number")),
            "objectives": list(aspect.objectives.order_by("title")),
            "criteria": services.criteria_for(aspect.organization),
            "history": object_history(aspect),
            "can_edit": active and can(self.membership, "ehs.edit", aspect),
        }
        return render(request, "ehs/aspect.html", context)


class _AspectFormView(FormView):
    template_name = "ehs/form.html"
    success_route = "ehs:aspect"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"organization": self.org, "scale": services.criteria_for(self.org).scale}


class AspectCreateView(_AspectFormView):
    permission = "ehs.edit"
    form_class = AspectForm
    success_message = gettext_lazy("The aspect is in the register.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"owner": self.request.user.pk}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("New environmental aspect")}

    def act(self, obj: None, form: Any) -> Aspect:
        return services.aspect_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class AspectEditView(_AspectFormView):
    permission = "ehs.edit"
    model = Aspect
    form_class = AspectEditForm
    context_name = "aspect"
    initial_fields = (*services.ASPECT_FIELDS, *services.ASPECT_RELATED, "version")
    success_message = gettext_lazy("The aspect was reassessed.")

    def context(self, obj: Aspect) -> dict[str, Any]:
        return {"title": _("Reassess %(aspect)s") % {"aspect": obj}}

    def act(self, obj: Aspect, form: Any) -> Aspect:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.aspect_update(
            actor=acting_user(self.request), entry=obj, version=version, reason=reason, **data
        )


class AspectWithdrawView(ConfirmView):
    permission = "ehs.edit"
    model = Aspect
    form_class = WithdrawForm
    template_name = "ehs/withdraw.html"
    context_name = "aspect"
    initial_fields = ("version",)
    success_route = "ehs:aspect"
    success_message = gettext_lazy("The aspect was withdrawn; it stays in the register.")

    def act(self, obj: Aspect, form: Any) -> Aspect:
        return services.aspect_withdraw(
            actor=acting_user(self.request), aspect=obj, **form.cleaned_data
        )


class CriteriaView(FormView):
    permission = "ehs.manage"
    form_class = CriteriaForm
    template_name = "ehs/criteria.html"
    success_route = "ehs:aspects"
    success_pk = False
    success_message = gettext_lazy(
        "The significance criteria are set; the aspects were judged by them."
    )

    def initial(self, obj: None) -> dict[str, Any]:
        criteria = services.criteria_for(self.org)
        return {name: getattr(criteria, name) for name in (*services.CRITERIA_FIELDS, "version")}

    def act(self, obj: None, form: Any) -> Any:
        version, data = versioned(form)
        return services.criteria_save(
            actor=acting_user(self.request), organization=self.org, version=version, **data
        )

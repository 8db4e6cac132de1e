"""The hazard register: the list, a hazard's page with its controls, entering, reassessing
(with a reason), withdrawing, and planning and updating controls."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.ehs import selectors
from pdca.ehs.forms import (
    ControlForm,
    ControlUpdateForm,
    HazardEditForm,
    HazardFilter,
    HazardForm,
    HazardWithdrawForm,
)
from pdca.ehs.models import EntryStatus, Hazard, HazardControl
from pdca.ehs.services import hazards as services


class HazardListView(ListView):
    permission = "ehs.view"
    template_name = "ehs/hazards.html"
    rows_template = "ehs/_hazard_rows.html"
    filter_class = HazardFilter
    filters_name = "form"

    def rows(self, data: dict[str, Any]) -> QuerySet[Hazard]:
        return selectors.hazard_list(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "method": services.method_for(self.org),
            "can_edit": can(self.membership, "ehs.edit"),
        }


class HazardDetailView(OrgView):
    permission = "ehs.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        hazard = get_object_for(
            request, Hazard.objects.select_related("owner", "method"), "ehs.view", pk=pk
        )
        active = hazard.status == EntryStatus.ACTIVE
        controls = list(hazard.controls.select_related("owner").order_by("pk"))
        for control in controls:
            control.may_update = control.is_open and can(
                self.membership, "ehs.update_control", control
            )
        context = {
            "hazard": hazard,
            "controls": controls,
            "obligations": list(hazard.obligations.order_by("title")),
            "method": hazard.method or services.default_method(),
            "history": object_history(hazard),
            "can_edit": active and can(self.membership, "ehs.edit", hazard),
        }
        return render(request, "ehs/hazard.html", context)


class _HazardFormView(FormView):
    template_name = "ehs/hazard_form.html"
    success_route = "ehs:hazard"

    def form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"organization": self.org, "method": services.method_for(self.org)}


class HazardCreateView(_HazardFormView):
    permission = "ehs.edit"
    form_class = HazardForm
    success_message = gettext_lazy("The hazard is in the register.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"owner": self.request.user.pk, "routine": True, "people_exposed": ["workers"]}

    def context(self, obj: None) -> dict[str, Any]:
        return {"title": _("New hazard")}

    def act(self, obj: None, form: Any) -> Hazard:
        return services.hazard_create(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )


class HazardEditView(_HazardFormView):
    permission = "ehs.edit"
    model = Hazard
    form_class = HazardEditForm
    context_name = "hazard"
    initial_fields = (
        *services.HAZARD_FIELDS,
        *services.HAZARD_RELATED,
        "likelihood",
        "consequence",
        "residual_likelihood",
        "residual_consequence",
        "version",
    )
    success_message = gettext_lazy("The hazard was reassessed.")

    def context(self, obj: Hazard) -> dict[str, Any]:
        return {"title": _("Reassess %(hazard)s") % {"hazard": obj}}

    def act(self, obj: Hazard, form: Any) -> Hazard:
        version, data = versioned(form)
        reason = data.pop("reason")
        return services.hazard_update(
            actor=acting_user(self.request), entry=obj, version=version, reason=reason, **data
        )


class HazardWithdrawView(ConfirmView):
    permission = "ehs.edit"
    model = Hazard
    form_class = HazardWithdrawForm
    template_name = "ehs/hazard_withdraw.html"
    context_name = "hazard"
    initial_fields = ("version",)
    success_route = "ehs:hazard"
    success_message = gettext_lazy("The hazard was withdrawn; it stays in the register.")

    def act(self, obj: Hazard, form: Any) -> Hazard:
        return services.hazard_withdraw(
            actor=acting_user(self.request), hazard=obj, **form.cleaned_data
        )


class ControlCreateView(FormView):
    permission = "ehs.edit"
    model = Hazard
    form_class = ControlForm
    form_takes = ("organization",)
    template_name = "ehs/control_form.html"
    context_name = "hazard"
    success_message = gettext_lazy("The control is planned.")

    def initial(self, obj: Hazard) -> dict[str, Any]:
        return {"owner": obj.owner_id}

    def context(self, obj: Hazard) -> dict[str, Any]:
        return {"title": _("Plan a control on %(hazard)s") % {"hazard": obj}}

    def act(self, obj: Hazard, form: Any) -> HazardControl:
        return services.control_add(
            actor=acting_user(self.request), hazard=obj, **form.cleaned_data
        )

    def success_url(self, obj: HazardControl) -> str:
        return reverse("ehs:hazard", kwargs={"org": self.org.slug, "pk": obj.hazard_id})


class ControlUpdateView(FormView):
    permission = "ehs.update_control"
    model = HazardControl
    select_related = ("hazard",)
    form_class = ControlUpdateForm
    template_name = "ehs/control_form.html"
    context_name = "control"
    initial_fields = ("status", "notes", "version")
    success_message = gettext_lazy("The control was updated.")

    def context(self, obj: HazardControl) -> dict[str, Any]:
        return {
            "title": _("Update the control %(control)s") % {"control": obj},
            "hazard": obj.hazard,
        }

    def act(self, obj: HazardControl, form: Any) -> HazardControl:
        version, data = versioned(form)
        return services.control_update(
            actor=acting_user(self.request), control=obj, expected_version=version, **data
        )

    def success_url(self, obj: HazardControl) -> str:
        return reverse("ehs:hazard", kwargs={"org": self.org.slug, "pk": obj.hazard_id})

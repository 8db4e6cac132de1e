"""The step from a nonconformity's page that opens or updates an entry of the register
(10.2.1 e))."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.views.base import acting_user
from pdca.core.views.forms import FormView
from pdca.risks import corrective
from pdca.risks import method as methods
from pdca.risks.forms import FromNonconformityForm


class FromNonconformityView(FormView):
    permission = "risks.manage"
    form_class = FromNonconformityForm
    form_takes = ("organization",)
    template_name = "risks/from_nc.html"
    context_name = "nc"

    def load(self, pk: int) -> Any:
        from pdca.improvement.models import Nonconformity

        return get_object_for(
            self.request, Nonconformity.objects.select_related("process"), self.permission, pk=pk
        )

    def initial(self, obj: Any) -> dict[str, Any]:
        return {"title": obj.title, "kind": "risk"}

    def context(self, obj: Any) -> dict[str, Any]:
        return {"method": methods.current(self.org)}

    def act(self, obj: Any, form: Any) -> Any:
        data = form.cleaned_data
        risk = data["risk"]
        return corrective.risk_from_nonconformity(
            actor=acting_user(self.request),
            nonconformity=obj,
            risk=risk,
            expected_version=risk.version if risk is not None else None,
            likelihood=data["likelihood"],
            consequence=data["consequence"],
            title=data["title"],
            owner=data["owner"],
            kind=data["kind"],
        )

    def message(self, obj: Any, form: Any) -> str:
        return _("%(ref)s is linked to the nonconformity.") % {"ref": obj.reference}

    def success_url(self, obj: Any) -> str:
        return reverse("risks:detail", kwargs={"org": self.org.slug, "pk": obj.pk})

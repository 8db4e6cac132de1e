"""The roadmap to certification: actions by month, overdue ones highlighted."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from pdca.core.forms import owners_of
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import acting_user
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView
from pdca.standards import services
from pdca.standards.forms import RoadmapForm
from pdca.standards.models import RoadmapAction
from pdca.standards.selectors import roadmap_by_month
from pdca.standards.views import int_or_none


class RoadmapView(ListView):
    """The roadmap's actions grouped by the month they are due, shown whole."""

    permission = "standards.view"
    template_name = "standards/roadmap.html"
    rows_template = "standards/_roadmap_rows.html"

    def filters(self) -> tuple[dict[str, Any], dict[str, Any]]:
        get = self.request.GET
        owner = self.request.user.pk if get.get("mine") else int_or_none(get.get("owner"))
        filters = {
            "status": get.get("status", "open"),
            "owner": owner,
            "overdue": bool(get.get("overdue")),
        }
        return filters, filters

    def rows(self, data: dict[str, Any]) -> Any:
        return roadmap_by_month(self.org, **data)

    def paginate_rows(self, rows: Any) -> Any:
        return rows  # by month: a plan of months, not pages

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            **data,
            "months": page,
            "today": timezone.localdate(),
            "owners": owners_of(RoadmapAction.objects.filter(organization=self.org)),
            "statuses": RoadmapAction.Status.choices,
            "can_manage": can(self.membership, "standards.manage_roadmap"),
        }


class RoadmapEditView(FormView):
    permission = "standards.manage_roadmap"
    model = RoadmapAction
    select_related = ("clause__edition",)
    form_class = RoadmapForm
    template_name = "standards/roadmap_edit.html"
    form_takes = ("instance", "organization")
    context_name = "action"
    error_status = 200
    success_message = gettext_lazy("The action was saved.")
    success_route = "standards:roadmap"
    success_pk = False

    def context(self, obj: RoadmapAction) -> dict[str, Any]:
        return {"history": object_history(obj)}

    def act(self, obj: RoadmapAction, form: Any) -> None:
        version, data = versioned(form)
        reason = data.pop("reason")
        services.roadmap_action_update(
            actor=acting_user(self.request),
            action=obj,
            expected_version=version,
            reason=reason,
            **data,
        )

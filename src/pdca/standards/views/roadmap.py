"""The roadmap to certification: actions by month, overdue ones highlighted."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user, org_view
from pdca.core.views.organization import apply_errors
from pdca.standards import services
from pdca.standards.forms import RoadmapForm, owners_of
from pdca.standards.models import RoadmapAction
from pdca.standards.selectors import roadmap_by_month
from pdca.standards.views import int_or_none


class RoadmapView(OrgView):
    permission = "standards.view"

    def get(self, request: OrgRequest, org: str) -> HttpResponse:
        status = request.GET.get("status", "open")
        owner = (
            request.user.pk if request.GET.get("mine") else int_or_none(request.GET.get("owner"))
        )
        months = roadmap_by_month(self.org, status=status, owner=owner)
        context = {
            "months": months,
            "today": timezone.localdate(),
            "status": status,
            "owner": owner,
            "owners": owners_of(RoadmapAction.objects.filter(organization=self.org)),
            "statuses": RoadmapAction.Status.choices,
            "can_manage": can(self.membership, "standards.manage_roadmap"),
        }
        template = "standards/_roadmap_rows.html" if request.htmx else "standards/roadmap.html"
        return render(request, template, context)


@org_view("standards.manage_roadmap")
def roadmap_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    action = get_object_for(
        request,
        RoadmapAction.objects.select_related("clause__edition"),
        "standards.manage_roadmap",
        pk=pk,
    )
    form = RoadmapForm(request.POST or None, instance=action, organization=action.organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, reason = data.pop("version"), data.pop("reason")
        try:
            services.roadmap_action_update(
                actor=acting_user(request),
                action=action,
                expected_version=version,
                reason=reason,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("standards:roadmap", org=org)
    return render(
        request,
        "standards/roadmap_edit.html",
        {"form": form, "action": action, "history": object_history(action)},
    )

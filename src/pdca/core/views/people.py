"""The organization's members: the list, invitations and changes of role."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core import services
from pdca.core.forms import InviteForm, MembershipForm
from pdca.core.models import Membership
from pdca.core.permissions import can
from pdca.core.selectors import MEMBER_NEEDS, members, object_history
from pdca.core.views.base import acting_user
from pdca.core.views.forms import FormView, versioned
from pdca.core.views.lists import ListView


class MemberListView(ListView):
    permission = "core.view_members"
    template_name = "core/members.html"
    rows_template = "core/_member_rows.html"
    counted = True

    def needs(self) -> str:
        needs = self.request.GET.get("needs", "")
        return needs if needs in MEMBER_NEEDS else ""

    def rows(self, data: dict[str, Any]) -> QuerySet[Membership]:
        return members(self.org, self.request.GET.get("q", "").strip(), self.needs())

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "q": self.request.GET.get("q", "").strip(),
            "needs": self.needs(),
            "can_manage": can(self.membership, "core.manage_members"),
        }


class MemberInviteView(FormView):
    permission = "core.manage_members"
    form_class = InviteForm
    template_name = "core/member_invite.html"
    success_route = "core:members"
    success_pk = False
    form_takes = ("organization",)
    error_status = 200

    def act(self, obj: None, form: Any) -> None:
        services.member_invite(
            actor=acting_user(self.request), organization=self.org, **form.cleaned_data
        )

    def message(self, obj: None, form: Any) -> str:
        return _("%(email)s was invited.") % {"email": form.cleaned_data["email"]}


class MemberEditView(FormView):
    permission = "core.manage_members"
    model = Membership
    select_related = ("user",)
    form_class = MembershipForm
    template_name = "core/member_edit.html"
    form_takes = ("instance", "organization")
    context_name = "member"
    error_status = 200
    success_message = gettext_lazy("The membership was saved.")
    success_route = "core:members"
    success_pk = False

    def context(self, obj: Membership) -> dict[str, Any]:
        return {"history": object_history(obj), "grants": obj.grants.select_related("granted_by")}

    def act(self, obj: Membership, form: Any) -> None:
        version, data = versioned(form)
        services.membership_update(
            actor=acting_user(self.request), membership=obj, expected_version=version, **data
        )

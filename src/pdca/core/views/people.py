"""The organization's members: the list, invitations and changes of role."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pdca.core import services
from pdca.core.access import get_object_for
from pdca.core.forms import InviteForm, MembershipForm
from pdca.core.models import Membership
from pdca.core.permissions import can
from pdca.core.selectors import members, object_history
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.organization import apply_errors


class MemberListView(OrgView):
    permission = "core.view_members"

    def get(self, request: OrgRequest, org: str) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        page = self.paginate(members(self.org, query))
        template = "core/_member_rows.html" if request.htmx else "core/members.html"
        context = {
            "page": page,
            "q": query,
            "can_manage": can(self.membership, "core.manage_members"),
        }
        return render(request, template, context)


class MemberInviteView(OrgView):
    permission = "core.manage_members"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        form = InviteForm(organization=self.org)
        return render(request, "core/member_invite.html", {"form": form})

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        form = InviteForm(request.POST, organization=self.org)
        if form.is_valid():
            try:
                services.member_invite(
                    actor=acting_user(request), organization=self.org, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("%(email)s was invited.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("core:members", org=org)
        return render(request, "core/member_invite.html", {"form": form})


class MemberEditView(OrgView):
    permission = "core.manage_members"

    def load(self, pk: int) -> Membership:
        return get_object_for(
            self.request,
            Membership.objects.select_related("user"),
            "core.manage_members",
            pk=pk,
        )

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        membership = self.load(pk)
        return self.render(MembershipForm(instance=membership, organization=self.org), membership)

    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        membership = self.load(pk)
        form = MembershipForm(request.POST, instance=membership, organization=self.org)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.membership_update(
                    actor=acting_user(request),
                    membership=membership,
                    expected_version=version,
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The membership was saved."))
                return redirect("core:members", org=org)
        return self.render(form, membership)

    def render(self, form: MembershipForm, membership: Membership) -> HttpResponse:
        context = {
            "form": form,
            "member": membership,
            "history": object_history(membership),
            "grants": membership.grants.select_related("granted_by"),
        }
        return render(self.request, "core/member_edit.html", context)

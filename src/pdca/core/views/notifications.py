"""The bell's list of notifications, marking them read, and each person's notification settings.

Marking read is the reader's own state (like a session), not a record of the management
system, so it writes no audit-trail entry; changing the settings does."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import get_object_for
from pdca.core.models import Notification
from pdca.core.models.notifications import Delivery
from pdca.core.notifications import preferences as prefs
from pdca.core.notifications.selectors import notifications_of, rows_for
from pdca.core.paging import quick_page
from pdca.core.typing import OrgRequest
from pdca.core.views.base import OrgView, account_view, acting_user, org_view


class NotificationListView(OrgView):
    permission = "core.view_notifications"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return render(
            request, "core/notifications/list.html", _list_context(self.membership, request)
        )


def _list_context(membership: Any, request: HttpRequest) -> dict[str, Any]:
    mine = notifications_of(membership)
    page = quick_page(
        mine.select_related("target_type"), request.GET.get("page") or request.POST.get("page")
    )
    return {
        "page": page,
        "rows": rows_for(membership, page.object_list),
        "unread": mine.filter(read_at__isnull=True).exists(),
    }


def _own(request: HttpRequest, pk: int) -> Notification:
    # Another organization's is 404; a colleague's is refused by the policy's object rule.
    return get_object_for(request, Notification, "core.read_notifications", pk=pk)


class _MarkView(OrgView):
    """POST only; the access check comes first, so another organization's member gets 404."""

    permission = "core.read_notifications"

    def done(self) -> HttpResponse:
        if self.request.headers.get("HX-Request"):
            return render(
                self.request,
                "core/notifications/list.html",
                _list_context(self.membership, self.request),
            )
        return HttpResponseRedirect(reverse("core:notifications", kwargs={"org": self.org.slug}))


class MarkReadView(_MarkView):
    def post(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        n = _own(request, pk)
        Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=timezone.now())
        return self.done()


class ReadAllView(_MarkView):
    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        notifications_of(self.membership).filter(read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return self.done()


@org_view("core.read_notifications")
def open_notification(request: OrgRequest, org: str, pk: int) -> HttpResponse:
    """The link from the bell or an e-mail: mark it read and go to the object."""
    n = _own(request, pk)
    Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=timezone.now())
    row = rows_for(request.membership, [n])[0]
    if not row.visible or not n.url:
        messages.info(request, _("You can no longer see what this notification was about."))
        return redirect("core:notifications", org=org)
    return HttpResponseRedirect(n.url)


@account_view
def preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        choices = {
            kind.code: request.POST[kind.code]
            for kind, _delivery in prefs.preferences_of(user)
            if kind.code in request.POST
        }
        try:
            prefs.preferences_save(actor=user, user=user, choices=choices)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("core:notification_preferences")
    rows = [
        {
            "kind": kind,
            "delivery": request.POST.get(kind.code, delivery) if errors else delivery,
            "error": errors.get(kind.code, ""),
        }
        for kind, delivery in prefs.preferences_of(user)
    ]
    return render(
        request,
        "core/notifications/preferences.html",
        {"rows": rows, "choices": Delivery.choices, "errors": errors},
    )

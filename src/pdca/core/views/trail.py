"""The organization's audit-trail log, its checkpoint receipt, and the history panel every
object page shows."""

import functools
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pdca.core import checkpoints
from pdca.core.actions import ACTIONS
from pdca.core.forms import TrailFilterForm
from pdca.core.permissions import can
from pdca.core.selectors import trail_page
from pdca.core.views.base import OrgView
from pdca.core.views.lists import ListView


@functools.cache
def action_options() -> SafeString:
    """The filter's suggestions, every registered action code: the same on every request, so
    rendered once per process rather than as a hundred template nodes per page."""
    return format_html_join("", '<option value="{}">', ((code,) for code in sorted(ACTIONS)))


class TrailView(ListView):
    """The organization's audit trail, newest first, paged by a cursor (`before`)."""

    permission = "core.view_trail"
    template_name = "core/trail.html"
    rows_template = "core/_trail_rows.html"
    jinja_rows = True

    def filters(self) -> tuple[TrailFilterForm, dict[str, Any]]:
        form = TrailFilterForm(self.request.GET or None)
        return form, {}

    def rows(self, data: dict[str, Any]) -> Any:
        return trail_page(organization=self.org, filters=self.filters_form)

    def paginate_rows(self, rows: Any) -> Any:
        return rows  # (entries, the cursor of the next page)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        entries, next_cursor = page
        query = self.request.GET.copy()
        query.pop("before", None)
        return {
            "page": None,
            "entries": entries,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "action_options": action_options(),
            "can_download_receipt": can(self.membership, "core.download_trail_receipt"),
            "can_export": can(self.membership, "core.export_trail"),
        }


class TrailReceiptView(OrgView):
    """The organization's chain head from the last checkpoint, signed, as a file to keep
    outside pdca: if the trail is later cut back, `pdca verify-trail --receipt` shows it."""

    permission = "core.download_trail_receipt"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        try:
            checkpoint = checkpoints.latest()
        except checkpoints.CheckpointError:
            messages.error(
                request,
                _(
                    "The last checkpoint of the audit trail fails its signature check. Ask "
                    "the administrator to run pdca verify-trail."
                ),
            )
            return redirect("core:trail", org=self.org.slug)
        receipt = checkpoints.receipt_for(self.org, checkpoint) if checkpoint else None
        if receipt is None:
            messages.info(
                request,
                _(
                    "No checkpoint covers this organization's audit trail yet. Checkpoints "
                    "are written on a schedule (pdca trail-checkpoint); try again later."
                ),
            )
            return redirect("core:trail", org=self.org.slug)
        seq = receipt.heads[self.org.pk][0]
        response = HttpResponse(receipt.to_json() + "\n", content_type="application/json")
        name = f"pdca-trail-receipt-{self.org.slug}-{seq}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

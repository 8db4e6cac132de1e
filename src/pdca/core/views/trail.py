"""The organization's audit-trail log and the history panel every object page shows."""

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from pdca.core.actions import ACTIONS
from pdca.core.forms import TrailFilterForm
from pdca.core.jinja import render_rows
from pdca.core.selectors import trail_page
from pdca.core.views.base import OrgView


@functools.cache
def action_options() -> SafeString:
    """The filter's suggestions, every registered action code: the same on every request, so
    rendered once per process rather than as a hundred template nodes per page."""
    return format_html_join("", '<option value="{}">', ((code,) for code in sorted(ACTIONS)))


class TrailView(OrgView):
    permission = "core.view_trail"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        filters = TrailFilterForm(request.GET or None)
        entries, next_cursor = trail_page(organization=self.org, filters=filters)
        query = request.GET.copy()
        query.pop("before", None)
        context = {
            "filters": filters,
            "entries": entries,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "action_options": action_options(),
        }
        rows = render_rows(request, "core/_trail_rows.html", context)
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(rows)
        return render(request, "core/trail.html", {**context, "rows": rows})

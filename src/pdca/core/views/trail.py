"""The organization's audit-trail log and the history panel every object page shows."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pdca.core.actions import ACTIONS
from pdca.core.forms import TrailFilterForm
from pdca.core.selectors import trail_page
from pdca.core.views.base import OrgView


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
            "action_codes": sorted(ACTIONS),
        }
        template = "core/_trail_rows.html" if request.htmx else "core/trail.html"  # type: ignore[attr-defined]
        return render(request, template, context)

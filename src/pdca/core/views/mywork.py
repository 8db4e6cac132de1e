"""My work: what falls to the member across every module, overdue first, to plan a day. Read
from the due-item registry (core.due) like the calendar, so a new kind of due item appears here
as soon as its app registers it."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.due import DueFilters, DueItem, due_items, kind_choices
from pdca.core.views.base import OrgView

HORIZON_DAYS = 90
LIMIT = 200


def group_items(items: list[DueItem], today: datetime.date) -> list[dict[str, Any]]:
    """Overdue, today, the next 7 days, later: the order a day is planned in."""
    week = today + datetime.timedelta(days=7)
    groups: list[dict[str, Any]] = [
        {"key": "overdue", "title": _("Overdue"), "items": []},
        {"key": "today", "title": _("Due today"), "items": []},
        {"key": "week", "title": _("In the next 7 days"), "items": []},
        {"key": "later", "title": _("Later"), "items": []},
    ]
    for item in items:
        if item.due_on < today:
            index = 0
        elif item.due_on == today:
            index = 1
        elif item.due_on <= week:
            index = 2
        else:
            index = 3
        groups[index]["items"].append(item)
    return [group for group in groups if group["items"]]


class MyWorkView(OrgView):
    permission = "core.view_calendar"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        today = timezone.localdate()
        kinds = kind_choices()
        kind = request.GET.get("kind", "")
        if kind not in {code for code, _label in kinds}:
            kind = ""
        items = due_items(
            organization=self.org,
            viewer=self.membership,
            start=None,
            end=today + datetime.timedelta(days=HORIZON_DAYS),
            today=today,
            filters=DueFilters(scope="mine", kinds=[kind] if kind else []),
            limit=LIMIT + 1,
        )
        context = {
            "groups": group_items(items[:LIMIT], today),
            "more": len(items) > LIMIT,
            "count": min(len(items), LIMIT),
            "overdue": sum(1 for item in items[:LIMIT] if item.due_on < today),
            "kinds": kinds,
            "kind": kind,
            "days": HORIZON_DAYS,
            "today": today,
        }
        return render(request, "core/my_work.html", context)

"""The calendar of everything that falls due (month and agenda), the member's iCalendar feeds
and the organization's reminder schedule. Every item comes from the due-item registry
(core.due), which shows each viewer only what their roles may see."""

import calendar as calendar_module
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_scopes import scope

from pdca.core import feeds, reminders
from pdca.core.caching import org_cached
from pdca.core.calendar_forms import CalendarFilterForm, ReminderSettingForm
from pdca.core.due import SOURCES, DueFilters, DueItem, due_items, kind_choices
from pdca.core.jinja import render_rows
from pdca.core.models import CalendarFeed, ReminderSetting
from pdca.core.permissions import can
from pdca.core.updating import ConflictError
from pdca.core.views.base import OrgView, acting_user, public_view
from pdca.core.views.forms import apply_errors

# A month of "everyone" in a large organization can hold thousands of items: the grid shows
# the first ones by date and says that a filter narrows it.
MONTH_LIMIT = 200
AGENDA_PAGE = 50
AGENDA_MAX_PAGE = 20
AGENDA_DAYS = 366


def _filters(view: OrgView) -> tuple[CalendarFilterForm, dict[str, Any], DueFilters]:
    form = CalendarFilterForm(view.request.GET or None, organization=view.org)
    values: dict[str, Any] = (
        form.values()
        if form.is_bound
        else {"scope": "mine", "kind": "", "standard": "", "month": None}
    )
    filters = DueFilters(
        scope=values["scope"],
        kinds=[values["kind"]] if values["kind"] else [],
        standard=values["standard"],
    )
    return form, values, filters


def _shift_month(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _query_string(values: dict[str, Any], **changes: Any) -> str:
    merged = {**values, **changes}
    pairs = [
        f"{key}={value.strftime('%Y-%m') if isinstance(value, datetime.date) else value}"
        for key, value in merged.items()
        if value
    ]
    return "?" + "&".join(pairs)


class CalendarMonthView(OrgView):
    permission = "core.view_calendar"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        today = timezone.localdate()
        form, values, filters = _filters(self)
        first = values["month"] or today.replace(day=1)
        days_in_month = calendar_module.monthrange(first.year, first.month)[1]
        grid_start = first - datetime.timedelta(days=first.weekday())
        last = first.replace(day=days_in_month)
        grid_end = last + datetime.timedelta(days=6 - last.weekday())
        items = due_items(
            organization=self.org,
            viewer=self.membership,
            start=grid_start,
            end=grid_end,
            today=today,
            filters=filters,
            limit=MONTH_LIMIT + 1,
        )
        by_day: dict[datetime.date, list[DueItem]] = {}
        for item in items[:MONTH_LIMIT]:
            by_day.setdefault(item.due_on, []).append(item)
        weeks = []
        day = grid_start
        while day <= grid_end:
            week = []
            for _i in range(7):
                week.append(
                    {
                        "date": day,
                        "in_month": day.month == first.month,
                        "today": day == today,
                        "entries": by_day.get(day, []),
                    }
                )
                day += datetime.timedelta(days=1)
            weeks.append(week)
        grid = render_rows(
            request,
            "core/_calendar_month.html",
            {
                "weeks": weeks,
                "month_label": date_format(first, "F Y"),
                "weekdays": [
                    date_format(datetime.date(2024, 1, 1) + datetime.timedelta(days=i), "D")
                    for i in range(7)
                ],
            },
        )
        context = {
            "form": form,
            "grid": grid,
            "month": first,
            "truncated": len(items) > MONTH_LIMIT,
            "limit": MONTH_LIMIT,
            "empty": not items,
            "previous": _query_string(values, month=_shift_month(first, -1)),
            "next": _query_string(values, month=_shift_month(first, 1)),
            "this_month": _query_string(values, month=None),
            "agenda_query": _query_string(values, month=None),
            "weekdays": [datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(7)],
            **_links(self),
        }
        return render(request, "core/calendar_month.html", context)


def _links(view: OrgView) -> dict[str, bool]:
    return {
        "can_feeds": can(view.membership, "core.manage_calendar_feeds"),
        "can_reminders": can(view.membership, "core.manage_reminders"),
    }


class CalendarAgendaView(OrgView):
    permission = "core.view_calendar"

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        today = timezone.localdate()
        form, values, filters = _filters(self)
        try:
            number = max(1, min(int(request.GET.get("page") or 1), AGENDA_MAX_PAGE))
        except ValueError:
            number = 1
        cursor = _agenda_cursor(request.GET.get("after")) if number > 1 else None
        # Items of several sources, merged by date. "Next" carries a cursor (the last day shown
        # and how many of its items were shown), so each source is asked for one page from that
        # day; a page typed by its number asks each for every page up to it.
        items = due_items(
            organization=self.org,
            viewer=self.membership,
            start=None,
            end=today + datetime.timedelta(days=AGENDA_DAYS),
            today=today,
            filters=filters,
            limit=AGENDA_PAGE + 1 if cursor else number * AGENDA_PAGE + 1,
            after=cursor,
        )
        before = 0 if cursor else (number - 1) * AGENDA_PAGE
        shown = items[before : before + AGENDA_PAGE]
        context = {
            "form": form,
            "items": shown,
            "rows": render_rows(request, "core/_agenda_rows.html", {"items": shown}),
            "page": number,
            "has_next": len(items) > before + AGENDA_PAGE and number < AGENDA_MAX_PAGE,
            "previous": _query_string(values, page=number - 1 if number > 2 else None),
            "next": _query_string(
                values, page=number + 1, after=_next_agenda_cursor(shown, cursor)
            ),
            "month_query": _query_string(values),
            "today": today,
            **_links(self),
        }
        return render(request, "core/calendar_agenda.html", context)


def _agenda_cursor(text: str | None) -> tuple[datetime.date, int] | None:
    """ "2026-12-14.3": from 14 December on, less its first three items (shown already)."""
    try:
        day, _sep, count = (text or "").partition(".")
        return datetime.date.fromisoformat(day), max(0, int(count))
    except ValueError:
        return None


def _next_agenda_cursor(
    shown: list[DueItem], cursor: tuple[datetime.date, int] | None
) -> str | None:
    if not shown:
        return None
    day = shown[-1].due_on
    count = sum(1 for item in shown if item.due_on == day)
    if cursor is not None and cursor[0] == day:
        count += cursor[1]  # the day began on an earlier page
    return f"{day.isoformat()}.{count}"


class CalendarFeedsView(OrgView):
    """A member's feed addresses: make one (shown once), regenerate it, revoke it."""

    permissions = {"GET": "core.manage_calendar_feeds", "POST": "core.manage_calendar_feeds"}

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        return self.render()

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        scope_value = request.POST.get("scope", "")
        if scope_value not in CalendarFeed.Scope.values or (
            scope_value == CalendarFeed.Scope.ORGANIZATION
            and not can(self.membership, feeds.ORGANIZATION_FEED_PERMISSION)
        ):
            return self.render(error=_("Choose one of the feeds on this page."), status=400)
        if request.POST.get("do") == "revoke":
            feed = feeds.active_feeds(self.membership).get(scope_value)
            if feed is not None:
                feeds.calendar_feed_revoke(actor=acting_user(request), feed=feed)
                messages.success(request, _("The feed's address was revoked: it answers no more."))
            return redirect("core:calendar_feeds", org=org)
        raw = feeds.calendar_feed_create(
            actor=acting_user(request), membership=self.membership, scope=scope_value
        )
        address = request.build_absolute_uri(reverse("core:calendar_feed", kwargs={"token": raw}))
        return self.render(created=address, created_scope=scope_value)

    def render(self, status: int = 200, **extra: Any) -> HttpResponse:
        active = feeds.active_feeds(self.membership)
        scopes = [
            {"value": value, "label": label, "feed": active.get(value)}
            for value, label in CalendarFeed.Scope.choices
            if value == CalendarFeed.Scope.PERSONAL
            or can(self.membership, feeds.ORGANIZATION_FEED_PERMISSION)
        ]
        return render(
            self.request, "core/calendar_feeds.html", {"scopes": scopes, **extra}, status=status
        )


@public_view
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in, the token is the credential; anything wrong is a bare 404."""
    feed = feeds.feed_for_token(token)
    if feed is None:
        return HttpResponse(status=404, content_type="text/plain")
    organization = feed.membership.organization
    with scope(organization=organization):
        items = feeds.feed_items(feed)
    name = (
        _("%(org)s: my due items")
        if feed.scope == CalendarFeed.Scope.PERSONAL
        else _("%(org)s: everything due")
    ) % {"org": organization.name}
    body = feeds.build_feed(
        items,
        name=name,
        host=request.get_host().split(":")[0],
        base_url=f"{request.scheme}://{request.get_host()}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pdca.ics"'
    return response


class ReminderSettingsView(OrgView):
    """When reminders go per kind of due item, and when overdue items escalate to whom."""

    permissions = {"GET": "core.manage_reminders", "POST": "core.manage_reminders"}

    def get(self, request: HttpRequest, org: str) -> HttpResponse:
        kind = request.GET.get("kind", "")
        setting = self._setting(kind if kind in SOURCES else "")
        return self.render(self._form(setting, kind if kind in SOURCES else ""))

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        if request.POST.get("do") == "reset":
            setting = get_object_or_404(
                ReminderSetting, organization=self.org, kind=request.POST.get("kind", "")
            )
            reminders.reminder_setting_reset(actor=acting_user(request), setting=setting)
            messages.success(request, _("The schedule is back to the default."))
            return redirect("core:calendar_reminders", org=org)
        form = ReminderSettingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reminders.reminder_setting_save(
                    actor=acting_user(request),
                    organization=self.org,
                    kind=data["kind"],
                    offsets=data["offsets"],
                    owner_after_days=data["owner_after_days"],
                    manager_after_days=data["manager_after_days"],
                    mr_after_days=data["mr_after_days"],
                    version=data["version"],
                )
            except ConflictError as error:
                apply_errors(form, error)
                return self.render(form, status=409)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The reminder schedule was saved."))
                return redirect("core:calendar_reminders", org=org)
        return self.render(form, status=400)

    def _setting(self, kind: str) -> ReminderSetting | None:
        return ReminderSetting.objects.filter(organization=self.org, kind=kind).first()

    def _form(self, setting: ReminderSetting | None, kind: str) -> ReminderSettingForm:
        if setting is None:
            schedule = reminders.schedules_of(self.org).get("") or reminders.DEFAULT_SCHEDULE
            steps = dict(schedule.escalation)
            initial = {
                "kind": kind,
                "offsets": ", ".join(str(o) for o in schedule.offsets),
                "owner_after_days": steps.get("owner"),
                "manager_after_days": steps.get("manager"),
                "mr_after_days": steps.get("mr"),
            }
        else:
            initial = {
                "kind": setting.kind,
                "offsets": ", ".join(str(o) for o in setting.offsets),
                "owner_after_days": setting.owner_after_days,
                "manager_after_days": setting.manager_after_days,
                "mr_after_days": setting.mr_after_days,
                "version": setting.version,
            }
        return ReminderSettingForm(initial=initial)

    def render(self, form: ReminderSettingForm, status: int = 200) -> HttpResponse:
        labels = dict(kind_choices())
        settings = [
            {
                "kind": s.kind,
                "label": labels.get(s.kind, s.kind) if s.kind else _("Every kind (the default)"),
                "offsets": ", ".join(str(o) for o in s.offsets) or "—",
                "escalation": s.escalation(),
            }
            for s in ReminderSetting.objects.filter(organization=self.org)
        ]
        return render(
            self.request,
            "core/calendar_reminders.html",
            {"form": form, "settings": settings, "kinds": kind_choices()},
            status=status,
        )


UPCOMING_DAYS = 14
UPCOMING_LIMIT = 10


def upcoming_panel(request: HttpRequest, membership: Any) -> str:
    """The dashboard's "falls due in the next 14 days" of the member's own items (overdue
    first), read from the due-item registry like the calendar. Cached per member until the
    organization's next write (or midnight), like the dashboard's other figures: reading every
    source costs a dozen queries."""
    if not can(membership, "core.view_calendar"):
        return ""

    def render() -> str:
        today = timezone.localdate()
        items = due_items(
            organization=membership.organization,
            viewer=membership,
            start=None,
            end=today + datetime.timedelta(days=UPCOMING_DAYS),
            today=today,
            filters=DueFilters(scope="mine"),
            limit=UPCOMING_LIMIT + 1,
        )
        return render_to_string(
            "core/_upcoming_panel.html",
            {
                "items": items[:UPCOMING_LIMIT],
                "more": len(items) > UPCOMING_LIMIT,
                "days": UPCOMING_DAYS,
            },
            request=request,
        )

    return org_cached(membership.organization, f"upcoming:{membership.pk}", render)

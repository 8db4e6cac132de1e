"""Which reminders fall due on a day: before a due item's date at the organization's offsets
(30, 7, 1 and 0 days by default), and once it is overdue, escalated step by step: the owner
again, then their line manager (`Membership.manager`), then the management representatives.

`reminders_due()` is a pure function of the items, the day and the schedule; it sends nothing.
`send_reminders()` is the daily run (the task `pdca.core.tasks.send_reminders`, or
`pdca send-reminders` from cron): it sends each reminder through `notify_each()` under its
`key`, which names the item, its due date, the offset or step and the recipient, and which the
database keeps unique per recipient. So a run repeated on the same day, two schedulers at
once or a task retried after a crash send nothing twice, while a due date that moves starts
the reminders of the new date afresh.

Every kind of due item has two notification kinds, registered with its source
(`register_due_source`): `<kind>.due` (a reminder before the date) and `<kind>.overdue` (an
escalation), with the source's permission, so a person who may not see the object (a line
manager and a restricted document) is not told about it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core import trail
from pdca.core.actions import register_actions
from pdca.core.due import DueItem
from pdca.core.models import Membership, Organization, ReminderSetting, User
from pdca.core.models.calendar import DEFAULT_ESCALATION, DEFAULT_OFFSETS
from pdca.core.notifications.registry import NotificationKind, register_kinds
from pdca.core.roles import Role
from pdca.core.updating import model_create, model_update

OWNER, MANAGER, MR = "owner", "manager", "mr"

register_actions(
    {
        "core.reminders.created": gettext_lazy("Reminder schedule set"),
        "core.reminders.updated": gettext_lazy("Reminder schedule changed"),
        "core.reminders.reset": gettext_lazy("Reminder schedule back to the default"),
    }
)


@dataclass(frozen=True)
class Schedule:
    """One kind's reminders: days before the due date, and (step, days overdue) escalations."""

    offsets: tuple[int, ...] = tuple(DEFAULT_OFFSETS)
    escalation: tuple[tuple[str, int], ...] = tuple(DEFAULT_ESCALATION.items())

    @classmethod
    def of(cls, setting: ReminderSetting) -> "Schedule":
        return cls(tuple(sorted(setting.offsets, reverse=True)), tuple(setting.escalation()))


DEFAULT_SCHEDULE = Schedule()


@dataclass(frozen=True)
class Reminder:
    item: DueItem
    recipient_id: int
    offset: int | None = None  # days before the due date, for a reminder
    step: str = ""  # owner | manager | mr, for an escalation
    days_overdue: int = 0

    @property
    def key(self) -> str:
        """The same reminder twice has the same key; a moved due date gives a new one."""
        what = f"before-{self.offset}" if self.step == "" else f"escalation-{self.step}"
        return (
            f"{self.item.kind}:{self.item.object_id}:{self.item.due_on.isoformat()}:"
            f"{what}:{self.recipient_id}"
        )


def reminders_due(
    items: Iterable[DueItem],
    day: datetime.date,
    *,
    schedules: Mapping[str, Schedule],
    managers: Mapping[int, int],
    representatives: Iterable[int],
) -> list[Reminder]:
    """The reminders that are due on `day`.

    `schedules` maps a kind to its schedule ("" is the organization's default; missing both,
    30/7/1/0 days and owner 1, manager 7, management representative 14 days overdue);
    `managers` maps an owner to their line manager; `representatives` are the management
    representatives' user ids.

    Before the due date, the reminder of the last offset passed is due: an item created three
    days before its date gets the 7-day reminder at once, not the 30-day one as well (a run
    missed for a few days catches up with one reminder, not several). From the day after the
    due date each escalation step whose days have passed is due, each to its own recipients
    (a step without anyone to tell is left out). Items without an owner get no reminder before
    the date; their escalation goes straight to the management representatives."""
    mrs = sorted(set(representatives))
    out: list[Reminder] = []
    for item in items:
        schedule = schedules.get(item.kind) or schedules.get("") or DEFAULT_SCHEDULE
        days_left = (item.due_on - day).days
        if days_left >= 0:
            passed = [offset for offset in schedule.offsets if offset >= days_left]
            if passed and item.owner_id is not None:
                out.append(Reminder(item, item.owner_id, offset=min(passed)))
            continue
        overdue = -days_left
        for step, after in schedule.escalation:
            if overdue < after:
                continue
            for recipient in _recipients(item, step, managers, mrs):
                out.append(Reminder(item, recipient, step=step, days_overdue=overdue))
    return out


def _recipients(item: DueItem, step: str, managers: Mapping[int, int], mrs: list[int]) -> list[int]:
    if step == OWNER:
        return [item.owner_id] if item.owner_id is not None else []
    if step == MANAGER:
        manager = managers.get(item.owner_id) if item.owner_id is not None else None
        return [manager] if manager is not None and manager != item.owner_id else []
    return [mr for mr in mrs if mr != item.owner_id]


def schedules_of(organization: Organization) -> dict[str, Schedule]:
    """The organization's schedules by kind ("" for its default), in one query."""
    return {
        s.kind: Schedule.of(s) for s in ReminderSetting.objects.filter(organization=organization)
    }


def reminders_for_day(organization: Organization, day: datetime.date) -> list[Reminder]:
    """Everything falling due around `day` in the organization, and the reminders due on it:
    what the notification run sends (a fixed number of queries)."""
    from pdca.core.due import DueFilters, due_items, sources

    schedules = schedules_of(organization)
    furthest = max([max(s.offsets, default=0) for s in schedules.values()] + [max(DEFAULT_OFFSETS)])
    items = due_items(
        organization=organization,
        viewer=None,
        start=None,
        end=day + datetime.timedelta(days=furthest),
        today=day,
        filters=DueFilters(scope="everyone", kinds=[s.code for s in sources() if s.reminders]),
    )
    members = Membership.objects.current().filter(organization=organization)
    managers = dict(members.filter(manager__isnull=False).values_list("user_id", "manager_id"))
    mrs = members.with_role(Role.MANAGEMENT_REP).values_list("user_id", flat=True)
    return reminders_due(
        items, day, schedules=schedules, managers=managers, representatives=list(mrs)
    )


def reminder_kind(item_kind: str, escalation: bool) -> str:
    """The notification kind of a reminder (`documents.review.due`) or an escalation
    (`documents.review.overdue`) about a due item of `item_kind`."""
    return f"{item_kind}.overdue" if escalation else f"{item_kind}.due"


def register_reminder_kinds(code: str, label: str | Promise, permission: str) -> None:
    """The two notification kinds of one kind of due item (called by `register_due_source`)."""
    register_kinds(
        NotificationKind(
            reminder_kind(code, False),
            format_lazy(gettext_lazy("Reminder: {kind} falls due"), kind=label),
            format_lazy(gettext_lazy("{kind}: %(title)s falls due on %(due)s."), kind=label),
            permission=permission,
        ),
        NotificationKind(
            reminder_kind(code, True),
            format_lazy(gettext_lazy("Overdue: {kind}"), kind=label),
            format_lazy(
                gettext_lazy(
                    "{kind}: %(title)s (owner %(owner)s) was due on %(due)s and is %(days)s "
                    "day(s) overdue."
                ),
                kind=label,
            ),
            permission=permission,
        ),
    )


def _objects(reminders: list[Reminder]) -> dict[tuple[str, int], Any]:
    """The objects the reminders are about, one query per kind of object (per few hundred)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for r in reminders:
        wanted[r.item.model].add(r.item.object_id)
    found: dict[tuple[str, int], Any] = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            found.update(((label, o.pk), o) for o in model._base_manager.filter(pk__in=chunk))
    return found


def send_reminders(
    organization: Organization, day: datetime.date, *, kinds: Iterable[str] = ()
) -> int:
    """Send the organization's reminders and escalations due on `day` (of these kinds of due
    item only, if given); returns how many notifications were new. Safe to run again."""
    from pdca.core.notifications import Message, notify_each

    only = set(kinds)
    reminders = [r for r in reminders_for_day(organization, day) if not only or r.item.kind in only]
    objects = _objects(reminders)
    batches: dict[str, list[Message]] = defaultdict(list)
    for r in reminders:
        obj = objects.get((r.item.model, r.item.object_id))
        if obj is None:
            continue  # gone since the items were read
        data: dict[str, Any] = {"due": r.item.due_on.isoformat()}
        if r.step:
            data.update(days=r.days_overdue, owner=r.item.owner_name or "—", step=r.step)
        batches[reminder_kind(r.item.kind, bool(r.step))].append(
            Message(r.recipient_id, obj, r.key, r.item.url, r.item.title, data)
        )
    sent = 0
    for kind, messages in batches.items():
        with transaction.atomic():
            sent += len(notify_each(kind=kind, organization=organization, messages=messages))
    return sent


def send_reminders_everywhere(day: datetime.date, *, kinds: Iterable[str] = ()) -> dict[str, int]:
    """The daily run over every active organization: {organization slug: notifications sent}."""
    from django_scopes import scopes_disabled

    kinds = list(kinds)
    with scopes_disabled():
        return {
            org.slug: send_reminders(org, day, kinds=kinds)
            for org in Organization.objects.filter(is_active=True).order_by("slug")
        }


SETTING_FIELDS = ("kind", "offsets", "owner_after_days", "manager_after_days", "mr_after_days")


def reminder_setting_save(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    offsets: list[int],
    owner_after_days: int | None,
    manager_after_days: int | None,
    mr_after_days: int | None,
    version: int | None = None,
) -> ReminderSetting:
    """Set when reminders go for one kind of due item ("" for every kind without its own)."""
    from pdca.core.due import SOURCES

    if kind and (kind not in SOURCES or not SOURCES[kind].reminders):
        raise ValidationError({"kind": _("Choose a kind of due item from the list.")})
    values = {
        "offsets": sorted(offsets, reverse=True),
        "owner_after_days": owner_after_days,
        "manager_after_days": manager_after_days,
        "mr_after_days": mr_after_days,
    }
    with transaction.atomic():
        existing = ReminderSetting.objects.filter(organization=organization, kind=kind).first()
        if existing is None:
            return model_create(
                model=ReminderSetting,
                organization=organization,
                actor=actor,
                fields={"kind": kind, **values},
                allowed=SETTING_FIELDS,
                action="core.reminders.created",
            )
        updated, _changes = model_update(
            instance=existing,
            actor=actor,
            fields=values,
            allowed=SETTING_FIELDS,
            expected_version=version if version is not None else existing.version,
            action="core.reminders.updated",
        )
        return updated


def reminder_setting_reset(*, actor: User, setting: ReminderSetting) -> None:
    """Back to the default: the kind's own setting is removed (recorded with what it held)."""
    with transaction.atomic():
        trail.record(
            action="core.reminders.reset",
            actor=actor,
            organization=setting.organization,
            obj=setting,
            changes=trail.changes_between(trail.snapshot(setting, SETTING_FIELDS), {}),
        )
        setting.delete()

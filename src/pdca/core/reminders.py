"""Which reminders fall due on a day: before a due item's date at the organization's offsets
(30, 7, 1 and 0 days by default), and once it is overdue, escalated step by step: the owner
again, then their line manager (`Membership.manager`), then the management representatives.

`reminders_due()` is a pure function of the items, the day and the schedule; it sends nothing.
Whoever sends (the notification run) keeps the `key` of what went out and skips a key it has
seen: the key names the item, its due date, the offset or step and the recipient, so a run
repeated on the same day sends nothing twice, while a due date that moves starts the
reminders of the new date afresh.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core import trail
from pdca.core.actions import register_actions
from pdca.core.due import DueItem
from pdca.core.models import Membership, Organization, ReminderSetting, User
from pdca.core.models.calendar import DEFAULT_ESCALATION, DEFAULT_OFFSETS
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
    from pdca.core.due import due_items

    schedules = schedules_of(organization)
    furthest = max([max(s.offsets, default=0) for s in schedules.values()] + [max(DEFAULT_OFFSETS)])
    items = due_items(
        organization=organization,
        viewer=None,
        start=None,
        end=day + datetime.timedelta(days=furthest),
        today=day,
    )
    members = Membership.objects.current().filter(organization=organization)
    managers = dict(members.filter(manager__isnull=False).values_list("user_id", "manager_id"))
    mrs = members.with_role(Role.MANAGEMENT_REP).values_list("user_id", flat=True)
    return reminders_due(
        items, day, schedules=schedules, managers=managers, representatives=list(mrs)
    )


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

    if kind and kind not in SOURCES:
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

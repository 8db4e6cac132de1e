"""What the calendar keeps: each organization's reminder schedule per kind of due item, and
the secret addresses of the iCalendar feeds."""

import itertools
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OrgModel

DEFAULT_OFFSETS = [30, 7, 1, 0]
# The corrective actions' escalation as it always was: the owner on the first day overdue,
# the line manager after a week, the management representative after two.
DEFAULT_ESCALATION = {"owner": 1, "manager": 7, "mr": 14}
MAX_OFFSET_DAYS = 365
MAX_OFFSETS = 8


def check_offsets(value: list[int]) -> None:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValidationError(_("Give whole numbers of days."))
    if any(v < 0 or v > MAX_OFFSET_DAYS for v in value):
        raise ValidationError(
            _("Each reminder is 0 to %(max)d days before the due date.") % {"max": MAX_OFFSET_DAYS}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Name each number of days once."))
    if len(value) > MAX_OFFSETS:
        raise ValidationError(_("At most %(max)d reminders.") % {"max": MAX_OFFSETS})


class ReminderSetting(OrgModel):
    """When reminders go for one kind of due item (or, with no kind, for every kind without a
    setting of its own), and when an overdue one escalates to whom."""

    kind = models.CharField(_("kind"), max_length=60, blank=True)
    offsets = models.JSONField(
        _("remind this many days before"), default=list, blank=True, validators=[check_offsets]
    )
    owner_after_days = models.PositiveSmallIntegerField(
        _("remind the owner again, days overdue"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_OFFSET_DAYS)],
    )
    manager_after_days = models.PositiveSmallIntegerField(
        _("tell the line manager, days overdue"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_OFFSET_DAYS)],
    )
    mr_after_days = models.PositiveSmallIntegerField(
        _("tell the management representative, days overdue"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_OFFSET_DAYS)],
    )

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="reminder_setting_kind")
        ]

    def __str__(self) -> str:
        return self.kind or "default"

    def clean(self) -> None:
        steps = [
            ("owner_after_days", self.owner_after_days),
            ("manager_after_days", self.manager_after_days),
            ("mr_after_days", self.mr_after_days),
        ]
        errors = {
            name: _("An escalation starts a day overdue or later.")
            for name, v in steps
            if v is not None and v < 1
        }
        given = [(name, v) for name, v in steps if v is not None and v >= 1]
        for (_first, earlier), (name, later) in itertools.pairwise(given):
            if later < earlier:
                errors.setdefault(name, _("Each escalation step comes after the one before."))
        if errors:
            raise ValidationError(errors)

    def escalation(self) -> list[tuple[str, int]]:
        """(step, days overdue) in order, without the steps turned off."""
        steps = [
            ("owner", self.owner_after_days),
            ("manager", self.manager_after_days),
            ("mr", self.mr_after_days),
        ]
        return [(step, days) for step, days in steps if days is not None]


class CalendarFeed(models.Model):
    """The secret address of one member's iCalendar feed. Only the SHA-256 of the token is
    stored; the address is shown once, when it is made. Revoked feeds are kept (the trail
    refers to them) and answer 404."""

    class Scope(models.TextChoices):
        PERSONAL = "personal", _("My due items")
        ORGANIZATION = "organization", _("Everything in the organization")

    membership = models.ForeignKey(
        "core.Membership", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    scope = models.CharField(_("feed"), max_length=12, choices=Scope.choices)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["membership", "scope", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

"""The abstract bases every organization's model starts from.

`OrgModel` is the header each domain model shares: the organization it belongs to, a version
for optimistic locking, when it was created and last changed, and the django-scopes manager
that refuses unscoped queries. `OwnedAction` is the shape of an action someone owns and must
finish by a date (corrective actions, roadmap actions, and the actions of later modules).
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .choices import ChoiceLabels


def organization_fk(related_name: str) -> Any:
    """The organization foreign key with a reverse name of its own, for a model whose
    organization's reverse accessor (`organization.<related_name>`) is used or kept."""
    return models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name=related_name
    )


def optional_fk(to: Any, related_name: str, verbose_name: Any, *, indexed: bool = True) -> Any:
    """An optional link to another object (it may be empty; the target cannot be deleted while
    linked). `indexed=False` where every read is scoped to an organization and an
    (organization, …) index serves it: a lone index would lure SQLite's planner away from it."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        db_index=indexed,
    )


class OrgModel(ChoiceLabels):
    """A row that belongs to one organization and is only ever read scoped to it."""

    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        abstract = True


class OwnedAction(OrgModel):
    """An action with an owner and a due date, open until it is done or cancelled."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_on < today

    def follow_status_with_done_on(self, today: datetime.date) -> None:
        """The done date follows the status: the day it was first done, none while not done."""
        if self.status != self.Status.DONE:
            self.done_on = None
        elif self.done_on is None:
            self.done_on = today

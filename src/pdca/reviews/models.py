"""Management reviews (9.3): the meeting, the inputs it reviewed (each a snapshot of what pdca
compiled at preparation, with the discussion), its outputs as owned actions, and the signed
minutes. A signed review is the retained 9.3 record: it is never edited nor deleted."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction, organization_fk
from pdca.core.validators import single_line


class Review(OrgModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PREPARED = "prepared", _("Inputs compiled")
        HELD = "held", _("Held, minutes to sign")
        SIGNED = "signed", _("Minutes signed")

    # Until the minutes are signed, the review can still change.
    OPEN_STATUSES = (Status.PLANNED, Status.PREPARED, Status.HELD)

    organization = organization_fk("management_reviews")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    planned_on = models.DateField(_("planned date"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # What the inputs cover: from the end of the previous review to the meeting.
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    editions = models.ManyToManyField(
        "standards.Edition", related_name="management_reviews", verbose_name=_("standards covered")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair"),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("attendees")
    )
    interval_months = models.PositiveSmallIntegerField(
        _("months until the next review"), default=12
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    prepared_at = models.DateTimeField(_("inputs compiled at"), null=True, blank=True)
    # 9.3.1 / 14001 and 45001 9.3: the conclusion on the system's suitability, adequacy and
    # effectiveness, and (45001) how the outputs reach the workers and their representatives.
    conclusion = models.TextField(
        _("conclusion on suitability, adequacy and effectiveness"), blank=True
    )
    communication = models.TextField(_("how the outputs are communicated"), blank=True)
    minutes = models.TextField(_("signed minutes"), blank=True)
    sha256 = models.CharField(_("SHA-256 of the signed minutes"), max_length=64, blank=True)
    pdf = models.BinaryField(_("signed minutes (PDF)"), null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        ordering = ["-planned_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="review_unique_number")
        ]
        indexes = [
            models.Index(fields=["organization", "status", "planned_on"]),
            models.Index(fields=["organization", "planned_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"MR-{self.number:03d}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status != self.Status.SIGNED and self.planned_on < today


class ReviewInput(OrgModel):
    """One input of a review (9.3.2 a) to f) and their counterparts): the figures pdca compiled
    when the review was prepared, or what was entered by hand where pdca has no such module,
    and what the meeting said about it."""

    organization = organization_fk("management_review_inputs")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="inputs")
    code = models.CharField(_("input"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    clauses = models.CharField(_("required by"), max_length=300)
    order = models.PositiveSmallIntegerField(default=100)
    # False: no module of pdca compiles it yet, so its information is entered by hand.
    available = models.BooleanField(_("compiled by pdca"), default=False)
    summary = models.JSONField(_("compiled figures"), default=dict, blank=True)
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    entered_data = models.TextField(_("information entered by hand"), blank=True)
    notes = models.TextField(_("discussion"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("review input")
        verbose_name_plural = _("review inputs")
        ordering = ["review", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "code"], name="review_input_unique_code")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown(self) -> dict[str, Any]:
        """The frozen summary in the reader's language: its sentence and labels are message
        ids, translated here, with the figures as they were compiled."""
        summary = self.summary or {}
        text = summary.get("text", "")
        try:
            text = gettext(text) % summary.get("params", {}) if text else ""
        except (KeyError, TypeError, ValueError):
            text = summary.get("text", "")  # a translation that lost a placeholder
        return {
            "text": text,
            "figures": [(gettext(label), value) for label, value in summary.get("figures", [])],
            "links": [(gettext(label), url) for label, url in summary.get("links", [])],
        }

    @property
    def is_addressed(self) -> bool:
        """Its conclusion is written and, where pdca compiles nothing, its information entered."""
        if not self.conclusion.strip():
            return False
        return self.available or bool(self.entered_data.strip())


class OutputKind(models.TextChoices):
    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    SYSTEM_CHANGE = "system_change", _("Change to the management system")
    RESOURCES = "resources", _("Resource need")
    OBJECTIVES = "objectives", _("Action on an objective not met")
    INTEGRATION = "integration", _("Integration with business processes")
    STRATEGY = "strategy", _("Implication for strategic direction")


class ReviewOutput(OwnedAction):
    """A decision of the review (9.3.3) and the action that carries it out: an owner and a due
    date; the next review's first input reports on it."""

    organization = organization_fk("management_review_outputs")
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField(_("kind of decision"), max_length=20, choices=OutputKind.choices)
    title = models.CharField(_("decision and action"), max_length=300, validators=[single_line])

    class Meta:
        verbose_name = _("review output")
        verbose_name_plural = _("review outputs")
        ordering = ["review", "due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"]),
            models.Index(fields=["owner", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

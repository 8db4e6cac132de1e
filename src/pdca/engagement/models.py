"""The voice of employees and customers, and management's announcements.

A suggestion made anonymously keeps no trace of its author: no column holds them, its trail
entry names nobody and records no address. Customer feedback (a complaint, a compliment, a
survey answer) is answered by a date and may raise a nonconformity. An announcement goes to an
audience and may ask each member to acknowledge it. Nothing here is deleted."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk
from pdca.core.validators import single_line


class Suggestion(OrgModel):
    class Status(models.TextChoices):
        NEW = "new", _("Awaiting triage")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DUPLICATE = "duplicate", _("Duplicate")

    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    description = models.TextField(_("suggestion"))
    department = optional_fk("core.Department", "+", _("area"), indexed=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # None when the suggestion was made anonymously: the author is never stored.
    author = optional_fk(settings.AUTH_USER_MODEL, "+", _("suggested by"), indexed=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    response = models.TextField(
        _("response"),
        blank=True,
        help_text=_("The answer to the suggester: why it is declined, what will be done."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    triaged_by = optional_fk(settings.AUTH_USER_MODEL, "+", _("triaged by"), indexed=False)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    # The improvement action an accepted suggestion became (a corrective action of the
    # nonconformity raised from it, source "reported by an employee").
    action = models.ForeignKey(
        "improvement.CorrectiveAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("improvement action"),
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="suggestion_unique_number"
            ),
            # An anonymous suggestion has no author, whatever writes it.
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(author__isnull=True),
                name="suggestion_anonymous_has_no_author",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-number"], name="suggestion_board"),
            models.Index(fields=["organization", "author", "-number"], name="suggestion_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"S-{self.number}"


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    COMPLIMENT = "compliment", _("Compliment")
    FEEDBACK = "feedback", _("Feedback or survey answer")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit or meeting")
    SURVEY = "survey", _("Survey")
    PORTAL = "portal", _("Customer portal")


class Subject(models.TextChoices):
    PRODUCT = "product", _("Product")
    ORDER = "order", _("Order or delivery")
    PROCESS = "process", _("Process or service")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Feedback(OrgModel):
    """What a customer told the organization (9.1.2, 8.2.1 e): received from whom, how, about
    what; a complaint answered by its due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting response")
        RESPONDED = "responded", _("Response sent")

    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=FeedbackKind.choices)
    customer = models.CharField(_("customer"), max_length=200, validators=[single_line])
    contact = models.CharField(_("contact"), max_length=200, blank=True, validators=[single_line])
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    reference = models.CharField(
        _("product, order or process"),
        max_length=120,
        blank=True,
        validators=[single_line],
        help_text=_("A part number, an order number or the process concerned."),
    )
    description = models.TextField(_("what the customer said"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.LOW
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Where the customer rated their satisfaction: 1 very unhappy, 5 very happy."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )
    response_due_on = models.DateField(_("response due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("response sent"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    responded_by = optional_fk(settings.AUTH_USER_MODEL, "+", _("responded by"), indexed=False)

    class Meta:
        verbose_name = _("customer feedback")
        verbose_name_plural = _("customer feedback")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="feedback_unique_number"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="complaint") | models.Q(response_due_on__isnull=False),
                name="feedback_complaint_has_due_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "-number"], name="feedback_list"),
            models.Index(fields=["organization", "status", "response_due_on"], name="feedback_due"),
            models.Index(fields=["organization", "received_on"], name="feedback_received"),
        ]

    def __str__(self) -> str:
        return f"C-{self.number} {self.customer}"

    @property
    def ref(self) -> str:
        return f"C-{self.number}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == FeedbackKind.COMPLAINT and not self.response_due_on:
            raise ValidationError(
                {"response_due_on": _("A complaint needs the date its response is due.")}
            )
        if self.response_due_on and self.received_on and self.response_due_on < self.received_on:
            raise ValidationError(
                {"response_due_on": _("The response cannot be due before it was received.")}
            )


class Announcement(OrgModel):
    """Management's word to chosen people (7.4): everyone, or members of the roles,
    departments and sites named; with or without an acknowledgement asked of each."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    body = models.TextField(_("message"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    departments = models.ManyToManyField(
        "core.Department", blank=True, related_name="+", verbose_name=_("departments")
    )
    sites = models.ManyToManyField(
        "core.Site", blank=True, related_name="+", verbose_name=_("sites")
    )
    requires_ack = models.BooleanField(_("ask for an acknowledgement"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-published_at"], name="announcement_list")]

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="acknowledgement_once")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}:{self.user_id}"

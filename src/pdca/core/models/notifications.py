"""Notifications: what someone was told, in the app and by e-mail, and how they want to be told.

One row per recipient and event. The de-duplication key is unique per recipient in the
database, so a scheduler that runs twice or a task retried after a crash cannot tell anyone the
same thing twice. The e-mail channel's state (pending, sent, failed, in the digest, not sent)
and its attempts are kept on the row.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OrgModel


class Delivery(models.TextChoices):
    """How a person wants to be told about a kind of notification."""

    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("E-mail in a daily digest")
    APP = "app", _("In the app only")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    DIGEST = "digest", _("Waiting for the digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NOT_SENT = "not_sent", _("Not sent")


class Notification(OrgModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=80)
    key = models.CharField(max_length=200)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The object's label when it was sent: shown only while the recipient may still see it.
    title = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [
            models.Index(
                fields=["organization", "recipient", "read_at"], name="notification_unread"
            ),
            models.Index(
                fields=["organization", "recipient", "-created_at"], name="notification_list"
            ),
            models.Index(fields=["email_status", "recipient"], name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=80)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"

"""Webhook endpoints and the log of what was sent to them.

An endpoint is never deleted (its deliveries are the record of what left pdca): it is switched
off. Each delivery keeps its payload, its attempts and the receiver's last answer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, organization_fk
from pdca.core.validators import single_line


class Endpoint(OrgModel):
    organization = organization_fk("webhook_endpoints")
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    url = models.URLField(_("address (HTTPS)"), max_length=500)
    events = models.JSONField(_("events"), default=list)  # audit-trail action codes
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    failures = models.PositiveIntegerField(_("failed deliveries in a row"), default=0)
    disabled_reason = models.CharField(_("why it was switched off"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "is_active"], name="webhook_active")]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(OrgModel):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    event = models.CharField(_("event"), max_length=80)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["endpoint", "-id"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"

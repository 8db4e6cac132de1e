"""The records register: kinds of record with retention rules, and the records kept."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.dates import add_months
from pdca.core.models.base import OrgModel
from pdca.core.validators import single_line
from pdca.core.visibility import Confidentiality, check_allowed_roles


class DisposalMethod(models.TextChoices):
    SHRED = "shred", _("Shred (paper)")
    DELETE = "delete", _("Delete securely (electronic)")
    ARCHIVE = "archive", _("Transfer to archive")
    RETURN = "return", _("Return to owner or customer")


class RetentionTrigger(models.TextChoices):
    """What the retention period runs from: the record's own date, or an event entered on the
    record when it happens (until then the record has no disposal date)."""

    RECORD_DATE = "record_date", _("The record's date")
    END_OF_EMPLOYMENT = "end_of_employment", _("End of employment")
    END_OF_EQUIPMENT_LIFE = "end_of_equipment_life", _("End of the equipment's life")
    END_OF_CONTRACT = "end_of_contract", _("End of the contract")


# Disposal methods that hand the files on rather than destroying them.
KEEPS_FILES = {DisposalMethod.ARCHIVE, DisposalMethod.RETURN}


class RecordType(OrgModel):
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("where kept"), max_length=255, validators=[single_line])
    retention_months = models.PositiveIntegerField(_("retention (months)"))
    retention_trigger = models.CharField(
        _("retention runs from"),
        max_length=24,
        choices=RetentionTrigger.choices,
        default=RetentionTrigger.RECORD_DATE,
    )
    disposal_method = models.CharField(
        _("disposal method"), max_length=10, choices=DisposalMethod.choices
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    allowed_roles = models.JSONField(_("roles allowed (restricted)"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("type of record")
        verbose_name_plural = _("types of record")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="recordtype_unique_name"),
            models.CheckConstraint(
                condition=models.Q(retention_months__gte=1), name="recordtype_retention_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_allowed_roles(self.confidentiality, self.allowed_roles)

    @property
    def has_trigger(self) -> bool:
        return self.retention_trigger != RetentionTrigger.RECORD_DATE

    def retention_date(
        self, date: datetime.date, trigger_date: datetime.date | None
    ) -> datetime.date | None:
        """Until when a record of this type is kept: its retention period from its date, or
        from its trigger event once entered (None while the event has not happened)."""
        start = trigger_date if self.has_trigger else date
        return add_months(start, self.retention_months) if start is not None else None


class RecordStatus(models.TextChoices):
    KEPT = "kept", _("Kept")
    DISPOSED = "disposed", _("Disposed of")


class Record(OrgModel):
    record_type = models.ForeignKey(
        RecordType, on_delete=models.PROTECT, related_name="records", verbose_name=_("record type")
    )
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, validators=[single_line]
    )
    date = models.DateField(_("date of the record"))
    # Empty while the type's trigger event (end of employment, …) has not happened yet.
    retention_until = models.DateField(_("keep until"), null=True, blank=True)
    trigger_date = models.DateField(_("retention starts on"), null=True, blank=True)
    # A pdca object that is itself the record (an audit report, a management review…).
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.KEPT
    )
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.TextField(_("reason for the hold"), blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposal_reason = models.TextField(blank=True)
    disposal_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_hold=True, legal_hold_reason=""),
                name="record_hold_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="disposed", legal_hold=True),
                name="record_hold_blocks_disposal",
            ),
        ]
        indexes = [
            # The disposal queue and the dashboard's count of it: a partial index holds only
            # the kept records not on hold, so both read a few index entries, never the table.
            models.Index(
                fields=["organization", "retention_until"],
                condition=models.Q(status="kept", legal_hold=False),
                name="record_disposal_due",
            ),
            # The same, per type: a person's due items (their types' records) in date order.
            models.Index(
                fields=["organization", "record_type", "retention_until"],
                condition=models.Q(status="kept", legal_hold=False),
                name="record_type_retention_due",
            ),
            models.Index(fields=["organization", "record_type", "date"]),
            models.Index(fields=["organization", "status", "date"], name="record_by_status"),
            models.Index(
                fields=["organization", "date"],
                condition=models.Q(legal_hold=True),
                name="record_on_hold",
            ),
            models.Index(fields=["organization", "date"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def is_due_for_disposal(self, today: datetime.date) -> bool:
        return (
            self.status == RecordStatus.KEPT
            and self.retention_until is not None
            and self.retention_until < today
        )

    def can_be_disposed(self, today: datetime.date) -> bool:
        return self.is_due_for_disposal(today) and not self.legal_hold


class Attachment(OrgModel):
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="records/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField()
    file_type = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    removed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file_name

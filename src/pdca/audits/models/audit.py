"""The audit programme and the audits planned in it."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk, organization_fk
from pdca.core.validators import single_line


class AuditProgramme(OrgModel):
    """A multi-year plan of audits that should cover every clause and process in the cycle."""

    organization = organization_fk("audit_programmes")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    cycle_start = models.DateField(_("cycle starts"))
    cycle_end = models.DateField(_("cycle ends"))
    objectives = models.TextField(_("objectives"), blank=True)

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["-cycle_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cycle_end__gt=models.F("cycle_start")),
                name="programme_cycle_order",
            )
        ]
        indexes = [models.Index(fields=["organization", "cycle_start"], name="programme_org")]

    def __str__(self) -> str:
        return self.title

    def quarters(self) -> list[tuple[int, int]]:
        """(year, quarter) pairs from the cycle's start to its end."""
        out = []
        year, q = self.cycle_start.year, (self.cycle_start.month - 1) // 3 + 1
        while (year, q) <= (self.cycle_end.year, (self.cycle_end.month - 1) // 3 + 1):
            out.append((year, q))
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)
        return out


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


class Audit(OrgModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("Internal audit")
        SUPPLIER = "supplier", _("Supplier audit")
        EXTERNAL = "external", _("External audit")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PREPARATION = "preparation", _("In preparation")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORTING = "reporting", _("Reporting")
        CLOSED = "closed", _("Closed")

    # Not yet past its fieldwork: late once its planned end has passed.
    OPEN_STATUSES = (Status.PLANNED, Status.PREPARATION, Status.IN_PROGRESS)
    # Audited or being audited: covers its clauses and processes in the programme.
    DONE_STATUSES = (Status.IN_PROGRESS, Status.REPORTING, Status.CLOSED)

    organization = organization_fk("audits")
    programme = optional_fk(AuditProgramme, "audits", _("programme"))
    reference = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.INTERNAL)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    planned_start = models.DateField(_("starts"))
    planned_end = models.DateField(_("ends"))
    objectives = models.TextField(_("objectives"), blank=True)
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="audits", verbose_name=_("clauses")
    )
    processes = models.ManyToManyField(
        "standards.Process", blank=True, related_name="audits", verbose_name=_("processes")
    )
    departments = models.ManyToManyField(
        "core.Department", blank=True, related_name="audits", verbose_name=_("departments")
    )
    sites = models.ManyToManyField(
        "core.Site", blank=True, related_name="audits", verbose_name=_("sites")
    )
    editions = models.ManyToManyField(
        "standards.Edition", blank=True, related_name="audits", verbose_name=_("standards")
    )
    criteria_documents = models.TextField(
        _("other criteria"),
        blank=True,
        help_text=_("Procedures, contracts or legal requirements audited against, one a line."),
    )
    lead_auditor = optional_fk(settings.AUTH_USER_MODEL, "audits_led", _("lead auditor"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="audit_teams", verbose_name=_("team")
    )
    auditees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="audits_as_auditee",
        verbose_name=_("auditees"),
    )
    # Why the team is objective although it is not fully independent (ISO 19011 allows this for
    # small organizations): lets the management representative audit 9.2/10.2 or the consultant
    # audit the system they implement.
    independence_justification = models.TextField(
        _("justification of objectivity"),
        blank=True,
        help_text=_(
            "Only where full independence is not possible: why the audit is still objective "
            "(for example the management representative auditing the audit programme in a small "
            "organization)."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="audit_unique_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="audit_dates_order",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "planned_start"], name="audit_org_start"),
            models.Index(fields=["organization", "status", "planned_end"], name="audit_org_status"),
            models.Index(fields=["programme", "planned_start"], name="audit_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_overdue(self, today: datetime.date) -> bool:
        return self.planned_end < today and self.status in self.OPEN_STATUSES

    @classmethod
    def overdue_q(cls, today: datetime.date) -> models.Q:
        """`is_overdue()` as a filter."""
        return models.Q(planned_end__lt=today, status__in=cls.OPEN_STATUSES)

    # The report is signed once the audit has happened: during or after its fieldwork.
    SIGNABLE_STATUSES = (Status.IN_PROGRESS, Status.REPORTING)

    def can_be_signed(self, today: datetime.date) -> bool | str:
        """Whether the audit itself allows signing (its checklist and findings are checked by
        the sign-off service)."""
        if self.status == self.Status.CLOSED:
            return gettext("The report is already signed and the audit closed.")
        if self.lead_auditor_id is None:
            return gettext("Name a lead auditor first: the lead auditor signs the report.")
        if self.status not in self.SIGNABLE_STATUSES:
            return gettext(
                "The audit is %(status)s: the report is signed once the audit is in progress "
                "or reporting."
            ) % {"status": self.get_status_display().lower()}
        if self.planned_end > today:
            return gettext(
                "The audit runs until %(end)s: the report is signed on or after its last day."
            ) % {"end": self.planned_end.isoformat()}
        return True


class ScheduleEntry(OrgModel):
    """One slot of the audit plan: the opening meeting, an audit session, the closing meeting."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening meeting")
        SESSION = "session", _("Audit session")
        CLOSING = "closing", _("Closing meeting")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="schedule")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SESSION)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=200, blank=True, validators=[single_line])
    location = models.CharField(_("where"), max_length=200, blank=True, validators=[single_line])
    auditee = optional_fk(settings.AUTH_USER_MODEL, "+", _("auditee"))

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="schedule_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

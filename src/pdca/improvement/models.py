"""Nonconformities and their corrective action (CAPA): containment, root cause, actions,
verification of effectiveness, closure. Nothing here is ever deleted."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction, optional_fk, organization_fk
from pdca.core.validators import single_line


class Source(models.TextChoices):
    AUDIT = "audit", _("Internal audit finding")
    EXTERNAL_AUDIT = "external_audit", _("External audit")
    COMPLAINT = "complaint", _("Customer complaint")
    INCIDENT = "incident", _("Incident")
    KPI = "kpi", _("Process KPI")
    EMPLOYEE = "employee", _("Reported by an employee")
    COMPLIANCE = "compliance", _("Compliance evaluation")


class Category(models.TextChoices):
    """The fishbone (Ishikawa) categories."""

    PEOPLE = "people", _("People")
    METHOD = "method", _("Method")
    MACHINE = "machine", _("Machine")
    MATERIAL = "material", _("Material")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")


class Similar(models.TextChoices):
    """ISO 9001 10.2.1 b) 3): whether similar nonconformities exist or could occur."""

    NONE = "none", _("No similar nonconformity exists or could occur")
    EXIST = "exist", _("Similar nonconformities exist")
    COULD_OCCUR = "could_occur", _("Similar nonconformities could occur")


class RisksOutcome(models.TextChoices):
    UPDATED = "updated", _("Risks and opportunities updated")
    NOT_NEEDED = "not_needed", _("No update needed")


class SystemChangeOutcome(models.TextChoices):
    CHANGED = "changed", _("Management system changed")
    NOT_NEEDED = "not_needed", _("No change needed")


class Nonconformity(OrgModel):
    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting analysis")
        ACTION = "action", _("Actions in progress")
        VERIFICATION = "verification", _("Awaiting verification")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.OPEN, Status.ACTION, Status.VERIFICATION)

    organization = organization_fk("nonconformities")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    severity = models.CharField(
        _("severity"), max_length=6, choices=Severity.choices, default=Severity.MINOR
    )
    clauses = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="nonconformities", verbose_name=_("clauses")
    )
    department = optional_fk("core.Department", "+", _("department"))
    # Every read is scoped to an organization: the (organization, process, …) index serves
    # them, and a lone process index would lure SQLite's planner away from it.
    process = optional_fk("standards.Process", "nonconformities", _("process"), indexed=False)
    found_on = models.DateField(_("date found"))
    owner = optional_fk(settings.AUTH_USER_MODEL, "nonconformities_owned", _("owner"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # What the nonconformity was raised from (an audit finding, a complaint, ...): a generic
    # link to any model registered with `standards.registry.register_nc_source`, so that
    # improvement depends on none of them.
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    containment = models.TextField(_("containment and correction"), blank=True)
    # The reaction (10.2.1 a) is either the containment and correction above or, when there
    # was nothing to contain or correct, the reason why.
    no_containment_reason = models.TextField(_("why no containment or correction"), blank=True)
    similar = models.CharField(
        _("similar nonconformities"), max_length=12, choices=Similar.choices, blank=True
    )
    similar_notes = models.TextField(_("where else, and what is done about it"), blank=True)
    # A minor internal nonconformity closed by its correction alone: why no corrective action.
    no_action_reason = models.TextField(_("why no corrective action is needed"), blank=True)
    risks_outcome = models.CharField(
        _("update of risks and opportunities"),
        max_length=12,
        choices=RisksOutcome.choices,
        blank=True,
    )
    risks_notes = models.TextField(_("risks and opportunities: what changed"), blank=True)
    system_change_outcome = models.CharField(
        _("change to the management system"),
        max_length=12,
        choices=SystemChangeOutcome.choices,
        blank=True,
    )
    system_change_notes = models.TextField(_("management system: what changed"), blank=True)
    system_change_revision = models.ForeignKey(
        "documents.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document revision"),
    )
    system_change_process = models.ForeignKey(
        "standards.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process changed"),
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    root_cause_category = models.CharField(
        _("root-cause category"), max_length=12, choices=Category.choices, blank=True
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="nc_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="nc_cancel_needs_reason",
            ),
            # One nonconformity per source object: raising it again finds the first.
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="nc_one_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "number"], name="nc_org_status"),
            models.Index(fields=["organization", "found_on"], name="nc_org_found"),
            # Covers the analysis page's counts by source, root-cause category and department
            # (and a filter on the source): they read the index alone, never the table.
            models.Index(
                fields=[
                    "organization",
                    "source",
                    "status",
                    "root_cause_category",
                    "department",
                    "found_on",
                ],
                name="nc_analysis",
            ),
            # Covers the programme's risk count (nonconformities per process in 12 months).
            models.Index(
                fields=["organization", "process", "found_on", "status"], name="nc_process_risk"
            ),
        ]

    def __str__(self) -> str:
        return f"NC-{self.number:04d} {self.title}"

    @property
    def reference(self) -> str:
        return f"NC-{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def from_certification_body(self) -> bool:
        """Raised from a certification body's (external audit) finding: the organization
        cannot cancel it; only the certification body closes its finding."""
        return self.source == Source.EXTERNAL_AUDIT

    @property
    def may_close_by_correction(self) -> bool:
        """A minor internal nonconformity may be closed by its correction alone (with a
        recorded reason that no corrective action is needed)."""
        return self.severity == self.Severity.MINOR and not self.from_certification_body

    @property
    def reaction_refusal(self) -> str:
        if self.containment.strip() or self.no_containment_reason.strip():
            return ""
        return gettext(
            "Record the reaction first: the containment and correction, or why none is needed."
        )

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A nonconformity is never deleted: cancel it with a reason.")

    def closing_refusal(
        self,
        *,
        has_analysis: bool,
        actions: int,
        open_actions: int,
        passed_check: bool,
        correction_only: bool = False,
    ) -> str:
        """Why this nonconformity cannot be closed yet, or "" when it can.

        `correction_only`: closed by its correction alone, with no corrective action."""
        if self.status in (self.Status.CLOSED, self.Status.CANCELLED):
            return gettext("It is already %(status)s.") % {
                "status": self.get_status_display().lower()
            }
        if self.reaction_refusal:
            return self.reaction_refusal
        if correction_only:
            if not self.may_close_by_correction:
                return gettext(
                    "Only a minor internal nonconformity may be closed by correction alone."
                )
            if not self.containment.strip():
                return gettext("Record the correction that was made first.")
            if open_actions:
                return gettext("Finish or cancel its corrective actions first.")
            return ""
        if not has_analysis:
            return gettext(
                "Record the root cause first (five whys or fishbone, and the root cause)."
            )
        if not self.similar:
            return gettext("Record whether similar nonconformities exist or could occur.")
        if actions == 0:
            return gettext("Plan at least one corrective action first.")
        if open_actions:
            return ngettext(
                "%(count)d corrective action is not done yet.",
                "%(count)d corrective actions are not done yet.",
                open_actions,
            ) % {"count": open_actions}
        if not passed_check:
            return gettext(
                "Verify the effectiveness of the actions first; no verification has passed."
            )
        if not self.risks_outcome:
            return gettext("Say whether the risks and opportunities were updated.")
        if not self.system_change_outcome:
            return gettext("Say whether the management system was changed.")
        return ""


class Why(OrgModel):
    """One step of the five-whys chain, in order."""

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.PROTECT, related_name="whys")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        verbose_name = _("why")
        verbose_name_plural = _("whys")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["nonconformity", "position"], name="why_unique_pos")
        ]

    def __str__(self) -> str:
        return gettext("Why %(position)s: %(text)s") % {
            "position": self.position,
            "text": self.text[:60],
        }


class Cause(OrgModel):
    """A contributing cause on the fishbone diagram."""

    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="causes"
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    text = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["category", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text}"


class CorrectiveAction(OwnedAction):
    organization = organization_fk("corrective_actions")
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300, validators=[single_line])

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "due_on"], name="action_org_status"),
            models.Index(fields=["owner", "status"], name="action_owner"),
            # The open actions by due date (the calendar, its agenda and feeds), read in date
            # order up to the page's limit instead of sorting every open action of the range;
            # the status in the index skips the done ones. Not a partial index: SQLite does
            # not use one for a `status IN (?, ?)` with bound parameters.
            models.Index(fields=["organization", "due_on", "status"], name="action_due_status"),
        ]

    def __str__(self) -> str:
        return self.title


class Escalation(OrgModel):
    """A reminder sent about an overdue action; one per action and level."""

    class Level(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Line manager")
        MR = "mr", _("Management representative")

    action = models.ForeignKey(
        CorrectiveAction, on_delete=models.PROTECT, related_name="escalations"
    )
    level = models.CharField(max_length=8, choices=Level.choices)
    recipients = models.JSONField(default=list)
    days_overdue = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "level"], name="escalation_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.action} → {self.get_level_display()}"


class EffectivenessCheck(OrgModel):
    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        EFFECTIVE = "effective", _("Effective")
        NOT_EFFECTIVE = "not_effective", _("Not effective")

    organization = organization_fk("effectiveness_checks")
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, related_name="checks"
    )
    planned_on = models.DateField(_("check on"))
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="effectiveness_checks",
        verbose_name=_("verifier"),
    )
    result = models.CharField(
        _("result"), max_length=14, choices=Result.choices, default=Result.PENDING
    )
    evidence = models.TextField(_("evidence"), blank=True)
    # Recorded before its planned date: why it could be verified early.
    early_reason = models.TextField(_("why verified before the planned date"), blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        ordering = ["planned_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "result", "planned_on"], name="check_org_due")
        ]

    def __str__(self) -> str:
        return gettext("Effectiveness check %(date)s") % {"date": self.planned_on}

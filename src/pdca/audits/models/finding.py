"""Findings of an audit and its signed report."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk, organization_fk


class Finding(OrgModel):
    class Grade(models.TextChoices):
        CONFORMITY = "conformity", _("Conformity")
        OBSERVATION = "observation", _("Observation")
        OFI = "ofi", _("Opportunity for improvement")
        MINOR = "minor", _("Minor nonconformity")
        MAJOR = "major", _("Major nonconformity")

    NONCONFORMITIES = (Grade.MINOR, Grade.MAJOR)

    organization = organization_fk("findings")
    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="findings")
    question = models.ForeignKey(
        "audits.ChecklistQuestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    clause = optional_fk("standards.Clause", "findings", _("clause"))
    # A nonconformity names its clause, or says why none applies (a procedure, contract, law).
    no_clause_reason = models.TextField(
        _("why no clause"),
        blank=True,
        help_text=_(
            "Only for a nonconformity without a clause: the requirement broken is, for example, "
            "one of the organization's own procedures, a contract or a legal requirement."
        ),
    )
    # Every read is scoped to an organization: the (organization, process, …) index serves
    # them, and a lone process index would lure SQLite's planner away from it.
    process = optional_fk("standards.Process", "findings", _("process"), indexed=False)
    statement = models.TextField(_("finding"))
    evidence = models.TextField(_("objective evidence"), blank=True)
    requirement = models.TextField(_("requirement not met"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(_("auditee's comment"), blank=True)
    # The auditee would not acknowledge: the team records it, with what the auditee said.
    refusal_reason = models.TextField(_("why the auditee did not acknowledge"), blank=True)
    refusal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "pk"]
        indexes = [
            models.Index(fields=["organization", "grade"], name="finding_org_grade"),
            # Covers the programme's risk count (findings per process in 12 months).
            models.Index(
                fields=["organization", "process", "created_at", "grade"],
                name="finding_process_risk",
            ),
            models.Index(fields=["audit", "grade"], name="finding_audit_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}: {self.statement[:60]}"

    @property
    def is_nonconformity(self) -> bool:
        return self.grade in self.NONCONFORMITIES

    @property
    def definition(self) -> str:
        return str(GRADE_DEFINITIONS.get(self.grade, ""))

    @property
    def acknowledgement_settled(self) -> bool:
        """Acknowledged by the auditee, or their refusal recorded."""
        return self.acknowledged_by_id is not None or self.refusal_recorded_at is not None


# What each grade means, in pdca's words. Major and minor follow ISO/IEC 17021-1 (3.12, 3.13):
# what decides is whether the management system can still achieve its intended results.
GRADE_DEFINITIONS: dict[str, Any] = {
    Finding.Grade.CONFORMITY: _("The requirement is met, and the evidence seen shows it."),
    Finding.Grade.OBSERVATION: _(
        "No requirement is broken yet, but the evidence shows a weakness that could become a "
        "nonconformity if nothing is done (a trend, a near miss, a practice that rests on one "
        "person). A warning: the auditee decides what to do about it."
    ),
    Finding.Grade.OFI: _(
        "The requirement is met and nothing is at risk; the auditor sees a way to do it better, "
        "simpler or cheaper. A suggestion: taking it up is the auditee's choice."
    ),
    Finding.Grade.MINOR: _(
        "A requirement is not met, but the failure is isolated: it does not affect the "
        "capability of the management system to achieve its intended results."
    ),
    Finding.Grade.MAJOR: _(
        "A requirement is not met in a way that affects the capability of the management "
        "system to achieve its intended results: for example a process that is not controlled, "
        "doubt that products or services conform, or several minor nonconformities against the "
        "same requirement that together show a systemic failure."
    ),
}


class AuditReport(OrgModel):
    """The signed report: the exact text signed, its SHA-256 and the PDF made from it.

    Kept here rather than in the records register so that the audit does not depend on it; the
    records app can list these as kept records (content, digest, signer, date are all here).
    """

    organization = organization_fk("audit_reports")
    audit = models.OneToOneField("audits.Audit", on_delete=models.PROTECT, related_name="report")
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("audit report")
        verbose_name_plural = _("audit reports")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return gettext("Audit report %(reference)s") % {"reference": self.audit.reference}

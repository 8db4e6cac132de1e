"""Controlled documents, their revisions, e-signatures, distribution and acknowledgements."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.dates import add_months
from pdca.core.models.base import OrgModel
from pdca.core.validators import single_line
from pdca.core.visibility import Confidentiality, check_allowed_roles


class DocType(models.TextChoices):
    POLICY = "policy", _("Policy")
    MANUAL = "manual", _("Manual")
    PROCEDURE = "procedure", _("Procedure")
    WORK_INSTRUCTION = "work_instruction", _("Work instruction")
    FORM = "form", _("Form or template")
    FLOWCHART = "flowchart", _("Flowchart")
    EXTERNAL = "external", _("External document")


DEFAULT_PREFIXES = {
    DocType.POLICY: "POL",
    DocType.MANUAL: "MAN",
    DocType.PROCEDURE: "PRO",
    DocType.WORK_INSTRUCTION: "WI",
    DocType.FORM: "FRM",
    DocType.FLOWCHART: "FLC",
    DocType.EXTERNAL: "EXT",
}


class NumberingScheme(OrgModel):
    """How an organization numbers one type of document: prefix + zero-padded counter."""

    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices)
    prefix = models.CharField(_("prefix"), max_length=12)
    digits = models.PositiveSmallIntegerField(_("digits"), default=3)
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("numbering scheme")
        verbose_name_plural = _("numbering schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "doc_type"], name="numbering_unique_type"
            ),
            models.CheckConstraint(
                condition=models.Q(digits__gte=1, digits__lte=8), name="numbering_digits_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{'0' * self.digits}"

    def format(self, number: int) -> str:
        return f"{self.prefix}-{number:0{self.digits}d}"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not yet effective)")
    EFFECTIVE = "effective", _("Effective")
    OBSOLETE = "obsolete", _("Obsolete")


class Document(OrgModel):
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices)
    number = models.CharField(_("number"), max_length=30, validators=[single_line])
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_documents"
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True
    )
    process = models.ForeignKey(
        "standards.Process", on_delete=models.PROTECT, null=True, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    allowed_roles = models.JSONField(_("roles allowed (restricted)"), default=list, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12
    )
    next_review_date = models.DateField(_("next review"), null=True, blank=True)
    # How long a superseded or obsolete revision is kept after it ended (7.5.3.2 d).
    historic_retention_months = models.PositiveSmallIntegerField(
        _("keep superseded and obsolete revisions (months)"), default=36
    )
    # A document of external origin (7.5.3.2): registered and distributed, never authored or
    # approved here; its issuer's edition is checked for a newer one on `next_edition_check`.
    issuer = models.CharField(_("issuer"), max_length=200, blank=True, validators=[single_line])
    external_reference = models.CharField(
        _("issuer's reference"), max_length=100, blank=True, validators=[single_line]
    )
    edition = models.CharField(_("edition"), max_length=20, blank=True, validators=[single_line])
    obtained_from = models.CharField(
        _("where obtained"), max_length=255, blank=True, validators=[single_line]
    )
    edition_check_months = models.PositiveSmallIntegerField(
        _("check for a new edition every (months)"), default=12
    )
    next_edition_check = models.DateField(_("next check for a new edition"), null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    current_revision = models.ForeignKey(
        "documents.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latest_revision = models.ForeignKey(
        "documents.Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="documents_to_review"
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="documents_to_approve"
    )
    # The searchable text of the latest revision (PostgreSQL full-text index covers it).
    search_text = models.TextField(blank=True, editable=False)
    # PostgreSQL only (NULL on SQLite): the stored vector of number, title and search_text.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="document_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "doc_type", "number"]),
            models.Index(fields=["organization", "status", "number"]),
            models.Index(fields=["organization", "next_review_date"]),
            models.Index(
                fields=["organization", "next_edition_check"],
                condition=models.Q(doc_type="external"),
                name="document_edition_check",
            ),
            models.Index(fields=["owner", "next_review_date"]),
            models.Index(fields=["organization", "owner"]),
            # Covers the visibility filter, so counting the master list reads only this index.
            models.Index(
                fields=["organization", "confidentiality", "owner", "allowed_roles"],
                name="document_visibility_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        check_allowed_roles(self.confidentiality, self.allowed_roles)

    @property
    def is_external(self) -> bool:
        return self.doc_type == DocType.EXTERNAL

    def review_state(self, today: datetime.date) -> str:
        if self.status != DocumentStatus.EFFECTIVE or self.next_review_date is None:
            return ""
        if self.next_review_date < today:
            return "overdue"
        if self.next_review_date <= today + datetime.timedelta(days=30):
            return "due"
        return ""


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    EFFECTIVE = "effective", _("Effective")
    SUPERSEDED = "superseded", _("Superseded")
    OBSOLETE = "obsolete", _("Obsolete")


LOCKED_STATUSES = {RevisionStatus.EFFECTIVE, RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE}


class Revision(OrgModel):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    seq = models.PositiveIntegerField()
    label = models.CharField(_("revision"), max_length=20)
    change_reason = models.TextField(_("reason for change"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_revisions"
    )
    text = models.TextField(_("text (Markdown)"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_type = models.CharField(max_length=10, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="revision_unique_seq"),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status="effective"),
                name="revision_one_effective",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.document.number} rev. {self.label}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_historic(self) -> bool:
        return self.status in (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)

    @property
    def keep_until(self) -> datetime.date | None:
        """Until when a superseded or obsolete revision is kept (its document's rule)."""
        if not self.is_historic or self.ended_on is None:
            return None
        return add_months(self.ended_on, self.document.historic_retention_months)

    def can_be_edited(self) -> bool:
        return self.status == RevisionStatus.DRAFT

    def can_be_submitted(self) -> bool:
        return self.status == RevisionStatus.DRAFT and bool(self.text or self.file)

    def can_be_released(self) -> bool:
        return self.status == RevisionStatus.APPROVED


class Meaning(models.TextChoices):
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RELEASED = "released", _("Released as effective")
    REVIEWED_NO_CHANGE = "reviewed_no_change", _("Periodic review: no change needed")


class Signature(OrgModel):
    """An electronic signature: who, when, what it means, and the hash of what was signed."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    full_name = models.CharField(max_length=150)
    meaning = models.CharField(max_length=20, choices=Meaning.choices)
    comment = models.TextField(blank=True)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    signed_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(meaning="rejected") | ~models.Q(comment=""),
                name="signature_rejection_has_comment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name}: {self.get_meaning_display()}"


class Distribution(OrgModel):
    """Who must read and acknowledge a document: a role, a department or a named person."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="distribution")
    role = models.CharField(max_length=20, blank=True)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (~models.Q(role="") & models.Q(department__isnull=True, user__isnull=True))
                    | (models.Q(role="", department__isnull=False, user__isnull=True))
                    | (models.Q(role="", department__isnull=True, user__isnull=False))
                ),
                name="distribution_one_target",
            )
        ]

    def __str__(self) -> str:
        if self.role:
            from pdca.core.roles import Role

            return str(Role(self.role).label) if self.role in Role.values else self.role
        return str(self.department or self.user)


class Acknowledgement(OrgModel):
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    assigned_at = models.DateTimeField()
    # When the member first opened the revision: reading is confirmed only after that.
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["revision", "user"], name="ack_unique_user")]
        indexes = [models.Index(fields=["organization", "user", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.revision}"

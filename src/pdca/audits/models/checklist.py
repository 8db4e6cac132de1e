"""Checklists: the questions of one audit, their answers (with every submitted edit kept) and
photos, and reusable templates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, organization_fk


class Answer(models.TextChoices):
    CONFORM = "conform", _("Conform")
    NONCONFORM = "nonconform", _("Nonconform")
    OBSERVATION = "observation", _("Observation")
    NOT_CHECKED = "not_checked", _("Not checked")


class ChecklistQuestion(OrgModel):
    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("question"))
    guidance = models.TextField(_("what to look for"), blank=True)
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For an integrated audit: the other standards' clauses this one question also answers.
    also_clauses = models.ManyToManyField("standards.Clause", blank=True, related_name="+")
    process = models.ForeignKey(
        "standards.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A question about following one of the audited processes' documents.
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evidence_seen = models.TextField(_("evidence seen"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    has_conflict = models.BooleanField(
        _("conflicting edits"),
        default=False,
        help_text=_("Two devices edited this answer; the other edit is kept for review."),
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["audit", "position"], name="question_audit")]

    def __str__(self) -> str:
        return self.text[:80]


class ChecklistAnswerRevision(OrgModel):
    """Every answer submitted for a question, accepted or not. The client id makes a resent
    submission idempotent; a submission based on a stale version is kept here as a conflict."""

    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="revisions"
    )
    client_id = models.CharField(max_length=64, unique=True)
    base_version = models.PositiveIntegerField()
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    notes = models.TextField(blank=True)
    evidence_seen = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField(default=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["question", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.client_id} ({'accepted' if self.accepted else 'conflict'})"


class ChecklistPhoto(OrgModel):
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="photos")
    client_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist photo")
        verbose_name_plural = _("checklist photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name or f"photo {self.pk}"


class ChecklistTemplate(OrgModel):
    organization = organization_fk("checklist_templates")
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist template question")
        verbose_name_plural = _("checklist template questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

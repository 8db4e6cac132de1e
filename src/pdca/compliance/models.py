"""The register of legal and other requirements (14001/45001 6.1.3, 27001 A.5.31).

An obligation is changed only by a new version: the version before the change is copied into
`ObligationVersion` first, so earlier versions are kept (45001 "maintain and retain"). It is
never deleted; it is withdrawn with a reason."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel
from pdca.core.validators import single_line


class Discipline(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment")
    OHS = "ohs", _("Occupational health and safety")
    INFOSEC = "infosec", _("Information security")
    QUALITY = "quality", _("Quality (product regulation)")


class ObligationType(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    PERMIT = "permit", _("Permit")
    LICENCE = "licence", _("Licence")
    CUSTOMER = "customer", _("Customer or contract requirement")
    VOLUNTARY = "voluntary", _("Voluntary commitment")


class ObligationStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EvaluationMethod(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    MEASUREMENT = "measurement", _("Measurement")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    EXTERNAL_AUDIT = "external_audit", _("External audit")


class EvaluationResult(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class Obligation(OrgModel):
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    discipline = models.CharField(_("discipline"), max_length=12, choices=Discipline.choices)
    kind = models.CharField(_("type"), max_length=12, choices=ObligationType.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=120, blank=True, validators=[single_line]
    )
    citation = models.CharField(
        _("citation or section"), max_length=200, blank=True, validators=[single_line]
    )
    requirement = models.TextField(_("what it requires"))
    permit_number = models.CharField(
        _("permit number"), max_length=80, blank=True, validators=[single_line]
    )
    permit_expires_on = models.DateField(_("permit expires on"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    # What it applies to besides the aspects and hazards that cite it (their registers link it).
    processes = models.ManyToManyField(
        "standards.Process", blank=True, related_name="+", verbose_name=_("processes")
    )
    sites = models.ManyToManyField(
        "core.Site", blank=True, related_name="+", verbose_name=_("sites")
    )
    source = models.CharField(_("source"), max_length=255, blank=True, validators=[single_line])
    source_version = models.CharField(
        _("source version"), max_length=80, blank=True, validators=[single_line]
    )
    last_checked_on = models.DateField(_("last checked for amendments"), null=True, blank=True)
    next_check_on = models.DateField(_("next check"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObligationStatus.choices,
        default=ObligationStatus.ACTIVE,
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The evaluation of compliance (9.1.2): how often, by the risk of not complying; the dates
    # and the latest result are kept here by the evaluation service, so that the register, the
    # due items and the compliance status read one row per obligation.
    evaluation_months = models.PositiveSmallIntegerField(
        _("evaluated every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    next_evaluation_on = models.DateField(_("next evaluation due"), null=True, blank=True)
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True)
    last_result = models.CharField(
        _("latest result"), max_length=16, choices=EvaluationResult.choices, blank=True
    )

    class Meta:
        verbose_name = _("compliance obligation")
        verbose_name_plural = _("compliance obligations")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "title"], name="obligation_list"),
            models.Index(
                fields=["organization", "status", "permit_expires_on"], name="obligation_permit"
            ),
            # The register's filters and the amendment checks that fall due.
            models.Index(
                fields=["organization", "status", "discipline", "title"],
                name="obligation_discipline",
            ),
            models.Index(
                fields=["organization", "status", "kind", "title"], name="obligation_kind"
            ),
            models.Index(
                fields=["organization", "status", "next_check_on"], name="obligation_next_check"
            ),
            models.Index(
                fields=["organization", "status", "next_evaluation_on"],
                name="obligation_evaluation_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.permit_expires_on and self.kind not in (
            ObligationType.PERMIT,
            ObligationType.LICENCE,
        ):
            raise ValidationError(
                {"permit_expires_on": _("Only a permit or a licence has an expiry date.")}
            )


class ObligationVersion(models.Model):
    """An earlier version of an obligation, as it stood before a change."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    reason = models.TextField(_("reason for the change"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version of an obligation")
        verbose_name_plural = _("earlier versions of obligations")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "number"], name="obligationversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.obligation_id} v{self.number}"


class EvaluationStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CORRECTED = "corrected", _("Corrected")


class Evaluation(OrgModel):
    """One evaluation of compliance with one obligation: the retained 9.1.2 record. It is never
    deleted; a mistake is corrected with a reason (the trail keeps what it said)."""

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("obligation"),
    )
    evaluated_on = models.DateField(_("evaluation date"))
    method = models.CharField(_("method"), max_length=16, choices=EvaluationMethod.choices)
    result = models.CharField(_("result"), max_length=16, choices=EvaluationResult.choices)
    evidence = models.TextField(
        _("evidence"),
        help_text=_("What was seen, measured or read: readings, documents, report references."),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluator"),
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.RECORDED,
    )

    class Meta:
        verbose_name = _("evaluation of compliance")
        verbose_name_plural = _("evaluations of compliance")
        ordering = ["-evaluated_on", "-pk"]
        indexes = [
            models.Index(
                fields=["organization", "obligation", "-evaluated_on"],
                name="evaluation_of_obligation",
            ),
            models.Index(fields=["organization", "-evaluated_on"], name="evaluation_list"),
            models.Index(
                fields=["organization", "result", "-evaluated_on"], name="evaluation_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation.title} {self.evaluated_on}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        if self.evaluated_on and self.evaluated_on > timezone.localdate():
            raise ValidationError(
                {"evaluated_on": _("An evaluation cannot be dated in the future.")}
            )
        if not (self.evidence or "").strip():
            raise ValidationError(
                {"evidence": _("Say what the evaluation rests on: the evidence seen.")}
            )

"""The ISMS risk assessment (ISO/IEC 27001 6.1.2, 8.2): a light inventory of what the risks are
about, and each assessment run kept as a dated result set (the retained 8.2 record)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, optional_fk, organization_fk
from pdca.core.validators import single_line
from pdca.risks.models.method import RiskMethod


class Asset(OrgModel):
    """Information, a system, people, a site or a supplier that risks are assessed over:
    enough to scope the assessment, not a configuration database."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        SYSTEM = "system", _("System")
        PEOPLE = "people", _("People")
        SITE = "site", _("Site")
        SUPPLIER = "supplier", _("Supplier")

    organization = organization_fk("assets")
    name = models.CharField(_("asset"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    owner = optional_fk(settings.AUTH_USER_MODEL, "+", _("owner"), indexed=False)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(fields=("organization", "name"), name="risks_asset_unique")
        ]
        indexes = [models.Index(fields=("organization", "kind", "name"), name="risks_asset_org")]

    def __str__(self) -> str:
        return self.name


class AssessmentRun(OrgModel):
    """One run of the information security risk assessment: the levels of every ISMS risk on
    that day, kept as they were."""

    class Reason(models.TextChoices):
        PLANNED = "planned", _("Planned interval")
        CHANGE = "change", _("Significant change")

    organization = organization_fk("assessment_runs")
    number = models.PositiveIntegerField(_("run"))
    run_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    notes = models.TextField(_("notes"), blank=True)
    method = models.ForeignKey(
        RiskMethod, on_delete=models.PROTECT, related_name="+", verbose_name=_("method")
    )
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    risk_count = models.PositiveIntegerField(default=0)
    above_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-number",)
        verbose_name = _("risk assessment run")
        verbose_name_plural = _("risk assessment runs")
        constraints = [
            models.UniqueConstraint(fields=("organization", "number"), name="risks_run_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.run_on}"


class AssessmentResult(models.Model):
    """One risk's levels in a run; written once with the run, never changed."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.PROTECT, related_name="results")
    risk = models.ForeignKey("risks.Risk", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    likelihood = models.PositiveSmallIntegerField()
    consequence = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    acceptable = models.BooleanField()
    treatment = models.CharField(max_length=10, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True)
    accepted = models.BooleanField(default=False)

    class Meta:
        ordering = ("-score", "risk_id")
        verbose_name = _("risk assessment result")
        verbose_name_plural = _("risk assessment results")
        constraints = [models.UniqueConstraint(fields=("run", "risk"), name="risks_result_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.risk_id} = {self.score}"

    @property
    def treatment_label(self) -> str:
        from pdca.risks.models.register import Treatment

        return str(Treatment(self.treatment).label) if self.treatment else ""

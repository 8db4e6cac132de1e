"""The register of risks and opportunities (6.1) and the actions on its entries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, OwnedAction, optional_fk, organization_fk
from pdca.core.validators import single_line
from pdca.risks.models.method import RiskMethod


class Kind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class Treatment(models.TextChoices):
    """ISO/IEC 27001 6.1.3 and ISO 31000: what is done about a risk."""

    MODIFY = "modify", _("Modify (reduce by controls)")
    AVOID = "avoid", _("Avoid")
    SHARE = "share", _("Share (transfer)")
    RETAIN = "retain", _("Retain (accept)")


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Risk(OrgModel):
    """An entry of the register of risks and opportunities (6.1), tagged by standard and
    process. Its score names the method version it was made under; once assessed it is never
    deleted, only closed with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = organization_fk("risks")
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.RISK)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    cause = models.TextField(_("cause"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    process = optional_fk("standards.Process", "risks", _("process"), indexed=False)
    # Where it comes from (6.1.1): an issue of the context or a party's need.
    source_issue = optional_fk(
        "risks.ContextIssue", "risks", _("from the context issue"), indexed=False
    )
    source_requirement = optional_fk(
        "risks.PartyRequirement", "risks", _("from the need of a party"), indexed=False
    )
    standards = models.ManyToManyField(
        "standards.Standard", blank=True, related_name="+", verbose_name=_("standards")
    )
    # The information security scenario (27001 6.1.2 c, d): over which assets, by what threat,
    # losing which of confidentiality, integrity and availability.
    assets = models.ManyToManyField(
        "risks.Asset", blank=True, related_name="risks", verbose_name=_("assets")
    )
    threat = models.TextField(_("threat or scenario"), blank=True)
    confidentiality = models.BooleanField(_("confidentiality"), default=False)
    integrity = models.BooleanField(_("integrity"), default=False)
    availability = models.BooleanField(_("availability"), default=False)
    # The controls needed (6.1.3 b), compared with Annex A (6.1.3 c).
    controls = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="+", verbose_name=_("controls")
    )
    # The nonconformities whose corrective action opened or updated the entry (10.2.1 e)).
    nonconformities = models.ManyToManyField(
        "improvement.Nonconformity",
        blank=True,
        related_name="+",
        verbose_name=_("from the nonconformities"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    method = models.ForeignKey(
        RiskMethod, on_delete=models.PROTECT, related_name="risks", verbose_name=_("method")
    )
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    consequence = models.PositiveSmallIntegerField(_("consequence"))
    score = models.PositiveSmallIntegerField(_("score"))
    assessed_on = models.DateField(_("assessed on"))
    treatment = models.CharField(
        _("treatment"), max_length=10, choices=Treatment.choices, blank=True
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        _("residual likelihood"), null=True, blank=True
    )
    residual_consequence = models.PositiveSmallIntegerField(
        _("residual consequence"), null=True, blank=True
    )
    residual_score = models.PositiveSmallIntegerField(_("residual score"), null=True, blank=True)
    # The owner's signed approval of the treatment plan and acceptance of the residual risk.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    effectiveness_evaluated_on = models.DateField(
        _("effectiveness evaluated on"), null=True, blank=True
    )
    effectiveness = models.CharField(
        _("effectiveness of the actions"), max_length=14, choices=Effectiveness.choices, blank=True
    )
    effectiveness_notes = models.TextField(_("evaluation of the actions"), blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-score", "number")
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "number"), name="risks_risk_number_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(close_reason=""),
                name="risks_risk_close_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=("organization", "status", "score"), name="risks_org_status"),
            models.Index(fields=("organization", "owner", "status"), name="risks_org_owner"),
            models.Index(fields=("organization", "process", "status"), name="risks_org_process"),
            models.Index(fields=("organization", "review_on"), name="risks_org_review"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        prefix = "O" if self.kind == Kind.OPPORTUNITY else "R"
        return f"{prefix}-{self.number:04d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_isms(self) -> bool:
        return self.confidentiality or self.integrity or self.availability

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def scored_under_current(self, current: RiskMethod | None) -> bool:
        """False while the score was made under a method version that is no longer in force
        ("scored under method v1" until reassessed)."""
        return current is None or self.method_id == current.pk

    def above_acceptance(self) -> bool:
        """Whether what is left after treatment (or the score itself) exceeds the method's
        acceptance threshold."""
        level = self.residual_score if self.residual_score is not None else self.score
        return level > self.method.acceptance_threshold


class RiskAction(OwnedAction):
    """An action on a risk or opportunity (6.1.2 a): its owner, due date and status, and the
    process it is integrated into (6.1.2 b 1)."""

    organization = organization_fk("risk_actions")
    risk = models.ForeignKey(
        Risk, on_delete=models.PROTECT, related_name="actions", verbose_name=_("risk")
    )
    title = models.CharField(_("action"), max_length=200, validators=[single_line])
    process = optional_fk("standards.Process", "+", _("integrated into process"), indexed=False)

    class Meta:
        ordering = ("due_on", "pk")
        verbose_name = _("action on a risk")
        verbose_name_plural = _("actions on risks")
        indexes = [
            models.Index(fields=("organization", "status", "due_on"), name="risks_action_due"),
        ]

    def __str__(self) -> str:
        return self.title


class RiskSnapshot(OrgModel):
    """The register as it stood at the end of a day: the history behind the heat map's trends.
    The counts are derived from the live register (kept once a day by a periodic task; retaking
    a day's snapshot replaces it), since the past of a register cannot be recomputed from its
    current rows."""

    organization = organization_fk("risk_snapshots")
    day = models.DateField(_("day"))
    open_risks = models.PositiveIntegerField(_("open risks"))
    open_opportunities = models.PositiveIntegerField(_("open opportunities"))
    above_before = models.PositiveIntegerField(_("risks above acceptance before treatment"))
    above_after = models.PositiveIntegerField(_("risks above acceptance after treatment"))

    class Meta:
        verbose_name = _("snapshot of the risk register")
        verbose_name_plural = _("snapshots of the risk register")
        constraints = [
            models.UniqueConstraint(fields=["organization", "day"], name="risk_snapshot_day")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day}"

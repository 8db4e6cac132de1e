"""The Statement of Applicability as a maintained document (ISO/IEC 27001 6.1.3 d)): each
approval keeps a signed revision with its lines as they were, and the revisions stay."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel, organization_fk
from pdca.core.validators import single_line


class SoARevision(OrgModel):
    """One approved revision of a standard's Statement of Applicability: every Annex A
    control's decision, justification, reasons for inclusion and implementation status on the
    day it was signed. Written once, never changed."""

    organization = organization_fk("soa_revisions")
    org_standard = models.ForeignKey(
        "standards.OrgStandard",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("standard"),
    )
    number = models.PositiveIntegerField(_("revision"))
    # [{"number", "title", "applicable", "justification", "reasons", "status"}], control order.
    lines = models.JSONField(_("lines"), default=list)
    applicable_count = models.PositiveIntegerField(default=0)
    excluded_count = models.PositiveIntegerField(default=0)
    note = models.TextField(_("what changed"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        ordering = ("-number",)
        verbose_name = _("Statement of Applicability revision")
        verbose_name_plural = _("Statement of Applicability revisions")
        constraints = [
            models.UniqueConstraint(
                fields=("org_standard", "number"), name="risks_soa_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"SoA rev. {self.number}"


class ReasonKind(models.TextChoices):
    LAW = "law", _("Law or regulation")
    CONTRACT = "contract", _("Contract")
    BUSINESS = "business", _("Business requirement")
    BEST_PRACTICE = "best_practice", _("Best practice")


class ControlReason(OrgModel):
    """A reason for including an Annex A control other than the risks it treats: a law, a
    contract, a business requirement or best practice (6.1.3 d)). No longer relevant ones are
    withdrawn, never deleted."""

    organization = organization_fk("control_reasons")
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, related_name="+", verbose_name=_("control")
    )
    kind = models.CharField(_("reason"), max_length=14, choices=ReasonKind.choices)
    reference = models.CharField(
        _("what requires it"),
        max_length=200,
        validators=[single_line],
        help_text=_("For example: GDPR Art. 32, or the customer contract's security annex."),
    )
    is_active = models.BooleanField(_("still a reason"), default=True)

    class Meta:
        ordering = ("clause__sort_key", "kind", "pk")
        verbose_name = _("reason for including a control")
        verbose_name_plural = _("reasons for including controls")
        indexes = [models.Index(fields=("organization", "is_active"), name="risks_reason_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference}"

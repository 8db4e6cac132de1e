"""The risk method: versioned likelihood and consequence scales, the matrix and the
acceptance criteria every rating in the organization is made under (ISO 9001 6.1,
ISO 14001 6.1, ISO/IEC 27001 6.1.2 a) and b))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.models.base import OrgModel


class RiskMethod(OrgModel):
    """One version of the method. A draft may change; an approved version is frozen, and a
    later approved version supersedes it without rescoring what was rated under it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    number = models.PositiveIntegerField(_("method version"))
    title = models.CharField(_("title"), max_length=200)
    # Lists of level labels, lowest first; a level's value is its position (1-based).
    likelihood_levels = models.JSONField(_("likelihood levels"), default=list)
    consequence_levels = models.JSONField(_("consequence levels"), default=list)
    # Scores (likelihood x consequence) up to this value are accepted without treatment.
    acceptance_threshold = models.PositiveIntegerField(_("acceptance threshold"))
    acceptance_criteria = models.TextField(_("acceptance criteria"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ("-number",)
        verbose_name = _("risk method")
        verbose_name_plural = _("risk methods")
        constraints = [
            models.UniqueConstraint(
                fields=("organization", "number"), name="risks_method_number_unique"
            )
        ]
        indexes = [models.Index(fields=("organization", "status"))]

    def __str__(self) -> str:
        return f"v{self.number} {self.title}"

    @property
    def max_score(self) -> int:
        return len(self.likelihood_levels) * len(self.consequence_levels)

    def matrix(self) -> list[list[int]]:
        """Rows from the highest likelihood down, columns by consequence: the heat map's grid."""
        n_l, n_c = len(self.likelihood_levels), len(self.consequence_levels)
        return [[lk * c for c in range(1, n_c + 1)] for lk in range(n_l, 0, -1)]

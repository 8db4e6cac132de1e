from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessGrant(models.Model):
    """One period of access given to an external auditor: who granted it, until when and why.

    An external auditor's access is time-limited; every start or extension of it is a grant of at
    most the organization's `external_access_max_days`, kept so that the certification body and
    the management review can see who let whom in for how long."""

    membership = models.ForeignKey(
        "core.Membership", on_delete=models.PROTECT, related_name="grants"
    )
    granted_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="access_grant_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.valid_from} – {self.valid_until}"

    @property
    def days(self) -> int:
        return (self.valid_until - self.valid_from).days

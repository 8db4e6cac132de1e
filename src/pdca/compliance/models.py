"""The register of legal and other requirements (14001/45001 6.1.3, 27001 A.5.31).

An obligation is changed only by a new version: the version before the change is copied into
`ObligationVersion` first, so earlier versions are kept (45001 "maintain and retain"). It is
never deleted; it is withdrawn with a reason."""

from django.conf import settings
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

    class Meta:
        verbose_name = _("compliance obligation")
        verbose_name_plural = _("compliance obligations")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "title"], name="obligation_list"),
            models.Index(
                fields=["organization", "status", "permit_expires_on"], name="obligation_permit"
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

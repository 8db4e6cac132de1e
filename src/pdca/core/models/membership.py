import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pdca.core.roles import Role


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        """Memberships that grant access today: active and, for time-limited ones, not expired."""
        today = timezone.localdate()
        return self.filter(is_active=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    def with_role(self, role: str) -> "MembershipQuerySet":
        # roles is a JSON list; matching the quoted code works the same on SQLite and PostgreSQL.
        return self.filter(roles__icontains=f'"{role}"')


class Membership(models.Model):
    """A user's place in one organization: roles, department and, for auditors, an end date."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="memberships")
    roles = models.JSONField(_("roles"), default=list)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    manager = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("line manager"),
    )
    expires_on = models.DateField(
        _("access ends on"),
        null=True,
        blank=True,
        help_text=_("Required for external auditors: access ends after this day."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user")
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization}"

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]

    def grants_access_on(self, day: datetime.date) -> bool:
        return self.is_active and (self.expires_on is None or self.expires_on >= day)

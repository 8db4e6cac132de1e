"""The roles a membership can carry. What each role may do lives in each app's policies.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TOP_MANAGEMENT = "top", _("Top management")
    MANAGEMENT_REP = "mr", _("Management representative")
    PROCESS_OWNER = "owner", _("Process owner")
    INTERNAL_AUDITOR = "auditor", _("Internal auditor")
    EMPLOYEE = "employee", _("Employee")
    EXTERNAL_AUDITOR = "external", _("External auditor")
    CONSULTANT = "consultant", _("Consultant")


ALL_ROLES: frozenset[str] = frozenset(Role.values)
# Roles that act inside the management system (everyone but the certification body's auditor).
INTERNAL_ROLES: frozenset[str] = ALL_ROLES - {Role.EXTERNAL_AUDITOR}
# Roles that run the system day to day.
MANAGERS: frozenset[str] = frozenset({Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT})
# Read-only roles may only ever be granted actions whose name says they read.
READ_ONLY_ROLES: frozenset[str] = frozenset({Role.EXTERNAL_AUDITOR})

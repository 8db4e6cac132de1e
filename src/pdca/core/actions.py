"""The registry of audit-trail action codes.

Every service that writes names what it did with a dotted code (`documents.revision.approved`).
Apps register their codes in `AppConfig.ready()`; recording an unregistered code is an error,
so the list of everything pdca can record is always complete and readable in one place.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, str | Promise] = {}


def register_actions(codes: dict[str, str | Promise]) -> None:
    for code, label in codes.items():
        if code in ACTIONS and ACTIONS[code] != label:
            raise ValueError(f"Action code {code!r} is registered twice with different labels.")
        ACTIONS[code] = label


def label_for(code: str) -> str:
    return str(ACTIONS.get(code, code))


register_actions(
    {
        "core.auth.login": _("Signed in"),
        "core.auth.login_failed": _("Failed sign-in"),
        "core.auth.logout": _("Signed out"),
        "core.auth.password_changed": _("Password changed"),
        "core.auth.password_reset": _("Password reset by e-mail"),
        "core.auth.two_factor_enabled": _("Two-factor authentication enabled"),
        "core.auth.two_factor_disabled": _("Two-factor authentication disabled"),
        "core.auth.token_created": _("API token created"),
        "core.auth.token_revoked": _("API token revoked"),
        "core.user.created": _("User created"),
        "core.user.updated": _("Profile updated"),
        "core.user.language_changed": _("Language changed"),
        "core.organization.created": _("Organization created"),
        "core.organization.updated": _("Organization updated"),
        "core.site.created": _("Site created"),
        "core.site.updated": _("Site updated"),
        "core.department.created": _("Department created"),
        "core.department.updated": _("Department updated"),
        "core.membership.created": _("Member added"),
        "core.membership.invited": _("Member invited"),
        "core.membership.updated": _("Membership changed"),
        "core.membership.roles_changed": _("Roles changed"),
        "core.membership.deactivated": _("Membership ended"),
        "core.membership.access_granted": _("External auditor access granted"),
        "core.job.requested": _("Export requested"),
        "core.notifications.preferences_changed": _("Notification preferences changed"),
    }
)

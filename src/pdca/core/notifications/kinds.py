"""The foundation's own notifications: an invitation, and an external auditor's access ending."""

import datetime

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from pdca.core.models import Membership, Notification, Organization, User
from pdca.core.notifications.registry import NotificationKind, register_kinds
from pdca.core.roles import Role

ACCESS_WARNING = datetime.timedelta(days=7)


def _invitation_link(n: Notification, base: str) -> str:
    """A new account chooses its password; an existing one signs in. Built at send time, so
    the password link is never stored."""
    if n.data.get("set_password"):
        user = n.recipient
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        return base + reverse("core:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base + reverse("core:login")


def register() -> None:
    register_kinds(
        NotificationKind(
            "core.invitation",
            _("You are invited to an organization"),
            _("You have been invited to %(title)s on pdca. Open the link to start."),
            mandatory=True,
            email_link=_invitation_link,
        ),
        NotificationKind(
            "core.access_ending",
            _("An external auditor's access ends"),
            _("The access of %(title)s ends on %(ends)s."),
            permission="core.view_dashboard",
            mandatory=True,
        ),
    )


def invitation_notify(
    *, membership: Membership, organization: Organization, user: User, set_password: bool
) -> None:
    from pdca.core.notifications import notify

    notify(
        kind="core.invitation",
        organization=organization,
        recipients=[user],
        obj=None,
        key=f"core.invitation:{membership.pk}:{membership.invited_at}",
        title=organization.name,
        url=reverse("core:dashboard", kwargs={"org": organization.slug}),
        data={"set_password": set_password},
    )


def access_ending_notify(*, today: datetime.date | None = None) -> int:
    """Tell each external auditor whose access ends within a week, and the organization's
    management representatives, once per end date."""
    from pdca.core.notifications import notify

    today = today or timezone.localdate()
    ending = (
        Membership.objects.current()
        .with_role(Role.EXTERNAL_AUDITOR)
        .filter(expires_on__lte=today + ACCESS_WARNING)
        .select_related("organization", "user")
    )
    told = 0
    for m in ending:
        mrs = (
            Membership.objects.current()
            .with_role(Role.MANAGEMENT_REP)
            .filter(organization=m.organization)
            .values_list("user_id", flat=True)
        )
        told += len(
            notify(
                kind="core.access_ending",
                organization=m.organization,
                recipients=[m.user_id, *mrs],
                obj=m,
                key=f"core.access_ending:{m.pk}:{m.expires_on}",
                title=m.user.display_name,
                url=reverse("core:dashboard", kwargs={"org": m.organization.slug}),
                data={"ends": m.expires_on.isoformat() if m.expires_on else ""},
            )
        )
    return told

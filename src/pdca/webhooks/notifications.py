from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.core.roles import Role


def register() -> None:
    register_kinds(
        NotificationKind(
            "webhooks.endpoint_disabled",
            _("Webhook switched off"),
            _("The webhook %(title)s was switched off: its deliveries kept failing."),
            permission="webhooks.manage",
        )
    )


def endpoint_disabled(*, endpoint: Any) -> None:
    from pdca.core.models import Membership

    organization = endpoint.organization
    people = Membership.objects.filter(organization=organization, is_active=True).with_role(
        Role.MANAGEMENT_REP
    )
    notify(
        kind="webhooks.endpoint_disabled",
        organization=organization,
        recipients=[m.user_id for m in people],
        obj=endpoint,
        key=f"webhooks.endpoint_disabled:{endpoint.pk}:{endpoint.version}",
        url=reverse("webhooks:detail", kwargs={"org": organization.slug, "pk": endpoint.pk}),
        title=endpoint.name,
    )

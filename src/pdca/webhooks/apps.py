from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class WebhooksConfig(modules.DomainAppConfig):
    name = "pdca.webhooks"
    label = "webhooks"
    url_prefix = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from pdca.core.caching import register_inert_actions
        from pdca.core.navigation import NavItem, register_nav
        from pdca.webhooks import actions, events, notifications, policies  # noqa: F401

        # Deliveries and endpoints change no figure a page caches.
        register_inert_actions("webhooks.")

        register_nav(
            NavItem(_("Webhooks"), "webhooks:list", "webhooks.manage", order=95, icon="send")
        )
        notifications.register()
        # The events of the modules built so far; a later module adds its own in its ready().
        for action in (
            "improvement.nonconformity.raised",
            "improvement.nonconformity.closed",
            "documents.revision.effective",
            "audits.report.signed",
        ):
            events.register_event(action)

from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "webhooks.endpoint.created": _("Webhook endpoint added"),
        "webhooks.endpoint.updated": _("Webhook endpoint changed"),
        "webhooks.endpoint.secret_renewed": _("Webhook signing secret renewed"),
        "webhooks.endpoint.disabled": _("Webhook endpoint disabled after failed deliveries"),
        "webhooks.endpoint.tested": _("Webhook endpoint sent a test delivery"),
    }
)

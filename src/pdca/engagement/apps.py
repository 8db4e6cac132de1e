from typing import Any

from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class EngagementConfig(modules.DomainAppConfig):
    name = "pdca.engagement"
    label = "engagement"
    url_prefix = "engagement"
    verbose_name = _("Suggestions, customer feedback and announcements")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.due import register_due_source
        from pdca.core.navigation import NavItem, register_nav
        from pdca.engagement import actions, policies, providers  # noqa: F401  (registrations)
        from pdca.engagement.due import responses_due
        from pdca.engagement.exports import register_exports
        from pdca.engagement.selectors import attention
        from pdca.standards.registry import register_nc_source

        register_nav(
            NavItem(
                _("Suggestions"),
                "engagement:suggestions",
                "engagement.view",
                order=540,
                icon="rocket",
            )
        )
        register_nav(
            NavItem(
                _("Customer feedback"),
                "engagement:feedback",
                "engagement.view",
                order=541,
                icon="circle-user",
            )
        )
        register_nav(
            NavItem(
                _("Announcements"),
                "engagement:announcements",
                "engagement.view",
                order=542,
                icon="send",
            )
        )
        register_attention(attention, order=540)
        register_exports()
        providers.register()
        register_due_source(
            "engagement.feedback",
            _("Response to a customer"),
            responses_due,
            permission="engagement.view",
            order=50,
        )
        register_nc_source("engagement.feedback", link=feedback_link)
        register_nc_source("engagement.suggestion", link=suggestion_link)


def feedback_link(feedback: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("customer complaint %(ref)s from %(customer)s") % {
        "ref": feedback.ref,
        "customer": feedback.customer,
    }
    return str(label), "engagement:feedback_detail", {"pk": feedback.pk}


def suggestion_link(suggestion: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("suggestion %(ref)s") % {"ref": suggestion.reference}
    return str(label), "engagement:suggestion", {"pk": suggestion.pk}

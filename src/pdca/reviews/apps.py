from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class ReviewsConfig(modules.DomainAppConfig):
    name = "pdca.reviews"
    label = "reviews"
    url_prefix = "reviews"
    verbose_name = _("Management review")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.due import register_due_source
        from pdca.core.navigation import NavItem, register_nav
        from pdca.reviews import actions, policies, providers  # noqa: F401
        from pdca.reviews.due import planned_reviews_due, review_outputs_due
        from pdca.reviews.gates import management_review_gate
        from pdca.reviews.selectors import attention, signed_review_editions
        from pdca.standards.gates import register_gate
        from pdca.standards.registry import register_record_source

        register_nav(
            NavItem(
                _("Management review"),
                "reviews:list",
                "reviews.view",
                order=530,
                icon="user-check",
            )
        )
        register_attention(attention, order=530)
        providers.register()
        register_gate(
            "management_review",
            _("Management review held with every required input"),
            management_review_gate,
            order=40,
        )
        # Signed minutes are the retained records of 9.3 (the results of management reviews).
        register_record_source("9.3", editions=signed_review_editions)
        register_due_source(
            "reviews.review",
            _("Management review"),
            planned_reviews_due,
            permission="reviews.view",
            order=40,
        )
        register_due_source(
            "reviews.output",
            _("Management review action"),
            review_outputs_due,
            permission="reviews.view",
            order=41,
        )

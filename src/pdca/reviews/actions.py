from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "reviews.review.planned": _("Management review planned"),
        "reviews.review.updated": _("Management review changed"),
        "reviews.review.prepared": _("Review inputs compiled"),
        "reviews.review.held": _("Management review held"),
        "reviews.review.signed": _("Minutes signed"),
        "reviews.review.signature_refused": _("Signature refused: wrong password"),
        "reviews.input.recorded": _("Review input discussed"),
        "reviews.output.added": _("Review output decided"),
        "reviews.output.updated": _("Review output updated"),
    }
)

from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "engagement.suggestion.made": _("Suggestion made"),
        "engagement.suggestion.accepted": _("Suggestion accepted"),
        "engagement.suggestion.declined": _("Suggestion declined"),
        "engagement.suggestion.duplicate": _("Suggestion marked as a duplicate"),
    }
)

register_actions(
    {
        "engagement.feedback.recorded": _("Customer feedback recorded"),
        "engagement.feedback.updated": _("Customer feedback changed"),
        "engagement.feedback.responded": _("Response to customer feedback sent"),
    }
)

register_actions(
    {
        "engagement.announcement.published": _("Announcement published"),
        "engagement.announcement.acknowledged": _("Announcement acknowledged"),
    }
)

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pdca.core.actions import register_actions

register_actions(
    {
        "documents.scheme.saved": _("Numbering scheme saved"),
        "documents.document.created": _("Document created"),
        "documents.document.updated": _("Document updated"),
        "documents.document.made_obsolete": _("Document made obsolete"),
        "documents.distribution.changed": _("Distribution changed"),
        "documents.revision.created": _("Revision started"),
        "documents.revision.updated": _("Draft revision saved"),
        "documents.revision.submitted": _("Revision submitted for review"),
        "documents.revision.reviewed": _("Revision reviewed (signed)"),
        "documents.revision.approved": _("Revision approved (signed)"),
        "documents.revision.rejected": _("Revision rejected (signed)"),
        "documents.revision.released": _("Revision released (signed)"),
        "documents.revision.effective": _("Revision became effective"),
        "documents.revision.superseded": _("Revision superseded"),
        "documents.revision.periodic_review": _("Periodic review: no change (signed)"),
        "documents.signature.failed": _("Signature refused: wrong password"),
        "documents.acknowledgement.assigned": _("Reading assigned"),
        "documents.acknowledgement.opened": _("Opened for reading"),
        "documents.acknowledgement.acknowledged": _("Read and acknowledged"),
        "documents.reminders.sent": _("Document review reminders sent"),
        "documents.external.registered": _("Document of external origin registered"),
        "documents.external.edition": _("New edition of an external document registered"),
        "documents.external.checked": _("Checked for a new edition: still current"),
    }
)

# What the trail records under a name that is no model field's verbose name: the trail pages
# show it through core's `field_label` in the reader's language.
TRAIL_FIELDS = [gettext_noop("people"), gettext_noop("file name")]

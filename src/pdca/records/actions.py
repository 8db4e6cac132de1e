from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pdca.core.actions import register_actions

register_actions(
    {
        "records.type.created": _("Record type created"),
        "records.type.updated": _("Record type updated"),
        "records.record.created": _("Record kept"),
        "records.record.updated": _("Record corrected"),
        "records.record.retention_started": _("Retention started (trigger event entered)"),
        "records.record.retention_recomputed": _("Retention date recomputed (rule changed)"),
        "records.attachment.added": _("File attached to a record"),
        "records.hold.placed": _("Legal hold placed"),
        "records.hold.released": _("Legal hold released"),
        "records.record.disposed": _("Record disposed of (signed)"),
        "records.disposal.refused": _("Disposal refused: wrong password"),
    }
)

# What the trail records under a name that is no model field's verbose name: the trail pages
# show it through core's `field_label` in the reader's language.
TRAIL_FIELDS = [gettext_noop("files"), gettext_noop("files kept")]

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pdca.core.actions import register_actions

register_actions(
    {
        "audits.programme.created": _("Audit programme created"),
        "audits.programme.updated": _("Audit programme changed"),
        "audits.audit.planned": _("Audit planned"),
        "audits.audit.updated": _("Audit plan changed"),
        "audits.audit.status_changed": _("Audit status changed"),
        "audits.audit.independence_refused": _("Audit team refused: not independent"),
        "audits.audit.independence_justified": _(
            "Audit team accepted on a justification of objectivity"
        ),
        "audits.audit.closed": _("Audit closed"),
        "audits.audit.qualification_overridden": _(
            "Lead auditor accepted without a valid auditor qualification, for a reason"
        ),
        "audits.schedule.added": _("Audit schedule entry added"),
        "audits.checklist.generated": _("Checklist generated"),
        "audits.checklist.question_saved": _("Checklist question saved"),
        "audits.checklist.question_removed": _("Checklist question removed"),
        "audits.checklist.answered": _("Checklist question answered"),
        "audits.checklist.conflict": _("Conflicting checklist answer kept"),
        "audits.checklist.photo_added": _("Photo attached to a checklist question"),
        "audits.template.saved": _("Checklist template saved"),
        "audits.template.applied": _("Checklist template applied"),
        "audits.finding.recorded": _("Finding recorded"),
        "audits.finding.acknowledged": _("Finding acknowledged by the auditee"),
        "audits.finding.acknowledgement_refused": _("Auditee's refusal to acknowledge recorded"),
        "audits.report.signed": _("Audit report signed"),
        "audits.report.signature_refused": _("Report signature refused: wrong password"),
    }
)

# What the trail records under a name that is no model field's verbose name: the trail pages
# show it through core's `field_label` in the reader's language.
TRAIL_FIELDS = [gettext_noop("from audit"), gettext_noop("independence")]

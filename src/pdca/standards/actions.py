"""Audit-trail action codes of the standards app."""

from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "standards.scope.chosen": _("Standard chosen"),
        "standards.scope.updated": _("Scope updated"),
        "standards.exclusion.declared": _("Requirement declared not applicable"),
        "standards.exclusion.withdrawn": _("Exclusion withdrawn"),
        "standards.soa.updated": _("Statement of Applicability updated"),
        "standards.assessment.updated": _("Gap assessment updated"),
        "standards.assessment.status_changed": _("Gap status changed"),
        "standards.assessment.confirmed": _("Shared assessment confirmed for a standard"),
        "standards.process.created": _("Process created"),
        "standards.process.updated": _("Process updated"),
        "standards.roadmap.created": _("Roadmap action created"),
        "standards.roadmap.updated": _("Roadmap action updated"),
    }
)

# Names the trail records for values that are no model field of their own (a Statement of
# Applicability entry names its control), so that the history reads them in every language.
TRAIL_FIELD_NAMES = (_("control"),)

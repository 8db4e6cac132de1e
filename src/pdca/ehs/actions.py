from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "ehs.criteria.saved": _("Significance criteria set"),
        "ehs.aspect.created": _("Environmental aspect entered"),
        "ehs.aspect.reassessed": _("Environmental aspect reassessed"),
        "ehs.aspect.rejudged": _("Environmental aspect judged by new criteria"),
        "ehs.aspect.withdrawn": _("Environmental aspect withdrawn"),
        "ehs.aspect.review_asked": _("Environmental aspect due for review"),
    }
)

register_actions(
    {
        "ehs.hazard.created": _("Hazard entered"),
        "ehs.hazard.reassessed": _("Hazard reassessed"),
        "ehs.hazard.flag_changed": _("Hazard's PPE-only flag changed"),
        "ehs.hazard.withdrawn": _("Hazard withdrawn"),
        "ehs.hazard.review_asked": _("Hazard due for review"),
        "ehs.control.planned": _("Control on a hazard planned"),
        "ehs.control.updated": _("Control on a hazard updated"),
    }
)

register_actions(
    {
        "ehs.incident_settings.saved": _("Incident settings saved"),
        "ehs.incident.reported": _("Incident reported"),
        "ehs.incident.photo_added": _("Photo attached to an incident"),
        "ehs.incident.investigated": _("Incident investigation recorded"),
        "ehs.incident.health_changed": _("Health details of an incident changed"),
        "ehs.incident.closed": _("Incident closed"),
    }
)

register_actions(
    {
        "ehs.mechanism.created": _("Mechanism of consultation and participation added"),
        "ehs.mechanism.changed": _("Mechanism of consultation and participation changed"),
        "ehs.mechanism.withdrawn": _("Mechanism of consultation and participation withdrawn"),
        "ehs.participation.recorded": _("Consultation or participation logged"),
        "ehs.participation.corrected": _("Entry of the participation log corrected"),
        "ehs.participation.withdrawn": _("Entry of the participation log withdrawn"),
        "ehs.barrier.identified": _("Barrier to participation recorded"),
        "ehs.barrier.changed": _("Barrier to participation updated"),
        "ehs.barrier.removed": _("Barrier to participation removed"),
    }
)

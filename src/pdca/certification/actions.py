from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "certification.body.created": _("Certification body entered"),
        "certification.body.updated": _("Certification body changed"),
        "certification.certificate.created": _("Certificate recorded"),
        "certification.certificate.updated": _("Certificate corrected"),
        "certification.certificate.status": _("Certificate status changed"),
        "certification.audit.created": _("External audit planned"),
        "certification.audit.updated": _("External audit changed"),
        "certification.audit.held": _("External audit recorded as held"),
        "certification.audit.cancelled": _("External audit cancelled"),
        "certification.finding.created": _("External finding recorded"),
        "certification.finding.updated": _("External finding corrected"),
        "certification.finding.answered": _("Response to an external finding recorded"),
        "certification.event.recorded": _("Certification event recorded"),
        "certification.pack.created": _("Stage 1 documentation pack made"),
        "certification.pack.downloaded": _("Documentation pack downloaded"),
        "certification.access.granted": _("Auditor let into an external audit"),
        "certification.access.ended": _("Auditor's access to an external audit ended"),
        "certification.request.created": _("Auditor asked for evidence"),
        "certification.request.answered": _("Auditor's request answered"),
        "certification.selection.created": _("Comparison of certification bodies started"),
        "certification.selection.candidate": _("Candidate body added to a comparison"),
        "certification.selection.scored": _("Candidate body scored"),
        "certification.selection.decided": _("Certification body chosen"),
        "certification.auditor.opened": _("Opened by the certification body's auditor"),
    }
)

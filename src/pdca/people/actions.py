from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "people.person.created": _("Person's profile created"),
        "people.person.updated": _("Person's profile changed"),
        "people.jobrole.created": _("Job role created"),
        "people.jobrole.updated": _("Job role changed"),
        "people.assignment.created": _("Job role given to a person"),
        "people.assignment.ended": _("Job role taken from a person"),
        "people.competence.created": _("Competence added to the catalogue"),
        "people.competence.updated": _("Competence changed"),
        "people.competence.retraining": _("New revision of its document: retraining needed"),
        "people.requirement.created": _("Competence required of a job role"),
        "people.requirement.updated": _("Requirement of a job role changed"),
        "people.requirement.removed": _("Requirement of a job role removed"),
        "people.record.created": _("Competence recorded"),
        "people.record.corrected": _("Competence record corrected"),
        "people.record.withdrawn": _("Competence record withdrawn"),
        "people.course.created": _("Course created"),
        "people.course.updated": _("Course changed"),
        "people.session.planned": _("Training session planned"),
        "people.session.invited": _("People invited to a training session"),
        "people.session.held": _("Training session held"),
        "people.session.cancelled": _("Training session cancelled"),
        "people.session.evaluated": _("Effectiveness of training evaluated"),
        "people.attendance.recorded": _("Attendance and result recorded"),
        "people.attendance.confirmed": _("Attendance confirmed by the person"),
        "people.awareness.created": _("Awareness item created"),
        "people.awareness.updated": _("Awareness item changed"),
        "people.awareness.asked_again": _("Everyone asked again to acknowledge"),
        "people.awareness.acknowledged": _("Awareness acknowledged by the person"),
    }
)

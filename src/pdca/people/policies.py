"""Who may see and keep people's job roles, competence and training.

The catalogue (job roles, competences, requirements, courses) is seen by every member. A
person's profile, competence records and attendance are personal: an employee sees their own,
a line manager or head of department sees their people, and management, the internal auditors
(who audit 7.2) and the certification body's auditor see everyone. Management and process
owners keep the catalogue and record competence and training; only management gives people
their job roles. A person confirms their own attendance, and no one records their own result.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, Visibility, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

SEES_EVERYONE = {
    Role.TOP_MANAGEMENT,
    Role.MANAGEMENT_REP,
    Role.PROCESS_OWNER,
    Role.CONSULTANT,
    Role.INTERNAL_AUDITOR,
    Role.EXTERNAL_AUDITOR,
}
KEEPERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}
ASSIGNERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT}


def visible(membership: Any) -> Q:
    """The people `membership` may see: everyone for those who record competence and for
    auditors, else themselves and the people they manage (line manager, head of department)."""
    if membership.has_role(*SEES_EVERYONE):
        return Q()
    user_id = membership.user_id
    return (
        Q(membership__user_id=user_id)
        | Q(membership__manager_id=user_id)
        | Q(membership__department__head_id=user_id)
    )


VISIBILITY = Visibility(
    gettext_lazy(
        "Job roles, competences and courses: every member. A person's profile, competence "
        "records and attendance: the person, their line manager and head of department, "
        "management, process owners and the auditors."
    ),
    rule=visible,
    model="people.Person",
    reach={
        "jobassignment": "person",
        "competencerecord": "person",
        "attendance": "person",
        "acknowledgement": "person",
    },
)


@described(gettext_lazy("Only the person themselves confirms their attendance."))
def own_attendance(membership: Any, obj: Any) -> bool | str:
    person = getattr(obj, "person", None)
    if person is None:
        return True
    return person.membership_id == membership.pk or str(
        gettext_lazy("Only the person themselves confirms their attendance.")
    )


register_policy(
    "people",
    {
        "view": EVERYONE,
        "manage": KEEPERS,
        "assign": ASSIGNERS,
        "record": KEEPERS,
        "confirm": INTERNAL_ROLES,
        "acknowledge": INTERNAL_ROLES,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "manage": pgettext_lazy("policy action", "Keep job roles, competences and courses"),
        "assign": pgettext_lazy("policy action", "Give people their job roles"),
        "record": pgettext_lazy("policy action", "Record competence and training"),
        "confirm": pgettext_lazy("policy action", "Confirm one's own attendance"),
        "acknowledge": pgettext_lazy("policy action", "Acknowledge awareness items oneself"),
    },
    object_rules={"confirm": own_attendance},
    visibility=VISIBILITY,
)

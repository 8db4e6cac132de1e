"""The foundation's contribution to the due-item registry: the day an external auditor's
access ends, for those who manage the members (it is nobody's own item, so "mine" never
lists it)."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.core.models import Membership
from pdca.core.roles import Role


def access_ends_due(query: DueQuery) -> list[DueItem]:
    if query.owners is not None:
        return []
    lookups = {"expires_on__lte": query.end}
    # An access that has ended is not late: it is over. The agenda shows those still to end.
    lookups["expires_on__gte"] = query.first_day(query.today)
    rows = query.cut(
        Membership.objects.filter(organization=query.organization, is_active=True, **lookups)
        .with_role(Role.EXTERNAL_AUDITOR)
        .order_by("expires_on", "pk")
        .values_list("pk", "user__full_name", "user__email", "expires_on", "version")
    )
    url = url_maker("core:member_edit", query.organization)
    label = _("External auditor's access ends")
    return [
        DueItem(
            kind="core.access",
            kind_label=label,
            title=_("Access of %(name)s ends") % {"name": name or email},
            due_on=expires_on,
            url=url(pk),
            model="core.membership",
            object_id=pk,
            owner_id=None,
            version=version,
        )
        for pk, name, email, expires_on, version in rows
    ]

"""Who may see and keep records, and who may dispose of them.

Seeing a record follows its type's confidentiality (see pdca.core.visibility). Keeping
records is open to those who produce them; record types, legal holds and disposal are for
management, and disposal is signed with the password."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, Visibility, described, register_policy
from pdca.core.roles import Role
from pdca.core.visibility import may_see, visible_q
from pdca.records.models import Attachment, Record, RecordType

KEEPERS = {
    Role.TOP_MANAGEMENT,
    Role.MANAGEMENT_REP,
    Role.PROCESS_OWNER,
    Role.INTERNAL_AUDITOR,
    Role.CONSULTANT,
}
CONTROLLERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT}


def visible(membership: Any) -> Q:
    """The types of record `membership` may see, by their confidentiality; a record and its
    files are seen with their type."""
    return visible_q(membership)


VISIBILITY = Visibility(
    gettext_lazy(
        "By the type of record's confidentiality: public and internal types, every member; "
        "confidential, management, auditors and the type's owner; restricted, its owner and "
        "the roles named on it. A record and its files are seen with their type."
    ),
    rule=visible,
    model="records.RecordType",
    reach={"record": "record_type", "attachment": "record__record_type"},
)


@described(
    gettext_lazy(
        "Only on records whose type of record the member may see (by its confidentiality)."
    )
)
def can_see(membership: Any, obj: Any) -> bool | str:
    if isinstance(obj, Attachment):
        obj = obj.record
    rtype = obj.record_type if isinstance(obj, Record) else obj
    if not isinstance(rtype, RecordType):
        return True
    return may_see(
        membership, level=rtype.confidentiality, roles=rtype.allowed_roles, owner_id=rtype.owner_id
    )


register_policy(
    "records",
    {
        "view": EVERYONE,
        "download": EVERYONE,
        "edit": KEEPERS,
        "manage": CONTROLLERS,
        "hold": CONTROLLERS,
        "dispose": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "download": pgettext_lazy("policy action", "Download files"),
        "edit": pgettext_lazy("policy action", "Edit"),
        "manage": pgettext_lazy("policy action", "Manage"),
        "hold": pgettext_lazy("policy action", "Place on legal hold"),
        "dispose": pgettext_lazy("policy action", "Dispose of"),
    },
    object_rules={
        "view": can_see,
        "download": can_see,
        "edit": can_see,
        "hold": can_see,
        "dispose": can_see,
    },
    visibility=VISIBILITY,
)

"""Who may see and keep records, and who may dispose of them.

Seeing a record follows its type's confidentiality (see pdca.documents.visibility). Keeping
records is open to those who produce them; record types, legal holds and disposal are for
management, and disposal is signed with the password."""

from typing import Any

from pdca.core.permissions import EVERYONE, register_policy
from pdca.core.roles import Role
from pdca.documents.visibility import may_see
from pdca.records.models import Attachment, Record, RecordType

KEEPERS = {
    Role.TOP_MANAGEMENT,
    Role.MANAGEMENT_REP,
    Role.PROCESS_OWNER,
    Role.INTERNAL_AUDITOR,
    Role.CONSULTANT,
}
CONTROLLERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT}


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
    object_rules={
        "view": can_see,
        "download": can_see,
        "edit": can_see,
        "hold": can_see,
        "dispose": can_see,
    },
)

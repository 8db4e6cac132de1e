"""Who may do what with controlled documents.

Everyone reads the documents their confidentiality allows; managers and process owners write
them; any internal member may be assigned to review or approve and sign; releasing a revision
as effective and setting up numbering is for management. An author never approves their own
revision, and nothing but a draft can be edited.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, Visibility, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role
from pdca.core.visibility import may_see, visible_q
from pdca.documents.models import Acknowledgement, Document, Revision

WRITERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}
CONTROLLERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT}


def _document(obj: Any) -> Document | None:
    if isinstance(obj, Document):
        return obj
    if isinstance(obj, Revision):
        return obj.document
    return getattr(obj, "document", None)


def visible(membership: Any) -> Q:
    """The documents `membership` may see, by their confidentiality (pdca.core.visibility)."""
    return visible_q(membership)


VISIBILITY = Visibility(
    gettext_lazy(
        "Public and internal documents: every member. Confidential: management, auditors and "
        "the document's owner. Restricted: its owner and the roles named on it. A revision "
        "or distribution is seen with its document."
    ),
    rule=visible,
    model="documents.Document",
    reach={"revision": "document", "distribution": "document", "signature": "revision__document"},
)


@described(gettext_lazy("Only on documents the member may see (by their confidentiality)."))
def can_see(membership: Any, obj: Any) -> bool | str:
    doc = _document(obj)
    if doc is None:
        return True
    return may_see(
        membership, level=doc.confidentiality, roles=doc.allowed_roles, owner_id=doc.owner_id
    )


@described(gettext_lazy("Only a draft revision, of a document the member may see."))
def only_drafts(membership: Any, obj: Any) -> bool | str:
    seen = can_see(membership, obj)
    if seen is not True:
        return seen
    if isinstance(obj, Revision) and not obj.can_be_edited():
        return _("Only a draft revision can be edited: start a new revision instead.")
    return True


@described(gettext_lazy("Never the revision's own author."))
def author_cannot_approve(membership: Any, obj: Any) -> bool | str:
    if isinstance(obj, Revision) and obj.author_id == membership.user_id:
        return _("The author of a revision cannot approve it.")
    return True


@described(gettext_lazy("Each member acknowledges only their own reading."))
def own_reading(membership: Any, obj: Any) -> bool | str:
    if isinstance(obj, Acknowledgement) and obj.user_id != membership.user_id:
        return _("You can only acknowledge your own reading.")
    return True


register_policy(
    "documents",
    {
        "view": EVERYONE,
        "export": EVERYONE,
        "print": EVERYONE,
        "download": EVERYONE,
        "edit": WRITERS,
        "sign": INTERNAL_ROLES,
        "approve": INTERNAL_ROLES,
        "release": CONTROLLERS,
        "manage": CONTROLLERS,
        "acknowledge": INTERNAL_ROLES,
        "read_list": INTERNAL_ROLES,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "export": pgettext_lazy("policy action", "Export"),
        "print": pgettext_lazy("policy action", "Print"),
        "download": pgettext_lazy("policy action", "Download files"),
        "edit": pgettext_lazy("policy action", "Edit"),
        "sign": pgettext_lazy("policy action", "Sign"),
        "approve": pgettext_lazy("policy action", "Approve"),
        "release": pgettext_lazy("policy action", "Release"),
        "manage": pgettext_lazy("policy action", "Manage"),
        "acknowledge": pgettext_lazy("policy action", "Acknowledge reading"),
        "read_list": pgettext_lazy("policy action", "See the reading list"),
    },
    object_rules={
        "view": can_see,
        "export": can_see,
        "print": can_see,
        "download": can_see,
        "sign": can_see,
        "edit": only_drafts,
        "approve": author_cannot_approve,
        "release": can_see,
        "acknowledge": own_reading,
    },
    visibility=VISIBILITY,
)

"""Who may see and keep the certification records: every member sees them (the certificate
and the next external audit concern everyone); top management, the management representative
and the consultant keep the bodies, certificates and audits; process owners may also answer the
findings of an audit.

The body's auditor (the external-auditor role, read-only) sees an external audit only while an
access to that audit lets them in (`AuditorAccess`), with its findings, packs and requests; they
may ask for evidence on it (`certification.request`, a read: asking changes nothing kept)."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_scopes import scopes_disabled

from pdca.core.permissions import EVERYONE, Visibility, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

KEEPERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT}


def is_only_external(membership: object) -> bool:
    roles = set(getattr(membership, "roles", []) or [])
    return Role.EXTERNAL_AUDITOR in roles and not roles & INTERNAL_ROLES


def visible(membership: Any) -> Q:
    """Every external audit for an internal member; for the body's auditor, only the audits
    an access lets them into today."""
    if not is_only_external(membership):
        return Q()
    from pdca.certification.models import AuditorAccess

    today: datetime.date = timezone.localdate()
    # A subquery, not a join: several accesses to one audit never repeat it in a list.
    with scopes_disabled():  # the rule is asked inside and outside a request's scope
        let_in = AuditorAccess.objects.filter(
            organization_id=membership.organization_id,
            membership=membership,
            valid_from__lte=today,
            valid_until__gte=today,
            ended_on=None,
        )
    return Q(pk__in=let_in.values("audit_id"))


VISIBILITY = Visibility(
    gettext_lazy(
        "Every member sees the certification records. The body's auditor sees only the "
        "external audits an access lets them into, while it runs, with their findings, packs "
        "and requests."
    ),
    rule=visible,
    model="certification.ExternalAudit",
    reach={
        "externalfinding": "audit",
        "documentationpack": "audit",
        "evidencerequest": "audit",
        "auditoraccess": "audit",
    },
)


register_policy(
    "certification",
    {
        "view": EVERYONE,
        "manage": KEEPERS,
        "respond": KEEPERS | {Role.PROCESS_OWNER},
        # The pack holds confidential documents: those who keep it and the body's auditor.
        "download_pack": KEEPERS | {Role.EXTERNAL_AUDITOR},
        # The body's auditor asks for evidence (a read of the system: it changes nothing kept).
        "read_request": {Role.EXTERNAL_AUDITOR},
        # Those who keep the audits answer the requests and see what the auditor opened.
        "answer_request": KEEPERS,
        # Top management approves the choice of the certification body.
        "decide_selection": {Role.TOP_MANAGEMENT},
    },
    labels={
        "decide_selection": pgettext_lazy("policy action", "Choose the certification body"),
        "view": pgettext_lazy("policy action", "View"),
        "manage": pgettext_lazy("policy action", "Manage"),
        "respond": pgettext_lazy("policy action", "Answer findings"),
        "download_pack": pgettext_lazy("policy action", "Download the documentation pack"),
        "read_request": pgettext_lazy("policy action", "Ask for evidence"),
        "answer_request": pgettext_lazy(
            "policy action", "Answer the auditor's requests and see what they opened"
        ),
    },
    visibility=VISIBILITY,
)

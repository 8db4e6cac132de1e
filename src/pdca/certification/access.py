"""The body's auditor inside pdca: time-limited, read-only access scoped to one external audit,
the requests they make for evidence and the answers, and the log of what they opened.

The access is on top of the membership's own end date (core's external-auditor grant): it lets
the auditor into one audit (its findings, packs and requests; `policies.visible`) from one day
to another, never past the membership's end. Every page and file the auditor opens in the
organization is recorded in the trail (`middleware.AuditorOpenedMiddleware`), and the audit's
log page lists those entries for the management representative.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pdca.certification.models import AuditorAccess, EvidenceRequest, ExternalAudit
from pdca.certification.policies import is_only_external
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.models import Membership, TrailEntry, User
from pdca.core.updating import model_create, model_transition

OPENED = "certification.auditor.opened"


def _day(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "SHORT_DATE_FORMAT")


def auditor_access_grant(
    *,
    actor: User,
    audit: ExternalAudit,
    membership: Membership,
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> AuditorAccess:
    """Let the body's auditor (a member with the external-auditor role alone) into `audit`
    from `valid_from` to `valid_until`, which is at most the membership's own end."""
    ensure_allowed(
        actor=actor, organization=audit.organization, permission="certification.manage", obj=audit
    )
    errors: dict[str, str] = {}
    if membership.organization_id != audit.organization_id or not is_only_external(membership):
        errors["membership"] = _("Choose a member whose only role is external auditor.")
    elif not membership.grants_access_on(timezone.localdate()):
        errors["membership"] = _("This auditor's membership has ended: extend it first.")
    if audit.status == ExternalAudit.Status.CANCELLED:
        errors["__all__"] = _("A cancelled audit is not opened to an auditor.")
    if valid_until < valid_from:
        errors["valid_until"] = _("The access ends on or after its first day.")
    elif valid_until < timezone.localdate():
        errors["valid_until"] = _("The access would already be over.")
    elif membership.expires_on is not None and valid_until > membership.expires_on:
        errors["valid_until"] = _(
            "The auditor's membership ends on %(day)s: the access cannot run longer."
        ) % {"day": _day(membership.expires_on)}
    if errors:
        raise ValidationError(errors)
    return model_create(
        model=AuditorAccess,
        organization=audit.organization,
        actor=actor,
        fields={
            "audit": audit,
            "membership": membership,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        allowed=("audit", "membership", "valid_from", "valid_until"),
        defaults={"granted_by": actor},
        action="certification.access.granted",
    )


def auditor_access_end(
    *, actor: User, access: AuditorAccess, expected_version: int | None = None
) -> AuditorAccess:
    """End an access today (the auditor no longer sees the audit from now on)."""
    ensure_allowed(
        actor=actor,
        organization=access.organization,
        permission="certification.manage",
        obj=access.audit,
    )

    def check(locked: AuditorAccess) -> None:
        if locked.ended_on is not None or locked.valid_until < timezone.localdate():
            raise ValidationError(_("This access is already over."))

    return model_transition(
        instance=access,
        actor=actor,
        action="certification.access.ended",
        to={"ended_on": timezone.localdate()},
        check=check,
        expected_version=expected_version,
    )


def current_access(membership: Membership, audit: ExternalAudit) -> AuditorAccess | None:
    today = timezone.localdate()
    return (
        AuditorAccess.objects.filter(
            audit=audit,
            membership=membership,
            valid_from__lte=today,
            valid_until__gte=today,
            ended_on=None,
        )
        .order_by("-valid_until")
        .first()
    )


def evidence_request_create(*, actor: User, audit: ExternalAudit, text: str) -> EvidenceRequest:
    """The body's auditor asks to see something, on an audit they were let into."""
    membership = ensure_allowed(
        actor=actor,
        organization=audit.organization,
        permission="certification.read_request",
        obj=audit,
    )
    if current_access(membership, audit) is None:
        raise ValidationError(_("You were not let into this audit, or your access has ended."))
    if not text.strip():
        raise ValidationError({"text": _("Say what you would like to see.")})
    return model_create(
        model=EvidenceRequest,
        organization=audit.organization,
        actor=actor,
        fields={"audit": audit, "text": text.strip()},
        allowed=("audit", "text"),
        defaults={"asked_by": actor},
        action="certification.request.created",
    )


def check_links(organization: Any, links: list[str]) -> list[str]:
    """The answer's links: pages of this organization in pdca (a path under /o/<org>/)."""
    prefix = f"/o/{organization.slug}/"
    cleaned = [link.strip() for link in links if link.strip()]
    bad = [link for link in cleaned if not link.startswith(prefix) or ".." in link]
    if bad:
        raise ValidationError(
            {
                "links": _(
                    "Link only to pages of this organization in pdca (starting with %(prefix)s): "
                    "%(bad)s"
                )
                % {"prefix": prefix, "bad": ", ".join(bad[:3])}
            }
        )
    return cleaned


def evidence_request_answer(
    *,
    actor: User,
    request: EvidenceRequest,
    answer: str,
    links: list[str],
    expected_version: int | None,
) -> EvidenceRequest:
    """The management representative answers a request, with links to what shows it."""
    ensure_allowed(
        actor=actor,
        organization=request.organization,
        permission="certification.answer_request",
        obj=request,
    )
    if not answer.strip() and not [link for link in links if link.strip()]:
        raise ValidationError({"answer": _("Answer the request, or give a link.")})
    cleaned = check_links(request.organization, links)
    return model_transition(
        instance=request,
        actor=actor,
        action="certification.request.answered",
        to={
            "status": EvidenceRequest.Status.ANSWERED,
            "answer": answer.strip(),
            "links": cleaned,
            "answered_by": actor,
            "answered_at": timezone.now(),
        },
        record=("status", "answer", "links"),
        expected_version=expected_version,
        always_record=True,
    )


# The trail shows the recorded keys through core's `field_label`, which translates them.
OPENED_KEYS = (gettext_noop("path"), gettext_noop("page"))


def auditor_opened(*, membership: Membership, path: str, page: str) -> None:
    """Note in the trail that the body's auditor opened `path` (a page or a file)."""
    trail.record(
        action=OPENED,
        actor=membership.user,
        organization=membership.organization,
        changes={"path": path, "page": page},
    )


def opened_log(audit: ExternalAudit) -> QuerySet[TrailEntry]:
    """What the auditors let into `audit` opened in the organization, newest first, while
    their access ran (the trail's entries)."""
    accesses = list(AuditorAccess.objects.filter(audit=audit).select_related("membership"))
    if not accesses:
        return TrailEntry.objects.none()
    from django.db.models import Q

    within = Q()
    for a in accesses:
        end = a.ended_on or a.valid_until
        within |= Q(
            actor_id=a.membership.user_id,
            at__date__gte=a.valid_from,
            at__date__lte=end,
        )
    return (
        TrailEntry.objects.filter(chain=audit.organization_id, action=OPENED)
        .filter(within)
        .select_related("actor")
        .order_by("-pk")
    )

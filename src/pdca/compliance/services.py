"""Every write to the register of legal and other requirements.

A change keeps the version it replaces (with the reason for the change) before it is saved;
an obligation is never deleted, only withdrawn with a reason; each write has its trail entry."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pdca.compliance.models import Obligation, ObligationStatus, ObligationVersion
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.updating import model_create, model_transition, model_update

FIELDS = (
    "title",
    "discipline",
    "kind",
    "jurisdiction",
    "citation",
    "requirement",
    "permit_number",
    "permit_expires_on",
    "responsible",
    "source",
    "source_version",
    "last_checked_on",
    "next_check_on",
)


def obligation_create(*, actor: User, organization: Organization, **values: Any) -> Obligation:
    ensure_allowed(actor=actor, organization=organization, permission="compliance.edit")
    if "responsible" in values:
        check_assignable(organization, values["responsible"], "responsible")
    return model_create(
        model=Obligation,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=FIELDS,
        action="compliance.obligation.created",
    )


def obligation_update(
    *, actor: User, obligation: Obligation, version: int | None, reason: str, **values: Any
) -> Obligation:
    """A new version of `obligation`; the one it replaces is kept with `reason`."""
    organization = obligation.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="compliance.edit", obj=obligation
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the obligation changes.")})
    if "responsible" in values:
        check_assignable(organization, values["responsible"], "responsible")
    with transaction.atomic():
        before = Obligation.objects.select_for_update(no_key=True).get(pk=obligation.pk)
        # Checked on the locked row: a withdrawal committed a moment ago must win.
        if before.status != ObligationStatus.ACTIVE:
            raise ValidationError(_("A withdrawn obligation is not changed."))
        updated, changes = model_update(
            instance=obligation,
            actor=actor,
            fields=values,
            allowed=FIELDS,
            expected_version=version,
            action="compliance.obligation.updated",
            reason=reason,
        )
        if changes:
            ObligationVersion.objects.create(
                obligation=updated,
                number=before.version,
                data=trail.snapshot(before, FIELDS),
                reason=reason,
                changed_by=actor,
            )
    return updated


def obligation_withdraw(
    *, actor: User, obligation: Obligation, reason: str, version: int | None = None
) -> Obligation:
    ensure_allowed(
        actor=actor,
        organization=obligation.organization,
        permission="compliance.withdraw",
        obj=obligation,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the obligation is withdrawn.")})

    def check(locked: Obligation) -> None:
        if locked.status != ObligationStatus.ACTIVE:
            raise ValidationError(_("The obligation is already withdrawn."))

    return model_transition(
        instance=obligation,
        actor=actor,
        action="compliance.obligation.withdrawn",
        to={"status": ObligationStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )

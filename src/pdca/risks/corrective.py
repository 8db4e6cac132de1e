"""A nonconformity's corrective action opens or updates an entry of the register (ISO 9001,
14001, 45001 and 27001 10.2.1 e)): in one step from the nonconformity's page, a new risk scored
under the method in force, or an existing one assessed again; either way the entry keeps the
nonconformity it came from."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.models import User
from pdca.core.permissions import can
from pdca.core.updating import check_same_organization, model_update
from pdca.risks import services
from pdca.risks.models import Kind, Risk


def risk_from_nonconformity(
    *,
    actor: User,
    nonconformity: Any,
    risk: Risk | None,
    expected_version: int | None,
    likelihood: Any,
    consequence: Any,
    title: str = "",
    owner: User | None = None,
    kind: str = Kind.RISK,
) -> Risk:
    """Open a new entry from the nonconformity (its title, root cause and process), or assess
    `risk` again under the method in force; link the nonconformity to the entry."""
    organization = nonconformity.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    with transaction.atomic():
        if risk is None:
            target = services.risk_create(
                actor=actor,
                organization=organization,
                kind=kind,
                title=title or nonconformity.title,
                owner=owner,
                likelihood=likelihood,
                consequence=consequence,
                cause=nonconformity.root_cause or nonconformity.description,
                effect=_("Nonconformity %(ref)s: %(title)s")
                % {"ref": nonconformity.reference, "title": nonconformity.title},
                process=nonconformity.process,
            )
        else:
            check_same_organization(organization, "risk", risk)
            if not risk.is_open:
                raise ValidationError({"risk": _("%(ref)s is closed.") % {"ref": risk.reference}})
            target = services.risk_assess(
                actor=actor,
                risk=risk,
                expected_version=expected_version,
                likelihood=likelihood,
                consequence=consequence,
            )
        linked = list(target.nonconformities.all())
        if nonconformity not in linked:
            target, _changes = model_update(
                instance=target,
                actor=actor,
                fields={},
                related={"nonconformities": [*linked, nonconformity]},
                allowed=("nonconformities",),
                expected_version=target.version,
                action="risks.risk.nonconformity_linked",
                context={"nonconformity": [None, nonconformity.reference]},
            )
    return target


def nc_section(request: Any, membership: Any, nonconformity: Any) -> str:
    """The risks opened or updated from the nonconformity, and the link to do so (one query),
    on the nonconformity's page."""
    if not can(membership, "risks.view"):
        return ""
    risks = list(
        Risk.objects.filter(
            organization=nonconformity.organization_id, nonconformities=nonconformity
        )
        .select_related("method")
        .order_by("number")
    )
    may = nonconformity.is_open and can(membership, "risks.manage")
    if not risks and not may:
        return ""
    return render_to_string(
        "risks/_nc_section.html",
        {"risks": risks, "nc": nonconformity, "can_manage": may},
        request=request,
    )

"""Every write of the context (4.1) and the interested parties (4.2).

Issues and needs are never deleted: an issue that no longer matters is retired with the reason,
a party or a need marked no longer relevant, so that management review sees what changed.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.models import Organization, User
from pdca.core.updating import check_same_organization, model_save, model_transition
from pdca.risks.models import (
    HEADINGS,
    ContextIssue,
    ContextProfile,
    Framework,
    InterestedParty,
    PartyRequirement,
)
from pdca.standards.models import Standard

PROFILE_FIELDS = ("framework", "climate_relevant", "climate_reasoning", "reviewed_on")
ISSUE_FIELDS = (
    "title",
    "heading",
    "origin",
    "description",
    "effect",
    "climate_related",
    "standards",
    "review_on",
)
PARTY_FIELDS = ("name", "category", "origin", "notes", "is_active")
REQUIREMENT_FIELDS = (
    "party",
    "need",
    "is_obligation",
    "addressed_by",
    "process",
    "review_on",
    "is_active",
)


def profile_of(organization: Organization) -> ContextProfile | None:
    return ContextProfile.objects.filter(organization=organization).first()


def profile_save(
    *,
    actor: User,
    organization: Organization,
    expected_version: int | None,
    framework: str,
    climate_relevant: bool | None,
    climate_reasoning: str = "",
    reviewed_on: datetime.date | None = None,
) -> ContextProfile:
    """The headings the organization uses and whether climate change is relevant (with why)."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    if framework not in Framework.values:
        raise ValidationError({"framework": _("Choose SWOT or PESTLE.")})
    if climate_relevant is None:
        raise ValidationError(
            {"climate_relevant": _("Decide whether climate change is a relevant issue.")}
        )
    if not climate_reasoning.strip():
        raise ValidationError(
            {"climate_reasoning": _("Say why climate change is or is not relevant.")}
        )
    return model_save(
        model=ContextProfile,
        instance=profile_of(organization),
        organization=organization,
        actor=actor,
        fields={
            "framework": framework,
            "climate_relevant": climate_relevant,
            "climate_reasoning": climate_reasoning.strip(),
            "reviewed_on": reviewed_on,
        },
        allowed=PROFILE_FIELDS,
        expected_version=expected_version,
        action="risks.context",
        clean_exclude=("organization",),
    )


def issue_save(
    *,
    actor: User,
    organization: Organization,
    issue: ContextIssue | None,
    expected_version: int | None,
    fields: dict[str, Any],
    standards: Iterable[Standard] = (),
) -> ContextIssue:
    """Add or change an issue; its heading is one of the organization's chosen framework."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    profile = profile_of(organization)
    framework = profile.framework if profile else Framework.SWOT
    if fields.get("heading") not in HEADINGS[Framework(framework)]:
        raise ValidationError(
            {
                "heading": _("Choose one of the %(framework)s headings.")
                % {"framework": framework.upper()}
            }
        )
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": _("Name the issue.")})
    if issue is not None and issue.status != ContextIssue.Status.ACTIVE:
        raise ValidationError(_("This issue is no longer relevant and cannot change."))
    return model_save(
        model=ContextIssue,
        instance=issue,
        organization=organization,
        actor=actor,
        fields=fields,
        related={"standards": list(standards)},
        allowed=ISSUE_FIELDS,
        expected_version=expected_version,
        action="risks.issue",
    )


def issue_retire(*, actor: User, issue: ContextIssue, reason: str) -> ContextIssue:
    ensure_allowed(actor=actor, organization=issue.organization, permission="risks.manage")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the issue is no longer relevant.")})

    def check(locked: ContextIssue) -> None:
        if locked.status != ContextIssue.Status.ACTIVE:
            raise ValidationError(_("This issue is already retired."))

    return model_transition(
        instance=issue,
        actor=actor,
        action="risks.issue.retired",
        to={"status": ContextIssue.Status.RETIRED, "retire_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
    )


def party_save(
    *,
    actor: User,
    organization: Organization,
    party: InterestedParty | None,
    expected_version: int | None,
    fields: dict[str, Any],
) -> InterestedParty:
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("Name the party.")})
    name = fields["name"].strip()
    clash = InterestedParty.objects.filter(organization=organization, name__iexact=name)
    if party is not None:
        clash = clash.exclude(pk=party.pk)
    if clash.exists():
        raise ValidationError({"name": _("This party is already listed.")})
    return model_save(
        model=InterestedParty,
        instance=party,
        organization=organization,
        actor=actor,
        fields={**fields, "name": name},
        allowed=PARTY_FIELDS,
        expected_version=expected_version,
        action="risks.party",
    )


def requirement_save(
    *,
    actor: User,
    organization: Organization,
    requirement: PartyRequirement | None,
    expected_version: int | None,
    fields: dict[str, Any],
) -> PartyRequirement:
    """Add or change a need of a party; saying it becomes an obligation asks how the system
    addresses it."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    if not (fields.get("need") or "").strip():
        raise ValidationError({"need": _("Say what the party needs or expects.")})
    check_same_organization(organization, "party", fields.get("party"))
    check_same_organization(organization, "process", fields.get("process"))
    if fields.get("is_obligation") and not (fields.get("addressed_by") or "").strip():
        raise ValidationError(
            {"addressed_by": _("Say how the system addresses an obligation it takes on.")}
        )
    return model_save(
        model=PartyRequirement,
        instance=requirement,
        organization=organization,
        actor=actor,
        fields=fields,
        allowed=REQUIREMENT_FIELDS,
        expected_version=expected_version,
        action="risks.requirement",
    )

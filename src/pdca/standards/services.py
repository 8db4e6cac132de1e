"""Writes of the standards app: scope, exclusions, the Statement of Applicability, the gap
assessment, evidence, processes and the roadmap.

Each service runs in one transaction, takes the acting user explicitly, refuses stale edits of
versioned records (ConflictError) and records its audit-trail entry.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, Site, User
from pdca.core.services import ConflictError
from pdca.standards.evidence import clauses_for, evidence_set
from pdca.standards.models import (
    Assessment,
    Clause,
    Edition,
    EvidenceLink,
    Exclusion,
    OrgStandard,
    Process,
    RoadmapAction,
    SoAEntry,
)

SCOPE_FIELDS = ("scope", "status", "certified_until", "sites")
ASSESSMENT_FIELDS = ("status", "owner", "target_date", "notes")
PROCESS_FIELDS = (
    "code",
    "name",
    "category",
    "owner",
    "purpose",
    "inputs",
    "outputs",
    "is_active",
    "interacts_with",
    "sites",
    "departments",
    "clauses",
)
PROCESS_M2M = ("interacts_with", "sites", "departments", "clauses")
ROADMAP_FIELDS = ("title", "owner", "due_on", "status", "notes")
ROADMAP_TRAIL_FIELDS = (*ROADMAP_FIELDS, "done_on")


def _stale(kind: str) -> ConflictError:
    return ConflictError(
        f"Someone else changed this {kind} since you opened it. "
        "Reload the page to see their change, then make yours again."
    )


def _check_version(obj: Any, expected_version: int | None, kind: str) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise _stale(kind)


def _check_same_org(organization: Organization, objs: Iterable[Any], field: str) -> None:
    for obj in objs:
        if obj.organization_id != organization.pk:
            raise ValidationError({field: f"{obj} belongs to another organization."})


def _m2m_snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {
        name: sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else [] for name in fields
    }


# --- Scope ---------------------------------------------------------------------------------


def org_standard_choose(
    *,
    actor: User,
    organization: Organization,
    edition: Edition,
    scope: str = "",
    sites: Iterable[Site] = (),
) -> OrgStandard:
    """Add a standard to the organization's management system."""
    sites = list(sites)
    _check_same_org(organization, sites, "sites")
    with transaction.atomic():
        if OrgStandard.objects.filter(organization=organization, edition=edition).exists():
            raise ValidationError({"edition": f"{edition} is already chosen."})
        if OrgStandard.objects.filter(
            organization=organization, edition__standard_id=edition.standard_id
        ).exists():
            raise ValidationError(
                {"edition": f"Another edition of {edition.standard} is already chosen."}
            )
        org_standard = OrgStandard.objects.create(
            organization=organization, edition=edition, scope=scope.strip()
        )
        org_standard.sites.set(sites)
        trail.record(
            action="standards.scope.chosen",
            actor=actor,
            organization=organization,
            obj=org_standard,
            changes={"edition": [None, edition.label], "scope": [None, scope.strip()]},
        )
    return org_standard


def org_standard_update(
    *,
    actor: User,
    org_standard: OrgStandard,
    expected_version: int | None = None,
    **values: Any,
) -> OrgStandard:
    """Change the scope statement, sites covered or certification status."""
    with transaction.atomic():
        current = OrgStandard.objects.select_for_update(no_key=True).get(pk=org_standard.pk)
        _check_version(current, expected_version, "scope")
        before = {**trail.snapshot(current, SCOPE_FIELDS[:-1]), **_m2m_snapshot(current, ["sites"])}
        for name, value in values.items():
            if name not in SCOPE_FIELDS:
                raise ValueError(f"Unknown scope field {name!r}")
            if name == "sites":
                _check_same_org(current.organization, value, "sites")
                current.sites.set(value)
            else:
                setattr(current, name, value.strip() if isinstance(value, str) else value)
        if current.status == OrgStandard.Status.CERTIFIED and not current.scope:
            raise ValidationError({"scope": "A certified standard needs its scope statement."})
        current.full_clean(exclude=["organization", "edition"])
        current.version += 1
        current.save()
        after = {**trail.snapshot(current, SCOPE_FIELDS[:-1]), **_m2m_snapshot(current, ["sites"])}
        changes = trail.changes_between(before, after)
        if changes:
            trail.record(
                action="standards.scope.updated",
                actor=actor,
                organization=current.organization,
                obj=current,
                changes=changes,
            )
    return current


def exclusion_declare(
    *, actor: User, org_standard: OrgStandard, clause: Clause, justification: str
) -> Exclusion:
    """Declare a requirement not applicable to this standard's scope, with the reason.

    Refused where the standard allows no exclusion, for Annex A controls (decided in the
    Statement of Applicability) and without a justification.
    """
    justification = justification.strip()
    if clause.edition_id != org_standard.edition_id:
        raise ValidationError({"clause": f"{clause.number} is not a clause of {org_standard}."})
    if clause.kind == Clause.Kind.CONTROL:
        raise ValidationError(
            {
                "clause": "Annex A controls are included or left out in the Statement of "
                "Applicability, not as exclusions."
            }
        )
    if not clause.may_be_excluded:
        raise ValidationError(
            {
                "clause": f"{org_standard.edition.standard} allows no exclusion of {clause.number} "
                f"{clause.title}: every certified system must meet it."
            }
        )
    if not justification:
        raise ValidationError(
            {
                "justification": "Say why the requirement does not apply: the scope statement "
                "must justify every exclusion and the auditor will ask."
            }
        )
    with transaction.atomic():
        exclusion, created = Exclusion.objects.get_or_create(
            org_standard=org_standard,
            clause=clause,
            defaults={
                "organization": org_standard.organization,
                "justification": justification,
                "created_by": actor,
            },
        )
        if not created:
            if exclusion.is_active:
                raise ValidationError({"clause": f"{clause.number} is already excluded."})
            exclusion.is_active, exclusion.justification = True, justification
            exclusion.save(update_fields=["is_active", "justification"])
        trail.record(
            action="standards.exclusion.declared",
            actor=actor,
            organization=org_standard.organization,
            obj=org_standard,
            changes={"excluded": [None, clause.number], "justification": [None, justification]},
        )
    return exclusion


def exclusion_withdraw(*, actor: User, exclusion: Exclusion, reason: str = "") -> Exclusion:
    """The requirement applies again; the exclusion stays on record, inactive."""
    with transaction.atomic():
        if not exclusion.is_active:
            raise ValidationError("This exclusion was already withdrawn.")
        exclusion.is_active = False
        exclusion.save(update_fields=["is_active"])
        trail.record(
            action="standards.exclusion.withdrawn",
            actor=actor,
            organization=exclusion.organization,
            obj=exclusion.org_standard,
            changes={"excluded": [exclusion.clause.number, None]},
            reason=reason,
        )
    return exclusion


def soa_set(
    *,
    actor: User,
    org_standard: OrgStandard,
    clause: Clause,
    applicable: bool,
    justification: str,
    expected_version: int | None = None,
) -> SoAEntry:
    """Decide whether an Annex A control applies, with the justification the SoA must give."""
    justification = justification.strip()
    if clause.edition_id != org_standard.edition_id or clause.kind != Clause.Kind.CONTROL:
        raise ValidationError({"clause": f"{clause.number} is not an Annex A control here."})
    if not applicable and not clause.may_be_excluded:
        raise ValidationError({"applicable": f"{clause.number} cannot be left out."})
    if not justification:
        raise ValidationError(
            {
                "justification": "Give the reason for including or leaving out this control: "
                "the Statement of Applicability must justify both."
            }
        )
    with transaction.atomic():
        entry = (
            SoAEntry.objects.select_for_update(no_key=True)
            .filter(org_standard=org_standard, clause=clause)
            .first()
        )
        if entry is None:
            if expected_version:
                raise _stale("Statement of Applicability entry")
            entry = SoAEntry(
                organization=org_standard.organization,
                org_standard=org_standard,
                clause=clause,
                applicable=applicable,
                justification=justification,
            )
            before: dict[str, Any] = {}
        else:
            _check_version(entry, expected_version, "Statement of Applicability entry")
            before = trail.snapshot(entry, ("applicable", "justification"))
            entry.applicable, entry.justification = applicable, justification
            entry.version += 1
        entry.save()
        changes = trail.changes_between(
            before, trail.snapshot(entry, ("applicable", "justification"))
        )
        if changes:
            trail.record(
                action="standards.soa.updated",
                actor=actor,
                organization=org_standard.organization,
                obj=entry,
                changes={"control": [None, clause.number], **changes},
            )
    return entry


# --- Gap assessment ------------------------------------------------------------------------


def assessment_key(clause: Clause) -> dict[str, Any]:
    """An HS-mapped clause is assessed once per organization, under its HS clause."""
    return (
        {"hs_id": clause.hs_id, "clause": None} if clause.hs_id else {"hs": None, "clause": clause}
    )


def assessment_for(organization: Organization, clause: Clause) -> Assessment:
    """The clause's assessment, or an unsaved 'not started' one."""
    key = assessment_key(clause)
    found = Assessment.objects.filter(organization=organization, **key).first()
    return found or Assessment(organization=organization, **key, version=0)


def assessment_update(
    *,
    actor: User,
    organization: Organization,
    clause: Clause,
    expected_version: int | None = None,
    status: str | None = None,
    owner: User | object | None = ...,
    target_date: datetime.date | object | None = ...,
    notes: str | None = None,
) -> Assessment:
    """Set a clause's status, owner, target date or notes (shared by all standards on the HS).

    'Not applicable' is refused where the standard allows no exclusion, and needs a reason in
    the notes. A stale version is refused.
    """
    with transaction.atomic():
        key = assessment_key(clause)
        current = (
            Assessment.objects.select_for_update(no_key=True)
            .filter(organization=organization, **key)
            .first()
        )
        creating = current is None
        if current is None:
            if expected_version:
                raise _stale("assessment")
            current = Assessment(organization=organization, **key)
            before: dict[str, Any] = trail.snapshot(current, ASSESSMENT_FIELDS)
        else:
            _check_version(current, expected_version, "assessment")
            before = trail.snapshot(current, ASSESSMENT_FIELDS)
        if status is not None:
            if status not in Assessment.Status.values:
                raise ValidationError({"status": f"Unknown status {status!r}."})
            current.status = status
        if owner is not ...:
            check_assignable(organization, owner, "owner")  # type: ignore[arg-type]
            current.owner = owner  # type: ignore[assignment]
        if target_date is not ...:
            current.target_date = target_date  # type: ignore[assignment]
        if notes is not None:
            current.notes = notes.strip()
        if current.status == Assessment.Status.NOT_APPLICABLE:
            if not clause.may_be_excluded:
                raise ValidationError(
                    {
                        "status": f"{clause.edition.standard} allows no exclusion of "
                        f"{clause.number}: it cannot be not applicable."
                    }
                )
            if not current.notes:
                raise ValidationError(
                    {"notes": "Say in the notes why the requirement does not apply."}
                )
        changes = trail.changes_between(before, trail.snapshot(current, ASSESSMENT_FIELDS))
        if not changes and not creating:
            return current
        current.version = 1 if creating else current.version + 1
        current.save()
        trail.record(
            action="standards.assessment.status_changed"
            if "status" in changes
            else "standards.assessment.updated",
            actor=actor,
            organization=organization,
            obj=current,
            changes={"clause": [None, f"{clause.edition.label} {clause.number}"], **changes},
        )
    return current


def evidence_link(
    *, actor: User, organization: Organization, clause: Clause, obj: models.Model, note: str = ""
) -> None:
    """Add `obj` as evidence for `clause`, keeping its other links."""
    if getattr(obj, "organization_id", organization.pk) != organization.pk:
        raise ValidationError("That object belongs to another organization.")
    existing = clauses_for(organization, obj)
    if any(c.pk == clause.pk for c in existing):
        raise ValidationError(f"{obj} is already linked to {clause.number}.")
    evidence_set(
        actor=actor, organization=organization, obj=obj, clauses=[*existing, clause], note=note
    )


def evidence_unlink(*, actor: User, link: EvidenceLink) -> None:
    obj = link.target
    if obj is None:
        raise ValidationError("The linked object no longer exists.")
    keep = [c for c in clauses_for(link.organization, obj) if c.pk != link.clause_id]
    evidence_set(actor=actor, organization=link.organization, obj=obj, clauses=keep)


# --- Processes -----------------------------------------------------------------------------


def process_save(
    *,
    actor: User,
    organization: Organization,
    process: Process | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Process:
    """Create or change a process of the process map."""
    with transaction.atomic():
        creating = process is None
        if process is None:
            current = Process(organization=organization)
        else:
            current = Process.objects.select_for_update(no_key=True).get(pk=process.pk)
            _check_version(current, expected_version, "process")
        plain = [f for f in PROCESS_FIELDS if f not in PROCESS_M2M]
        before = (
            {}
            if creating
            else {
                **trail.snapshot(current, plain),
                **_m2m_snapshot(current, PROCESS_M2M),
            }
        )
        m2m: dict[str, list[Any]] = {}
        for name, value in values.items():
            if name not in PROCESS_FIELDS:
                raise ValueError(f"Unknown process field {name!r}")
            if name in PROCESS_M2M:
                m2m[name] = list(value)
            else:
                setattr(current, name, value.strip() if isinstance(value, str) else value)
        check_assignable(organization, current.owner, "owner")
        for name in ("interacts_with", "sites", "departments"):
            _check_same_org(organization, m2m.get(name, []), name)
        if current.pk and any(p.pk == current.pk for p in m2m.get("interacts_with", [])):
            raise ValidationError({"interacts_with": "A process cannot interact with itself."})
        if (
            Process.objects.filter(organization=organization, name__iexact=current.name)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise ValidationError({"name": "Another process already has this name."})
        current.full_clean(exclude=["organization", "owner"])
        if not creating:
            current.version += 1
        current.save()
        for name, objs in m2m.items():
            getattr(current, name).set(objs)
        after = {**trail.snapshot(current, plain), **_m2m_snapshot(current, PROCESS_M2M)}
        changes = trail.changes_between(before, after)
        if changes:
            trail.record(
                action="standards.process.created" if creating else "standards.process.updated",
                actor=actor,
                organization=organization,
                obj=current,
                changes=changes,
            )
    return current


# --- Roadmap -------------------------------------------------------------------------------


def roadmap_action_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    owner: User,
    due_on: datetime.date,
    clause: Clause | None = None,
    notes: str = "",
) -> RoadmapAction:
    """A step towards certification, usually created from a gap in one click."""
    if not title.strip():
        raise ValidationError({"title": "Say what is to be done."})
    check_assignable(organization, owner, "owner")
    with transaction.atomic():
        action = RoadmapAction.objects.create(
            organization=organization,
            clause=clause,
            title=title.strip()[:255],
            owner=owner,
            due_on=due_on,
            notes=notes.strip(),
            created_by=actor,
        )
        trail.record(
            action="standards.roadmap.created",
            actor=actor,
            organization=organization,
            obj=action,
            changes=trail.created_fields(action, ROADMAP_FIELDS),
        )
    return action


def roadmap_action_update(
    *,
    actor: User,
    action: RoadmapAction,
    expected_version: int | None = None,
    reason: str = "",
    **values: Any,
) -> RoadmapAction:
    with transaction.atomic():
        current = RoadmapAction.objects.select_for_update(no_key=True).get(pk=action.pk)
        _check_version(current, expected_version, "action")
        before = trail.snapshot(current, ROADMAP_TRAIL_FIELDS)
        for name, value in values.items():
            if name not in ROADMAP_FIELDS:
                raise ValueError(f"Unknown roadmap field {name!r}")
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if not current.title:
            raise ValidationError({"title": "Say what is to be done."})
        check_assignable(current.organization, current.owner, "owner")
        if (
            current.status == RoadmapAction.Status.CANCELLED
            and before["status"] != RoadmapAction.Status.CANCELLED
            and not reason.strip()
        ):
            raise ValidationError({"status": "Give a reason for cancelling the action."})
        current.follow_status_with_done_on(timezone.localdate())
        current.full_clean(exclude=["organization", "owner", "clause", "created_by"])
        changes = trail.changes_between(before, trail.snapshot(current, ROADMAP_TRAIL_FIELDS))
        if changes:
            current.version += 1
            current.save()
            trail.record(
                action="standards.roadmap.updated",
                actor=actor,
                organization=current.organization,
                obj=current,
                changes=changes,
                reason=reason,
            )
    return current

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
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, Site, User
from pdca.core.updating import (
    check_same_organization,
    conflict,
    model_create,
    model_save,
    model_update,
)
from pdca.standards.evidence import (
    carries_over,
    clauses_for,
    evidence_kind_of,
    evidence_set,
)
from pdca.standards.models import (
    Assessment,
    AssessmentConfirmation,
    Clause,
    Edition,
    EvidenceLink,
    Exclusion,
    OrgStandard,
    Process,
    RequiredInformation,
    RoadmapAction,
    SoAEntry,
)
from pdca.standards.selectors.readiness import verified_basis_for

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
    check_same_organization(organization, "sites", sites)
    with transaction.atomic():
        if OrgStandard.objects.filter(organization=organization, edition=edition).exists():
            raise ValidationError(
                {"edition": _("%(edition)s is already chosen.") % {"edition": edition}}
            )
        if OrgStandard.objects.filter(
            organization=organization, edition__standard_id=edition.standard_id
        ).exists():
            raise ValidationError(
                {
                    "edition": _("Another edition of %(standard)s is already chosen.")
                    % {"standard": edition.standard}
                }
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
    expected_version: int,
    **values: Any,
) -> OrgStandard:
    """Change the scope statement, sites covered or certification status."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    related = {"sites": list(values.pop("sites"))} if "sites" in values else {}
    check_same_organization(org_standard.organization_id, "sites", related.get("sites"))

    def certified_has_scope(current: OrgStandard) -> None:
        if current.status == OrgStandard.Status.CERTIFIED and not current.scope:
            raise ValidationError({"scope": _("A certified standard needs its scope statement.")})

    current, _changes = model_update(
        instance=org_standard,
        actor=actor,
        fields=values,
        allowed=SCOPE_FIELDS,
        expected_version=expected_version,
        action="standards.scope.updated",
        validate=certified_has_scope,
        related=related,
        clean_exclude=("organization", "edition"),
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
        raise ValidationError(
            {
                "clause": _("%(number)s is not a clause of %(standard)s.")
                % {"number": clause.number, "standard": org_standard}
            }
        )
    if clause.kind == Clause.Kind.CONTROL:
        raise ValidationError(
            {
                "clause": _(
                    "Annex A controls are included or left out in the Statement of "
                    "Applicability, not as exclusions."
                )
            }
        )
    if not clause.may_be_excluded:
        raise ValidationError(
            {
                "clause": _(
                    "%(standard)s allows no exclusion of %(number)s %(title)s: every certified "
                    "system must meet it."
                )
                % {
                    "standard": org_standard.edition.standard,
                    "number": clause.number,
                    "title": clause.title,
                }
            }
        )
    if not justification:
        raise ValidationError(
            {
                "justification": _(
                    "Say why the requirement does not apply: the scope statement "
                    "must justify every exclusion and the auditor will ask."
                )
            }
        )
    ancestors, parent = [], clause.parent
    while parent is not None:
        ancestors.append(parent)
        parent = parent.parent
    covering = Exclusion.objects.filter(
        org_standard=org_standard, clause__in=ancestors, is_active=True
    ).select_related("clause")
    if ancestors and (found := covering.first()) is not None:
        raise ValidationError(
            {
                "clause": _("%(number)s is already excluded with %(parent)s.")
                % {"number": clause.number, "parent": found.clause.number}
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
                raise ValidationError(
                    {"clause": _("%(number)s is already excluded.") % {"number": clause.number}}
                )
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
            raise ValidationError(_("This exclusion was already withdrawn."))
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
        raise ValidationError(
            {"clause": _("%(number)s is not an Annex A control here.") % {"number": clause.number}}
        )
    if not applicable and not clause.may_be_excluded:
        raise ValidationError(
            {"applicable": _("%(number)s cannot be left out.") % {"number": clause.number}}
        )
    if not justification:
        raise ValidationError(
            {
                "justification": _(
                    "Give the reason for including or leaving out this control: "
                    "the Statement of Applicability must justify both."
                )
            }
        )
    with transaction.atomic():
        entry = SoAEntry.objects.filter(org_standard=org_standard, clause=clause).first()
        if entry is not None:
            return model_update(
                instance=entry,
                actor=actor,
                fields={"applicable": applicable, "justification": justification},
                allowed=("applicable", "justification"),
                expected_version=expected_version,
                action="standards.soa.updated",
                context={"control": [None, clause.number]},
            )[0]
        if expected_version:
            raise conflict(SoAEntry())
        entry = SoAEntry.objects.create(
            organization=org_standard.organization,
            org_standard=org_standard,
            clause=clause,
            applicable=applicable,
            justification=justification,
        )
        trail.record(
            action="standards.soa.updated",
            actor=actor,
            organization=org_standard.organization,
            obj=entry,
            changes={
                "control": [None, clause.number],
                **trail.created_fields(entry, ("applicable", "justification")),
            },
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
    """Set a clause's status, owner, target date or notes (shared by the standards on the HS
    it is confirmed for). Set through one standard's clause, a shared assessment is confirmed
    for that standard: the person answering answers for it, not for the others.

    "Verified" needs its basis (`verified_basis_for`). Whether a requirement applies is not an
    assessment status: it is an exclusion or a Statement of Applicability entry. A stale
    version is refused.
    """
    fields: dict[str, Any] = {}
    if status is not None:
        if status == "na":
            raise ValidationError(
                {
                    "status": _(
                        "Whether a requirement applies is decided by an exclusion (for a "
                        "clause) or in the Statement of Applicability (for an Annex A control), "
                        "not in the gap assessment."
                    )
                }
            )
        if status not in Assessment.Status.values:
            raise ValidationError({"status": _("Unknown status %(status)r.") % {"status": status}})
        fields["status"] = status
    if owner is not ...:
        check_assignable(organization, owner, "owner")  # type: ignore[arg-type]
        fields["owner"] = owner
    if target_date is not ...:
        fields["target_date"] = target_date
    if notes is not None:
        fields["notes"] = notes.strip()

    def check(current: Assessment) -> None:
        if (
            current.status == Assessment.Status.VERIFIED
            and "status" in fields
            and not verified_basis_for(organization, clause)
        ):
            raise ValidationError(
                {
                    "status": _(
                        "%(number)s cannot be verified yet: that needs a closed internal "
                        "audit of it with no open nonconformity on it, or at least one "
                        "valid piece of evidence linked. Until then the highest status is "
                        "“Implemented”."
                    )
                    % {"number": clause.number}
                }
            )

    def action(changes: dict[str, Any]) -> str:
        if "status" in changes:
            return "standards.assessment.status_changed"
        return "standards.assessment.updated"

    label = {"clause": [None, f"{clause.edition.label} {clause.number}"]}
    with transaction.atomic():
        key = assessment_key(clause)
        current = Assessment.objects.filter(organization=organization, **key).first()
        if current is not None:
            current = model_update(
                instance=current,
                actor=actor,
                fields=fields,
                allowed=ASSESSMENT_FIELDS,
                expected_version=expected_version,
                action=action,
                validate=check,
                clean_exclude=("organization", "owner", "hs", "clause"),
                context=label,
            )[0]
            _confirm_for_clause(actor, current, clause)
            return current
        if expected_version:
            raise conflict(Assessment())
        current = Assessment(organization=organization, **key)
        before = trail.snapshot(current, ASSESSMENT_FIELDS)
        for name, value in fields.items():
            setattr(current, name, value)
        check(current)
        current.version = 1
        current.save()
        trail.record(
            action=action(
                trail.changes_between(before, trail.snapshot(current, ASSESSMENT_FIELDS))
            ),
            actor=actor,
            organization=organization,
            obj=current,
            changes={
                **label,
                **trail.changes_between(before, trail.snapshot(current, ASSESSMENT_FIELDS)),
            },
        )
        _confirm_for_clause(actor, current, clause)
    return current


def _confirm_for_clause(actor: User | None, assessment: Assessment, clause: Clause) -> None:
    if assessment.hs_id:
        org_standard = OrgStandard.objects.filter(
            organization_id=assessment.organization_id, edition_id=clause.edition_id
        ).first()
        if org_standard is not None:
            _confirm(actor, assessment, org_standard, clause)


def _confirm(
    actor: User | None, assessment: Assessment, org_standard: OrgStandard, clause: Clause
) -> bool:
    """Record that the shared assessment holds for `org_standard` (False: it already did)."""
    if org_standard.organization_id != assessment.organization_id:
        raise ValidationError(_("That standard belongs to another organization."))
    _confirmation, created = AssessmentConfirmation.objects.get_or_create(
        assessment=assessment,
        org_standard=org_standard,
        defaults={"confirmed_by": actor, "confirmed_at": timezone.now()},
    )
    if created:
        trail.record(
            action="standards.assessment.confirmed",
            actor=actor,
            organization=org_standard.organization,
            obj=assessment,
            changes={
                "clause": [None, f"{clause.edition.label} {clause.number}"],
                "confirmed_for": [None, org_standard.edition.label],
                "status": [None, assessment.get_status_display()],
            },
        )
    return created


def assessment_confirm(
    *,
    actor: User,
    org_standard: OrgStandard,
    clause: Clause,
    expected_version: int | None,
) -> Assessment:
    """ "Also valid for this standard": the shared clause's status, given under the other
    standards on its harmonized-structure clause, now counts for `org_standard` too.

    Refused for a clause that is not shared, when there is no status to confirm, when it was
    already confirmed, and when the status changed since the page showed it (the person
    confirms what they saw).
    """
    if clause.edition_id != org_standard.edition_id or not clause.hs_id:
        raise ValidationError(_("Only a shared clause of this standard can be confirmed."))
    with transaction.atomic():
        current = (
            Assessment.objects.select_for_update(no_key=True)
            .filter(organization=org_standard.organization, hs_id=clause.hs_id)
            .first()
        )
        if current is None:
            raise ValidationError(_("No other standard has assessed this clause yet."))
        if expected_version is not None and current.version != expected_version:
            raise conflict(current)
        if not _confirm(actor, current, org_standard, clause):
            raise ValidationError(
                _("%(number)s is already confirmed for %(standard)s.")
                % {"number": clause.number, "standard": org_standard}
            )
    return current


def assessments_bulk_update(
    *,
    actor: User,
    org_standard: OrgStandard,
    versions: dict[int, int | None],
    status: str | None = None,
    owner: User | object | None = ...,
    target_date: datetime.date | object | None = ...,
) -> list[Assessment]:
    """Set the same status, owner or target date on several clauses of one standard at once.

    `versions` maps each clause id to the assessment version the page showed. All or nothing:
    one stale row or one refused status refuses the whole selection (named in the message),
    so nobody's change is overwritten and nothing is half done. Each row is changed and
    recorded through `assessment_update`.
    """
    if not versions:
        raise ValidationError(_("Select at least one clause."))
    if status is None and owner is ... and target_date is ...:
        raise ValidationError(_("Choose what to change: a status, an owner or a target date."))
    clauses = {
        c.pk: c
        for c in Clause.objects.filter(
            edition_id=org_standard.edition_id, pk__in=list(versions)
        ).select_related("edition__standard")
    }
    if len(clauses) != len(versions):
        raise ValidationError(_("Some of the selected clauses are not clauses of this standard."))
    done = []
    with transaction.atomic():
        for pk in sorted(clauses, key=lambda pk: clauses[pk].sort_key):
            clause = clauses[pk]
            try:
                done.append(
                    assessment_update(
                        actor=actor,
                        organization=org_standard.organization,
                        clause=clause,
                        expected_version=versions[pk] or None,
                        status=status,
                        owner=owner,
                        target_date=target_date,
                    )
                )
            except ValidationError as error:
                raise ValidationError(
                    _("%(number)s: %(problem)s — nothing was changed.")
                    % {"number": clause.number, "problem": " ".join(error.messages)}
                ) from error
    return done


def evidence_link(
    *,
    actor: User,
    organization: Organization,
    clause: Clause,
    obj: models.Model,
    note: str = "",
    required: RequiredInformation | None = None,
) -> None:
    """Add `obj` as evidence for `clause`, keeping its other links.

    `required` names the mandatory item it proves: one of the clause or of its sub-clauses,
    and of the object's kind (a document for a document to maintain, a record for a record).
    """
    if getattr(obj, "organization_id", organization.pk) != organization.pk:
        raise ValidationError(_("That object belongs to another organization."))
    if required is not None:
        item_clause = required.clause
        if item_clause.edition_id != clause.edition_id or not (
            item_clause.number == clause.number
            or item_clause.number.startswith(clause.number + ".")
        ):
            raise ValidationError(
                {
                    "required": _("%(item)s is not required by %(number)s or its sub-clauses.")
                    % {"item": required.title, "number": clause.number}
                }
            )
        kind = evidence_kind_of(obj)
        if kind != required.kind:
            raise ValidationError(
                {
                    "required": _("%(object)s cannot be %(item)s: it is not a %(kind)s.")
                    % {
                        "object": obj,
                        "item": required.title,
                        "kind": required.get_kind_display().lower(),
                    }
                }
            )
    existing = clauses_for(organization, obj)
    if any(c.pk == clause.pk for c in existing):
        raise ValidationError(
            _("%(object)s is already linked to %(number)s.")
            % {"object": obj, "number": clause.number}
        )
    evidence_set(
        actor=actor,
        organization=organization,
        obj=obj,
        clauses=[*existing, clause],
        note=note,
        items={clause.pk: required} if required is not None else None,
    )


def evidence_share(*, actor: User, link: EvidenceLink, org_standard: OrgStandard) -> None:
    """ "Also valid for this standard": link the same object to the clause of `org_standard`
    that shares `link`'s harmonized-structure clause.

    Refused for discipline-specific evidence (policy, scope, objectives, monitoring results,
    or any clause of one standard alone): another discipline's evidence never proves it.
    """
    clause = link.clause
    if link.organization_id != org_standard.organization_id:
        raise ValidationError(_("That standard belongs to another organization."))
    if not carries_over(clause):
        raise ValidationError(
            _(
                "%(number)s is specific to its discipline: link this standard's own evidence "
                "on its clause instead."
            )
            % {"number": clause.number}
        )
    target = (
        Clause.objects.filter(edition_id=org_standard.edition_id, hs_id=clause.hs_id)
        .order_by("-depth")
        .first()
    )
    if target is None:
        raise ValidationError(
            _("%(standard)s has no clause sharing %(number)s.")
            % {"standard": org_standard, "number": clause.number}
        )
    obj = link.target
    if obj is None:
        raise ValidationError(_("The linked object no longer exists."))
    evidence_link(
        actor=actor, organization=org_standard.organization, clause=target, obj=obj, note=link.note
    )


def evidence_unlink(*, actor: User, link: EvidenceLink) -> None:
    obj = link.target
    if obj is None:
        raise ValidationError(_("The linked object no longer exists."))
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
    """Create or change a process of the process map (a change needs its `expected_version`)."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    m2m = {name: list(values.pop(name)) for name in PROCESS_M2M if name in values}
    for name in ("interacts_with", "sites", "departments"):
        check_same_organization(organization, name, m2m.get(name))
    if process is not None and any(p.pk == process.pk for p in m2m.get("interacts_with", [])):
        raise ValidationError({"interacts_with": _("A process cannot interact with itself.")})

    def check(current: Process) -> None:
        check_assignable(organization, current.owner, "owner")
        if (
            Process.objects.filter(organization=organization, name__iexact=current.name)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise ValidationError({"name": _("Another process already has this name.")})

    return model_save(
        model=Process,
        instance=process,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=PROCESS_FIELDS,
        expected_version=expected_version,
        action="standards.process",
        validate=check,
        related=m2m,
        clean_exclude=("organization", "owner"),
    )


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
        raise ValidationError({"title": _("Say what is to be done.")})
    check_assignable(organization, owner, "owner")
    return model_create(
        model=RoadmapAction,
        organization=organization,
        actor=actor,
        fields={
            "title": title.strip()[:255],
            "owner": owner,
            "due_on": due_on,
            "notes": notes.strip(),
        },
        allowed=ROADMAP_FIELDS,
        action="standards.roadmap.created",
        defaults={"clause": clause, "created_by": actor},
        clean_exclude=("organization", "owner", "clause", "created_by"),
    )


def roadmap_action_update(
    *,
    actor: User,
    action: RoadmapAction,
    expected_version: int,
    reason: str = "",
    **values: Any,
) -> RoadmapAction:
    """Change a roadmap action; cancelling one needs a reason."""
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    was_cancelled = action.status == RoadmapAction.Status.CANCELLED

    def check(current: RoadmapAction) -> None:
        if not current.title:
            raise ValidationError({"title": _("Say what is to be done.")})
        check_assignable(current.organization, current.owner, "owner")
        if (
            current.status == RoadmapAction.Status.CANCELLED
            and not was_cancelled
            and not reason.strip()
        ):
            raise ValidationError({"status": _("Give a reason for cancelling the action.")})
        current.follow_status_with_done_on(timezone.localdate())

    current, _changes = model_update(
        instance=action,
        actor=actor,
        fields=values,
        # done_on follows the status (check() sets it), so it is compared and recorded too.
        allowed=ROADMAP_TRAIL_FIELDS,
        expected_version=expected_version,
        action="standards.roadmap.updated",
        reason=reason,
        validate=check,
        clean_exclude=("organization", "owner", "clause", "created_by"),
    )
    return current


# --- Applicability -------------------------------------------------------------------------

RETIRED_NOTE = (
    "“Not applicable” is no longer a gap-assessment status (%(date)s): %(outcome)s. "
    "Former notes: %(notes)s"
)


def retire_not_applicable_assessments(organization: Organization | None = None) -> int:
    """Turn assessments once set to "not applicable" into the register of applicability.

    A clause the standard lets be excluded becomes an exclusion of every chosen standard it
    belongs to, with the assessment's notes as the justification; an Annex A control becomes a
    "not applicable" line of the Statement of Applicability (unless the SoA already decides
    it). What cannot be excluded goes back to "not started". Each step is in the audit trail
    and the assessment's notes say what happened. Returns the number of assessments changed.
    """
    today = timezone.localdate().isoformat()
    qs = Assessment.objects.filter(status="na").select_related("organization", "clause", "hs")
    if organization is not None:
        qs = qs.filter(organization=organization)
    changed = 0
    for assessment in qs:
        org = assessment.organization
        justification = assessment.notes.strip() or _(
            "Assessed as not applicable in the gap analysis (no reason recorded)."
        )
        clauses: list[Clause] = (
            [assessment.clause]
            if assessment.clause is not None
            else list(Clause.objects.filter(hs_id=assessment.hs_id))
        )
        outcomes: list[str] = []
        with transaction.atomic():
            for clause in clauses:
                for org_standard in OrgStandard.objects.filter(
                    organization=org, edition_id=clause.edition_id
                ):
                    outcomes.append(
                        _retire_one(org_standard, clause, justification)
                        or _("%(standard)s %(number)s cannot be left out and applies")
                        % {"standard": org_standard, "number": clause.number}
                    )
            before = assessment.status
            outcome = "; ".join(outcomes) or _("no chosen standard has the requirement")
            assessment.status = Assessment.Status.NOT_STARTED
            assessment.notes = RETIRED_NOTE % {
                "date": today,
                "outcome": outcome,
                "notes": assessment.notes.strip() or "—",
            }
            assessment.version += 1
            assessment.save(update_fields=["status", "notes", "version"])
            trail.record(
                action="standards.assessment.status_changed",
                actor=None,
                actor_label="pdca",
                organization=org,
                obj=assessment,
                changes={"status": [before, assessment.status]},
                reason=outcome,
            )
        changed += 1
    return changed


def _retire_one(org_standard: OrgStandard, clause: Clause, justification: str) -> str:
    """Record one requirement as not applicable where allowed; what was done, or ""."""
    if not clause.may_be_excluded:
        return ""
    org = org_standard.organization
    if clause.kind == Clause.Kind.CONTROL:
        if SoAEntry.objects.filter(org_standard=org_standard, clause=clause).exists():
            return _("%(number)s already decided in the Statement of Applicability") % {
                "number": clause.number
            }
        entry = SoAEntry.objects.create(
            organization=org,
            org_standard=org_standard,
            clause=clause,
            applicable=False,
            justification=justification,
        )
        trail.record(
            action="standards.soa.updated",
            actor=None,
            actor_label="pdca",
            organization=org,
            obj=entry,
            changes={
                "control": [None, clause.number],
                **trail.created_fields(entry, ("applicable", "justification")),
            },
        )
        return _("%(number)s recorded as not applicable in the Statement of Applicability") % {
            "number": clause.number
        }
    exclusion, created = Exclusion.objects.get_or_create(
        org_standard=org_standard,
        clause=clause,
        defaults={"organization": org, "justification": justification},
    )
    if not created and exclusion.is_active:
        return _("%(number)s already excluded") % {"number": clause.number}
    if not created:
        exclusion.is_active, exclusion.justification = True, justification
        exclusion.save(update_fields=["is_active", "justification"])
    trail.record(
        action="standards.exclusion.declared",
        actor=None,
        actor_label="pdca",
        organization=org,
        obj=org_standard,
        changes={"excluded": [None, clause.number], "justification": [None, justification]},
    )
    return _("%(standard)s %(number)s recorded as an exclusion") % {
        "standard": org_standard,
        "number": clause.number,
    }

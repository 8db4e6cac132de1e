"""Every write of the ISMS risk assessment (ISO/IEC 27001 6.1.2, 6.1.3, 8.2, 8.3): the asset
inventory, an entry's scenario (assets, threat, confidentiality, integrity, availability), the
Annex A controls its treatment needs, and the assessment runs kept as dated result sets."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.updating import check_same_organization, model_save, model_update
from pdca.risks.models import AssessmentResult, AssessmentRun, Asset, Risk
from pdca.risks.services import method_in_force
from pdca.standards.models import Clause, OrgStandard

ASSET_FIELDS = ("name", "kind", "owner", "description", "is_active")
SCENARIO_FIELDS = ("threat", "confidentiality", "integrity", "availability", "assets")


def asset_save(
    *,
    actor: User,
    organization: Organization,
    asset: Asset | None,
    expected_version: int | None,
    fields: dict[str, Any],
) -> Asset:
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the asset.")})
    if fields.get("kind") not in Asset.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of asset.")})
    check_assignable(organization, fields.get("owner"), "owner")
    clash = Asset.objects.filter(organization=organization, name__iexact=name)
    if asset is not None:
        clash = clash.exclude(pk=asset.pk)
    if clash.exists():
        raise ValidationError({"name": _("This asset is already in the inventory.")})
    return model_save(
        model=Asset,
        instance=asset,
        organization=organization,
        actor=actor,
        fields={**fields, "name": name},
        allowed=ASSET_FIELDS,
        expected_version=expected_version,
        action="risks.asset",
    )


def scenario_set(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    threat: str,
    confidentiality: bool,
    integrity: bool,
    availability: bool,
    assets: Iterable[Asset] = (),
) -> Risk:
    """The information security scenario of an entry: a threat that would cost at least one
    of confidentiality, integrity and availability, over assets of the inventory."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    assets = list(assets)
    check_same_organization(organization, "assets", assets)
    if not threat.strip():
        raise ValidationError({"threat": _("Describe the threat or scenario.")})
    if not (confidentiality or integrity or availability):
        raise ValidationError(
            {
                "confidentiality": _(
                    "Say which of confidentiality, integrity and availability would be lost."
                )
            }
        )
    updated, _changes = model_update(
        instance=risk,
        actor=actor,
        fields={
            "threat": threat.strip(),
            "confidentiality": confidentiality,
            "integrity": integrity,
            "availability": availability,
        },
        related={"assets": assets},
        allowed=SCENARIO_FIELDS,
        expected_version=expected_version,
        action="risks.risk.scenario_set",
    )
    return updated


def annex_controls(organization: Organization) -> Any:
    """The Annex A controls of the organization's ISO/IEC 27001 editions."""
    editions = OrgStandard.objects.filter(
        organization=organization, edition__standard__code="iso27001"
    ).values("edition_id")
    return Clause.objects.filter(edition__in=editions, kind=Clause.Kind.CONTROL, children=None)


def controls_set(
    *, actor: User, risk: Risk, expected_version: int | None, controls: Iterable[Clause]
) -> Risk:
    """The controls the entry's treatment needs, each an Annex A control of the organization's
    ISO/IEC 27001 (compared with Annex A, 6.1.3 c)."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    controls = list(controls)
    allowed = set(annex_controls(organization).values_list("pk", flat=True))
    foreign = [c for c in controls if c.pk not in allowed]
    if foreign:
        raise ValidationError(
            {
                "controls": _("Not an Annex A control of your ISO/IEC 27001: %(numbers)s")
                % {"numbers": ", ".join(c.number for c in foreign)}
            }
        )
    updated, _changes = model_update(
        instance=risk,
        actor=actor,
        fields={},
        related={"controls": controls},
        allowed=("controls",),
        expected_version=expected_version,
        action="risks.risk.controls_set",
    )
    return updated


def isms_risks(organization: Organization) -> Any:
    """Open entries with an information security scenario."""
    return Risk.objects.filter(organization=organization, status=Risk.Status.OPEN).exclude(
        confidentiality=False, integrity=False, availability=False
    )


def assessment_run(
    *, actor: User, organization: Organization, reason: str, notes: str = ""
) -> AssessmentRun:
    """Keep today's levels of every open ISMS risk as a dated result set (8.2), in one insert
    of the results and one trail entry."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    if reason not in AssessmentRun.Reason.values:
        raise ValidationError({"reason": _("Say why the assessment is run.")})
    method = method_in_force(organization)
    with transaction.atomic():
        Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
        rows = list(
            isms_risks(organization)
            .select_related("method")
            .values_list(
                "pk",
                "owner_id",
                "method_id",
                "likelihood",
                "consequence",
                "score",
                "treatment",
                "residual_score",
                "accepted_at",
            )
        )
        stale = sum(1 for r in rows if r[2] != method.pk)
        if stale:
            raise ValidationError(
                _(
                    "%(n)s risks are scored under an older method version: assess them under "
                    "version %(number)s before the run."
                )
                % {"n": stale, "number": method.number}
            )
        if not rows:
            raise ValidationError(_("No open information security risk to assess."))
        last = AssessmentRun.objects.filter(organization=organization).aggregate(n=Max("number"))
        threshold = method.acceptance_threshold
        run = AssessmentRun.objects.create(
            organization=organization,
            number=(last["n"] or 0) + 1,
            run_on=timezone.localdate(),
            reason=reason,
            notes=notes.strip(),
            method=method,
            run_by=actor,
            risk_count=len(rows),
            above_count=sum(1 for r in rows if r[5] > threshold),
        )
        AssessmentResult.objects.bulk_create(
            [
                AssessmentResult(
                    run=run,
                    risk_id=pk,
                    owner_id=owner,
                    likelihood=lk,
                    consequence=c,
                    score=score,
                    acceptable=score <= threshold,
                    treatment=treatment,
                    residual_score=residual,
                    accepted=accepted is not None,
                )
                for pk, owner, _m, lk, c, score, treatment, residual, accepted in rows
            ],
            batch_size=500,
        )
        trail.record(
            action="risks.run.created",
            actor=actor,
            organization=organization,
            obj=run,
            changes={
                "number": [None, run.number],
                "reason": [None, reason],
            },
        )
    return run

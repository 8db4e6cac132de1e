"""The Statement of Applicability approved as a signed revision (ISO/IEC 27001 6.1.3 d)).

The Statement's lines live in the standards app; approving it here keeps them as they are on
that day (decision, justification, the reasons for inclusion, implementation status) in a new
revision, signed by top management or the management representative with the password.
Revisions are never changed or deleted; readiness counts the Statement once one is approved."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from pdca.core.access import ensure_allowed
from pdca.core.models import Organization, User
from pdca.core.signatures import confirm_password
from pdca.core.updating import model_create, model_save
from pdca.risks.models import ControlReason, ReasonKind, SoARevision
from pdca.standards.models import OrgStandard
from pdca.standards.registry import soa_reasons

# The trail entry names these; the lines themselves are the revision's content.
REVISION_FIELDS = ("org_standard", "number", "note", "approved_by", "approved_at")


def soa_standards(organization: Organization) -> Any:
    """The organization's ISO/IEC 27001 standards, the ones with a Statement of Applicability."""
    return OrgStandard.objects.filter(
        organization=organization, edition__standard__code="iso27001"
    ).select_related("edition__standard")


IMPLEMENTED = ("implemented", "verified")
REASON_FIELDS = ("clause", "kind", "reference", "is_active")


def current_lines(org_standard: OrgStandard) -> list[dict[str, Any]]:
    """The Statement's lines as they stand (a fixed number of queries)."""
    from pdca.standards.selectors import gap_analysis

    lines, _result, _data = gap_analysis(org_standard)
    controls = [line for line in lines if line.clause.kind == "control" and line.clause.is_leaf]
    reasons = soa_reasons(org_standard, [line.clause.id for line in controls])
    return [
        {
            "number": line.clause.number,
            "title": line.clause.title,
            "applicable": None if line.soa is None else line.soa["applicable"],
            "justification": "" if line.soa is None else line.soa["justification"],
            "reasons": [label for label, _url in reasons.get(line.clause.id, [])],
            "status": line.assessment.status,
        }
        for line in controls
    ]


def without_reason(lines: list[dict[str, Any]]) -> list[str]:
    """Controls marked implemented that no risk and no other reason calls for (flagged)."""
    return [
        line["number"]
        for line in lines
        if line["applicable"] and not line["reasons"] and line["status"] in IMPLEMENTED
    ]


def approval_refusal(lines: list[dict[str, Any]]) -> str:
    """Why the Statement cannot be approved as it stands, or ""."""
    undecided = [line["number"] for line in lines if line["applicable"] is None]
    if undecided:
        return _(
            "%(n)s Annex A controls have no decision yet (%(numbers)s): decide every control "
            "before approving the Statement."
        ) % {"n": len(undecided), "numbers": ", ".join(undecided[:5])}
    needed = [line["number"] for line in lines if line["applicable"] is False and line["reasons"]]
    if needed:
        return _(
            "Controls needed by risks are excluded (%(numbers)s): include them or change the "
            "risks' treatment first."
        ) % {"numbers": ", ".join(needed)}
    return ""


def soa_approve(*, actor: User, org_standard: OrgStandard, note: str, password: str) -> SoARevision:
    """Approve the Statement as it stands as its next revision, signed with the password."""
    organization = org_standard.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.approve_soa")
    if org_standard.edition.standard.code != "iso27001":
        raise ValidationError(_("Only ISO/IEC 27001 has a Statement of Applicability."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what this revision changes.")})
    lines = current_lines(org_standard)
    refusal = approval_refusal(lines)
    if refusal:
        raise ValidationError(refusal)
    confirm_password(
        actor=actor,
        password=password,
        organization=organization,
        obj=org_standard,
        refused_action="risks.soa.approval_refused",
    )
    with transaction.atomic():
        # Lock the standard's row so two approvals cannot take the same number.
        OrgStandard.objects.select_for_update(no_key=True).filter(pk=org_standard.pk).first()
        last = SoARevision.objects.filter(org_standard=org_standard).aggregate(n=Max("number"))
        return model_create(
            model=SoARevision,
            organization=organization,
            actor=actor,
            fields={
                "org_standard": org_standard,
                "number": (last["n"] or 0) + 1,
                "note": note,
                "approved_by": actor,
                "approved_at": timezone.now(),
            },
            defaults={
                "lines": lines,
                "applicable_count": sum(1 for line in lines if line["applicable"]),
                "excluded_count": sum(1 for line in lines if line["applicable"] is False),
            },
            allowed=REVISION_FIELDS,
            action="risks.soa.approved",
        )


def latest_revision(org_standard: OrgStandard) -> SoARevision | None:
    return (
        SoARevision.objects.filter(org_standard=org_standard)
        .select_related("approved_by")
        .order_by("-number")
        .first()
    )


def changed_since(revision: SoARevision | None, lines: list[dict[str, Any]]) -> list[str]:
    """The controls whose line differs from the approved revision's."""
    if revision is None:
        return []
    before = {line["number"]: line for line in revision.lines}
    return [line["number"] for line in lines if before.get(line["number"]) != line]


def approved_standards(organization: Any) -> set[int]:
    """The org standards with an approved revision (readiness's 6.1.3 d) item; one query)."""
    with scopes_disabled():  # readiness is computed outside requests too
        return set(
            SoARevision.objects.filter(organization=organization).values_list(
                "org_standard_id", flat=True
            )
        )


def reason_save(
    *,
    actor: User,
    organization: Organization,
    reason: ControlReason | None,
    expected_version: int | None,
    fields: dict[str, Any],
) -> ControlReason:
    """Add or change a reason for including a control other than a risk (a law, a contract, a
    business requirement, best practice); withdrawn by unticking "still a reason"."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    from pdca.risks.isms import annex_controls

    clause = fields.get("clause")
    if clause is None or not annex_controls(organization).filter(pk=clause.pk).exists():
        raise ValidationError({"clause": _("Choose an Annex A control of your ISO/IEC 27001.")})
    if fields.get("kind") not in ReasonKind.values:
        raise ValidationError({"kind": _("Say what kind of reason it is.")})
    reference = (fields.get("reference") or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Name the law, contract or requirement.")})
    return model_save(
        model=ControlReason,
        instance=reason,
        organization=organization,
        actor=actor,
        fields={**fields, "reference": reference},
        allowed=REASON_FIELDS,
        expected_version=expected_version,
        action="risks.reason",
    )


def soa_other_reasons(org_standard: Any, clause_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The reasons other than risks for each control (one query), for the Statement's lines."""
    from django.urls import reverse

    slug = org_standard.organization.slug
    found: dict[int, list[tuple[str, str]]] = {}
    rows = ControlReason.objects.filter(
        organization_id=org_standard.organization_id, clause_id__in=clause_ids, is_active=True
    ).order_by("clause_id", "kind", "pk")
    for reason in rows:
        url = reverse("risks:reason_edit", kwargs={"org": slug, "pk": reason.pk})
        found.setdefault(reason.clause_id, []).append((str(reason), url))
    return found

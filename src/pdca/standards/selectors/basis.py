"""What readiness reads from the audit and improvement modules, without importing them.

The standards app comes first and never imports the modules built on it: it looks their models
up by label, and an installation without one of them simply has nothing of that kind.
"""

from typing import Any

from django.apps import apps
from django.db.models import Model


def other_model(label: str) -> type[Model] | None:
    """The model `app_label.Model` when its app is installed, else None."""
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def closed_internal_audits(organization: Any) -> Any:
    """The organization's closed internal audits (a queryset), or None without the module."""
    audit = other_model("audits.Audit")
    if audit is None:
        return None
    return audit._default_manager.filter(
        organization=organization, kind="internal", status="closed"
    )


def audited_clause_ids(organization: Any, among: list[int] | None = None) -> set[int]:
    """Clauses (of `among`, or all) named by a closed internal audit of the organization."""
    audits = closed_internal_audits(organization)
    if audits is None:
        return set()
    through = audits.model.clauses.through  # type: ignore[attr-defined]
    rows = through.objects.filter(audit__in=audits)
    if among is not None:
        rows = rows.filter(clause_id__in=among)
    return set(rows.values_list("clause_id", flat=True).distinct())


def open_nonconformity_clause_ids(organization: Any, among: list[int] | None = None) -> set[int]:
    """Clauses an open nonconformity names, or an audit finding graded a nonconformity
    that has not been raised as one yet (both mean the clause is not verified)."""
    result: set[int] = set()
    nc = other_model("improvement.Nonconformity")
    if nc is not None:
        through = nc.clauses.through  # type: ignore[attr-defined]
        result.update(
            through.objects.filter(
                nonconformity__organization=organization,
                nonconformity__status__in=nc.OPEN_STATUSES,  # type: ignore[attr-defined]
                **({"clause_id__in": among} if among is not None else {}),
            )
            .values_list("clause_id", flat=True)
            .distinct()
        )
    finding = other_model("audits.Finding")
    if finding is not None:
        findings = finding._default_manager.filter(
            organization=organization, grade__in=["minor", "major"], clause__isnull=False
        )
        if among is not None:
            findings = findings.filter(clause_id__in=among)
        if nc is not None:
            from django.contrib.contenttypes.models import ContentType

            raised = nc._default_manager.filter(
                organization=organization,
                source_type=ContentType.objects.get_for_model(finding),
            ).values("source_id")
            findings = findings.exclude(pk__in=raised)
        # Without the model's ordering, which would make DISTINCT return every finding.
        result.update(findings.order_by().values_list("clause_id", flat=True).distinct())
    return result

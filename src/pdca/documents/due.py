"""What document control contributes to the due-item registry: the periodic review of every
effective document, on its next review date, and the check of a document of external origin for
a new edition, on its date, for its owner; only documents the viewer may see (their
confidentiality)."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.core.visibility import visible_q
from pdca.documents.models import DocType, Document, DocumentStatus
from pdca.standards.due import evidence_of_standard, evidence_standards


def _documents_due(
    query: DueQuery, date_field: str, *, kind: str, label: str, **filters: object
) -> list[DueItem]:
    """Effective documents falling due on `date_field`, as the viewer may see them."""
    qs = Document.objects.filter(
        organization=query.organization,
        status=DocumentStatus.EFFECTIVE,
        **{f"{date_field}__isnull": False},
        **query.date_range(date_field),
        **filters,
    )
    if query.viewer is not None:
        qs = qs.filter(
            visible_q(query.viewer, level="confidentiality", roles="allowed_roles", owner="owner")
        )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Document, query.standard))
    rows = list(
        query.cut(
            qs.order_by(date_field, "pk").values_list(
                "pk",
                "number",
                "title",
                date_field,
                "owner_id",
                "owner__full_name",
                "department_id",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Document, [row[0] for row in rows])
    url = url_maker("documents:detail", query.organization)
    return [
        DueItem(
            kind=kind,
            kind_label=label,
            title=f"{number} {title}",
            due_on=due_on,
            url=url(pk),
            model="documents.document",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            department_id=department_id,
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=due_on < query.today,
        )
        for (
            pk,
            number,
            title,
            due_on,
            owner_id,
            owner_name,
            department_id,
            updated_at,
            version,
        ) in rows
    ]


def document_reviews_due(query: DueQuery) -> list[DueItem]:
    return _documents_due(
        query, "next_review_date", kind="documents.review", label=_("Document review")
    )


def edition_checks_due(query: DueQuery) -> list[DueItem]:
    return _documents_due(
        query,
        "next_edition_check",
        kind="documents.edition_check",
        label=_("Check for a new edition"),
        doc_type=DocType.EXTERNAL,
    )

"""What document control contributes to the due-item registry: the periodic review of every
effective document, on its next review date, and the check of a document of external origin for
a new edition, on its date, for its owner; only documents the viewer may see (their
confidentiality)."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.core.visibility import visible_q
from pdca.documents.models import DocType, Document, DocumentStatus
from pdca.standards.due import evidence_of_standard, evidence_standards


def document_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Document.objects.filter(
        organization=query.organization,
        status=DocumentStatus.EFFECTIVE,
        next_review_date__isnull=False,
        **query.date_range("next_review_date"),
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
            qs.order_by("next_review_date", "pk").values_list(
                "pk",
                "number",
                "title",
                "next_review_date",
                "owner_id",
                "owner__full_name",
                "department_id",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Document, [row[0] for row in rows])
    label = _("Document review")
    url = url_maker("documents:detail", query.organization)
    return [
        DueItem(
            kind="documents.review",
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


def edition_checks_due(query: DueQuery) -> list[DueItem]:
    qs = Document.objects.filter(
        organization=query.organization,
        doc_type=DocType.EXTERNAL,
        status=DocumentStatus.EFFECTIVE,
        next_edition_check__isnull=False,
        **query.date_range("next_edition_check"),
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
            qs.order_by("next_edition_check", "pk").values_list(
                "pk",
                "number",
                "title",
                "next_edition_check",
                "owner_id",
                "owner__full_name",
                "department_id",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Document, [row[0] for row in rows])
    label = _("Check for a new edition")
    url = url_maker("documents:detail", query.organization)
    return [
        DueItem(
            kind="documents.edition_check",
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

"""Reads of document control: the master list, a document's page, reading lists, attention."""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.attention import Attention, OnboardingStep, capped_count
from pdca.core.permissions import can
from pdca.documents import search
from pdca.documents.models import (
    Acknowledgement,
    Document,
    DocumentStatus,
    Revision,
    RevisionStatus,
    Signature,
)


def visible_documents(membership: Any) -> QuerySet[Document]:
    """The organization's documents the member may see (documents.policies.visible)."""
    return visible_rows(membership, Document)


def effective_of_processes(membership: Any, process_ids: list[int]) -> list[Document]:
    """The effective documents of these processes that `membership` may see, by process and
    number, with their current revision: what an audit of the processes checks practice against."""
    return list(
        visible_documents(membership)
        .filter(process_id__in=process_ids, status=DocumentStatus.EFFECTIVE)
        .select_related("current_revision")
        .defer("search_text", "search_vector", "current_revision__text")
        .order_by("process_id", "number")
    )


def master_list(
    membership: Any, data: dict[str, Any], today: datetime.date | None = None
) -> QuerySet[Document]:
    """The filtered master list; `data` is a filter form's cleaned data."""
    today = today or timezone.localdate()
    qs = visible_documents(membership)
    if data.get("doc_type"):
        qs = qs.filter(doc_type=data["doc_type"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("owner"):
        qs = qs.filter(owner=data["owner"])
    if data.get("clause"):
        qs = qs.filter(pk__in=_evidence_ids(membership.organization, data["clause"]))
    review = data.get("review")
    if review == "overdue":
        qs = qs.filter(status=DocumentStatus.EFFECTIVE, next_review_date__lt=today)
    elif review == "due":
        # Disjoint from "overdue": the two dashboard cards count different documents.
        qs = qs.filter(
            status=DocumentStatus.EFFECTIVE,
            next_review_date__gte=today,
            next_review_date__lte=today + datetime.timedelta(days=30),
        )
    if data.get("q"):
        qs = search.search(qs, data["q"])
    return (
        qs.select_related("owner", "department", "current_revision", "latest_revision")
        # The list never shows text: leave the large columns in the database.
        .defer(
            "search_text",
            "search_vector",
            "current_revision__text",
            "latest_revision__text",
            "owner__password",
        )
        .order_by("number")
    )


def _evidence_ids(organization: Any, clause: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from pdca.standards.models import EvidenceLink

    return EvidenceLink.objects.filter(
        organization=organization,
        clause__number=clause.strip(),
        content_type=ContentType.objects.get_for_model(Document),
    ).values("object_id")


def document_page(document: Document) -> dict[str, Any]:
    revisions = list(document.revisions.select_related("author").order_by("-seq"))
    signatures = list(
        Signature.objects.filter(revision__document=document).order_by("signed_at", "pk")
    )
    by_rev: dict[int, list[Any]] = {}
    for s in signatures:
        by_rev.setdefault(s.revision_id, []).append(s)
    for rev in revisions:
        rev.signature_list = by_rev.get(rev.pk, [])  # type: ignore[attr-defined]
    return {"revisions": revisions}


def acknowledgement_summary(revision: Revision | None, limit: int = 200) -> dict[str, Any]:
    if revision is None:
        return {"acks": [], "done": 0, "total": 0}
    totals = revision.acknowledgements.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    acks = list(
        revision.acknowledgements.select_related("user").order_by(
            "acknowledged_at", "user__full_name"
        )[:limit]
    )
    return {"acks": acks, "done": totals["done"], "total": totals["total"]}


def reading_list(membership: Any) -> QuerySet[Acknowledgement]:
    return (
        Acknowledgement.objects.filter(
            organization=membership.organization,
            user_id=membership.user_id,
            acknowledged_at__isnull=True,
            revision__status=RevisionStatus.EFFECTIVE,
        )
        .select_related("revision", "revision__document")
        .order_by("assigned_at", "pk")
    )


def awaiting_signature(membership: Any) -> QuerySet[Revision]:
    uid = membership.user_id
    return (
        Revision.objects.filter(
            organization=membership.organization, status=RevisionStatus.IN_REVIEW
        )
        .filter(Q(document__reviewers=uid) | Q(document__approvers=uid))
        .select_related("document")
        .distinct()
    )


def documents_attention(membership: Any) -> list[Attention]:
    """Reviews due on my documents, my pending reading, revisions waiting for my signature.

    Each card counts the rows of the list it opens, through that list's own selector."""
    if not can(membership, "documents.view"):
        return []
    org = membership.organization.slug
    items: list[Attention] = []
    base = reverse("documents:list", kwargs={"org": org})
    mine = {"owner": membership.user_id}
    overdue = capped_count(master_list(membership, {**mine, "review": "overdue"}))
    if overdue:
        items.append(
            Attention(
                _("Document reviews overdue"),
                f"{base}?owner={membership.user_id}&review=overdue",
                overdue,
                "danger",
                module="documents",
            )
        )
    due = capped_count(master_list(membership, {**mine, "review": "due"}))
    if due:
        items.append(
            Attention(
                _("Document reviews due within 30 days"),
                f"{base}?owner={membership.user_id}&review=due",
                due,
                "warning",
                module="documents",
            )
        )
    if can(membership, "documents.read_list"):
        pending = reading_list(membership).count()
        if pending:
            items.append(
                Attention(
                    _("Documents to read and acknowledge"),
                    reverse("documents:reading", kwargs={"org": org}),
                    pending,
                    "warning",
                    module="documents",
                )
            )
        to_sign = capped_count(
            master_list(membership, {}).filter(
                pk__in=awaiting_signature(membership).values("document_id")
            )
        )
        if to_sign:
            items.append(
                Attention(
                    _("Revisions waiting for your signature"),
                    f"{base}?awaiting=me",
                    to_sign,
                    "info",
                    module="documents",
                )
            )
    return items


def onboarding_documents(membership: Any) -> list[OnboardingStep]:
    """The dashboard's first step of document control: the first document loaded."""
    if not can(membership, "documents.manage"):
        return []
    org = membership.organization
    step = OnboardingStep(
        _("Load documents"),
        Document.objects.filter(organization=org).exists(),
        reverse("documents:create", kwargs={"org": org.slug}),
        _("The policies, procedures and forms you already have."),
        icon="file-text",
    )
    return [step]

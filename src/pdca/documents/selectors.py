"""Reads of document control: the master list, a document's page, reading lists, attention."""

import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
    Meaning,
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


def _round_start() -> Coalesce:
    """When the revision's current review round began: at its last rejection, or its creation
    (the same rule as services._review_round_start, in SQL)."""
    last_rejection = (
        Signature.objects.filter(revision=OuterRef("pk"), meaning=Meaning.REJECTED)
        .order_by("-signed_at")
        .values("signed_at")[:1]
    )
    return Coalesce(Subquery(last_rejection), F("created_at"))


def _signing_queue(membership: Any) -> tuple[QuerySet[Revision], Q, Q]:
    """Revisions in review of the organization, with the two conditions on them: it is the
    member's turn to sign, and the member approves once the reviewers have all signed."""
    uid = membership.user_id
    reviewers = Document.reviewers.through.objects
    approvers = Document.approvers.through.objects
    reviewed_since_round = Signature.objects.filter(
        meaning=Meaning.REVIEWED, signed_at__gte=OuterRef(OuterRef("round_start"))
    )
    qs = Revision.objects.filter(
        organization=membership.organization, status=RevisionStatus.IN_REVIEW
    ).annotate(round_start=_round_start())
    reviewer_missing = Exists(
        reviewers.filter(document_id=OuterRef("document_id"))
        .exclude(user_id=uid)
        .exclude(
            user_id__in=reviewed_since_round.filter(revision=OuterRef(OuterRef("pk"))).values(
                "user_id"
            )
        )
    )
    is_reviewer = Exists(reviewers.filter(document_id=OuterRef("document_id"), user_id=uid))
    is_approver = Exists(approvers.filter(document_id=OuterRef("document_id"), user_id=uid))
    i_reviewed = Exists(
        Signature.objects.filter(
            revision=OuterRef("pk"),
            user_id=uid,
            meaning=Meaning.REVIEWED,
            signed_at__gte=OuterRef("round_start"),
        )
    )
    approver = Q(is_approver) & ~Q(author_id=uid)
    my_turn = (Q(is_reviewer) & ~Q(i_reviewed)) | (approver & ~Q(reviewer_missing))
    waiting = approver & Q(reviewer_missing) & ~(Q(is_reviewer) & ~Q(i_reviewed))
    return qs, my_turn, waiting


def awaiting_signature(membership: Any) -> QuerySet[Revision]:
    """Revisions in review whose next signature is the member's: as a reviewer who has not
    yet signed this round, or as an approver once every reviewer has."""
    qs, my_turn, _waiting = _signing_queue(membership)
    return qs.filter(my_turn).select_related("document")


def awaiting_reviewers(membership: Any) -> QuerySet[Revision]:
    """Revisions the member is to approve that still wait on a reviewer's signature."""
    qs, _my_turn, waiting = _signing_queue(membership)
    return qs.filter(waiting).select_related("document")


def signing_turn(revision: Revision, user_id: int) -> dict[str, Any]:
    """Where the member stands on a revision in review: the meanings they may sign now, and
    the reviewers an approval still waits on."""
    from pdca.core.models import User

    empty: dict[str, Any] = {"meanings": [], "waiting_on": [], "approver": False}
    if revision.status != RevisionStatus.IN_REVIEW:
        return empty
    doc = revision.document
    reviewer_ids = set(doc.reviewers.values_list("pk", flat=True))
    is_approver = doc.approvers.filter(pk=user_id).exists()
    last = revision.signatures.filter(meaning=Meaning.REJECTED).order_by("-signed_at").first()
    start = last.signed_at if last else revision.created_at
    reviewed = set(
        revision.signatures.filter(meaning=Meaning.REVIEWED, signed_at__gte=start).values_list(
            "user_id", flat=True
        )
    )
    meanings: list[str] = []
    if user_id in reviewer_ids and user_id not in reviewed:
        meanings.append(Meaning.REVIEWED)
    missing = reviewer_ids - reviewed - {user_id}
    approver = is_approver and revision.author_id != user_id
    if approver and not missing:
        meanings.append(Meaning.APPROVED)
    if meanings:
        meanings.append(Meaning.REJECTED)
    waiting_on = (
        list(User.objects.filter(pk__in=missing).order_by("full_name", "email"))
        if approver and missing
        else []
    )
    return {"meanings": meanings, "waiting_on": waiting_on, "approver": approver}


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
        waiting = awaiting_reviewers(membership).count()
        if waiting:
            items.append(
                Attention(
                    _("Revisions you approve, waiting on the reviewers"),
                    f"{base}?awaiting=reviewers",
                    waiting,
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

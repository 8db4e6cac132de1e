"""Who is told what about documents: reviewers and approvers when a revision waits for their
signature, the author when it is signed or rejected, the people it is distributed to when it
takes effect. Called from the services inside their transaction; the e-mails go after the
commit (pdca.core.notifications). A periodic review's reminders come from the due-item
registry (pdca.core.reminders)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.core.models import User
from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.documents.models import Meaning, Revision

REVISION = ("document",)


def register() -> None:
    register_kinds(
        NotificationKind(
            "documents.review_requested",
            _("A revision waits for your review"),
            _("%(title)s waits for your review and signature."),
            permission="documents.view",
            mandatory=True,
            related=REVISION,
        ),
        NotificationKind(
            "documents.approval_requested",
            _("A revision waits for your approval"),
            _("%(title)s has been reviewed and waits for your approval."),
            permission="documents.view",
            mandatory=True,
            related=REVISION,
        ),
        NotificationKind(
            "documents.revision_signed",
            _("Your revision was signed"),
            _("%(by)s signed %(title)s."),
            permission="documents.view",
            related=REVISION,
        ),
        NotificationKind(
            "documents.revision_rejected",
            _("Your revision was rejected"),
            _("%(by)s rejected %(title)s: %(comment)s"),
            permission="documents.view",
            related=REVISION,
        ),
        NotificationKind(
            "documents.reading_assigned",
            _("A document to read"),
            _("%(title)s is now effective: read it and confirm on your reading list."),
            permission="documents.view",
            related=REVISION,
        ),
    )


def _title(revision: Revision) -> str:
    return f"{revision.document} (rev. {revision.label})"


def _url(revision: Revision) -> str:
    return reverse(
        "documents:revision", kwargs={"org": revision.organization.slug, "pk": revision.pk}
    )


def signatures_requested(
    *, actor: User | None, revision: Revision, round_start: datetime.datetime
) -> None:
    """The reviewers while any has still to sign; the approvers once every reviewer has."""
    doc = revision.document
    reviewers = set(doc.reviewers.values_list("pk", flat=True))
    reviewed = set(
        revision.signatures.filter(
            meaning=Meaning.REVIEWED, signed_at__gte=round_start
        ).values_list("user_id", flat=True)
    )
    waiting = reviewers - reviewed
    if waiting:
        notify(
            kind="documents.review_requested",
            organization=revision.organization,
            recipients=waiting,
            obj=revision,
            key=f"documents.review_requested:{revision.pk}:{round_start.isoformat()}",
            title=_title(revision),
            url=_url(revision),
            exclude=[actor],
        )
        return
    notify(
        kind="documents.approval_requested",
        organization=revision.organization,
        recipients=doc.approvers.values_list("pk", flat=True),
        obj=revision,
        key=f"documents.approval_requested:{revision.pk}:{round_start.isoformat()}",
        title=_title(revision),
        url=_url(revision),
        exclude=[actor, revision.author_id],
    )


def revision_signed(*, actor: User, revision: Revision, meaning: str, comment: str) -> None:
    """Tell the author that someone signed (reviewed, approved) or rejected their revision."""
    rejected = meaning == Meaning.REJECTED
    notify(
        kind="documents.revision_rejected" if rejected else "documents.revision_signed",
        organization=revision.organization,
        recipients=[revision.author_id],
        obj=revision,
        key=f"documents.revision_signed:{revision.pk}:v{revision.version}",
        title=_title(revision),
        url=_url(revision),
        data={"by": actor.display_name, "comment": comment[:300]},
        exclude=[actor],
    )


def reading_assigned(*, revision: Revision, user_ids: list[int]) -> None:
    notify(
        kind="documents.reading_assigned",
        organization=revision.organization,
        recipients=user_ids,
        obj=revision,
        key=f"documents.reading_assigned:{revision.pk}",
        title=_title(revision),
        url=_url(revision),
    )

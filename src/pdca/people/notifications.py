"""Telling people they are invited to a training session (the reminders of what falls due,
expiring competences included, come from the due-item registry)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.people.models import AwarenessItem, TrainingSession


def register() -> None:
    register_kinds(
        NotificationKind(
            "people.session_invited",
            _("Invited to a training session"),
            _("You are invited to the training %(title)s."),
            permission="people.view",
        ),
        NotificationKind(
            "people.retraining",
            _("Retraining needed after a new revision"),
            _("A new revision needs training: %(title)s."),
            permission="people.view",
        ),
        NotificationKind(
            "people.awareness_asked",
            _("Asked to acknowledge an awareness item"),
            _("Please read and acknowledge: %(title)s."),
            permission="people.view",
        ),
    )


def invited(*, session: TrainingSession, user_ids: list[int]) -> None:
    """After the commit: each person invited is told once per session."""

    def send() -> None:
        notify(
            kind="people.session_invited",
            organization=session.organization,
            recipients=user_ids,
            obj=session,
            key=f"people.session_invited:{session.pk}",
            url=reverse(
                "people:session", kwargs={"org": session.organization.slug, "pk": session.pk}
            ),
            title=str(session),
        )

    transaction.on_commit(send)


def asked_again(*, item: AwarenessItem, user_ids: list[int]) -> None:
    """After the commit: each person the item concerns is asked once per round."""

    def send() -> None:
        notify(
            kind="people.awareness_asked",
            organization=item.organization,
            recipients=user_ids,
            obj=item,
            key=f"people.awareness_asked:{item.pk}:{item.round}",
            url=reverse("people:awareness", kwargs={"org": item.organization.slug, "pk": item.pk}),
            title=str(item),
        )

    transaction.on_commit(send)

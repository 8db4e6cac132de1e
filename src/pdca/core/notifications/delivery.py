"""Sending notifications by e-mail: one at once, or a person's daily digest.

Each mail has a text and an HTML part, in the recipient's language, with a one-click absolute
link to the object. The row is locked while its mail is sent, so two workers never send the
same one; a mail server that refuses or times out leaves the in-app notification as it is,
records the failure and the attempt, and the task is queued again with a growing delay.
"""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pdca.core.models import EmailStatus, Membership, Notification, User
from pdca.core.notifications.registry import KINDS, kind_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def base_url() -> str:
    return str(getattr(settings, "PDCA_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: 1, 2, 4, 8 … minutes."""
    return int(60 * 2 ** max(0, attempts - 1))


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def still_visible(n: Notification) -> bool:
    """Whether the recipient may still see the notification's object (checked at send time)."""
    from pdca.core.notifications import may_see

    kind = KINDS.get(n.kind)
    if kind is None:
        return False
    membership = (
        Membership.objects.current()
        .filter(organization_id=n.organization_id, user_id=n.recipient_id)
        .select_related("organization")
        .first()
    )
    if membership is None and not kind.code.startswith("core."):
        return False
    obj = None
    if n.target_type is not None and n.target_id:
        model = n.target_type.model_class()
        obj = model._base_manager.filter(pk=n.target_id).first() if model else None
        if obj is None:
            return False  # the object is gone
    return may_see(membership, kind, obj)


def _item(n: Notification, base: str) -> dict[str, Any]:
    kind = kind_for(n.kind)
    link = kind.email_link(n, base) if kind.email_link else (base + n.url if n.url else base)
    return {"sentence": kind.sentence(n.title, n.data), "link": link, "kind": kind.label}


def _send(user: User, subject: str, context: dict[str, Any], template: str) -> None:
    with translation.override(_language(user)):
        context = {**context, "user": user, "subject": subject}
        text = render_to_string(f"core/notifications/{template}.txt", context)
        html = render_to_string(f"core/notifications/{template}.html", context)
        mail = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
        mail.attach_alternative(html, "text/html")
        mail.send()


def deliver(notification_id: int) -> str:
    """Send one notification's e-mail; returns its e-mail status afterwards."""
    from django_scopes import scopes_disabled

    with scopes_disabled(), transaction.atomic():
        n = (
            Notification.objects.select_for_update(no_key=True, of=("self",))
            .select_related("recipient", "organization", "target_type")
            .filter(pk=notification_id)
            .first()
        )
        if n is None or n.email_status not in (EmailStatus.PENDING, EmailStatus.FAILED):
            return n.email_status if n else ""
        if not still_visible(n):
            n.email_status = EmailStatus.NOT_SENT
            n.save(update_fields=["email_status", "updated_at"])
            return n.email_status
        n.email_attempts += 1
        try:
            with translation.override(_language(n.recipient)):
                item = _item(n, base_url())
                subject = f"[{n.organization.name}] {item['sentence']}"[:200]
            _send(n.recipient, subject, {"item": item, "org": n.organization}, "email")
        except Exception as exc:
            logger.warning("Notification %s: e-mail failed: %s", n.pk, exc)
            n.email_status = EmailStatus.FAILED
            n.email_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            n.email_status = EmailStatus.SENT
            n.emailed_at = timezone.now()
            n.email_error = ""
        n.save(
            update_fields=[
                "email_status",
                "email_attempts",
                "email_error",
                "emailed_at",
                "updated_at",
            ]
        )
        return n.email_status


def send_digest(user_id: int, day: datetime.date) -> int:
    """Send one person their digest of everything waiting for it; returns how many it held."""
    from django_scopes import scopes_disabled

    with scopes_disabled(), transaction.atomic():
        user = (
            User.objects.select_for_update(no_key=True).filter(pk=user_id, is_active=True).first()
        )
        if user is None:
            return 0
        waiting = list(
            Notification.objects.select_for_update(no_key=True, of=("self",))
            .filter(recipient=user, email_status=EmailStatus.DIGEST)
            .select_related("organization", "target_type")
            .order_by("organization__name", "created_at")
        )
        shown = [n for n in waiting if still_visible(n)]
        if shown:
            base = base_url()
            with translation.override(_language(user)):
                items = [{**_item(n, base), "org": n.organization.name} for n in shown]
                subject = _("Your pdca digest of %(day)s: %(count)s notification(s)") % {
                    "day": day.isoformat(),
                    "count": len(items),
                }
            # A refusal raises: the rows stay waiting and the task is tried again.
            _send(user, subject, {"items": items, "day": day}, "digest")
        now = timezone.now()
        Notification.objects.filter(pk__in=[n.pk for n in shown]).update(
            email_status=EmailStatus.SENT, emailed_at=now, email_attempts=1, updated_at=now
        )
        Notification.objects.filter(pk__in=[n.pk for n in waiting if n not in shown]).update(
            email_status=EmailStatus.NOT_SENT, updated_at=now
        )
        return len(shown)


def digest_recipients() -> list[int]:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return sorted(
            set(
                Notification.objects.filter(email_status=EmailStatus.DIGEST).values_list(
                    "recipient_id", flat=True
                )
            )
        )

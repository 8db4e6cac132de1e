"""The kinds of notification, registered by each app from its AppConfig.ready().

A kind names what happened (`documents.review_requested`), the sentence a person reads (with
`%(title)s` for the object and any of the notification's data), the permission the recipient
needs on the object to be told about it (checked when it is sent and again when it is shown),
and whether it may be turned off. Kinds that cannot be turned off (a signature requested of
you, your access ending) are always e-mailed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from pdca.core.models.notifications import Delivery


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise
    message: str | Promise
    permission: str = ""  # "" when the notification is about the recipient themself
    mandatory: bool = False
    default: str = Delivery.IMMEDIATE
    # What the object rule of `permission` reads, loaded with the list's objects.
    related: tuple[str, ...] = ()
    # The e-mail's link when it is not the object's page (an invitation's password link),
    # built when the mail is sent: (notification, base URL) -> absolute URL.
    email_link: Callable[[Any, str], str] | None = None

    def sentence(self, title: str, data: dict[str, Any]) -> str:
        return str(self.message) % {"title": title, **data}


KINDS: dict[str, NotificationKind] = {}


def register_kinds(*kinds: NotificationKind) -> None:
    for kind in kinds:
        if kind.mandatory and kind.default == Delivery.APP:
            raise ValueError(f"{kind.code}: a kind that cannot be turned off must be e-mailed")
        KINDS[kind.code] = kind


def kind_for(code: str) -> NotificationKind:
    try:
        return KINDS[code]
    except KeyError:
        raise KeyError(f"Notification kind {code!r} is not registered") from None

"""Sending one delivery: the address check, the signature and the HTTP request.

A receiver verifies a delivery by computing HMAC-SHA-256 over "<timestamp>.<body>" with the
endpoint's secret and comparing it with the `X-Pdca-Signature` header ("sha256=<hex>"); it
refuses a timestamp (`X-Pdca-Timestamp`, Unix seconds) more than five minutes old, so a
recorded delivery cannot be replayed later. `X-Pdca-Delivery` is the delivery's id: the same id
twice is the same event retried."""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 6  # then the delivery has failed
DISABLE_AFTER = 5  # failed deliveries in a row before the endpoint is switched off


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def private_allowed() -> bool:
    """The platform administrator's choice (PDCA_WEBHOOKS_ALLOW_PRIVATE): addresses inside
    the network, which an organization could otherwise use to probe it."""
    return bool(getattr(settings, "PDCA_WEBHOOKS_ALLOW_PRIVATE", False))


def check_address(url: str) -> None:
    """Refuse what pdca must not call: not HTTPS, or a private, loopback or link-local address
    (unless the administrator allows those, for receivers inside the network)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError({"url": _("Give an https:// address.")})
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, parts.port or 443)}
    except (socket.gaierror, UnicodeError, ValueError):
        raise ValidationError({"url": _("No server answers to this name.")}) from None
    inside = any(_is_inside(address) for address in found)
    if inside and not private_allowed():
        raise ValidationError(
            {
                "url": _(
                    "This address is inside a private network; the administrator has not "
                    "allowed webhooks to such addresses."
                )
            }
        )
    if parts.scheme != "https" and not inside:
        raise ValidationError({"url": _("Give an https:// address.")})


def _is_inside(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def post(
    *, url: str, secret: str, event: str, delivery_id: str, payload: dict[str, Any]
) -> tuple[int | None, str]:
    """Send once: (the receiver's HTTP status, "") or (status or None, what went wrong)."""
    try:
        check_address(url)  # again: the name may point elsewhere since it was registered
    except ValidationError as error:
        return None, "; ".join(error.messages)[:300]
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    # check_address() allowed only http and https.
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "pdca-webhooks/1",
            "X-Pdca-Event": event,
            "X-Pdca-Delivery": delivery_id,
            "X-Pdca-Timestamp": str(timestamp),
            "X-Pdca-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, _("The receiver answered %(status)s.") % {"status": error.code}
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, (_("Not reached: %(reason)s") % {"reason": reason})[:300]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to call (it could point inside the network)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: 30 s, 2, 8, 32 minutes, then about 2 hours."""
    return int(30 * 4 ** max(0, attempts - 1))

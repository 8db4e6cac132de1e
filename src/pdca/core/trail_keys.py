"""The secret keys that seal the audit trail, and the HMAC that every seal is.

Entry hashes and checkpoints are HMAC-SHA-256 under a key that is not in the database, so an
attacker who can rewrite the database cannot recompute a chain that `pdca verify-trail`
accepts. Each seal names its key by a key id (a fingerprint of the key, never the key), so
that keys can be rotated: the key in use seals, the retired keys listed after it still verify
what they sealed (`settings.TRAIL_KEYS`, README "Deploying for many users").
"""

import functools
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class UnknownTrailKey(Exception):
    """A seal names a key that this installation does not hold."""


def key_id(key: str) -> str:
    """The public name of a key: 16 hex digits derived from it, from which it cannot be found."""
    return hmac.digest(key.encode(), b"pdca trail key id", "sha256").hex()[:16]


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]

    def key(self, kid: str) -> bytes:
        try:
            return self.keys[kid]
        except KeyError:
            raise UnknownTrailKey(kid) from None

    def seal(self, data: bytes, kid: str | None = None) -> str:
        """The HMAC-SHA-256 of `data` under the key `kid` (the current key by default)."""
        return hmac.digest(self.key(kid or self.current_id), data, "sha256").hex()

    def matches(self, data: bytes, kid: str, mac: str) -> bool:
        return hmac.compare_digest(self.seal(data, kid), mac)


@functools.cache
def keyring() -> KeyRing:
    """The installation's keys, read once per process from the settings."""
    keys: list[str] = list(getattr(settings, "TRAIL_KEYS", []))
    if not keys:
        raise ImproperlyConfigured("No audit-trail key: set PDCA_TRAIL_KEY or PDCA_TRAIL_KEY_FILE.")
    return KeyRing(current_id=key_id(keys[0]), keys={key_id(k): k.encode() for k in keys})


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "TRAIL_KEYS":
        keyring.cache_clear()


def canonical(data: Any) -> bytes:
    """The one byte form that is sealed: sorted keys, no spaces, the same on every database."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pdca.core.trail_keys import canonical, keyring

GENESIS_HASH = "0" * 64
# Chain key for entries that belong to no organization (sign-ins, account changes).
GLOBAL_CHAIN = 0


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit-trail entry."""


class TrailEntryQuerySet(models.QuerySet["TrailEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit-trail entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit-trail entries cannot be deleted.")

    def for_object(self, obj: models.Model) -> "TrailEntryQuerySet":
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class TrailChain(models.Model):
    """The head of one hash chain: the last sequence number and hash, locked while appending.

    `topics` holds, per topic (an app's prefix of the actions, see core.caching), the sequence
    number of its last entry, and under "*" that of the last entry that changes any figure:
    cached figures key on the topics they read, so that a write elsewhere leaves them cached."""

    key = models.BigIntegerField(primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    topics = models.JSONField(_("last entry per topic"), default=dict, blank=True)

    class Meta:
        verbose_name = _("trail chain")
        verbose_name_plural = _("trail chains")

    def __str__(self) -> str:
        return f"chain {self.key} at {self.last_seq}"


class TrailEntry(models.Model):
    """One event in the tamper-evident audit trail.

    Entries form one chain per organization (and one for events outside any organization):
    each carries the hash of its predecessor, so altering or removing any entry breaks every
    hash after it. The hash is an HMAC-SHA-256 under a key kept outside the database
    (`key_id` names which), so that the chain cannot be recomputed from the database alone.
    `pdca verify-trail` recomputes the chains and compares their heads with the signed
    checkpoints written outside the database (`pdca trail-checkpoint`).
    """

    chain = models.BigIntegerField(editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when (UTC)"))
    actor = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # pdca's own id of the request; the id a client or proxy sent, if it was well-formed, is
    # kept apart so that nobody can pass theirs off as pdca's.
    request_id = models.CharField(max_length=36, blank=True)
    client_request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True)
    hash = models.CharField(max_length=64)

    objects = TrailEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trail entry")
        verbose_name_plural = _("trail entries")
        ordering = ["-chain", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="trail_unique_position")
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"], name="trail_object"),
            models.Index(fields=["chain", "action", "seq"], name="trail_chain_action"),
            models.Index(fields=["chain", "actor_label", "seq"], name="trail_chain_actor"),
            models.Index(fields=["chain", "at"], name="trail_chain_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit-trail entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit-trail entries cannot be deleted.")

    def payload(self) -> dict[str, Any]:
        """The fields the hash covers, in a form that is the same on every database."""
        return entry_payload(self)

    def compute_hash(self) -> str:
        """The seal of this entry under the key its `key_id` names (UnknownTrailKey if this
        installation does not hold that key)."""
        return keyring().seal(canonical(self.payload()), self.key_id)

    def seal(self) -> None:
        """Set `key_id` and `hash`: sealed under the key in use."""
        self.key_id = keyring().current_id
        self.hash = self.compute_hash()


def entry_payload(entry: Any) -> dict[str, Any]:
    """What an entry's seal covers. A plain function so that migrations can seal their
    historical model instances exactly as the live model does."""
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "organization": entry.organization_id,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "reason": entry.reason,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "client_request_id": entry.client_request_id,
        "prev_hash": entry.prev_hash,
        "key_id": entry.key_id,
    }

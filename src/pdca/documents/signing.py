"""Electronic signatures: the password is entered again, and the signature is bound to a hash
of exactly what was signed (the revision's content hash and the signature's own metadata)."""

import datetime
import hashlib
import json

from django.utils import timezone

from pdca.core.models import User
from pdca.core.signatures import confirm_password
from pdca.documents.models import Revision, Signature


def signed_payload(
    *, revision: Revision, user: User, meaning: str, comment: str, at: datetime.datetime
) -> dict[str, str]:
    return {
        "document": revision.document.number,
        "title": revision.document.title,
        "revision": revision.label,
        "content_sha256": revision.content_hash,
        "meaning": meaning,
        "comment": comment,
        "signer": user.email,
        "signer_name": user.display_name,
        "signed_at": at.isoformat(),
    }


def canonical(payload: dict[str, str]) -> str:
    """The exact text the signature record hash is taken of (JSON, keys sorted), shown to
    readers so they can hash it again themselves."""
    return json.dumps(payload, sort_keys=True)


def payload_hash(payload: dict[str, str]) -> str:
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def signature_record(signature: Signature) -> str:
    """The signed record of a signature as it would be recomputed today: hashing it gives the
    stored signature hash exactly when nothing it covers has changed."""
    return canonical(
        signed_payload(
            revision=signature.revision,
            user=signature.user,
            meaning=signature.meaning,
            comment=signature.comment,
            at=signature.signed_at,
        )
    )


def verify_password(*, actor: User, password: str, revision: Revision, meaning: str) -> None:
    """Refuse (and record the refusal) when the signer's password is wrong."""
    confirm_password(
        actor=actor,
        password=password,
        organization=revision.organization,
        obj=revision,
        refused_action="documents.signature.failed",
        meaning=meaning,
    )


def sign(*, actor: User, revision: Revision, meaning: str, comment: str = "") -> Signature:
    at = timezone.now()
    payload = signed_payload(revision=revision, user=actor, meaning=meaning, comment=comment, at=at)
    return Signature.objects.create(
        organization=revision.organization,
        revision=revision,
        user=actor,
        full_name=actor.display_name,
        meaning=meaning,
        comment=comment,
        signed_at=at,
        content_hash=revision.content_hash,
        signed_hash=payload_hash(payload),
    )


def verify_signature(signature: Signature) -> bool:
    """Whether the signature still matches the revision it was made on."""
    record = signature_record(signature)
    return hashlib.sha256(record.encode()).hexdigest() == signature.signed_hash

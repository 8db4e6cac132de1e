"""Linking any object as evidence for clauses: the one entry point other modules call."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from pdca.core import trail
from pdca.core.actions import register_actions
from pdca.core.models import Organization, User
from pdca.standards.models import Clause, EvidenceLink

register_actions(
    {
        "standards.evidence.linked": _("Evidence linked to a clause"),
        "standards.evidence.unlinked": _("Evidence unlinked from a clause"),
    }
)


def evidence_set(
    *,
    actor: User | None,
    organization: Organization,
    obj: models.Model,
    clauses: Iterable[Clause],
    note: str = "",
) -> None:
    """Make `obj` the evidence for exactly `clauses`: adds missing links, removes others."""
    ct = ContentType.objects.get_for_model(obj)
    wanted = {c.pk: c for c in clauses}
    with transaction.atomic():
        existing = {
            link.clause_id: link
            for link in EvidenceLink.objects.filter(
                organization=organization, content_type=ct, object_id=obj.pk
            ).select_related("clause")
        }
        for clause_id, link in existing.items():
            if clause_id not in wanted:
                link.delete()
                trail.record(
                    action="standards.evidence.unlinked",
                    actor=actor,
                    organization=organization,
                    obj=obj,
                    changes={"clause": [link.clause.number, None]},
                )
        for clause_id, clause in wanted.items():
            if clause_id in existing:
                continue
            EvidenceLink.objects.create(
                organization=organization,
                clause=clause,
                content_type=ct,
                object_id=obj.pk,
                label=str(obj)[:255],
                note=note,
                created_by=actor,
            )
            trail.record(
                action="standards.evidence.linked",
                actor=actor,
                organization=organization,
                obj=obj,
                changes={"clause": [None, f"{clause.edition.label} {clause.number}"]},
            )


def clauses_for(organization: Organization, obj: models.Model) -> list[Clause]:
    ct = ContentType.objects.get_for_model(obj)
    return list(
        Clause.objects.filter(
            evidence_links__organization=organization,
            evidence_links__content_type=ct,
            evidence_links__object_id=obj.pk,
        )
        .select_related("edition")
        .order_by("edition__standard__code", "sort_key")
    )

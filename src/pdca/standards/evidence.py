"""Linking any object as evidence for clauses: the one entry point other modules call."""

from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from pdca.core import trail
from pdca.core.actions import register_actions
from pdca.core.models import Organization, User
from pdca.standards.models import Clause, EvidenceLink, RequiredInformation
from pdca.standards.registry import EVIDENCE_KINDS

# Harmonized-structure clauses whose evidence belongs to one discipline: the scope, the policy,
# the objectives and the monitoring results of quality are not those of OH&S or security. The
# evidence of any other shared clause (an audit programme, a management review, the
# nonconformities) may be confirmed for the standards it also serves.
DISCIPLINE_SPECIFIC_HS = ("4.3", "5.2", "6.2", "9.1")

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
    items: Mapping[int, RequiredInformation | None] | None = None,
) -> None:
    """Make `obj` the evidence for exactly `clauses`: adds missing links, removes others.

    `items` names, per clause id, the mandatory item a new link proves (see EvidenceLink)."""
    items = items or {}
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
            item = items.get(clause_id)
            EvidenceLink.objects.create(
                organization=organization,
                clause=clause,
                required=item,
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
                changes={
                    "clause": [None, f"{clause.edition.label} {clause.number}"],
                    **({"item": [None, str(item)]} if item is not None else {}),
                },
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


def evidence_kind_of(obj: models.Model) -> str | None:
    """The documented-information kind objects of this model are ("maintain", "retain"), if any."""
    name = obj._meta.label_lower
    return next((kind for kind, names in EVIDENCE_KINDS.items() if name in names), None)


def carries_over(clause: Clause) -> bool:
    """May evidence linked to `clause` be confirmed for another standard sharing it?"""
    if not clause.hs_id:
        return False
    number = clause.hs.number
    return not any(number == n or number.startswith(n + ".") for n in DISCIPLINE_SPECIFIC_HS)

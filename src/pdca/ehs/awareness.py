"""The registers in the awareness people acknowledge (14001 7.3 c, 45001 7.3 d): an awareness
item on significant aspects, or on hazards and risks, lists the current ones; a new
significant aspect or a newly high risk asks everyone concerned to acknowledge again."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from pdca.ehs.models import Aspect, EntryStatus, Hazard

ASPECTS, HAZARDS = "aspects", "hazards"  # the people app's awareness kinds


def significant_aspects(organization: Any, limit: int) -> list[tuple[str, str]]:
    rows = Aspect.objects.filter(
        organization=organization, status=EntryStatus.ACTIVE, significant=True
    ).order_by("-score", "pk")[:limit]
    slug = organization.slug
    return [(str(a), reverse("ehs:aspect", kwargs={"org": slug, "pk": a.pk})) for a in rows]


def high_risks(organization: Any, limit: int) -> list[tuple[str, str]]:
    rows = Hazard.objects.filter(
        organization=organization, status=EntryStatus.ACTIVE, high=True
    ).order_by("-score", "pk")[:limit]
    slug = organization.slug
    return [(str(h), reverse("ehs:hazard", kwargs={"org": slug, "pk": h.pk})) for h in rows]


def register() -> None:
    from pdca.people.awareness import register_content

    register_content(ASPECTS, significant_aspects)
    register_content(HAZARDS, high_risks)


def newly(actor: Any, entry: Any, was: bool, now: bool) -> None:
    """Tell awareness when an aspect became significant or a hazard's risk became high."""
    from django.apps import apps

    if was or not now or not apps.is_installed("pdca.people"):
        return
    from pdca.people.awareness import ask_again_for

    if isinstance(entry, Aspect):
        kind, why = ASPECTS, _("“%(entry)s” is now a significant environmental aspect.")
    else:
        kind, why = HAZARDS, _("“%(entry)s” is now a high OH&S risk.")
    ask_again_for(
        actor=actor, organization=entry.organization, kind=kind, reason=why % {"entry": entry}
    )


NAMED = 5  # the aspects a reason names; the rest are counted


def newly_significant(actor: Any, organization: Any, aspects: list[Aspect]) -> None:
    """Tell awareness once of the aspects new significance criteria made significant."""
    from django.apps import apps
    from django.utils.translation import ngettext

    if not aspects or not apps.is_installed("pdca.people"):
        return
    from pdca.people.awareness import ask_again_for

    names = ", ".join(f"“{a}”" for a in aspects[:NAMED])
    more = len(aspects) - NAMED
    if more > 0:
        names += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    why = _("The new significance criteria make these aspects significant: %(names)s.")
    ask_again_for(
        actor=actor, organization=organization, kind=ASPECTS, reason=why % {"names": names}
    )

"""What an awareness item of a kind covers today, as the modules that keep it register it: the
significant environmental aspects and the high OH&S risks are in their registers, and an item
of that kind shows the current ones beside its text (14001 7.3 c, 45001 7.3 d), so that the
material people acknowledge is never a stale copy."""

from collections.abc import Callable
from typing import Any

# kind -> fn(organization, limit) -> [(label, url)], the current entries first.
CONTENT: dict[str, Callable[[Any, int], list[tuple[str, str]]]] = {}


def register_content(kind: str, fn: Callable[[Any, int], list[tuple[str, str]]]) -> None:
    CONTENT[kind] = fn


def content_of(item: Any, limit: int = 50) -> list[tuple[str, str]] | None:
    """The entries the item's kind covers now; None when no module keeps that kind."""
    fn = CONTENT.get(item.kind)
    return None if fn is None else fn(item.organization, limit)


def ask_again_for(*, actor: Any, organization: Any, kind: str, reason: str) -> int:
    """Ask everyone concerned to acknowledge again the organization's items of `kind` in use
    (what they cover changed, e.g. an aspect became significant). Returns how many."""
    from pdca.people.models import AwarenessItem
    from pdca.people.services import awareness_ask_again

    items = AwarenessItem.objects.filter(organization=organization, kind=kind, is_active=True)
    asked = 0
    for item in items:
        awareness_ask_again(actor=actor, item=item, reason=reason, check_permission=False)
        asked += 1
    return asked

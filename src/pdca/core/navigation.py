"""The modules shown in the navigation. Each app registers its entries in `AppConfig.ready()`;
an entry is shown only to members whose roles allow its permission, so a module that does not
exist, or that a role cannot use, never appears."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from pdca.core.permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100
    icon: str = ""


NAV: list[NavItem] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in NAV:
            NAV.append(item)
    NAV.sort(key=lambda i: (i.order, i.label))


def nav_for(membership, current_path: str) -> list[dict]:  # type: ignore[no-untyped-def]
    slug = membership.organization.slug
    entries: list[dict[str, Any]] = [
        {
            "label": item.label,
            "url": reverse(item.url_name, kwargs={"org": slug}),
            "icon": item.icon,
        }
        for item in NAV
        if can(membership, item.permission)
    ]
    # The entry whose address is the longest prefix of the current page is the active one, so
    # /standards/processes/ highlights "Processes", not also "Standards".
    matches: list[str] = [e["url"] for e in entries if current_path.startswith(e["url"])]
    active = max(matches, key=len, default=None)
    for entry in entries:
        entry["active"] = entry["url"] == active
    return entries

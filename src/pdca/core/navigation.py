"""The modules shown in the navigation. Each app registers its entries in `AppConfig.ready()`;
an entry is shown only to members whose roles allow its permission, so a module that does not
exist, or that a role cannot use, never appears."""

from dataclasses import dataclass

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
    entries = []
    slug = membership.organization.slug
    for item in NAV:
        if not can(membership, item.permission):
            continue
        url = reverse(item.url_name, kwargs={"org": slug})
        home = reverse("core:dashboard", kwargs={"org": slug})
        active = current_path == url if url == home else current_path.startswith(url)
        entries.append({"label": item.label, "url": url, "active": active, "icon": item.icon})
    return entries

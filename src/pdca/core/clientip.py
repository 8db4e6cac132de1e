"""The client's address, also behind the TLS-terminating proxies the operator trusts.

`X-Forwarded-For` is read only when the request comes from a trusted proxy (the setting
`TRUSTED_PROXIES`, from `PDCA_TRUSTED_PROXIES`: addresses or networks). Each proxy appends the
address it received the request from, so the list is read from the right, skipping trusted
proxies: the first address that is not one is the client. Whatever a client writes into the
header itself stays to the left of that and is never believed, and a trusted proxy's own
address is never taken for the client (it would make one throttle key of everybody).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"PDCA_TRUSTED_PROXIES: {entry!r} is not an address or network."
            ) from error
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: plain, `[v6]` or `[v6]:port`, or `v4:port`."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent the request, as far as pdca can know it."""
    remote = parse_address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy writes addresses only: the rest of the header is not its own.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)

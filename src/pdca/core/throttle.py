"""One throttle for every password (and token) that pdca checks.

Signing in, re-entering the password to sign electronically, changing the password, turning
two-factor sign-in off, the code of two-factor sign-in and API tokens all count their failures
here, on the same counters:

- per account at one address (`LOGIN_FAILURE_LIMIT` failures, then a pause),
- per account across all addresses (`ACCOUNT_FAILURE_LIMIT`), against guessing from many
  machines,
- per address across all accounts (`ADDRESS_FAILURE_LIMIT`), against trying a few passwords on
  every account; an IPv6 address counts with its whole /64, which one machine can hold.

Past a limit every further failure pauses the counter for a growing delay (`LOGIN_DELAY_SECONDS`,
doubled each time up to `LOGIN_MAX_DELAY_SECONDS`) instead of locking the account for long, so
that nobody can lock another person out by failing on purpose: an address from which the
account has signed in before is not paused by failures elsewhere (only by its own). During a
pause the password is not even checked, and nothing is written to the audit trail, which
therefore holds at most a limit's worth of failures per delay.

The counters live in Django's cache: with several application servers it must be the shared
one (`PDCA_REDIS_URL`), or each server counts for itself. The client address comes from the
request context (`core.clientip`, behind trusted proxies).
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pdca.core import context
from pdca.core.models import User

logger = logging.getLogger(__name__)

PREFIX = "pdca:throttle"
# A counter is forgotten a day after its last failure; an address stays known for 90 days.
WINDOW_SECONDS = 24 * 3600
KNOWN_SECONDS = 90 * 24 * 3600


def clock() -> float:
    """The time the throttle goes by (a function so that tests can move it forward)."""
    return time.time()


@dataclass(frozen=True)
class Counter:
    rule: str  # "pair" (account at an address), "account" or "address"
    key: str  # the cache key's stem

    @property
    def limit(self) -> int:
        name = {"pair": "LOGIN", "account": "ACCOUNT", "address": "ADDRESS"}[self.rule]
        return int(getattr(settings, f"{name}_FAILURE_LIMIT"))


class PasswordThrottled(ValidationError):
    """Too many wrong passwords: refused without checking, for `wait` more seconds."""

    def __init__(self, wait: int, field: str = "password") -> None:
        self.wait = wait
        super().__init__({field: too_many_attempts(wait)})


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def _address_key(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _account(account: str | None) -> str:
    return (account or "").strip().lower()


def _counters(account: str | None, ip: str | None) -> list[Counter]:
    who, where = _account(account), _address_key(ip) if ip else ""
    counters = []
    if who and where:
        counters.append(Counter("pair", f"{PREFIX}:pair:{_digest(who, where)}"))
    if who:
        counters.append(Counter("account", f"{PREFIX}:account:{_digest(who)}"))
    if where:
        counters.append(Counter("address", f"{PREFIX}:address:{_digest(where)}"))
    return counters


def _known_key(account: str, ip: str) -> str:
    return f"{PREFIX}:known:{_digest(account, _address_key(ip))}"


def _here(ip: str | None) -> str | None:
    return ip if ip is not None else context.client_ip()


def delay_for(excess: int) -> int:
    """The pause after the `excess`-th failure at or past the limit (1 for the first)."""
    base = int(settings.LOGIN_DELAY_SECONDS)
    longest = int(settings.LOGIN_MAX_DELAY_SECONDS)
    return min(longest, base * 2 ** min(excess - 1, 30))


def wait_seconds(*, account: str | None, ip: str | None = None) -> int:
    """Seconds until `account` may try again from `ip` (the request's address by default)."""
    ip = _here(ip)
    counters = _counters(account, ip)
    if account and ip and cache.get(_known_key(_account(account), ip)):
        counters = [c for c in counters if c.rule != "account"]
    now = clock()
    untils = cache.get_many([f"{c.key}:until" for c in counters]).values()
    return max((math.ceil(until - now) for until in untils if until > now), default=0)


def failed(*, account: str | None, ip: str | None = None) -> int:
    """Count a wrong password (or token) on every counter; return the pause it starts."""
    ip = _here(ip)
    now = clock()
    pause = 0
    for counter in _counters(account, ip):
        cache.add(f"{counter.key}:n", 0, WINDOW_SECONDS)
        try:
            failures = cache.incr(f"{counter.key}:n")
        except ValueError:  # expired between add and incr
            cache.set(f"{counter.key}:n", 1, WINDOW_SECONDS)
            failures = 1
        cache.touch(f"{counter.key}:n", WINDOW_SECONDS)
        if failures < counter.limit:
            continue
        delay = delay_for(failures - counter.limit + 1)
        cache.set(f"{counter.key}:until", now + delay, delay + 60)
        pause = max(pause, delay)
        logger.warning(
            "Throttle %s paused for %d s after %d failures (account %r, address %s)",
            counter.rule,
            delay,
            failures,
            _account(account),
            ip,
        )
    return pause


def succeeded(*, account: str, ip: str | None = None) -> None:
    """The right password: the account's counter at this address restarts, and the address
    becomes one the account is known at."""
    ip = _here(ip)
    if not ip:
        return
    for counter in _counters(account, ip):
        if counter.rule == "pair":
            cache.delete_many([f"{counter.key}:n", f"{counter.key}:until"])
    cache.set(_known_key(_account(account), ip), 1, KNOWN_SECONDS)


def guard(*, account: str | None, field: str = "password") -> None:
    """Raise PasswordThrottled when `account` (or the request's address) is paused."""
    wait = wait_seconds(account=account)
    if wait:
        raise PasswordThrottled(wait, field=field)


def check_password(*, user: User, password: str, field: str = "password") -> bool:
    """The user's password, checked only when not paused, with the failure counted."""
    email = user.email
    guard(account=email, field=field)
    if password and user.check_password(password):
        succeeded(account=email)
        return True
    failed(account=email)
    return False


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def too_many_attempts(seconds: int) -> str:
    return _("Too many wrong attempts. Try again in %(wait)s.") % {"wait": wait_text(seconds)}

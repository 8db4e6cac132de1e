"""Every URL in the URLconf, opened by every role, an outsider and an anonymous visitor.

The expected outcome comes from the view's declared permission and the policy table: a role
the table allows must not be refused; any other role gets 403; a member of another
organization gets 404; an anonymous visitor is sent to sign in (pages) or refused (API).
A view that declares no permission, or a URL with no example ids, fails this test.
"""

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pdca.core.permissions import AUTHENTICATED, PUBLIC, is_declared, roles_for
from pdca.core.roles import Role
from pdca.core.testing import url_examples


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, Any, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            found.append((namespace + p.name, p.callback, prefix + str(p.pattern)))
    return found


def declared_permission(callback: Any) -> str | None:
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        if holder is None:
            continue
        permission = getattr(holder, "permission", None)
        if permission:
            return permission
        by_method = getattr(holder, "permissions", None)
        if by_method:
            return by_method.get("GET") or next(iter(by_method.values()))
    return None


ALL_URLS = _walk(get_resolver().url_patterns)


def test_every_url_declares_a_known_permission():
    missing = [name for name, cb, _ in ALL_URLS if declared_permission(cb) is None]
    assert not missing, f"Views without a declared permission: {missing}"
    unknown = [
        (name, perm)
        for name, cb, _ in ALL_URLS
        if (perm := declared_permission(cb)) not in (PUBLIC, AUTHENTICATED)
        and not is_declared(perm)
    ]
    assert not unknown, f"Permissions not in any policy table: {unknown}"


@pytest.mark.django_db
def test_every_url_behaves_as_the_policy_says(world, client):
    examples = url_examples(world)
    failures: list[str] = []
    checked = 0
    for name, callback, pattern in ALL_URLS:
        permission = declared_permission(callback)
        kwargs = dict(examples.get(name, {}))
        if "<slug:org>" in pattern:
            kwargs["org"] = world.org.slug
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            failures.append(f"{name}: no example kwargs for {pattern}")
            continue
        is_api = url.startswith("/api/")
        # Anonymous visitor.
        client.logout()
        status = client.get(url).status_code
        if permission == PUBLIC:
            if status >= 500 or status in (401, 403, 404):
                failures.append(f"{name}: public URL gave {status}")
        elif is_api and status not in (401, 403):
            failures.append(f"{name}: anonymous API call gave {status}, expected 401/403")
        elif not is_api and status != 302:
            failures.append(f"{name}: anonymous visit gave {status}, expected a redirect")
        if permission in (PUBLIC, AUTHENTICATED) or "<slug:org>" not in pattern:
            checked += 1
            continue
        allowed = roles_for(permission)  # type: ignore[arg-type]
        for role, user in world.users.items():
            client.force_login(user)
            status = client.get(url).status_code
            if (role in allowed and status in (403, 404)) or status >= 500:
                failures.append(f"{name}: {role} got {status} but the policy allows it")
            elif role not in allowed and status != 403:
                failures.append(f"{name}: {role} got {status}, expected 403")
        client.force_login(world.outsider)
        status = client.get(url).status_code
        if status != 404:
            failures.append(f"{name}: member of another organization got {status}, expected 404")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked == len(ALL_URLS)


@pytest.mark.django_db
def test_external_auditor_loses_access_after_expiry(world, client):
    import datetime

    from django.utils import timezone

    membership = world.memberships[Role.EXTERNAL_AUDITOR]
    membership.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    client.force_login(world.external)
    assert client.get(reverse("core:trail", kwargs={"org": "acme"})).status_code == 404
    assert client.get(reverse("core:dashboard", kwargs={"org": "acme"})).status_code == 404

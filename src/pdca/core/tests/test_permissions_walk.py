"""Every URL in the URLconf, opened by every role, an outsider and an anonymous visitor.

The expected outcome comes from the view's declared permission and the policy table: a role
the table allows must not be refused; any other role gets 403; a member of another
organization gets 404; an anonymous visitor is sent to sign in (pages) or refused (API).
A view that declares no permission, or a URL with no example ids, fails this test.
"""

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pdca.core.permissions import (
    AUTHENTICATED,
    PUBLIC,
    declared_by,
    has_object_rule,
    is_declared,
    permission_for_method,
    roles_for,
)
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


def _holders(callback: Any) -> list[Any]:
    return [
        h
        for h in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None))
        if h is not None
    ]


def declaration(callback: Any) -> Any:
    for holder in _holders(callback):
        declared = declared_by(holder)
        if declared:
            return declared
    return None


def declared_permission(callback: Any, method: str = "GET") -> str | None:
    declared = declaration(callback)
    if declared is None:
        return None
    if not isinstance(declared, str) and method not in declared and "*" not in declared:
        # A view that declares only POST (say) is walked with the permission it names.
        return next(iter(declared.values()))
    return permission_for_method(declared, method) or None


def declared_methods(callback: Any) -> list[str]:
    """The methods a URL serves: those a class defines, those a function view declares, or
    GET and POST for a plain function view (a 405 then says it does not serve one)."""
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return [
            m.upper()
            for m in view_class.http_method_names
            if m not in ("options", "head") and hasattr(view_class, m)
        ]
    declared = declaration(callback)
    if isinstance(declared, dict) and "*" not in declared:
        return list(declared)
    return ["GET", "POST"]


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


def _send(client: Any, method: str, url: str) -> int:
    """One request in a savepoint that is rolled back, so that a write one role makes (an
    empty POST that releases, withdraws or revokes) cannot change what the next role meets."""
    with transaction.atomic():
        if url.startswith("/api/"):
            response = client.generic(method, url, "{}", content_type="application/json")
        else:
            response = client.generic(
                method, url, "", content_type="application/x-www-form-urlencoded"
            )
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.django_db
def test_every_url_behaves_as_the_policy_says(world, client):
    """Every declared method of every URL: a role the table refuses gets 403, one it allows
    gets anything but 403/404 (403 only where an object rule may refuse this object)."""
    examples = url_examples(world)
    failures: list[str] = []
    checked = 0
    for name, callback, pattern in ALL_URLS:
        kwargs = dict(examples.get(name, {}))
        if "<slug:org>" in pattern:
            kwargs["org"] = world.org.slug
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            failures.append(f"{name}: no example kwargs for {pattern}")
            continue
        is_api = url.startswith("/api/")
        for method in declared_methods(callback):
            permission = declared_permission(callback, method)
            where = f"{method} {name}"
            # Anonymous visitor.
            client.logout()
            status = _send(client, method, url)
            if permission == PUBLIC:
                if status >= 500 or status in (401, 403, 404):
                    failures.append(f"{where}: public URL gave {status}")
            elif is_api and status not in (401, 403):
                failures.append(f"{where}: anonymous API call gave {status}, expected 401/403")
            elif not is_api and status != 302:
                failures.append(f"{where}: anonymous visit gave {status}, expected a redirect")
            if permission in (PUBLIC, AUTHENTICATED) or "<slug:org>" not in pattern:
                continue
            allowed = roles_for(permission)  # type: ignore[arg-type]
            refusable = has_object_rule(permission)  # type: ignore[arg-type]
            for role, user in world.users.items():
                client.force_login(user)
                status = _send(client, method, url)
                if status >= 500:
                    failures.append(f"{where}: {role} got {status}")
                elif role in allowed and (status == 404 or (status == 403 and not refusable)):
                    failures.append(f"{where}: {role} got {status} but the policy allows it")
                elif role not in allowed and status != 403:
                    failures.append(f"{where}: {role} got {status}, expected 403")
            client.force_login(world.outsider)
            status = _send(client, method, url)
            if status != 404:
                failures.append(f"{where}: member of another organization got {status}, not 404")
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked == len(ALL_URLS)


def test_no_view_outside_core_refuses_by_hand():
    """Refusals come from the declared permission and the policies' object rules, so that the
    walk above and the "Who may do what" page see every rule."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] != "core"
        and "tests" not in path.parts
        and (path.name in ("api.py", "views.py") or "views" in path.parts)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "raise PermissionDenied" in line
    ]
    assert not offenders, f"Views raising PermissionDenied by hand: {offenders}"


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

"""Every API endpoint loads its object through the shared loader, which applies the policy's
object rule: an endpoint cannot forget it (the audits and nonconformity endpoints once did)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


REFUSED = [
    # (who, method, URL name, example object, body, words of the policy's reason)
    ("top", "get", "api-audits-checklist", "au_audit", None, "audit team"),
    (
        "top",
        "post",
        "api-audits-findings",
        "au_audit",
        {"grade": "observation", "statement": "x"},
        "audit team",
    ),
    (
        "employee",
        "patch",
        "api-improvement-action",
        "im_action",
        {"status": "in_progress"},
        "owner",
    ),
]


@pytest.mark.parametrize(("who", "method", "name", "example", "body", "reason"), REFUSED)
def test_object_rule_refuses_with_the_policys_reason(
    world, login, who, method, name, example, body, reason
):
    client = login(getattr(world, who))
    send = getattr(client, method)
    target = url(name, pk=world.extra[example].pk)
    r = send(target, body, content_type="application/json") if body else send(target)
    assert r.status_code == 403 and reason in r.json()["detail"]


def test_the_owner_updates_the_action(world, login):
    client = login(world.owner)
    r = client.patch(
        url("api-improvement-action", pk=world.extra["im_action"].pk),
        {"status": "in_progress", "version": world.extra["im_action"].version},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()


def test_another_organizations_object_is_not_found(world, login):
    client = login(world.outsider)
    r = client.get(url("api-improvement-action", pk=world.extra["im_action"].pk))
    assert r.status_code == 404

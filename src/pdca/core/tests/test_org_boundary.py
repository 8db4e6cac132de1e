"""No member of Northwind ever reaches Acme's data, through any page or API URL."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from pdca.core.models import Department, Membership, Organization, Site, User
from pdca.core.permissions import PUBLIC
from pdca.core.tests.test_permissions_walk import ALL_URLS, declared_permission

ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _acme_ids(acme: Organization) -> dict[str, int]:
    # Real ids of Acme objects, so that a leak would show real data, not a 404 of a missing row.
    membership = Membership.objects.filter(organization=acme).order_by("pk").first()
    return {
        "site": Site.objects.filter(organization=acme).first().pk,
        "department": Department.objects.filter(organization=acme).first().pk,
        "member": membership.pk,
        "default": membership.pk,
    }


def _fill(name: str, pattern: str, ids: dict[str, int]) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    for converter, arg in ARG.findall(pattern):
        if arg == "org":
            kwargs[arg] = "acme"
        elif converter == "int":
            key = next((k for k in ids if k in name), "default")
            kwargs[arg] = ids[key]
        else:
            kwargs[arg] = "x"
    return kwargs


@pytest.mark.django_db
def test_northwind_members_get_404_on_every_acme_url():
    call_command("demo", stdout=io.StringIO())
    acme = Organization.objects.get(slug="acme")
    ids = _acme_ids(acme)
    northwind_only = [
        User.objects.get(email="mr@northwind.example"),
        User.objects.get(email="staff@northwind.example"),
    ]
    from django.test import Client

    org_urls = [
        (name, pattern)
        for name, callback, pattern in ALL_URLS
        if "<slug:org>" in pattern and declared_permission(callback) != PUBLIC
    ]
    assert len(org_urls) >= 10
    failures = []
    for user in northwind_only:
        client = Client()
        client.force_login(user)
        for name, pattern in org_urls:
            url = reverse(name, kwargs=_fill(name, pattern, ids))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = response.content.decode(errors="ignore")
                # A method the endpoint does not have is refused before anything is looked up.
                expected = (404, 405) if method == "post" else (404,)
                if response.status_code not in expected or "Acme" in body:
                    failures.append(f"{user.email} {method.upper()} {url}: {response.status_code}")
                if url.startswith("/api/") and response["Content-Type"] != "application/json":
                    failures.append(f"{url}: API 404 is not JSON")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_northwind_member_lists_only_their_organization_in_the_api():
    call_command("demo", stdout=io.StringIO())
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email="mr@northwind.example"))
    slugs = [o["slug"] for o in client.get("/api/v1/organizations/").json()["results"]]
    assert slugs == ["northwind"]
    me = client.get("/api/v1/me/").json()
    assert [o["slug"] for o in me["organizations"]] == ["northwind"]
    html = client.get(reverse("core:home"), follow=True).content.decode()
    assert "Acme" not in html


@pytest.mark.django_db
def test_outsider_gets_404_whatever_the_object_id(world, client):
    client.force_login(world.outsider)
    for pk in (world.memberships["employee"].pk, 999999):
        for url in (
            reverse("core:member_edit", kwargs={"org": "acme", "pk": pk}),
            reverse("api-member", kwargs={"org": "acme", "pk": pk}),
        ):
            assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_member_cannot_load_another_organizations_object_through_own_organization(world, client):
    # A Globex site id under Acme's URL: the object is looked up in Acme only.
    foreign_site = Site.objects.create(organization=world.other_org, name="Globex HQ")
    client.force_login(world.mr)
    url = reverse("core:site_edit", kwargs={"org": "acme", "pk": foreign_site.pk})
    assert client.get(url).status_code == 404
    foreign_member = Membership.objects.get(organization=world.other_org)
    api = reverse("api-member", kwargs={"org": "acme", "pk": foreign_member.pk})
    assert client.get(api).status_code == 404
    assert client.patch(api, {"version": 1}, content_type="application/json").status_code == 404

"""The one detail endpoint (api.base.OrgDetailAPIView): GET, and PATCH through the app's update
service with its version check, the same on every app's detail endpoint."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _url(world, name, obj):
    return reverse(name, kwargs={"org": world.org.slug, "pk": obj.pk})


@pytest.mark.parametrize(
    ("name", "example", "change"),
    [
        ("api-improvement-nc", "im_nc", {"title": "Burr on the housing edge"}),
        ("api-audits-audit", "au_audit", {"title": "Purchasing audit, spring"}),
        ("api-standards-process", "process", {"name": "Buying"}),
    ],
)
def test_a_patch_needs_the_version_and_refuses_a_stale_one(world, login, name, example, change):
    obj = world.extra[example]
    url = _url(world, name, obj)
    client = login(world.mr)
    version = client.get(url).json()["version"]

    missing = client.patch(url, change, content_type="application/json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    garbled = client.patch(url, {**change, "version": "x"}, content_type="application/json")
    assert garbled.status_code == 400
    stale = client.patch(url, {**change, "version": version - 1}, content_type="application/json")
    assert stale.status_code == 409

    saved = client.patch(url, {**change, "version": version}, content_type="application/json")
    assert saved.status_code == 200
    body = saved.json()
    assert body["version"] == version + 1
    assert all(body[field] == value for field, value in change.items())
    again = client.patch(url, {**change, "version": version}, content_type="application/json")
    assert again.status_code == 409


def test_a_read_only_detail_answers_405_to_a_change(world, login):
    client = login(world.mr)
    for name, example in [
        ("api-audits-finding", "au_finding"),
        ("api-improvement-check", "im_check"),
    ]:
        url = _url(world, name, world.extra[example])
        assert client.get(url).status_code == 200
        assert client.patch(url, {}, content_type="application/json").status_code == 405
        assert client.put(url, {}, content_type="application/json").status_code == 405


def test_put_is_the_same_change_where_an_endpoint_declares_it(world, login):
    process = world.extra["process"]
    url = _url(world, "api-standards-process", process)
    client = login(world.mr)
    version = client.get(url).json()["version"]
    response = client.put(
        url, {"name": "Buying", "version": version}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["name"] == "Buying"
    # Where PUT is not declared, there is none.
    nc_url = _url(world, "api-improvement-nc", world.extra["im_nc"])
    assert client.put(nc_url, {}, content_type="application/json").status_code == 405

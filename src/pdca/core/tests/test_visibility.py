"""Each policy's visibility rule holds on every channel: an object a member may not see is a 404
from the page loader and the API detail, and is in no list, on the pages or in the API."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Q
from django.urls import reverse

from pdca.audits.models import Audit
from pdca.core.permissions import POLICIES, Visibility, visibility_rows
from pdca.documents import services as documents
from pdca.documents.models import Document
from pdca.improvement.models import Nonconformity
from pdca.records import services as records
from pdca.records.models import Record
from pdca.records.testing import make_record_type
from pdca.standards.models import Process

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Channel:
    app: str
    model: Any
    example: str  # the world's example object (world.extra)
    page: str
    page_list: str
    api: str
    api_list: str
    text: str  # the field the list pages show

    def urls(self, world: Any, obj: Any) -> dict[str, str]:
        org = {"org": world.org.slug}
        return {
            "page": reverse(self.page, kwargs={**org, "pk": obj.pk}),
            "page_list": reverse(self.page_list, kwargs=org),
            "api": reverse(self.api, kwargs={**org, "pk": obj.pk}),
            "api_list": reverse(self.api_list, kwargs=org),
        }


CHANNELS = [
    Channel(
        "documents",
        Document,
        "document",
        "documents:detail",
        "documents:list",
        "api-documents-detail",
        "api-documents-list",
        "title",
    ),
    Channel(
        "records",
        Record,
        "record",
        "records:detail",
        "records:list",
        "api-records-detail",
        "api-records-list",
        "title",
    ),
    Channel(
        "audits",
        Audit,
        "au_audit",
        "audits:detail",
        "audits:list",
        "api-audits-audit",
        "api-audits-audits",
        "title",
    ),
    Channel(
        "improvement",
        Nonconformity,
        "im_nc",
        "improvement:detail",
        "improvement:list",
        "api-improvement-nc",
        "api-improvement-ncs",
        "title",
    ),
    Channel(
        "standards",
        Process,
        "process",
        "standards:process",
        "standards:processes",
        "api-standards-process",
        "api-standards-processes",
        "name",
    ),
]


FOUND = {"page": 200, "api": 200, "page_list": True, "api_list": True}
NOT_FOUND = {"page": 404, "api": 404, "page_list": False, "api_list": False}


def _api_ids(response: Any) -> list[int]:
    assert response.status_code == 200
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    return [row["id"] for row in rows]


def _sees(client: Any, urls: dict[str, str], obj: Any, text: str) -> dict[str, Any]:
    return {
        "page": client.get(urls["page"]).status_code,
        "api": client.get(urls["api"]).status_code,
        "page_list": text in client.get(urls["page_list"]).content.decode(),
        "api_list": obj.pk in _api_ids(client.get(urls["api_list"])),
    }


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.app)
def test_what_the_policy_hides_is_not_found_on_any_channel(world, login, monkeypatch, channel):
    obj = world.extra[channel.example]
    urls = channel.urls(world, obj)
    text = str(getattr(obj, channel.text))
    client = login(world.mr)
    assert _sees(client, urls, obj, text) == FOUND

    hidden = Visibility(
        "All but the example", rule=lambda m: ~Q(pk=obj.pk), model=channel.model._meta.label
    )
    monkeypatch.setattr(POLICIES[channel.app], "visibility", hidden)
    assert _sees(client, urls, obj, text) == NOT_FOUND


def test_a_confidential_document_is_not_found_by_an_employee_anywhere(world, login):
    secret = documents.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="policy",
        title="Salary bands",
        owner=world.mr,
        text="x",
        confidentiality="confidential",
    )
    revision = secret.revisions.get()
    org = {"org": world.org.slug}
    urls = CHANNELS[0].urls(world, secret)
    revision_api = reverse("api-documents-revision", kwargs={**org, "pk": revision.pk})
    employee = login(world.employee)
    assert _sees(employee, urls, secret, "Salary bands") == NOT_FOUND
    # What hangs off the document is hidden with it, for writes too.
    assert employee.get(revision_api).status_code == 404
    owner = login(world.owner)  # may edit documents, may not see confidential ones
    assert owner.patch(revision_api, {}, content_type="application/json").status_code == 404
    auditor = login(world.auditor)
    assert _sees(auditor, urls, secret, "Salary bands") == FOUND
    assert auditor.get(revision_api).status_code == 200


def test_a_record_of_a_restricted_type_is_not_found_by_other_roles(world, login):
    rtype = make_record_type(
        world,
        "Security incidents",
        owner=world.mr,
        confidentiality="restricted",
        allowed_roles=["owner"],
    )
    record = records.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=rtype,
        title="Incident 7",
        date=datetime.date.today(),
    )
    urls = CHANNELS[1].urls(world, record)
    type_api = reverse("api-records-type", kwargs={"org": world.org.slug, "pk": rtype.pk})
    auditor = login(world.auditor)
    assert _sees(auditor, urls, record, "Incident 7") == NOT_FOUND
    assert auditor.get(type_api).status_code == 404
    owner = login(world.owner)
    assert _sees(owner, urls, record, "Incident 7") == FOUND


def test_the_roles_page_says_each_modules_visibility_rule(world, login):
    rules = dict(visibility_rows())
    assert set(rules) >= {"documents", "records", "audits", "improvement", "standards"}
    html = login(world.employee).get(reverse("core:roles", kwargs={"org": world.org.slug}))
    text = html.content.decode()
    assert "Who sees what" in text
    assert "Confidential: management, auditors and the document&#x27;s owner" in text
    assert "Every member sees everything of the organization in this module." in text

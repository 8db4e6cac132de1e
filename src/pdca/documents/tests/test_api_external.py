"""Documents of external origin through the API: the register (issuer, reference, edition,
where obtained, next check), registering a new edition and recording an edition check, through
the same services as the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.core.dates import add_months
from pdca.core.models import TrailEntry
from pdca.core.roles import Role
from pdca.documents import external
from pdca.documents.models import Document, RevisionStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LATER = (TODAY + datetime.timedelta(days=60)).isoformat()


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def send(client, method, target, body):
    return getattr(client, method)(target, body, content_type="application/json")


def theirs(world):
    """A document of external origin of another organization."""
    return external.external_register(
        actor=world.outsider,
        organization=world.other_org,
        title="Globex spec",
        owner=world.outsider,
        issuer="Globex",
        edition="1",
        obtained_from="Mail",
        next_edition_check=TODAY + datetime.timedelta(days=30),
        text="x",
    )


REGISTER = {
    "title": "EN 10204 Inspection documents",
    "issuer": "CEN",
    "external_reference": "EN 10204",
    "edition": "2004",
    "obtained_from": "Beuth webshop",
    "next_edition_check": LATER,
    "text": "Kept in the standards folder.",
}


def test_the_register_lists_external_documents_with_their_fields(world, login):
    r = login(world.employee).get(url("api-documents-external-list"))
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [d["number"] for d in rows] == ["XDS-400"]  # never the internal documents
    row = rows[0]
    assert (row["issuer"], row["external_reference"], row["edition"], row["obtained_from"]) == (
        "Boreham Hydraulics",
        "DS-400",
        "2024",
        "Customer portal",
    )
    assert row["next_edition_check"] and row["current_revision"] == "2024"


def test_the_register_lists_in_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries
):
    for n in range(5):
        external.external_register(
            actor=world.mr,
            organization=world.org,
            title=f"Spec {n}",
            owner=world.owner,
            issuer="Boreham",
            edition="A",
            obtained_from="Portal",
            next_edition_check=TODAY + datetime.timedelta(days=10 + n),
            text="x",
        )
    client = login(world.mr)
    with django_assert_max_num_queries(12):
        r = client.get(url("api-documents-external-list"))
    assert len(r.json()["results"]) == 6


def test_registering_through_the_api_makes_it_current_at_once(world, login):
    r = send(login(world.mr), "post", url("api-documents-external-list"), REGISTER)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "effective" and body["current_revision"] == "2004"
    assert body["owner"] == world.mr.pk and body["issuer"] == "CEN"
    doc = Document.objects.get(pk=body["id"])
    assert doc.is_external and not doc.current_revision.signatures.exists()
    assert TrailEntry.objects.for_object(doc).filter(action="documents.external.registered")


def test_registering_refuses_bad_input_at_the_field(world, login):
    client = login(world.mr)
    bad = {**REGISTER, "issuer": " ", "next_edition_check": TODAY.isoformat()}
    r = send(client, "post", url("api-documents-external-list"), bad)
    assert r.status_code == 400
    assert {"issuer", "next_edition_check"} <= set(r.json()["errors"])
    r = send(client, "post", url("api-documents-external-list"), {"title": "x"})
    assert r.status_code == 400 and "edition" in r.json()["errors"]
    r = send(client, "post", url("api-documents-external-list"), {**REGISTER, "owner": 999999})
    assert r.status_code == 400 and "owner" in r.json()["errors"]
    r = send(
        client, "post", url("api-documents-external-list"), {**REGISTER, "owner": world.outsider.pk}
    )
    assert r.status_code == 400 and "owner" in r.json()["errors"]


def test_the_details_change_with_the_version_and_not_the_edition(world, login):
    doc = world.extra["external_document"]
    client = login(world.mr)
    target = url("api-documents-external", pk=doc.pk)
    r = send(
        client,
        "patch",
        target,
        {"version": doc.version, "issuer": "Boreham Hydraulics GmbH", "edition_check_months": 6},
    )
    assert r.status_code == 200, r.content
    assert r.json()["issuer"] == "Boreham Hydraulics GmbH" and r.json()["edition"] == "2024"
    assert r.json()["edition_check_months"] == 6
    stale = send(client, "patch", target, {"version": doc.version, "issuer": "Other"})
    assert stale.status_code == 409
    missing = send(client, "patch", target, {"issuer": "Other"})
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    version = r.json()["version"]
    for bad, field in (
        ({"issuer": ""}, "issuer"),
        ({"next_edition_check": TODAY.isoformat()}, "next_edition_check"),
        ({"edition_check_months": 0}, "edition_check_months"),
        ({"edition": "2030"}, "edition"),  # a new edition is registered, not edited
        ({"obtained_from": "Elsewhere"}, "obtained_from"),
    ):
        r = send(client, "patch", target, {"version": version, **bad})
        assert r.status_code == 400 and field in r.json()["errors"], bad
    doc.refresh_from_db()
    assert doc.issuer == "Boreham Hydraulics GmbH" and doc.version == version


def test_an_internal_document_is_not_an_external_one(world, login):
    internal = world.extra["document"]
    client = login(world.mr)
    assert client.get(url("api-documents-external", pk=internal.pk)).status_code == 404
    body = {"version": internal.version, "note": "x", "edition": "2", "obtained_from": "x"}
    for name in ("api-documents-external-edition", "api-documents-external-check"):
        assert send(client, "post", url(name, pk=internal.pk), body).status_code == 404


def test_a_new_edition_is_registered_and_current(world, login):
    doc = world.extra["external_document"]
    first = doc.current_revision
    client = login(world.mr)
    target = url("api-documents-external-edition", pk=doc.pk)
    body = {
        "version": doc.version,
        "edition": "2026",
        "obtained_from": "Customer portal",
        "next_edition_check": LATER,
        "text": "Kept on the customer portal (2026).",
    }
    same = send(client, "post", target, {**body, "edition": "2024"})
    assert same.status_code == 400 and "edition" in same.json()["errors"]
    r = send(client, "post", target, body)
    assert r.status_code == 200, r.content
    assert r.json()["edition"] == "2026" and r.json()["current_revision"] == "2026"
    first.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    stale = send(client, "post", target, {**body, "edition": "2027"})
    assert stale.status_code == 409
    r = send(client, "post", target, {"version": r.json()["version"], "edition": "2027"})
    assert r.status_code == 400 and {"obtained_from", "next_edition_check"} <= set(
        r.json()["errors"]
    )


def test_an_edition_check_is_recorded(world, login):
    doc = world.extra["external_document"]
    client = login(world.mr)
    target = url("api-documents-external-check", pk=doc.pk)
    empty = send(client, "post", target, {"version": doc.version, "note": " "})
    assert empty.status_code == 400 and "note" in empty.json()["errors"]
    r = send(client, "post", target, {"version": doc.version, "note": "Portal: 2024 is current"})
    assert r.status_code == 200, r.content
    assert r.json()["next_edition_check"] == add_months(TODAY, doc.edition_check_months).isoformat()
    assert TrailEntry.objects.for_object(doc).filter(action="documents.external.checked")
    stale = send(client, "post", target, {"version": doc.version, "note": "Again"})
    assert stale.status_code == 409


@pytest.mark.parametrize(
    ("role", "register", "manage"),
    [
        (Role.TOP_MANAGEMENT, 201, 200),
        (Role.MANAGEMENT_REP, 201, 200),
        (Role.CONSULTANT, 201, 200),
        (Role.PROCESS_OWNER, 201, 403),
        (Role.INTERNAL_AUDITOR, 403, 403),
        (Role.EMPLOYEE, 403, 403),
        (Role.EXTERNAL_AUDITOR, 403, 403),
    ],
)
def test_who_registers_and_who_manages_editions(world, login, role, register, manage):
    doc = world.extra["external_document"]
    client = login(world.users[role])
    assert client.get(url("api-documents-external", pk=doc.pk)).status_code == 200
    r = send(client, "post", url("api-documents-external-list"), {**REGISTER, "owner": None})
    assert r.status_code == register, r.content
    r = send(
        client,
        "post",
        url("api-documents-external-check", pk=doc.pk),
        {"version": doc.version, "note": "Checked"},
    )
    assert r.status_code == manage, r.content


def test_another_organizations_external_document_is_not_found(world, login):
    other = theirs(world)
    client = login(world.mr)
    assert client.get(url("api-documents-external", pk=other.pk)).status_code == 404
    r = send(
        client, "patch", url("api-documents-external", pk=other.pk), {"version": 1, "title": "x"}
    )
    assert r.status_code == 404
    r = send(
        client,
        "post",
        url("api-documents-external-check", pk=other.pk),
        {"version": other.version, "note": "x"},
    )
    assert r.status_code == 404
    assert all(
        d["id"] != other.pk
        for d in client.get(url("api-documents-external-list")).json()["results"]
    )
    outsider = login(world.outsider)
    doc = world.extra["external_document"]
    assert outsider.get(url("api-documents-external", pk=doc.pk)).status_code == 404


def test_the_edit_page_changes_the_register_entry(world, login):
    doc = world.extra["external_document"]
    client = login(world.mr)
    target = reverse("documents:edit", kwargs={"org": "acme", "pk": doc.pk})
    page = client.get(target).content.decode()
    assert 'name="issuer"' in page and 'name="doc_type"' not in page
    assert 'name="edition"' not in page  # a new edition is registered, not edited
    data = {
        "title": doc.title,
        "number": doc.number,
        "owner": doc.owner_id,
        "confidentiality": "internal",
        "issuer": "Boreham Hydraulics plc",
        "external_reference": "DS-400",
        "next_edition_check": doc.next_edition_check.isoformat(),
        "edition_check_months": 24,
        "historic_retention_months": 36,
        "version": doc.version,
    }
    r = client.post(target, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.issuer == "Boreham Hydraulics plc" and doc.edition_check_months == 24
    r = client.post(target, {**data, "issuer": "Stale"})
    assert r.status_code == 400  # the documents pages answer 400 for a refusal, a stale one too
    doc.refresh_from_db()
    assert doc.issuer == "Boreham Hydraulics plc"


def test_an_internal_document_cannot_become_an_external_one(world):
    from django.core.exceptions import ValidationError

    from pdca.documents import services

    doc = world.extra["document"]
    with pytest.raises(ValidationError) as err:
        services.document_update(
            actor=world.mr, document=doc, version=doc.version, doc_type="external"
        )
    assert "doc_type" in err.value.message_dict


def test_the_edit_page_of_an_internal_document_offers_no_external_type(world, login):
    doc = world.extra["document"]
    page = login(world.mr).get(reverse("documents:edit", kwargs={"org": "acme", "pk": doc.pk}))
    html = page.content.decode()
    assert 'name="doc_type"' in html and '<option value="external"' not in html

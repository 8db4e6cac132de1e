"""The due-item registry and every app's source: what falls due, for whom, seen by whom."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pdca.core.due import SOURCES, DueFilters, due_items
from pdca.core.roles import Role
from pdca.documents.models import Document
from pdca.improvement.models import CorrectiveAction
from pdca.records.models import Record, RecordType
from pdca.standards.models import Clause, EvidenceLink, RoadmapAction

TODAY = timezone.localdate()


def _items(world, role, scope="everyone", **kwargs):
    kwargs.setdefault("start", None)
    kwargs.setdefault("end", TODAY + datetime.timedelta(days=400))
    return due_items(
        organization=world.org,
        viewer=world.memberships[role],
        today=TODAY,
        filters=DueFilters(
            scope=scope, kinds=kwargs.pop("kinds", []), standard=kwargs.pop("standard", "")
        ),
        **kwargs,
    )


def _of(items, kind):
    return [i for i in items if i.kind == kind]


def test_every_module_registers_its_sources():
    assert {
        "documents.review",
        "improvement.action",
        "improvement.effectiveness",
        "audits.audit",
        "audits.session",
        "records.retention",
        "core.access",
        "standards.roadmap",
    } <= set(SOURCES)


@pytest.mark.django_db
def test_document_review_falls_due_for_its_owner_and_is_overdue_once_past(world):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(next_review_date=TODAY + datetime.timedelta(days=5))
    (item,) = _of(_items(world, Role.PROCESS_OWNER, scope="mine"), "documents.review")
    assert item.object_id == doc.pk and item.owner_id == world.owner.pk
    assert item.due_on == TODAY + datetime.timedelta(days=5) and not item.overdue
    assert item.url == f"/o/{world.org.slug}/documents/{doc.pk}/"
    assert item.model == "documents.document" and item.version == doc.version
    Document.objects.filter(pk=doc.pk).update(next_review_date=TODAY - datetime.timedelta(days=1))
    (item,) = _of(_items(world, Role.PROCESS_OWNER, scope="mine"), "documents.review")
    assert item.overdue


@pytest.mark.django_db
def test_a_draft_or_obsolete_document_has_no_review_due(world):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(status="obsolete")
    assert not _of(_items(world, Role.MANAGEMENT_REP), "documents.review")


@pytest.mark.django_db
def test_confidential_review_is_shown_only_to_who_may_see_the_document(world):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(confidentiality="confidential")
    assert _of(_items(world, Role.MANAGEMENT_REP), "documents.review")
    assert not _of(_items(world, Role.EMPLOYEE), "documents.review")
    Document.objects.filter(pk=doc.pk).update(confidentiality="restricted", allowed_roles=["top"])
    assert not _of(_items(world, Role.MANAGEMENT_REP), "documents.review")
    assert _of(_items(world, Role.TOP_MANAGEMENT), "documents.review")
    assert _of(_items(world, Role.PROCESS_OWNER), "documents.review")  # the owner


@pytest.mark.django_db
def test_corrective_action_and_effectiveness_check_fall_due_for_owner_and_verifier(world):
    action, check = world.extra["im_action"], world.extra["im_check"]
    (item,) = _of(_items(world, Role.PROCESS_OWNER, scope="mine"), "improvement.action")
    assert item.object_id == action.pk and item.due_on == action.due_on
    assert item.url == f"/o/{world.org.slug}/improvement/{action.nonconformity_id}/"
    assert item.title.startswith("NC-")
    (item,) = _of(_items(world, Role.MANAGEMENT_REP, scope="mine"), "improvement.effectiveness")
    assert item.object_id == check.pk and item.owner_id == world.mr.pk
    CorrectiveAction.objects.filter(pk=action.pk).update(status="done")
    assert not _of(_items(world, Role.MANAGEMENT_REP), "improvement.action")


@pytest.mark.django_db
def test_planned_audit_falls_due_for_its_lead_auditor_with_its_standards(world):
    audit = world.extra["au_audit"]
    (item,) = _of(_items(world, Role.INTERNAL_AUDITOR, scope="mine"), "audits.audit")
    assert item.object_id == audit.pk and item.due_on == audit.planned_start
    assert set(item.standards) == {"iso9001", "iso14001"}
    assert _of(_items(world, Role.EMPLOYEE, standard="iso9001"), "audits.audit")
    assert not _of(_items(world, Role.EMPLOYEE, standard="iso27001"), "audits.audit")


@pytest.mark.django_db
def test_audit_session_falls_due_for_its_auditee(world):
    from pdca.audits.models import ScheduleEntry

    audit = world.extra["au_audit"]
    start = timezone.now() + datetime.timedelta(days=3)
    entry = ScheduleEntry.objects.create(
        organization=world.org,
        audit=audit,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        topic="Purchasing",
        auditee=world.employee,
    )
    (item,) = _of(_items(world, Role.EMPLOYEE, scope="mine"), "audits.session")
    assert item.object_id == entry.pk and item.due_on == timezone.localtime(start).date()
    assert "Purchasing" in item.title


@pytest.mark.django_db
def test_retention_end_falls_due_and_follows_the_record_types_visibility(world):
    record = world.extra["record"]
    (item,) = _of(_items(world, Role.MANAGEMENT_REP), "records.retention")
    assert item.object_id == record.pk and item.overdue  # kept five years, retained three
    assert item.owner_id == world.owner.pk
    RecordType.objects.filter(pk=record.record_type_id).update(
        confidentiality="restricted", allowed_roles=["top"]
    )
    assert not _of(_items(world, Role.EMPLOYEE), "records.retention")
    assert _of(_items(world, Role.TOP_MANAGEMENT), "records.retention")
    Record.objects.filter(pk=record.pk).update(legal_hold=True, legal_hold_reason="Claim")
    assert not _of(_items(world, Role.TOP_MANAGEMENT), "records.retention")


@pytest.mark.django_db
def test_external_auditors_access_end_is_shown_to_who_manages_members(world):
    external = world.memberships[Role.EXTERNAL_AUDITOR]
    (item,) = _of(_items(world, Role.MANAGEMENT_REP), "core.access")
    assert item.object_id == external.pk and item.due_on == external.expires_on
    assert not _of(_items(world, Role.EMPLOYEE), "core.access")
    assert not _of(_items(world, Role.MANAGEMENT_REP, scope="mine"), "core.access")


@pytest.mark.django_db
def test_roadmap_action_falls_due_for_its_owner(world):
    clause = Clause.objects.filter(edition__standard__code="iso27001").first()
    action = RoadmapAction.objects.create(
        organization=world.org,
        title="Write the access control policy",
        owner=world.consultant,
        due_on=TODAY + datetime.timedelta(days=10),
        clause=clause,
    )
    (item,) = _of(_items(world, Role.CONSULTANT, scope="mine"), "standards.roadmap")
    assert item.object_id == action.pk and item.standards == ("iso27001",)


@pytest.mark.django_db
def test_scope_kind_standard_and_range_narrow_the_items(world):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(next_review_date=TODAY + datetime.timedelta(days=5))
    everyone = _items(world, Role.MANAGEMENT_REP)
    assert {i.kind for i in everyone} >= {"documents.review", "improvement.action", "audits.audit"}
    mine = _items(world, Role.EMPLOYEE, scope="mine")
    assert all(i.owner_id == world.employee.pk for i in mine)
    # The employee's department is the owner's (Production): its items are the owner's too.
    department = _items(world, Role.EMPLOYEE, scope="department")
    assert _of(department, "documents.review") and _of(department, "improvement.action")
    only = _items(world, Role.MANAGEMENT_REP, kinds=["documents.review"])
    assert {i.kind for i in only} == {"documents.review"}
    assert not _of(_items(world, Role.MANAGEMENT_REP, standard="iso9001"), "documents.review")
    EvidenceLink.objects.create(
        organization=world.org,
        clause=Clause.objects.get(edition__standard__code="iso9001", number="7.5.3"),
        content_type=ContentType.objects.get_for_model(Document),
        object_id=doc.pk,
    )
    (item,) = _of(_items(world, Role.MANAGEMENT_REP, standard="iso9001"), "documents.review")
    assert item.standards == ("iso9001",)
    window = _items(
        world,
        Role.MANAGEMENT_REP,
        start=TODAY + datetime.timedelta(days=6),
        end=TODAY + datetime.timedelta(days=7),
    )
    assert not _of(window, "documents.review")
    items = _items(world, Role.MANAGEMENT_REP)
    assert [i.sort_key for i in items] == sorted(i.sort_key for i in items)
    assert len(_items(world, Role.MANAGEMENT_REP, limit=2)) == 2


@pytest.mark.django_db
def test_external_auditor_sees_no_kind_their_role_may_not_view(world):
    items = _items(world, Role.EXTERNAL_AUDITOR)
    assert not _of(items, "core.access")


def _queries(world):
    with CaptureQueriesContext(connection) as captured:
        _items(world, Role.MANAGEMENT_REP, standard="")
    return len(captured)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_items(world):
    action = world.extra["im_action"]
    _queries(world)  # content types cached
    before = _queries(world)
    for i in range(15):
        CorrectiveAction.objects.create(
            organization=world.org,
            nonconformity_id=action.nonconformity_id,
            title=f"Action {i}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i),
        )
        RoadmapAction.objects.create(
            organization=world.org,
            title=f"Roadmap {i}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i),
        )
    assert _queries(world) == before


def test_once_the_limit_is_full_later_sources_are_asked_only_up_to_its_last_day(monkeypatch):
    """A month with a full first kind: the other kinds are not asked for rows that would be
    cut, and what falls on the last kept day still sorts in."""
    import datetime as dt

    from pdca.core import due

    first_day = dt.date(2026, 12, 1)
    asked: list[dt.date] = []

    def item(kind: str, day: int, pk: int) -> due.DueItem:
        return due.DueItem(
            kind=kind,
            kind_label=kind,
            title=f"{kind} {pk}",
            due_on=first_day + dt.timedelta(days=day),
            url="/",
            model="core.site",
            object_id=pk,
            owner_id=None,
        )

    def full(query: due.DueQuery) -> list[due.DueItem]:
        return [item("a.full", day, day) for day in range(3)]  # 1, 2 and 3 December

    def later(query: due.DueQuery) -> list[due.DueItem]:
        asked.append(query.end)
        rows = [item("b.later", 2, 100), item("b.later", 20, 101)]
        return [r for r in rows if r.due_on <= query.end]

    monkeypatch.setattr(
        due,
        "SOURCES",
        {
            "a.full": due.DueSource("a.full", "A", full, "core.view_calendar", order=1),
            "b.later": due.DueSource("b.later", "B", later, "core.view_calendar", order=2),
        },
    )
    items = due.due_items(
        organization=None,
        viewer=None,
        start=first_day,
        end=dt.date(2026, 12, 31),
        today=first_day,
        limit=3,
    )
    assert asked == [dt.date(2026, 12, 3)]
    assert [(i.kind, i.due_on.day) for i in items] == [("a.full", 1), ("a.full", 2), ("a.full", 3)]
    # A limit of four keeps the later kind's item of 3 December, sorted in after "a.full"'s.
    asked.clear()
    items = due.due_items(
        organization=None,
        viewer=None,
        start=first_day,
        end=dt.date(2026, 12, 31),
        today=first_day,
        limit=4,
    )
    assert [(i.kind, i.due_on.day) for i in items][-1] == ("b.later", 3)

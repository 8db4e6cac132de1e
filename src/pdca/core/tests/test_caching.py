"""Figures cached per organization stay exact: a write in a topic they read recomputes them;
writes of other topics, and entries that change no figure, leave them cached."""

import os
import socket

import pytest

from pdca.core import trail
from pdca.core.caching import org_cached

pytestmark = pytest.mark.django_db


def test_a_cached_figure_is_recomputed_after_any_write_in_its_organization(world):
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert org_cached(world.org, "test.figure", compute) == 1
    assert org_cached(world.org, "test.figure", compute) == 1  # cached
    # Another organization's writes leave it alone; a write in its own organization does not.
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.other_org,
        obj=world.other_org,
        changes={"name": ["a", "b"]},
    )
    assert org_cached(world.org, "test.figure", compute) == 1
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.org,
        obj=world.org,
        changes={"name": ["a", "b"]},
    )
    assert org_cached(world.org, "test.figure", compute) == 2
    # Each organization has its own figure.
    assert org_cached(world.other_org, "test.figure", compute) == 3


def _write(world, action: str, obj=None) -> None:
    trail.record(action=action, actor=world.mr, organization=world.org, obj=obj or world.org)


def test_a_figure_reading_some_topics_survives_the_writes_of_the_others(world):
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    def figure() -> int:
        return org_cached(world.org, "test.topics", compute, topics=("improvement", "core"))

    assert figure() == 1
    _write(world, "documents.document.created")
    _write(world, "audits.audit.planned")
    assert figure() == 1  # nothing it reads changed
    _write(world, "improvement.nonconformity.raised")
    assert figure() == 2
    _write(world, "core.department.updated")
    assert figure() == 3
    assert figure() == 3


def test_entries_that_change_no_figure_keep_every_figure_cached(world):
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert org_cached(world.org, "test.all", compute) == 1
    _write(world, "core.job.requested")
    _write(world, "core.notifications.preferences_changed")
    # Registered by their modules: deliveries, and the pages the body's auditor opens.
    _write(world, "webhooks.endpoint.created")
    _write(world, "certification.auditor.opened")
    assert org_cached(world.org, "test.all", compute) == 1
    # Nor do they move their own topic's mark.
    some: list[int] = []

    def some_figure() -> int:
        return org_cached(
            world.org,
            "test.some",
            lambda: some.append(1) or len(some),
            topics=("core", "certification"),
        )

    assert some_figure() == 1
    _write(world, "core.job.requested")
    _write(world, "certification.auditor.opened")
    assert some_figure() == 1
    _write(world, "documents.document.created")
    assert org_cached(world.org, "test.all", compute) == 2


def test_the_nonconformity_analysis_is_kept_across_a_document_write(
    world, django_assert_num_queries
):
    from pdca.improvement.selectors import analysis

    analysis(world.org)
    _write(world, "documents.document.created")
    with django_assert_num_queries(1):  # the chain head's marks alone
        analysis(world.org)
    _write(world, "improvement.nonconformity.raised")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as recomputed:
        analysis(world.org)
    assert len(recomputed.captured_queries) > 1


REDIS = os.environ.get("PDCA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_cached_figures_work_through_the_shared_redis_cache(world, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    from django.core.cache import cache

    cache.clear()
    calls = []
    assert org_cached(world.org, "test.redis", lambda: calls.append(1) or {"n": 1}) == {"n": 1}
    assert org_cached(world.org, "test.redis", lambda: calls.append(1) or {"n": 2}) == {"n": 1}
    assert len(calls) == 1
    cache.clear()


@pytest.mark.django_db
def test_the_default_cache_keeps_the_figures_of_400_people(world):
    # Four cached figures for each of 400 people opening their dashboard: the first person's
    # are still there after everyone's were computed (Django's default of 300 entries kept the
    # last 75 people's, so a second visit was as slow as the first).
    computed = []
    for person in range(400):
        for figure in ("attention", "dashboard", "summary", "upcoming"):
            org_cached(world.org, f"{figure}.{person}", lambda p=person: computed.append(1) or p)
    assert org_cached(world.org, "attention.0", lambda: computed.append(1) or -1) == 0
    assert len(computed) == 1_600

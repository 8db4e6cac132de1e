"""Shared fixtures: the example world of named users per role, built once per test module."""

import copy
import importlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import translation
from django_scopes import scopes_disabled

from pdca.core.models import Organization
from pdca.core.testing import PASSWORD, World, build_world
from pdca.standards.selectors.readiness import _CATALOGUE as readiness_catalogue_cache


def _load_app_testing() -> None:
    # Each app may have a testing.py that registers world builders and URL examples.
    for config in apps.get_app_configs():
        if config.name.startswith("pdca."):
            try:
                importlib.import_module(f"{config.name}.testing")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.testing":
                    raise


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever an earlier test activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _unscoped():
    """Tests read and write across organizations freely; requests still scope themselves."""
    # A transactional test flushes the database and content types come back with new ids:
    # a cached id would point trail entries and evidence links at a missing row.
    ContentType.objects.clear_cache()
    # So do the catalogue's clauses, which readiness keeps in memory once read.
    readiness_catalogue_cache.clear()
    cache.clear()  # ids repeat between tests: a cached figure must not outlive its test
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def trail_checkpoint_path(settings) -> Path:
    """A checkpoint file of each test's own: a checkpoint names chains that a later test's
    database does not have."""
    path = Path(settings.TRAIL_CHECKPOINT_PATH).parent / f"{uuid.uuid4().hex}.jsonl"
    settings.TRAIL_CHECKPOINT_PATH = path
    return path


@pytest.fixture(autouse=True, scope="session")
def _trail_triggers_lifted_for_flush():
    """A transactional test ends by emptying every table, which the audit trail's append-only
    triggers refuse: they are lifted for that flush alone, inside its transaction. Everywhere
    else they stand; a test that tampers with the trail drops them itself, as an attacker who
    owns the database would."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from pdca.core import append_only

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with append_only.lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


def _build_world() -> World:
    _load_app_testing()
    with scopes_disabled():
        return build_world()


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker) -> dict[str, World]:
    """The world, built once per run and committed; each test's transaction rolls back over it.

    Building it for every test took most of the suite's time once every app added builders.
    Being session-scoped, it is set up before a test's transaction opens.
    """
    with django_db_blocker.unblock():
        world = _build_world()
    return {"world": world, "files": _media_files()}


def _media_files() -> dict[Path, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _restore_media(snapshot: dict[Path, bytes]) -> None:
    """Uploaded files live outside the database and are not rolled back: put the world's files
    back as they were built, and remove what earlier tests stored."""
    root = Path(settings.MEDIA_ROOT)
    for path in root.rglob("*"):
        if path.is_file() and path not in snapshot:
            path.unlink()
    for path, data in snapshot.items():
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


@pytest.fixture
def world(_shared_world, request) -> World:
    request.getfixturevalue("db")
    shared = _shared_world["world"]
    if not Organization.objects.filter(pk=shared.org.pk).exists():
        # A transactional test flushed the database (pytest-django runs those last): build it
        # again, committed for the next transactional test or inside this test's transaction.
        shared = _shared_world["world"] = _build_world()
        _shared_world["files"] = _media_files()
    _restore_media(_shared_world["files"])
    # Rows roll back with the test's transaction; the Python objects are copied so that one
    # test's in-memory changes (a refreshed field, a cached relation) cannot reach the next.
    return copy.deepcopy(shared)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password() -> str:
    return PASSWORD


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser():
    """Debian's headless Chromium driven by Playwright (no browser is downloaded)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path() or "/usr/bin/chromium",
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield browser
        for context in browser.contexts:
            # Closing the pages ends the live server's keep-alive threads and their database
            # connections before the test database is dropped.
            context.close()
        browser.close()


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("PDCA_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    if chromium_path() is None and not os.environ.get("PDCA_REQUIRE_BROWSER"):
        skip = pytest.mark.skip(
            reason="no Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _end_lingering_database_sessions(django_db_setup, django_db_blocker):
    """The live server answers browsers on keep-alive threads that may still hold a PostgreSQL
    session when the run ends; end them so the test database can be dropped cleanly."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()

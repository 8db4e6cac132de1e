"""The API answers as its own OpenAPI schema says: schemathesis fuzzes every operation.

Signed in with a management representative's token of the example organization, with the
example objects' ids in the paths, so that operations are really exercised (not just 404s).
Two checks: no server error, and every documented response matches its schema. The run is
derandomized (the same cases every time) and small per operation; `make fuzz` runs the same
with many more examples (PDCA_FUZZ_EXAMPLES)."""

import os
import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pdca.core import services
from pdca.core.testing import url_examples

EXAMPLES = int(os.environ.get("PDCA_FUZZ_EXAMPLES", "8"))
SCHEMA_URL = "/api/v1/schema/?format=json"
PLACEHOLDER = re.compile(r"{(\w+)}")


def _path_values(path: str, org: str, examples: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The example kwargs of the URL that `path` (an OpenAPI template) names."""
    probe = PLACEHOLDER.sub(lambda m: org if m.group(1) == "org" else "1", path)
    values = {"org": org, **examples.get(resolve(probe).url_name or "", {})}
    if "pk" in values:  # drf-spectacular names a `pk` path parameter `id`
        values["id"] = values.pop("pk")
    return values


def _fuzz(operation: Any, values: dict[str, Any], headers: dict[str, str], calls: list[int]) -> Any:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        for name in case.path_parameters or {}:
            if name in values:
                case.path_parameters[name] = values[name]
        response = case.call(headers=headers)
        calls.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    return run


@pytest.fixture
def _same_connection():
    """Requests run inside the test's transaction, as with Django's test client: the handler's
    closing of old connections would end it (on PostgreSQL; SQLite's memory database stays)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_same_connection")
def test_every_operation_answers_as_its_schema_says(world):
    _token, raw = services.api_token_create(actor=world.mr, name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    examples = url_examples(world)
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())
    calls: list[int] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        values = _path_values(operation.path, world.org.slug, examples)
        run = _fuzz(operation, values, headers, calls)
        try:
            run()
        # Collected, so that one run names every failing operation (schemathesis raises a group).
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    by_class = Counter(f"{code // 100}xx" for code in calls)
    print(f"schemathesis: {len(calls)} calls, {dict(sorted(by_class.items()))}")
    assert not failures, "\n\n".join(failures)

"""A URLconf for tests: the real one plus a view that fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pdca.config.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


def slow_view(request: HttpRequest) -> HttpResponse:
    """A query that runs for many seconds, to meet the request deadline."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(30)")
        else:
            cursor.execute(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e9)"
                " SELECT count(*) FROM c"
            )
    return HttpResponse("done")


urlpatterns = [
    path("broken/", broken_view),
    path("api/v1/broken/", broken_view),
    path("slow/", slow_view),
    path("api/v1/slow/", slow_view),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

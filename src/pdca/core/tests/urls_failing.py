"""A URLconf for tests: the real one plus a view that fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pdca.config.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


urlpatterns = [
    path("broken/", broken_view),
    path("api/v1/broken/", broken_view),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

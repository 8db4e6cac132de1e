"""Working without a network: the service worker that keeps the pages a user asked for on the
device, and the web app manifest that lets a phone install pdca on its home screen."""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pdca.core.models import User
from pdca.core.views.base import public_view

THEME_COLOR = "#0b3d91"


def offline_key(user: User) -> str:
    """An opaque, stable name for a user's pages kept on a device: the service worker keeps
    each user's apart without learning who they are."""
    return salted_hmac("pdca.offline.pages", str(user.pk)).hexdigest()[:32]


@public_view
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that its scope covers every page. Public: a browser
    checks it for updates whether or not anyone is signed in, and it holds no one's data."""
    config = {
        "language": get_language() or settings.LANGUAGE_CODE,
        "staticUrl": settings.STATIC_URL,
        "stylesheets": [static("vendor/pico-2.1.1.min.css"), static("pdca/pdca.css")],
        "signPaths": [
            reverse("core:login"),
            reverse("core:logout"),
            reverse("core:two_factor_verify"),
        ],
        "passPaths": ["/api/", "/admin/", reverse("core:service_worker")],
        "texts": {
            "title": _("You are offline"),
            "explain": _("This page is not kept on this device, and the network is not reachable."),
            "kept": _("These pages open without a network on this device:"),
            "none": _(
                "No page is kept on this device yet: open an audit's checklist while online, "
                "and the checklists of your audits stay available offline."
            ),
        },
    }
    response = render(
        request,
        "core/service-worker.js",
        {"config": json.dumps(config, ensure_ascii=False)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@public_view
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: pdca on a phone's home screen opens full screen at the start page."""
    icons = [
        {"src": static("pdca/icons/pdca-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("pdca/icons/pdca-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("pdca/icons/pdca-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("pdca/icons/pdca.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "id": "/",
        "name": "pdca",
        "short_name": "pdca",
        "description": _("Management system: documents, audits, risks and improvement."),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )

from django.apps import apps
from django.urls import include, path

# Domain apps mount their pages under /o/<org>/<prefix>/ when they are installed.
DOMAIN_APPS = [
    ("standards", "pdca.standards"),
    ("documents", "pdca.documents"),
    ("records", "pdca.records"),
    ("audits", "pdca.audits"),
    ("improvement", "pdca.improvement"),
]

urlpatterns = [
    path("", include("pdca.core.urls")),
    path("api/v1/", include("pdca.api.urls")),
]
for prefix, module in DOMAIN_APPS:
    if apps.is_installed(module):
        urlpatterns.append(path(f"o/<slug:org>/{prefix}/", include(f"{module}.urls")))

handler400 = "pdca.core.views.errors.bad_request"
handler403 = "pdca.core.views.errors.forbidden"
handler404 = "pdca.core.views.errors.not_found"
handler500 = "pdca.core.views.errors.server_error"

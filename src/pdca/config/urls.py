from django.urls import include, path

from pdca.core.modules import mounted

urlpatterns = [
    path("", include("pdca.core.urls")),
    path("api/v1/", include("pdca.api.urls")),
]
# Each domain app's pages, under /o/<org>/<prefix>/ (its AppConfig names the prefix).
for prefix, module in mounted("urls"):
    urlpatterns.append(path(f"o/<slug:org>/{prefix}/", include(module)))

handler400 = "pdca.core.views.errors.bad_request"
handler403 = "pdca.core.views.errors.forbidden"
handler404 = "pdca.core.views.errors.not_found"
handler500 = "pdca.core.views.errors.server_error"

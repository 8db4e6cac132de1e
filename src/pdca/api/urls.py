from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pdca.api import views
from pdca.core.modules import mounted
from pdca.core.permissions import PUBLIC


class SchemaView(SpectacularAPIView):
    permission = PUBLIC
    permission_classes: list = []
    authentication_classes: list = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its init script served from `?script`, not inline (the CSP)."""

    permission = PUBLIC
    permission_classes: list = []
    template_name = "api/swagger_ui.html"


ORG = "o/<slug:org>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("organizations/", views.OrganizationListView.as_view(), name="api-organizations"),
    path(ORG + "sites/", views.SiteListView.as_view(), name="api-sites"),
    path(ORG + "departments/", views.DepartmentListView.as_view(), name="api-departments"),
    path(ORG + "members/", views.MembershipListView.as_view(), name="api-members"),
    path(ORG + "members/<int:pk>/", views.MembershipDetailView.as_view(), name="api-member"),
    path(ORG + "trail/", views.TrailListView.as_view(), name="api-trail"),
]

# Each domain app's api.py declares `urlpatterns`, mounted under o/<org>/<prefix>/.
for prefix, module in mounted("api"):
    urlpatterns.append(path(f"{ORG}{prefix}/", include(module)))

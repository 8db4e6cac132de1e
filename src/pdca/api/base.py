"""Base classes for organization endpoints: querysets are limited to the URL's organization."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics, viewsets


class OrgScopedMixin:
    """Filters `queryset` to the request's organization; `perform_create` gets it too."""

    request: Any
    queryset: QuerySet[Any]

    @property
    def organization(self) -> Any:
        return self.request.membership.organization

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no organization
            return self.queryset.none()
        return self.queryset.filter(organization=self.organization)


class OrgListAPIView(OrgScopedMixin, generics.ListAPIView):  # type: ignore[misc]
    pass


class OrgReadOnlyViewSet(OrgScopedMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[misc]
    pass

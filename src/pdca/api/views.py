"""The foundation's endpoints: who am I, my organizations, members, sites, the audit trail."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pdca.api.base import OrgAPIView, OrgGenericAPIView, OrgListAPIView
from pdca.api.pagination import SeqCursorPagination
from pdca.api.serializers import (
    DepartmentOutput,
    MembershipOutput,
    MembershipUpdateInput,
    OrganizationOutput,
    SiteOutput,
    TrailEntryOutput,
)
from pdca.core import services
from pdca.core.models import Department, Membership, Organization, Site, TrailEntry
from pdca.core.permissions import AUTHENTICATED
from pdca.core.views.base import acting_user


class MyOrganizationOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    organizations = MyOrganizationOutput(many=True)


class MeView(APIView):
    permission = AUTHENTICATED

    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        memberships = Membership.objects.current().filter(user=user).select_related("organization")
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "full_name": user.full_name,
                "organizations": [
                    {"slug": m.organization.slug, "name": m.organization.name, "roles": m.roles}
                    for m in memberships
                ],
            }
        )


class OrganizationListView(generics.ListAPIView):
    permission = AUTHENTICATED
    serializer_class = OrganizationOutput

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return Organization.objects.filter(
            memberships__in=Membership.objects.current().filter(user=acting_user(self.request))
        ).order_by("name")


class SiteListView(OrgListAPIView):
    permission = "core.view_organization"
    serializer_class = SiteOutput
    queryset = Site.objects.all()


class DepartmentListView(OrgListAPIView):
    permission = "core.view_organization"
    serializer_class = DepartmentOutput
    queryset = Department.objects.select_related("site")


class MembershipListView(OrgListAPIView):
    permission = "core.view_members"
    serializer_class = MembershipOutput
    queryset = Membership.objects.select_related("user").order_by("user__email")


class MembershipDetailView(OrgAPIView):
    permissions = {"GET": "core.view_members", "PATCH": "core.manage_members"}

    def _load(self, pk: int) -> Membership:
        return self.get_object_for(Membership.objects.select_related("user"), pk)

    @extend_schema(responses=MembershipOutput)
    def get(self, request: Request, org: str, pk: int) -> Response:
        return Response(MembershipOutput(self._load(pk)).data)

    @extend_schema(request=MembershipUpdateInput, responses=MembershipOutput)
    def patch(self, request: Request, org: str, pk: int) -> Response:
        membership = self._load(pk)
        serializer = MembershipUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if "department" in data and data["department"] is not None:
            data["department"] = get_object_or_404(
                Department, pk=data["department"], organization=membership.organization
            )
        updated = services.membership_update(
            actor=acting_user(request),
            membership=membership,
            expected_version=version,
            **data,
        )
        return Response(MembershipOutput(updated).data)


class TrailListView(OrgGenericAPIView, generics.ListAPIView):
    """The organization's audit trail, newest first, with cursor pagination."""

    permission = "core.view_trail"
    serializer_class = TrailEntryOutput
    pagination_class = SeqCursorPagination
    filterset_fields = ["action", "actor"]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return TrailEntry.objects.none()
        return TrailEntry.objects.filter(chain=self.organization.pk).select_related("content_type")

"""Base views for organization endpoints: one loader, querysets scoped by django-scopes.

`OrganizationMiddleware` runs every `/api/v1/o/<org>/…` request inside the organization's
scope, so the models' scoped default managers only ever return that organization's rows;
`PolicyPermission` has already refused a non-member (404) and a role the policy table refuses
(403) before a handler runs. Endpoints load objects only through `get_object_for`, which adds
the app's visibility rule (404, as on the pages) and the declared permission's object rule, so
that no endpoint can forget them; generic list endpoints filter by the same visibility rule.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from pdca.api.typing import ApiRequest
from pdca.core.access import visible_rows
from pdca.core.models import Membership, Organization
from pdca.core.permissions import visible_for

M = TypeVar("M", bound=models.Model)


def objects_by_ids(queryset: "QuerySet[M]", ids: Any, field: str) -> list[M]:
    """The rows of `queryset` (already the organization's) that a body names by id, in one
    query; any unknown id is refused on `field` (400), never silently dropped."""
    wanted = set(ids or [])
    found = list(queryset.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise exceptions.ValidationError({field: [_("Unknown entry.")]})
    return found


class OrgAPIView(APIView):
    """An endpoint inside one organization; `membership` and `organization` are the caller's."""

    request: ApiRequest  # type: ignore[assignment]

    @property
    def membership(self) -> Membership:
        return self.request.membership

    @property
    def organization(self) -> Organization:
        return self.request.membership.organization

    def get_object_for(self, queryset: "QuerySet[M] | type[M]", pk: Any, **lookup: Any) -> M:
        """One object of the request's organization, after the declared permission's object
        rule (403 with the policy's reason); 404 when the organization has no such object or
        the app's visibility rule hides it from the caller (the pages' `visible_rows()`)."""
        qs = visible_rows(self.membership, queryset)
        try:
            obj = qs.get(pk=pk, **lookup)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise exceptions.NotFound(_("Not found.")) from None
        self.check_object_permissions(self.request, obj)
        return obj


class OrgGenericAPIView(OrgAPIView, generics.GenericAPIView):  # type: ignore[misc]
    """Generic list and detail endpoints: `get_queryset()` returns the scoped default
    manager's rows, and `get_object()` is the shared loader. A
    class-level `queryset` is for core's unscoped models only, filtered here."""

    def get_queryset(self) -> QuerySet[Any]:
        assert self.queryset is not None, f"{type(self).__name__} gives get_queryset()"
        if getattr(self, "swagger_fake_view", False):  # the schema has no organization
            return self.queryset.none()
        return self.queryset.filter(organization=self.organization)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Lists show only what the app's visibility rule lets the caller see."""
        queryset = super().filter_queryset(queryset)
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return queryset.filter(visible_for(self.membership, queryset.model))

    def get_object(self) -> Any:
        return self.get_object_for(self.filter_queryset(self.get_queryset()), self.kwargs["pk"])


class OrgListAPIView(OrgGenericAPIView, generics.ListAPIView):  # type: ignore[misc]
    pass


class OrgDetailAPIView(OrgGenericAPIView):
    """One object: GET reads it; PATCH, where offered, changes it and needs the `version` you
    loaded (409 when someone else saved it first)."""

    # The one detail endpoint (the docstring above is the API documentation's text for the
    # endpoints that have none of their own). Subclasses set `serializer_class` (the output) and
    # `get_queryset()`; to accept PATCH they set `input` (the body, validated as a partial change
    # unless `partial_input` is False) and give `update(obj, data, expected_version)`, which
    # calls the app's update service: the service checks the version through core.updating (a
    # 400 without one, a 409 when stale), so no endpoint checks it by hand. `version` comes from
    # the validated body, or from the raw body where the input shows it read-only. An endpoint
    # that declares PUT gets it too, as the same partial change.

    input: ClassVar[type[serializers.BaseSerializer[Any]] | None] = None
    partial_input: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "serializer_class" not in cls.__dict__ and "input" not in cls.__dict__:
            return
        schema: dict[str, Any] = {"get": extend_schema(responses=cls.serializer_class)}
        if cls.input is not None:
            # Only an endpoint that writes has the methods (others answer 405), each its own
            # function so that its schema is its own.
            declared = getattr(cls, "permissions", None) or {}
            for method in ("patch", "put") if "PUT" in declared else ("patch",):
                setattr(cls, method, _change_method())
                schema[method] = extend_schema(request=cls.input, responses=cls.serializer_class)
        extend_schema_view(**schema)(cls)

    def update(self, obj: Any, data: dict[str, Any], expected_version: int | None) -> Any:
        raise NotImplementedError

    def get(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def change(self, request: ApiRequest) -> Response:
        # PATCH (and PUT where declared): a change through `update()`.
        assert self.input is not None
        obj = self.get_object()
        serializer = self.input(
            obj,
            data=request.data,
            partial=self.partial_input,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        saved = self.update(obj, data, expected_version=self._version(data))
        return Response(self.get_serializer(saved).data)

    def _version(self, data: dict[str, Any]) -> int | None:
        version = data.pop("version", None)
        if version is None and isinstance(self.request.data, Mapping):
            version = self.request.data.get("version")
        if version is None:
            return None  # the service refuses the change: "send the version you loaded"
        try:
            return int(version)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                {"version": [_("Give the version you loaded.")]}
            ) from None


def _change_method() -> Any:
    def change(self: OrgDetailAPIView, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        return self.change(request)

    return change


class SubResourceListView(OrgAPIView):
    """The children of one parent object (an NC's actions, an audit's findings): GET lists
    them, POST creates one through the service. The parent is loaded by the shared loader with
    the method's permission, so its object rule applies to both.

    Subclasses set `parent_model`, `input` and `output` (the child's serializers) and give
    `child_queryset(parent)` and `create(parent, data)`.
    """

    parent_model: ClassVar[type[models.Model]]
    input: ClassVar[type[serializers.BaseSerializer[Any]]]
    output: ClassVar[type[serializers.BaseSerializer[Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "output" not in cls.__dict__:
            return
        extend_schema_view(
            get=extend_schema(responses=cls.output(many=True)),
            post=extend_schema(request=cls.input, responses=cls.output),
        )(cls)

    def child_queryset(self, parent: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def create(self, parent: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get(self, request: ApiRequest, org: str, pk: int) -> Response:
        parent = self.get_object_for(self.parent_model, pk)
        return Response(self.output(self.child_queryset(parent), many=True).data)

    def post(self, request: ApiRequest, org: str, pk: int) -> Response:
        parent = self.get_object_for(self.parent_model, pk)
        serializer = self.input(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = self.create(parent, dict(serializer.validated_data))
        return Response(self.output(child).data, status=status.HTTP_201_CREATED)

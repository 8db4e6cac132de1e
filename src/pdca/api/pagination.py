"""How API lists are paged: by cursor, never by a COUNT(*) or an OFFSET.

`KeysetPagination` (the default) pages by the list's own ordering with the pages' cursor
(`core.paging`): a response has `results`, and `next` and `previous` as whole URLs (null at the
ends) that carry the cursor, so that the 4,000th page of 200,000 records costs what the second
does. `page_size` asks for up to 200 rows. A list ordered in a way no cursor can follow is paged
by `page` number behind the same links."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from pdca.core.paging import QuickPage, quick_page


class KeysetPagination(pagination.BasePagination):
    page_size = 25
    max_page_size = 200

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        params = request.query_params
        self.page: QuickPage = quick_page(
            queryset,
            params.get("page"),
            self._page_size(params.get("page_size")),
            after=params.get("after"),
            before=params.get("before"),
        )
        return self.page.object_list

    def _page_size(self, asked: str | None) -> int:
        try:
            return max(1, min(int(asked), self.max_page_size)) if asked else self.page_size
        except ValueError:
            return self.page_size

    def _link(self, changes: dict[str, Any]) -> str:
        url = self.request.build_absolute_uri()
        for key, value in changes.items():
            url = (
                remove_query_param(url, key)
                if value is None
                else replace_query_param(url, key, value)
            )
        return url

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "next": self._link(page.next_query) if page.has_next() else None,
                "previous": self._link(page.previous_query) if page.has_previous() else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        def param(name: str, description: str, kind: str = "string") -> dict[str, Any]:
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": kind},
            }

        return [
            param("after", "The cursor of a `next` link: the rows after it."),
            param("before", "The cursor of a `previous` link: the rows before it."),
            param("page", "A page number, for a list no cursor can follow.", "integer"),
            param("page_size", "Rows per page (at most 200).", "integer"),
        ]


class SeqCursorPagination(pagination.CursorPagination):
    """For very long lists (the audit trail): no COUNT(*), constant cost per page."""

    ordering = "-seq"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

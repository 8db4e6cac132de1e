from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class SeqCursorPagination(pagination.CursorPagination):
    """For very long lists (the audit trail): no COUNT(*), constant cost per page."""

    ordering = "-seq"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

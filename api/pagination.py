"""Every list is paged: numbered pages by default, a cursor for lists that grow with the history."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Cursor(CursorPagination):
    """For lists that grow with the park's history: a stable cursor, no count over the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

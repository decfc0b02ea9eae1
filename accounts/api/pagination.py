from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CursorPagination(pagination.CursorPagination):
    """For the large tables (payroll, subsidy lines): stable and cheap at any depth."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000

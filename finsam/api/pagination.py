from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; 50 rows a page unless asked, at most 500."""

    page_size_query_param = "page_size"
    max_page_size = 500

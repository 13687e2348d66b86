"""Gzip for the pages and API answers Django renders; files and streams go out as they are."""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/html", "application/json")


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (random gzip filename padding against BREACH) limited to rendered HTML and JSON.

    Streaming answers (CSV/XLSX exports, CV and document downloads through FileResponse) are left alone: they are
    already compressed (XLSX, PDF) or large, and gzipping them would drop their Content-Length.
    """

    def process_response(self, request, response):
        if response.streaming:
            return response
        content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)

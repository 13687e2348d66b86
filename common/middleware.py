"""A remote object store that is down answers a French 503 page, never a 500."""

import logging

from django.template.response import TemplateResponse

from common.storage import STORE_ERRORS

logger = logging.getLogger(__name__)


class StoreUnavailableMiddleware:
    """Turn the object store's connection errors and timeouts into a 503 page that asks to try again later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, STORE_ERRORS):
            return None
        # The exception's class only: botocore's messages may carry the object's key.
        logger.warning("Stockage objet indisponible (%s) : %s", type(exception).__name__, request.path)
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response.render()

"""A looser content security policy for the Wagtail admin only."""

from csp.constants import SELF, UNSAFE_INLINE
from django.urls import reverse

# Wagtail's admin initialises its widgets (choosers, date pickers) with inline scripts and has no nonce support:
# under /cms/ (authenticated editors only) inline scripts are allowed; the public site keeps its nonce-only policy.
# Its page preview is an iframe of /cms/ itself: same-origin framing is allowed there and nowhere else.
ADMIN_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}


class WagtailAdminCSPMiddleware:
    """Replace the script, image and framing directives for responses under the Wagtail admin's prefix."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.prefix):
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}), **ADMIN_POLICY}
        return response

"""Request-method guards that never leave a person in front of a blank error page."""

from functools import wraps

from django.http import HttpResponseNotAllowed


def post_only(on_get):
    """A view that acts only on POST; a GET or HEAD (a reload after an error, a bookmarked or shared link) answers
    `on_get(request, *args, **kwargs)` — the page holding the form — instead of Django's blank 405.

    Put it under the access decorators, so the GET answer is as guarded as the POST one, and let `on_get` fetch the
    object through the user's scope (an object out of scope still answers 404).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                return on_get(request, *args, **kwargs)
            return HttpResponseNotAllowed(["GET", "POST"])

        wrapper.post_only = True
        return wrapper

    return decorator

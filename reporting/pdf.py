"""HTML to PDF with WeasyPrint, reading only the project's static files from disk (never the network).

Templates rendered for the PDF name their style sheets and fonts `static:<path>` (e.g. `static:reporting/x.css`):
`static_url_fetcher` serves those through the static files finders and refuses every other address, so a page can
neither make the server fetch a URL nor read a file outside the static directories.
"""

import mimetypes

from django.contrib.staticfiles import finders

STATIC_SCHEME = "static:"


class RefusedURL(ValueError):
    """A resource the PDF may not load (WeasyPrint logs it and renders without it)."""


def static_url_fetcher(url: str, *args, **kwargs) -> dict:
    """WeasyPrint's url_fetcher: a `static:<path>` found by the staticfiles finders, nothing else."""
    if not url.startswith(STATIC_SCHEME):
        raise RefusedURL(f"Ressource refusée dans un PDF : {url[:80]}")
    relative = url.removeprefix(STATIC_SCHEME).lstrip("/")
    if not relative or ".." in relative.split("/"):
        raise RefusedURL(f"Chemin refusé : {relative[:80]}")
    path = finders.find(relative)
    if not path:
        raise RefusedURL(f"Fichier statique introuvable : {relative[:80]}")
    with open(path, "rb") as handle:
        content = handle.read()
    mime_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return {"string": content, "mime_type": mime_type, "redirected_url": url}


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document whose resources are all `static:` addresses."""
    from weasyprint import HTML  # imported here: loading pango and harfbuzz costs every process ~0.3 s

    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=static_url_fetcher).write_pdf()

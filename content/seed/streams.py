"""Builders of raw StreamField data (the JSON Wagtail stores), to write the seeded pages readably."""

import json
import uuid


def _block(block_type: str, value) -> dict:
    # Stable ids: the same seed gives the same anchors and accordion ids on every run.
    return {"type": block_type, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{block_type}:{value}"))}


def _item(value: dict) -> dict:
    return {"type": "item", "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"item:{value}"))}


def h2(text: str) -> dict:
    return _block("heading", {"text": text, "level": "h2"})


def h3(text: str) -> dict:
    return _block("heading", {"text": text, "level": "h3"})


def p(*paragraphs: str) -> dict:
    """Paragraphs of rich text; each argument is the inner HTML of one <p> (or a full <ul>/<ol>)."""
    html = "".join(item if item.startswith(("<ul", "<ol")) else f"<p>{item}</p>" for item in paragraphs)
    return _block("paragraph", html)


def bullets(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def steps(*items: str) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def callout(title: str, text: str, link_label: str = "", link_url: str = "") -> dict:
    return _block(
        "callout",
        {"title": title, "text": f"<p>{text}</p>", "link_label": link_label, "link_page": None, "link_url": link_url},
    )


def highlight(text: str) -> dict:
    return _block("highlight", {"text": f"<p>{text}</p>", "size": ""})


def quote(text: str, author: str, source: str = "") -> dict:
    return _block("quote", {"text": text, "author": author, "source": source})


def faq(heading: str, questions: list[tuple[str, str]]) -> dict:
    items = [_item({"question": q, "answer": f"<p>{a}</p>"}) for q, a in questions]
    return _block("faq", {"heading": heading, "items": items})


def cards(heading: str, items: list[tuple[str, str, str]]) -> dict:
    """(title, text, url) cards; url is a site path or an external address."""
    values = [_item({"title": title, "text": text, "page": None, "url": url}) for title, text, url in items]
    return _block("cards", {"heading": heading, "cards": values})


def document(document_id: int, title: str = "") -> dict:
    return _block("document", {"document": document_id, "title": title})


def sitemap() -> dict:
    return _block("sitemap", None)


def stream(*blocks: dict) -> str:
    return json.dumps(list(blocks))

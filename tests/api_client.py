"""Helpers of the API tests: a GET that checks its status and returns the JSON, and a link's query parameters."""

from urllib.parse import parse_qs, urlsplit


def get(client, url, status=200):
    """GET `url`, assert the status (showing the body when it differs), return the decoded JSON."""
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.json()


def query(url: str) -> dict:
    """The query parameters of a link (`next`, `previous`), one value each."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}

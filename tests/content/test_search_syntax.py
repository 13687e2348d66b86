"""Search text with full-text operators or stray quotes is searched as plain words, never a 500 (SQLite FTS5)."""

from urllib.parse import quote

import pytest

SEARCH_URLS = ["/api/ressources/?q=", "/api/ressources/facettes/?q=", "/ressources/?q=", "/api/v2/pages/?search="]
HOSTILE = ['"', 'a"b', "NEAR(", "*", "a OR", "(", "'", "^x", "-", ":"]


@pytest.mark.parametrize("url", SEARCH_URLS)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_search_text_is_answered(seeded_site, client, url, text):
    assert client.get(url + quote(text)).status_code == 200


def test_quoted_words_find_what_the_bare_words_find(seeded_site, client):
    bare = client.get("/api/ressources/?q=arnaques").json()
    quoted = client.get("/api/ressources/?q=" + quote('"arnaques')).json()
    assert bare["count"] > 0
    assert quoted["count"] == bare["count"]

"""Hypothesis strategies of hostile input, and requests that carry it the way a browser or a script would."""

from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

ERROR_SUMMARY = "Le formulaire contient des erreurs"

# Hand-picked values that broke real systems: SQL and HTML metacharacters, format strings, control characters,
# out-of-range numbers and dates, path tricks, surrogates (sent as raw, invalid UTF-8 bytes).
SPECIALS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "'",
    '"',
    "' OR '1'='1' --",
    "1; DROP TABLE workflows_structureapplication; --",
    "%",
    "%s%s%n",
    "{0}{1}",
    "_",
    "\\",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    "../../etc/passwd",
    "\r\nSet-Cookie: x=1",
    "\u202e\u200b\ufeff",
    "🧑‍💻" * 20,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "9" * 40,
    "-9223372036854775809",
    "18446744073709551616",
    "0x10",
    "1.5",
    "2024-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "31/12/1899",
    "2026-13-01",
    "1970-01-01T00:00:00Z",
    "x" * 3000,
    "é" * 10_000,
    "a" * 100_000,
]


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any unicode (NUL, surrogates, combining marks…), a hand-picked nasty value, a number or a date."""
    return st.one_of(
        st.sampled_from(SPECIALS),
        st.text(max_size=max_size),
        st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=max_size),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.dates().map(lambda day: day.isoformat()),
        st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    )


def maybe(valid, max_size: int = 60) -> st.SearchStrategy:
    """Mostly a hostile value, sometimes the valid one (so that the other fields get exercised too)."""
    return st.one_of(st.just(valid), hostile_text(max_size))


def _encode(value) -> str:
    return quote_from_bytes(str(value).encode("utf-8", "surrogatepass"), safe="")


def form_body(data: dict) -> str:
    """A urlencoded body (lists give repeated keys); surrogates become the raw bytes a broken client would send."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append(f"{_encode(key)}={_encode(item)}")
    return "&".join(pairs)


def post_form(client, path: str, data: dict):
    return client.post(path, form_body(data), content_type="application/x-www-form-urlencoded")


def get_query(client, path: str, params: dict):
    return client.get(f"{path}?{form_body(params)}" if params else path)


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")

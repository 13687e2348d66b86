"""Decoding of `mongoexport` lines (MongoDB Extended JSON, relaxed or canonical) into plain Python values.

ObjectId → its 24-character hex string; DBRef → the referenced ObjectId string; dates → aware UTC datetimes;
$numberInt/$numberLong/$numberDouble/$numberDecimal → int/float. orjson parses; the walk converts the $-wrappers.
"""

from datetime import UTC, datetime, timedelta

import orjson

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ExtJSONError(ValueError):
    """A line that is not a JSON document of the export."""


def _date(value) -> datetime:
    if isinstance(value, dict):  # canonical: {"$numberLong": "1614556800000"}
        value = int(value["$numberLong"])
    if isinstance(value, int | float):
        return _EPOCH + timedelta(milliseconds=value)
    text = value.replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _convert(value):
    if isinstance(value, dict):
        if len(value) <= 2 and value:
            key = next(iter(value))
            if key == "$oid":
                return value["$oid"]
            if key == "$date":
                return _date(value["$date"])
            if key in ("$numberInt", "$numberLong"):
                return int(value[key])
            if key in ("$numberDouble", "$numberDecimal"):
                return float(value[key])
            if key == "$ref" and "$id" in value:
                return _convert(value["$id"])
        return {key: _convert(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_convert(item) for item in value]
    return value


def loads(line: bytes | str) -> dict:
    """The document of one export line; ExtJSONError if it is not a JSON object."""
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise ExtJSONError(f"JSON illisible : {error}") from None
    if not isinstance(document, dict):
        raise ExtJSONError("la ligne n'est pas un document JSON")
    try:
        return _convert(document)
    except (KeyError, ValueError, TypeError) as error:
        raise ExtJSONError(f"valeur étendue illisible : {error}") from None

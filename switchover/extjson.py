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


_CONTAINERS = (dict, list)


def _convert(value):
    # Scalars (most nodes) are returned without a call: the walk is most of the cost of reading a line.
    if type(value) is list:
        return [_convert(item) if type(item) in _CONTAINERS else item for item in value]
    if type(value) is not dict:
        return value
    if 0 < len(value) <= 2:
        if "$oid" in value:
            return value["$oid"]
        if "$date" in value:
            return _date(value["$date"])
        if "$numberInt" in value:
            return int(value["$numberInt"])
        if "$numberLong" in value:
            return int(value["$numberLong"])
        if "$numberDouble" in value:
            return float(value["$numberDouble"])
        if "$numberDecimal" in value:
            return float(value["$numberDecimal"])
        if "$ref" in value and "$id" in value:
            return _convert(value["$id"])
    return {key: _convert(item) if type(item) in _CONTAINERS else item for key, item in value.items()}


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

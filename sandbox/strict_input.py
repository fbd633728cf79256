"""Strict request input: JSON and URLs that Python accepts but the sandbox must refuse.

Python's `json` happily returns values that later blow up far from the parser: `NaN` and
`Infinity` (not JSON, and `json.dumps` writes them back out as invalid JSON), `1e999` (→ inf),
lone UTF-16 surrogates from `"\\ud800"` escapes (a `str` that SQLite and every UTF-8 encoder
refuse, so the failure surfaced as a 500 or a dropped connection), and nesting deep enough to
raise `RecursionError`. One parser for the SCIM endpoint and the admin API turns all of them
into a `BadJson` the caller maps to its own error shape, before anything is stored.

Duplicate member names too: `{"userName": "a", "userName": "b"}` is valid to Python (the last one
wins) but RFC 8259 §4 leaves its meaning undefined, so another parser on the way (a proxy, an
audit log) may have read `a` where we store `b`. SCIM attribute names are case-insensitive
(RFC 7643 §2.1), so on the SCIM endpoint `userName` and `USERNAME` are the same member twice.

URLs have the same hole: `%ED%A0%80` (a surrogate in CESU-8) is not UTF-8, and Starlette
silently decodes it to U+FFFD, so a filter or an id would quietly mean something else.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import unquote_to_bytes

MAX_DEPTH = 64
"""Entra's deepest document (a PATCH of the enterprise manager) is 5 levels; 64 is generous."""

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F]")


class BadJson(ValueError):
    """The body is not JSON the sandbox accepts; `reason` is safe to show (it echoes nothing)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def has_lone_surrogate(text: str) -> bool:
    """True when `text` holds a UTF-16 surrogate code point, which no UTF-8 text can carry."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _reject_constant(name: str) -> Any:
    raise BadJson(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJson("a number is too large to represent")
    return value


DUPLICATE_REASON = "an object names the same member twice (RFC 8259 §4: its meaning is undefined)"


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise BadJson(DUPLICATE_REASON)
    return obj


def _unique_members_caseless(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = _unique_members(pairs)
    if len(obj) > 1 and len({key.casefold() for key in obj}) != len(obj):
        raise BadJson(DUPLICATE_REASON + "; member names are case-insensitive (RFC 7643 §2.1)")
    return obj


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_finite_float, object_pairs_hook=_unique_members
)
"""Built once: `json.loads(..., parse_float=...)` would build a decoder per call."""
_CASELESS_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant,
    parse_float=_finite_float,
    object_pairs_hook=_unique_members_caseless,
)


def loads(raw: bytes, *, caseless_names: bool = False) -> Any:
    """Parse `raw` (UTF-8 JSON) or raise `BadJson` with a reason that echoes none of the input.

    `caseless_names` (SCIM): two member names of one object that differ only in case are a
    duplicate too.
    """
    decoder = _CASELESS_DECODER if caseless_names else _DECODER
    try:
        value = decoder.decode(raw.decode("utf-8"))
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(f"the JSON is nested more than {MAX_DEPTH} levels deep") from None
    except (ValueError, UnicodeDecodeError):
        raise BadJson("the request body is not valid JSON") from None
    # Only a `\uD8xx`-`\uDFxx` escape can produce a surrogate (raw bytes must be valid UTF-8),
    # and nesting cannot exceed the number of brackets: Entra's bodies skip the walk.
    surrogates = _SURROGATE_ESCAPE.search(raw) is not None
    if surrogates or raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:
        _check(value, check_surrogates=surrogates)
    return value


def _check(value: Any, *, check_surrogates: bool) -> None:
    """Walk `value` without recursion: bounded depth, and no surrogate in any key or string."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise BadJson(f"the JSON is nested more than {MAX_DEPTH} levels deep")
            for key, child in item.items():
                if check_surrogates and has_lone_surrogate(key):
                    raise BadJson(_SURROGATE_REASON)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise BadJson(f"the JSON is nested more than {MAX_DEPTH} levels deep")
            stack.extend((child, depth + 1) for child in item)
        elif check_surrogates and isinstance(item, str) and has_lone_surrogate(item):
            raise BadJson(_SURROGATE_REASON)


_SURROGATE_REASON = "a string holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text"


def url_is_text(raw_path: bytes, query_string: bytes) -> bool:
    """True when the path and query, once percent-decoded, are valid UTF-8 (no surrogates)."""
    if not (_HIGH_ESCAPE.search(raw_path) or _HIGH_ESCAPE.search(query_string)):
        return True  # uvicorn refuses raw non-ASCII bytes; only %80-%FF escapes can be bad
    try:
        unquote_to_bytes(raw_path).decode("utf-8")
        unquote_to_bytes(query_string.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

"""Small shared pieces of the domain: its error type, the `kv` store, times and page cursors."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from datetime import datetime

from sandbox.strict_input import has_lone_surrogate


class DomainError(Exception):
    """A refusal with a stable `code`, mapped by the admin API to `{code, message}` and `status`."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def kv_get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row["value"])


def kv_set(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Store (or, with None, forget) one value; the caller owns the transaction."""
    if value is None:
        conn.execute("DELETE FROM kv WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def encode_cursor(*parts: str) -> str:
    """An opaque keyset cursor: clients pass it back, they never build one."""
    raw = json.dumps(list(parts), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    """Decode a cursor of `size` strings; anything else is the client's mistake (422)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        parts = None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(part, str) and not has_lone_surrogate(part) for part in parts)
    ):
        raise DomainError(422, "invalid_cursor", "The cursor is not one this server issued.")
    return parts


def like_pattern(query: str) -> str:
    """A case-insensitive substring LIKE pattern (use with `ESCAPE '\\'`)."""
    escaped = query.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def register_casefold(conn: sqlite3.Connection) -> None:
    """Give SQL a Unicode `casefold()`: SQLite's `lower()` leaves "É" alone, French names don't."""
    conn.create_function("casefold", 1, _casefold, deterministic=True)

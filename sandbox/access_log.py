"""Secrets in query strings never reach the request log or uvicorn's access log.

Why: a client may put a credential in the URL (`?access_token=…`, `?code=…` from an OAuth
redirect, a signed URL's `sig=`), and both logs keep the path with its query. Values of
parameters whose name looks secret are replaced before anything is stored or printed; names
and every other parameter stay as sent, so the log still says what was asked.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

REDACTED = "REDACTED"
SECRET_NAMES = frozenset(
    {"code", "key", "sig", "pwd", "pw", "pass", "otp", "jwt", "assertion", "samlresponse"}
)
SECRET_FRAGMENTS = ("token", "secret", "password", "passwd", "apikey", "api_key", "signature",
                    "credential", "session", "auth", "private")  # fmt: skip


def is_secret_name(name: str) -> bool:
    """Whether a query parameter named `name` (percent-encoded as sent) may carry a secret."""
    folded = unquote_plus(name).strip().casefold()
    return folded in SECRET_NAMES or any(fragment in folded for fragment in SECRET_FRAGMENTS)


def redact_query(query: str) -> str:
    """`query` with the value of every secret-looking parameter replaced by `REDACTED`."""
    if not query:
        return query
    parts = query.split("&")
    for index, part in enumerate(parts):
        name, sep, _value = part.partition("=")
        if is_secret_name(name):
            parts[index] = f"{name}={REDACTED}" if sep else name
    return "&".join(parts)


def redact_target(target: str) -> str:
    """A request target (`/path?query`) with its query redacted."""
    path, sep, query = target.partition("?")
    return f"{path}?{redact_query(query)}" if sep else path


class RedactingAccessFilter(logging.Filter):
    """Rewrites uvicorn's access-log record (`client, method, target, version, status`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], redact_target(args[2]), args[3], args[4])
        return True


_FILTER = RedactingAccessFilter()


def redact_uvicorn_access_log() -> None:
    """Install the filter on `uvicorn.access`; idempotent, call once uvicorn set up logging."""
    logging.getLogger("uvicorn.access").addFilter(_FILTER)

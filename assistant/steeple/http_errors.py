"""Turn httpx exceptions and non-2xx answers into `SteepleError`s with a fix.

Kept apart from the client so the probe (which talks SCIM, not the admin API) can reuse the
network half. Messages are built from fixed sentences plus the host; the server's own error message
is used only after `assistant.text.redact` has masked the key and anything that looks like a secret.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from assistant.steeple.contract import ApiError
from assistant.steeple.errors import ErrorKind, SteepleError
from assistant.text.redact import redact

QUOTED_MAX = 300
"""Characters of a server's own message quoted to the admin."""


def host_of(url: str) -> str:
    """The host (and port) for messages: never a path or query string that might hold a token."""
    parts = urlsplit(url)
    return parts.netloc or url


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def network_cause(exc: BaseException) -> str:
    """A coarse, secret-free cause for a connection failure: dns, tls, refused or other."""
    chain = _chain(exc)
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain):
        return "tls"
    text = " ".join(str(e) for e in chain).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "tls"
    dns_words = (
        "name or service not known",
        "nodename nor servname",
        "getaddrinfo",
        "name resolution",
        "no address associated",
        "errno -2",
        "errno -3",
        "errno 8",
    )
    if any(word in text for word in dns_words):
        return "dns"
    if "refused" in text or "errno 111" in text or "errno 61" in text:
        return "refused"
    return "other"


DROPPED_WORDING = ("server disconnected", "peer closed connection")
"""How httpcore ("Server disconnected without sending a response.") and h11 ("peer closed
connection without sending complete message body…") word a connection closed before the
answer was whole: httpx raises both as `RemoteProtocolError`, like a reply that is not HTTP, and
only the wording tells them apart (tests/assistant/steeple/test_http_errors.py holds it to the
installed versions)."""


def connection_dropped(exc: httpx.RemoteProtocolError) -> bool:
    """The connection closed early (a proxy's idle cut, a restart), not a reply that is not HTTP."""
    said = str(exc).lower()
    return any(words in said for words in DROPPED_WORDING)


def error_for_exception(exc: httpx.HTTPError, base_url: str) -> SteepleError:
    """Map a transport-level failure (no usable answer) to a typed error."""
    host = host_of(base_url)
    if isinstance(exc, httpx.TimeoutException):
        return SteepleError.from_catalogue(ErrorKind.TIMEOUT, "error.timeout", host=host)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return SteepleError.from_catalogue(ErrorKind.INVALID, "error.bad_url", host=host)
    if isinstance(exc, httpx.RemoteProtocolError) and connection_dropped(exc):
        return SteepleError.from_catalogue(ErrorKind.UNREACHABLE, "error.dropped", host=host)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return SteepleError.from_catalogue(ErrorKind.MALFORMED, "error.not_http", host=host)
    cause = network_cause(exc)
    if cause == "tls":
        return SteepleError.from_catalogue(ErrorKind.TLS, "error.tls", host=host)
    if cause == "dns":
        return SteepleError.from_catalogue(ErrorKind.UNREACHABLE, "error.dns", host=host)
    if cause == "refused":
        return SteepleError.from_catalogue(ErrorKind.UNREACHABLE, "error.refused", host=host)
    return SteepleError.from_catalogue(ErrorKind.UNREACHABLE, "error.unreachable", host=host)


def _api_error(response: httpx.Response) -> ApiError | None:
    try:
        return ApiError.model_validate_json(response.content)
    except (ValidationError, ValueError):
        return None


def error_for_response(response: httpx.Response, base_url: str, secret: str) -> SteepleError:
    """Map a non-2xx answer to a typed error, keeping the admin API's `code` when it sent one."""
    status = response.status_code
    host = host_of(base_url)
    api = _api_error(response)
    code = api.code if api else None
    said = redact(api.message.strip(), [secret])[:QUOTED_MAX] if api else ""

    def make(
        kind: ErrorKind, key: str, fix_key: str | None = None, *, quote: bool = False
    ) -> SteepleError:
        """The catalogue's sentence, or (`quote`) what the server said, never translated."""
        return SteepleError.from_catalogue(
            kind, key, fix_key, said=said if quote else "", status=status, code=code, host=host
        )

    if status == 401:
        return make(ErrorKind.UNAUTHORIZED, "error.unauthorized")
    if status == 403:
        return make(ErrorKind.FORBIDDEN, "error.forbidden")
    if status == 404:
        if api is None:
            return make(ErrorKind.NOT_FOUND, "error.no_api")
        return make(ErrorKind.NOT_FOUND, "error.not_found", quote=True)
    if status == 409:
        return make(ErrorKind.CONFLICT, "error.conflict", _conflict_fix(code), quote=True)
    if status in (400, 413, 422):
        return make(ErrorKind.INVALID, "error.invalid", quote=True)
    if status >= 500:
        return make(ErrorKind.SERVER, "error.server")
    if 300 <= status < 400:
        return make(ErrorKind.NOT_FOUND, "error.redirect")
    return make(ErrorKind.MALFORMED, "error.unexpected_status")


def _conflict_fix(code: str | None) -> str:
    """The fix of a 409 names what the admin API's `code` says is in the way."""
    from assistant.i18n.translate import known

    specific = f"error.conflict.{code}.fix"
    return specific if known(specific) else "error.conflict.fix"

"""Turn httpx exceptions and non-2xx answers into `SteepleError`s with a fix.

Kept apart from the client so the probe (which talks SCIM, not the admin API) can reuse the
network half. Messages are built from fixed sentences plus the host; the server's own error message
is used only after any occurrence of the key has been redacted.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from assistant.contract import ApiError
from assistant.errors import ErrorKind, SteepleError

REDACTED = "[redacted]"


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


def error_for_exception(exc: httpx.HTTPError, base_url: str) -> SteepleError:
    """Map a transport-level failure (no usable answer) to a typed error."""
    host = host_of(base_url)
    if isinstance(exc, httpx.TimeoutException):
        return SteepleError(
            ErrorKind.TIMEOUT,
            f"{host} did not answer in time.",
            "Check your network or VPN and try again; if it persists, the instance may be "
            "overloaded — contact Steeple support.",
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return SteepleError(
            ErrorKind.INVALID,
            f"'{host}' is not a usable instance URL.",
            "Enter the full address of your Steeple instance, starting with https://.",
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return SteepleError(
            ErrorKind.MALFORMED,
            f"{host} answered something that is not valid HTTP.",
            "Check the URL and port: it should be your Steeple instance, not another service.",
        )
    cause = network_cause(exc)
    if cause == "tls":
        return SteepleError(
            ErrorKind.TLS,
            f"The secure connection to {host} could not be established (certificate problem).",
            "Check the URL; if your network inspects TLS, ask IT to trust Steeple's certificate.",
        )
    if cause == "dns":
        return SteepleError(
            ErrorKind.UNREACHABLE,
            f"The name {host} could not be found.",
            "Check the spelling of the instance URL and that you are on the right network.",
        )
    if cause == "refused":
        return SteepleError(
            ErrorKind.UNREACHABLE,
            f"{host} refused the connection.",
            "Check the URL and port; if you use the sandbox, make sure it is running.",
        )
    return SteepleError(
        ErrorKind.UNREACHABLE,
        f"{host} could not be reached.",
        "Check the instance URL, your network and any VPN or proxy, then try again.",
    )


def _api_error(response: httpx.Response) -> ApiError | None:
    try:
        return ApiError.model_validate_json(response.content)
    except (ValidationError, ValueError):
        return None


def _redact(text: str, secret: str) -> str:
    text = text.strip()
    if secret and secret in text:
        text = text.replace(secret, REDACTED)
    return text[:300]


def error_for_response(response: httpx.Response, base_url: str, secret: str) -> SteepleError:
    """Map a non-2xx answer to a typed error, keeping the admin API's `code` when it sent one."""
    status = response.status_code
    host = host_of(base_url)
    api = _api_error(response)
    code = api.code if api else None
    said = _redact(api.message, secret) if api else ""

    def make(kind: ErrorKind, message: str, fix: str) -> SteepleError:
        return SteepleError(kind, message, fix, status=status, code=code)

    if status == 401:
        return make(
            ErrorKind.UNAUTHORIZED,
            f"{host} did not accept the admin API key.",
            "Create a new admin API key in Steeple (Administration → API keys) and use it "
            "instead of this one.",
        )
    if status == 403:
        return make(
            ErrorKind.FORBIDDEN,
            "This admin API key is not allowed to change provisioning settings.",
            "Use a key created by a Steeple administrator with the 'integrations' permission.",
        )
    if status == 404:
        if api is None:
            return make(
                ErrorKind.NOT_FOUND,
                f"There is no Steeple admin API at {host} (404).",
                "Check the instance URL: use the address you open Steeple with, e.g. "
                "https://yourcompany.steeple.com, without any path.",
            )
        return make(
            ErrorKind.NOT_FOUND,
            said or "The requested item does not exist on this instance.",
            "Refresh: it may have been removed in the meantime.",
        )
    if status == 409:
        return make(
            ErrorKind.CONFLICT,
            said or "The instance is not in a state that allows this action.",
            _conflict_fix(code),
        )
    if status in (400, 413, 422):
        return make(
            ErrorKind.INVALID,
            said or "The instance rejected the request as invalid.",
            "Check the values you entered and try again.",
        )
    if status >= 500:
        return make(
            ErrorKind.SERVER,
            f"{host} had an internal error ({status}).",
            "Try again in a minute; if it persists, send a diagnostics report "
            "(steeple-assistant report) to Steeple support.",
        )
    if 300 <= status < 400:
        return make(
            ErrorKind.NOT_FOUND,
            f"{host} redirected the request elsewhere ({status}).",
            "Use the final address of your Steeple instance (usually https://…), without a path.",
        )
    return make(
        ErrorKind.MALFORMED,
        f"{host} answered with an unexpected status ({status}).",
        "Check that the URL is your Steeple instance and not a proxy or login page.",
    )


def _conflict_fix(code: str | None) -> str:
    fixes = {
        "integration_not_installed": "Install the Azure AD integration first (step 2).",
        "too_many_tokens": "Revoke the older SCIM token before creating a new one "
        "(at most two are live, so Entra can be switched without downtime).",
    }
    return fixes.get(code or "", "Refresh the assistant to see the instance's current state.")

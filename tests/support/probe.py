"""Do what Entra's Test Connection does, and say in plain words what happened.

Entra sends `GET {tenant URL}/Users?filter=userName eq "<random GUID>"` with the bearer token and
no Accept header, and is satisfied only by a 2xx SCIM ListResponse. Running the same request from
the admin's machine separates "Steeple refuses the token" from "the URL is wrong" from "the network
is the problem" before anyone opens the Entra portal.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from assistant.steeple.http_errors import host_of, network_cause

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


class ProbeOutcome(StrEnum):
    SUCCESS = "success"
    DNS = "dns"
    TLS = "tls"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    NOT_SCIM = "not_scim"
    SERVER_ERROR = "server_error"
    INVALID_URL = "invalid_url"


@dataclass(frozen=True)
class ProbeResult:
    """The outcome, the HTTP status if any, and an explanation with a fix (never the token)."""

    outcome: ProbeOutcome
    message: str
    fix: str
    status: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is ProbeOutcome.SUCCESS


def entra_test_url(tenant_url: str, user_name: str) -> str:
    """`{tenant}/Users?<tenant query>&filter=userName+eq+"…"`, as Entra builds it."""
    parts = urlsplit(tenant_url.strip())
    path = parts.path.rstrip("/") + "/Users"
    flt = "filter=" + quote(f'userName eq "{user_name}"', safe="").replace("%20", "+")
    query = f"{parts.query}&{flt}" if parts.query else flt
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _is_list_response(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and (
        LIST_RESPONSE in (data.get("schemas") or []) or "totalResults" in data
    )


async def probe_scim(
    tenant_url: str,
    token: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 10.0,
) -> ProbeResult:
    """Send Entra's Test Connection request and explain the answer."""
    host = host_of(tenant_url)
    if urlsplit(tenant_url.strip()).scheme not in ("http", "https"):
        return ProbeResult(
            ProbeOutcome.INVALID_URL,
            "The Tenant URL is not a web address.",
            "Copy the Tenant URL from the assistant's credentials step; it starts with https://.",
        )
    url = entra_test_url(tenant_url, str(uuid.uuid4()))
    async with httpx.AsyncClient(transport=transport, timeout=timeout) as http:
        http.headers.pop("Accept", None)
        try:
            response = await http.get(url, headers={"Authorization": f"Bearer {token}"})
        except httpx.TimeoutException:
            return ProbeResult(
                ProbeOutcome.TIMEOUT,
                f"{host} did not answer in time; Entra would report a timeout too.",
                "Check that the instance is reachable from the internet (Entra calls from Azure).",
            )
        except httpx.HTTPError as exc:
            return _network_result(exc, host)
    return _answer_result(response, host)


def _network_result(exc: httpx.HTTPError, host: str) -> ProbeResult:
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return ProbeResult(
            ProbeOutcome.INVALID_URL,
            "The Tenant URL is not a usable web address.",
            "Copy the Tenant URL again from the assistant's credentials step.",
        )
    cause = network_cause(exc)
    if cause == "dns":
        return ProbeResult(
            ProbeOutcome.DNS,
            f"The name {host} does not exist (DNS lookup failed).",
            "Check the Tenant URL for typos; copy it again from the credentials step.",
        )
    if cause == "tls":
        return ProbeResult(
            ProbeOutcome.TLS,
            f"{host} answered, but its TLS certificate was not accepted.",
            "Entra requires a valid public certificate on the SCIM endpoint; check the URL.",
        )
    if cause == "refused":
        return ProbeResult(
            ProbeOutcome.REFUSED,
            f"{host} refused the connection: nothing listens at that address and port.",
            "Check the Tenant URL's host and port; for the sandbox, make sure it is running.",
        )
    return ProbeResult(
        ProbeOutcome.UNREACHABLE,
        f"{host} could not be reached.",
        "Check the Tenant URL and your network, then try again.",
    )


def _answer_result(response: httpx.Response, host: str) -> ProbeResult:
    status = response.status_code
    if status in (401, 403):
        return ProbeResult(
            ProbeOutcome.UNAUTHORIZED,
            f"Steeple refused the Secret Token ({status}): it is wrong, revoked or not the newest.",
            "Create or copy the current token in the credentials step and paste it into Entra.",
            status,
        )
    if status == 404:
        return ProbeResult(
            ProbeOutcome.NOT_FOUND,
            f"{host} has no SCIM endpoint at this path (404).",
            "The Tenant URL must end with /scim/v2 (plus ?aadOptscim062020); copy it again.",
            status,
        )
    if status >= 500:
        return ProbeResult(
            ProbeOutcome.SERVER_ERROR,
            f"{host} had an internal error ({status}).",
            "Try again in a minute; if it persists, contact Steeple support with a report.",
            status,
        )
    if 200 <= status < 300 and _is_list_response(response.content):
        return ProbeResult(
            ProbeOutcome.SUCCESS,
            "The SCIM endpoint accepted the token and answered like Entra expects.",
            "Nothing to fix: click Test Connection in Entra, then Save.",
            status,
        )
    return ProbeResult(
        ProbeOutcome.NOT_SCIM,
        f"{host} answered ({status}) but not as a SCIM service: it is probably another page.",
        "Use the Tenant URL from the credentials step, not the address of Steeple's web app.",
        status,
    )

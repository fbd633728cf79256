"""Entra's Test Connection: a random user, then a random group, each expected to be an empty list.

"Microsoft Entra ID makes requests to fetch a random user and group to ensure that the endpoint
and the credentials are valid" (learn.microsoft.com/entra/identity/app-provisioning/
use-scim-to-provision-users-and-groups); every cycle and every provision on demand starts with it.

Entra shows one sentence for every failure; the simulator keeps the real cause next to it so the
assistant can say what is actually wrong (token, URL, network, not a SCIM endpoint).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sandbox.entra.mappings import LIST_RESPONSE
from sandbox.entra.transport import ScimAnswer, ScimTransport, eq_filter

ENTRA_FAILURE_MESSAGE = (
    "You appear to have entered invalid credentials. Please confirm you are using the correct "
    "information for an administrative account."
)
ENTRA_SUCCESS_MESSAGE = "The supplied credentials are authorized to enable provisioning"
ENTRA_ERROR_CODE = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"


@dataclass(frozen=True)
class ConnectionResult:
    """`message`/`error_code` as Entra shows them; `cause`/`status` for diagnostics."""

    success: bool
    message: str
    error_code: str | None
    cause: str
    """'ok', 'unauthorized', 'forbidden', 'not_found', 'not_scim', 'not_empty', 'http_error',
    'timeout', 'refused', 'tls' or 'unreachable'."""
    status: int | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def random_user_name(rng: random.Random | None = None) -> str:
    """Entra queries a fresh GUID so that the answer must be an empty list."""
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


async def test_connection(
    transport: ScimTransport, rng: random.Random | None = None
) -> ConnectionResult:
    """Send Entra's probes over `transport` and judge the answers as Entra does.

    Groups are optional for a SCIM app, so a group probe that finds no `/Groups` (404, or not a
    list) does not fail the test; a refused token or a non-empty answer does.
    """
    answer = await transport.send("GET", "/Users", eq_filter("userName", random_user_name(rng)))
    result = judge(answer)
    if not result.success:
        return result
    query = "excludedAttributes=members&" + eq_filter("displayName", random_user_name(rng))
    group = judge(await transport.send("GET", "/Groups", query))
    if group.success or group.cause in ("not_found", "not_scim", "http_error"):
        return result
    return group


PROBE_REQUESTS = 2
"""Requests one Test Connection sends when the user probe succeeds."""


def judge(answer: ScimAnswer) -> ConnectionResult:
    def fail(cause: str, detail: str) -> ConnectionResult:
        return ConnectionResult(
            False, ENTRA_FAILURE_MESSAGE, ENTRA_ERROR_CODE, cause, answer.status, detail
        )

    if answer.status is None:
        details = {
            "timeout": "The endpoint did not answer in time.",
            "refused": "The connection was refused: nothing listens at that address.",
            "tls": "The TLS handshake failed: the certificate is not trusted for that host.",
        }
        cause = answer.cause or "unreachable"
        return fail(cause, details.get(cause, "The endpoint could not be reached."))
    status = answer.status
    if status == 401:
        return fail("unauthorized", "HTTP 401: the endpoint refused the secret token.")
    if status == 403:
        return fail("forbidden", "HTTP 403: the token is not allowed to read users.")
    if status == 404:
        return fail("not_found", "HTTP 404: no SCIM /Users under that tenant URL.")
    if not 200 <= status < 300:
        return fail("http_error", f"HTTP {status} from the endpoint.")
    body = answer.body
    is_list = (
        answer.cause is None
        and isinstance(body, dict)
        and LIST_RESPONSE in (body.get("schemas") or [])
    )
    if not is_list:
        return fail("not_scim", f"HTTP {status}, but the body is not a SCIM ListResponse.")
    if body.get("totalResults", len(body.get("Resources") or [])) or body.get("Resources"):
        return fail("not_empty", "The filter was ignored: a random userName matched users.")
    return ConnectionResult(True, ENTRA_SUCCESS_MESSAGE, None, "ok", status, "Empty ListResponse.")

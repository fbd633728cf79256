"""What the login emulator's endpoints share: the request's emulator and base URL, Entra's error
body, form parsing, and the token answer with the tenant's sign-in policies applied first."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.graph.common import emulator_of
from sandbox.graph.emulator import GRAPH_RESOURCE, OIDC_SCOPES, GraphEmulator


def base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def oauth_error(
    error: str, description: str, status: int = 400, suberror: str | None = None
) -> JSONResponse:
    """Entra's error body: `error`, `error_description` starting with the AADSTS number, and the
    number again in `error_codes` (reference-error-codes: "Handling error codes")."""
    body: dict[str, Any] = {"error": error, "error_description": description}
    number = description.split(":", 1)[0].removeprefix("AADSTS")
    if number.isdigit():
        body["error_codes"] = [int(number)]
    if suberror:
        body["suberror"] = suberror
    return JSONResponse(body, status_code=status)


def known_tenant(emulator: GraphEmulator, tenant: str) -> bool:
    names = {"common", "organizations", emulator.tenant_id, emulator.host.tenant.domain}
    return tenant.lower() in {n.lower() for n in names}


async def form_fields(request: Request) -> dict[str, str]:
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"))
    return {key: values[0] for key, values in parsed.items()}


def graph_scopes(scope: str) -> frozenset[str]:
    """`https://graph.microsoft.com/User.Read.All` → `User.Read.All`; OIDC scopes dropped."""
    names = set()
    for item in scope.split():
        name = item.removeprefix(GRAPH_RESOURCE)
        if name not in OIDC_SCOPES:
            names.add(name)
    return frozenset(names)


def signed_in_as(emulator: GraphEmulator) -> str:
    user = emulator.signed_in_user
    return user.user_principal_name if user else "admin@sandbox"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def token_response(
    request: Request, client_id: str, scopes: frozenset[str], nonce: str | None = None
) -> JSONResponse:
    emulator = emulator_of(request)
    access, refresh, issued = emulator.grant(client_id, scopes)
    user = emulator.signed_in_user
    now = int(time.time())
    claims = {
        "iss": f"{base(request)}/{emulator.tenant_id}/v2.0",
        "aud": client_id,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "sub": issued.object_id,
        "oid": issued.object_id,
        "tid": emulator.tenant_id,
        "name": user.display_name if user else "Sandbox admin",
        "preferred_username": user.user_principal_name if user else "admin@sandbox",
        "ver": "2.0",
        **({"nonce": nonce} if nonce else {}),
    }
    id_token = _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(claims) + "."
    return JSONResponse(
        {
            "token_type": "Bearer",
            "scope": " ".join(GRAPH_RESOURCE + s for s in sorted(issued.scopes)),
            "expires_in": 3600,
            "ext_expires_in": 3600,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": _b64({"uid": issued.object_id, "utid": emulator.tenant_id}),
        }
    )


def policy_refusal(emulator: GraphEmulator, grant: str) -> JSONResponse | None:
    """The tenant's sign-in policies, evaluated as Entra does when it is about to issue a token."""
    policy = emulator.login.policy
    if grant == "device_code" and not policy.public_client:
        return oauth_error(
            "invalid_client",
            "AADSTS7000218: The request body must contain the following parameter: "
            "'client_assertion' or 'client_secret'.",
            status=401,
        )
    if grant in policy.blocked_flows:
        return oauth_error(
            "invalid_grant",
            "AADSTS53003: Access has been blocked by Conditional Access policies. The access "
            "policy does not allow token issuance.",
            suberror="message_only",
        )
    if policy.require_compliant_device:
        return oauth_error(
            "invalid_grant",
            "AADSTS53000: Device is not in required device state: compliant. Conditional Access "
            "policy requires a compliant device, and the device is not compliant.",
            suberror="device_not_compliant",
        )
    if not policy.admin_consent:
        return oauth_error(
            "invalid_grant",
            "AADSTS65001: The user or administrator has not consented to use the application.",
            suberror="consent_required",
        )
    return None


__all__ = [
    "base",
    "emulator_of",
    "form_fields",
    "graph_scopes",
    "known_tenant",
    "oauth_error",
    "policy_refusal",
    "signed_in_as",
    "token_response",
]

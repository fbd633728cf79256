"""A login emulator shaped like login.microsoftonline.com, for MSAL's real device-code flow.

Instance discovery (`/common/discovery/instance`), OIDC discovery
(`/{tenant}/v2.0/.well-known/openid-configuration`), the device authorization endpoint and the
token endpoint (device-code and refresh-token grants), with the OAuth error bodies Entra returns
(`authorization_pending`, `expired_token`, `invalid_grant`). The "user" approves a code after the
emulator's `approval_delay`. Tokens are opaque; the id token is unsigned (MSAL does not verify a
signature on an id token it received over TLS from the token endpoint, OIDC Core §3.1.3.7).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox.graph.emulator import GRAPH_RESOURCE, OIDC_SCOPES, GraphEmulator

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def _emulator(request: Request) -> GraphEmulator:
    emulator: GraphEmulator = request.app.state.graph
    return emulator


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _known_tenant(emulator: GraphEmulator, tenant: str) -> bool:
    names = {"common", "organizations", emulator.tenant_id, emulator.host.tenant.domain}
    return tenant.lower() in {n.lower() for n in names}


async def instance_discovery(request: Request) -> JSONResponse:
    emulator = _emulator(request)
    endpoint = request.query_params.get("authorization_endpoint", "")
    parts = urlsplit(endpoint).path.split("/")
    tenant = parts[1] if len(parts) > 1 and parts[1] else "organizations"
    host = request.url.netloc
    if not _known_tenant(emulator, tenant):
        return _oauth_error("invalid_instance", "AADSTS50049: Unknown or invalid instance.")
    return JSONResponse(
        {
            "tenant_discovery_endpoint": (
                f"{_base(request)}/{tenant}/v2.0/.well-known/openid-configuration"
            ),
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
        }
    )


async def openid_configuration(request: Request) -> JSONResponse:
    emulator = _emulator(request)
    tenant = request.path_params["tenant"]
    if not _known_tenant(emulator, tenant):
        return _oauth_error(
            "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.", status=400
        )
    base = _base(request)
    return JSONResponse(
        {
            "issuer": f"{base}/{emulator.tenant_id}/v2.0",
            "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/{tenant}/oauth2/v2.0/logout",
            "jwks_uri": f"{base}/{tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "sandbox.local",
        }
    )


async def _form(request: Request) -> dict[str, str]:
    parsed = parse_qs((await request.body()).decode("utf-8", "replace"))
    return {key: values[0] for key, values in parsed.items()}


def _graph_scopes(scope: str) -> frozenset[str]:
    """`https://graph.microsoft.com/User.Read.All` → `User.Read.All`; OIDC scopes dropped."""
    names = set()
    for item in scope.split():
        name = item.removeprefix(GRAPH_RESOURCE)
        if name not in OIDC_SCOPES:
            names.add(name)
    return frozenset(names)


async def device_code(request: Request) -> JSONResponse:
    emulator = _emulator(request)
    form = await _form(request)
    if not form.get("client_id"):
        return _oauth_error("invalid_request", "AADSTS900144: 'client_id' is missing.")
    code = emulator.issue_device_code(form["client_id"], _graph_scopes(form.get("scope", "")))
    uri = f"{_base(request)}/devicelogin"
    return JSONResponse(
        {
            "device_code": code.device_code,
            "user_code": code.user_code,
            "verification_uri": uri,
            "expires_in": 900,
            "interval": emulator.poll_interval,
            "message": (
                f"To sign in, use a web browser to open the page {uri} and enter the code "
                f"{code.user_code} to authenticate."
            ),
        }
    )


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _token_response(request: Request, client_id: str, scopes: frozenset[str]) -> JSONResponse:
    emulator = _emulator(request)
    access, refresh, issued = emulator.grant(client_id, scopes)
    user = emulator.signed_in_user
    now = int(time.time())
    claims = {
        "iss": f"{_base(request)}/{emulator.tenant_id}/v2.0",
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


async def token(request: Request) -> JSONResponse:
    emulator = _emulator(request)
    form = await _form(request)
    grant = form.get("grant_type", "")
    client_id = form.get("client_id", "")
    if grant == DEVICE_CODE_GRANT:
        code = emulator.device_codes.get(form.get("device_code", ""))
        if code is None or code.client_id != client_id:
            return _oauth_error("invalid_grant", "AADSTS70000: The provided value is invalid.")
        now = time.monotonic()
        if now > code.expires_at:
            return _oauth_error("expired_token", "AADSTS70020: The device code has expired.")
        if code.declined:
            return _oauth_error("authorization_declined", "AADSTS70016: The user declined.")
        if now < code.approve_at:
            return _oauth_error(
                "authorization_pending",
                "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.",
            )
        del emulator.device_codes[code.device_code]  # a device code is redeemed once
        return _token_response(request, client_id, code.scopes)
    if grant == "refresh_token":
        issued = emulator.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if issued is None or issued.client_id != client_id:
            return _oauth_error(
                "invalid_grant", "AADSTS700082: The refresh token has expired or was revoked."
            )
        return _token_response(request, client_id, _graph_scopes(form.get("scope", "")))
    return _oauth_error("unsupported_grant_type", f"AADSTS70003: '{grant}' is not supported.")


routes = [
    Route("/common/discovery/instance", instance_discovery, methods=["GET"]),
    Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_configuration),
    Route("/{tenant}/oauth2/v2.0/devicecode", device_code, methods=["POST"]),
    Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
]

"""A login emulator shaped like login.microsoftonline.com, for MSAL's real device-code and browser
flows.

Instance discovery (`/common/discovery/instance`), OIDC discovery
(`/{tenant}/v2.0/.well-known/openid-configuration`), the device authorization endpoint, the
`/devicelogin` page where a person types the user code, the authorization endpoint with its
consent page (authorization code + PKCE, loopback redirect, `form_post` or `query` answer), and
the token endpoint (device-code, authorization-code and refresh-token grants), with the OAuth
error bodies Entra returns. Nothing is approved by time: a device code only when its user code is
entered on `/devicelogin` (a form posting `user_code`, so a script approves a code exactly as a
person's browser does), a browser sign-in only when the person presses Accept. Tokens are
opaque; the id token is unsigned (MSAL does not verify a signature on an id token it received
over TLS from the token endpoint, OIDC Core §3.1.3.7). The browser flow's endpoints are in
sandbox/graph/authorize.py, what both share in oauth.py, the pages in pages.py.
"""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from sandbox.graph import authorize, pages
from sandbox.graph.emulator import DeviceCode, GraphEmulator
from sandbox.graph.oauth import (
    base,
    emulator_of,
    form_fields,
    graph_scopes,
    known_tenant,
    oauth_error,
    policy_refusal,
    signed_in_as,
    token_response,
)

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


async def instance_discovery(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    endpoint = request.query_params.get("authorization_endpoint", "")
    parts = urlsplit(endpoint).path.split("/")
    tenant = parts[1] if len(parts) > 1 and parts[1] else "organizations"
    host = request.url.netloc
    if not known_tenant(emulator, tenant):
        return oauth_error("invalid_instance", "AADSTS50049: Unknown or invalid instance.")
    return JSONResponse(
        {
            "tenant_discovery_endpoint": (
                f"{base(request)}/{tenant}/v2.0/.well-known/openid-configuration"
            ),
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
        }
    )


async def openid_configuration(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    tenant = request.path_params["tenant"]
    if not known_tenant(emulator, tenant):
        return oauth_error(
            "invalid_tenant", f"AADSTS90002: Tenant '{tenant}' not found.", status=400
        )
    root = base(request)
    return JSONResponse(
        {
            "issuer": f"{root}/{emulator.tenant_id}/v2.0",
            "authorization_endpoint": f"{root}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/{tenant}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/{tenant}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{root}/{tenant}/oauth2/v2.0/logout",
            "jwks_uri": f"{root}/{tenant}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "sandbox.local",
        }
    )


# --- device code ---------------------------------------------------------------------------------


async def device_code(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    form = await form_fields(request)
    if not form.get("client_id"):
        return oauth_error("invalid_request", "AADSTS900144: 'client_id' is missing.")
    code = emulator.issue_device_code(form["client_id"], graph_scopes(form.get("scope", "")))
    uri = f"{base(request)}/devicelogin"
    return JSONResponse(
        {
            "device_code": code.device_code,
            "user_code": code.user_code,
            "verification_uri": uri,
            "expires_in": int(emulator.login.device_code_lifetime),
            "interval": emulator.poll_interval,
            "message": (
                f"To sign in, use a web browser to open the page {uri} and enter the code "
                f"{code.user_code} to authenticate."
            ),
        }
    )


def _by_user_code(emulator: GraphEmulator, typed: str) -> DeviceCode | None:
    wanted = "".join(typed.split()).replace("-", "").upper()
    for code in emulator.device_codes.values():
        if wanted and hmac.compare_digest(code.user_code.encode(), wanted.encode()):
            return code
    return None


async def devicelogin_page(request: Request) -> HTMLResponse:
    return HTMLResponse(pages.device_login_form(signed_in_as(emulator_of(request))))


async def devicelogin(request: Request) -> HTMLResponse:
    """The person typed a code: approve it (or decline it, with the page's Cancel)."""
    emulator = emulator_of(request)
    form = await form_fields(request)
    code = _by_user_code(emulator, form.get("user_code", ""))
    user = signed_in_as(emulator)
    if code is None:
        return HTMLResponse(pages.device_login_form(user, pages.WRONG_CODE), status_code=400)
    if time.monotonic() > code.expires_at:
        return HTMLResponse(pages.device_login_form(user, pages.EXPIRED_CODE), status_code=400)
    if code.approved:
        return HTMLResponse(pages.device_login_form(user, pages.USED_CODE), status_code=400)
    if code.declined or form.get("action") == "decline":  # declined: `GraphEmulator.declining`
        code.declined = True
        return HTMLResponse(pages.device_login_declined())
    code.approved = True
    return HTMLResponse(pages.device_login_done(code.client_id))


# --- tokens --------------------------------------------------------------------------------------


async def _device_code_grant(request: Request, form: dict[str, str]) -> JSONResponse:
    emulator = emulator_of(request)
    client_id = form.get("client_id", "")
    code = emulator.device_codes.get(form.get("device_code", ""))
    if code is None or code.client_id != client_id:
        return oauth_error("invalid_grant", "AADSTS70000: The provided value is invalid.")
    if time.monotonic() > code.expires_at:
        return oauth_error("expired_token", "AADSTS70020: The device code has expired.")
    if code.declined:
        return oauth_error("authorization_declined", "AADSTS70016: The user declined.")
    if not code.approved:  # nobody typed the code on /devicelogin: never approved by time
        return oauth_error(
            "authorization_pending",
            "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.",
        )
    del emulator.device_codes[code.device_code]  # a device code is redeemed once
    return policy_refusal(emulator, "device_code") or token_response(
        request, client_id, code.scopes
    )


async def token(request: Request) -> JSONResponse:
    emulator = emulator_of(request)
    form = await form_fields(request)
    grant = form.get("grant_type", "")
    client_id = form.get("client_id", "")
    if grant == DEVICE_CODE_GRANT:
        return await _device_code_grant(request, form)
    if grant == "authorization_code":
        return await authorize.authorization_code_grant(request, form)
    if grant == "refresh_token":
        issued = emulator.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if issued is None or issued.client_id != client_id:
            return oauth_error(
                "invalid_grant", "AADSTS700082: The refresh token has expired or was revoked."
            )
        return token_response(request, client_id, graph_scopes(form.get("scope", "")))
    return oauth_error("unsupported_grant_type", f"AADSTS70003: '{grant}' is not supported.")


routes = [
    Route("/common/discovery/instance", instance_discovery, methods=["GET"]),
    Route("/{tenant}/v2.0/.well-known/openid-configuration", openid_configuration),
    Route("/{tenant}/oauth2/v2.0/devicecode", device_code, methods=["POST"]),
    Route("/devicelogin", devicelogin_page, methods=["GET"]),
    Route("/devicelogin", devicelogin, methods=["POST"]),
    Route("/{tenant}/oauth2/v2.0/authorize", authorize.authorize, methods=["GET", "POST"]),
    Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
]

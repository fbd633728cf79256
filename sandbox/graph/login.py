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
over TLS from the token endpoint, OIDC Core §3.1.3.7). The pages are in sandbox/graph/pages.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox.graph import pages
from sandbox.graph.emulator import GRAPH_RESOURCE, OIDC_SCOPES, DeviceCode, GraphEmulator
from sandbox.graph.login_state import AUTH_CODE_LIFETIME, AuthCode, PendingAuthorization

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def _emulator(request: Request) -> GraphEmulator:
    emulator: GraphEmulator = request.app.state.graph
    return emulator


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def _oauth_error(
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


# --- device code ---------------------------------------------------------------------------------


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
        if wanted and hmac.compare_digest(code.user_code, wanted):
            return code
    return None


async def devicelogin_page(request: Request) -> HTMLResponse:
    return HTMLResponse(pages.device_login_form(_signed_in_as(_emulator(request))))


async def devicelogin(request: Request) -> HTMLResponse:
    """The person typed a code: approve it (or decline it, with the page's Cancel)."""
    emulator = _emulator(request)
    form = await _form(request)
    code = _by_user_code(emulator, form.get("user_code", ""))
    user = _signed_in_as(emulator)
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


def _signed_in_as(emulator: GraphEmulator) -> str:
    user = emulator.signed_in_user
    return user.user_principal_name if user else "admin@sandbox"


# --- authorization code + PKCE -------------------------------------------------------------------


def _loopback(redirect_uri: str) -> bool:
    """A native client's loopback redirect: http to this machine, any port (Entra ignores the
    port of a loopback redirect URI registered as `http://localhost`)."""
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS


async def authorize(request: Request) -> Response:
    """The sign-in and consent page of the browser flow (GET), or the person's answer (POST)."""
    emulator = _emulator(request)
    if request.method == "POST":
        return await _authorize_answer(request, emulator)
    query = request.query_params
    if not _known_tenant(emulator, request.path_params["tenant"]):
        return _error_page("AADSTS90002: Tenant not found.")
    client_id = query.get("client_id", "")
    redirect_uri = query.get("redirect_uri", "")
    if not client_id:
        return _error_page("AADSTS900144: The request body must contain 'client_id'.")
    if not _loopback(redirect_uri):  # never redirect to an address nobody registered
        return _error_page(
            "AADSTS50011: The redirect URI specified in the request does not match the redirect "
            "URIs configured for the application (this emulator accepts http://localhost only)."
        )
    state = query.get("state")
    mode = query.get("response_mode", "query")
    problem = None
    if query.get("response_type") != "code":
        problem = ("unsupported_response_type", "AADSTS70005: response_type must be 'code'.")
    elif mode not in ("query", "form_post"):
        problem = ("invalid_request", "AADSTS70007: Unsupported response_mode.")
    elif not query.get("code_challenge"):
        problem = ("invalid_request", "AADSTS50147: The code_challenge parameter is missing.")
    elif query.get("code_challenge_method", "plain") not in ("plain", "S256"):
        problem = ("invalid_request", "AADSTS501491: Invalid code_challenge_method.")
    if problem is not None:
        mode = mode if mode in ("query", "form_post") else "query"
        return _answer(
            redirect_uri, mode, {"error": problem[0], "error_description": problem[1]}, state
        )
    request_id = secrets.token_urlsafe(24)
    emulator.login.pending[request_id] = PendingAuthorization(
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_mode=mode,
        state=state,
        scopes=_graph_scopes(query.get("scope", "")),
        code_challenge=query["code_challenge"],
        code_challenge_method=query.get("code_challenge_method", "plain"),
        nonce=query.get("nonce"),
    )
    pending = emulator.login.pending[request_id]
    return HTMLResponse(
        pages.consent(
            request.url.path, request_id, _signed_in_as(emulator), client_id, pending.scopes
        )
    )


async def _authorize_answer(request: Request, emulator: GraphEmulator) -> Response:
    form = await _form(request)
    pending = emulator.login.pending.pop(form.get("request", ""), None)
    if pending is None:
        return _error_page("AADSTS90120: The request was already authorized or declined.")
    if form.get("action") != "accept":
        return _answer(
            pending.redirect_uri,
            pending.response_mode,
            {
                "error": "access_denied",
                "error_description": "AADSTS65004: User declined to consent to access the app.",
            },
            pending.state,
        )
    code = secrets.token_urlsafe(32)
    emulator.login.auth_codes[code] = AuthCode(
        client_id=pending.client_id,
        redirect_uri=pending.redirect_uri,
        scopes=pending.scopes,
        code_challenge=pending.code_challenge,
        code_challenge_method=pending.code_challenge_method,
        nonce=pending.nonce,
        expires_at=time.monotonic() + AUTH_CODE_LIFETIME,
    )
    return _answer(pending.redirect_uri, pending.response_mode, {"code": code}, pending.state)


def _answer(redirect_uri: str, mode: str, values: dict[str, str], state: str | None) -> Response:
    """The authorization response at the client's redirect URI (RFC 6749 §4.1.2), as a redirect
    (`query`) or a self-submitting form (`form_post`, what MSAL's loopback receiver takes)."""
    fields = {**values, **({"state": state} if state is not None else {})}
    if mode == "form_post":
        return HTMLResponse(pages.form_post(redirect_uri, fields))
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(redirect_uri + separator + urlencode(fields), status_code=302)


def _error_page(message: str) -> HTMLResponse:
    return HTMLResponse(pages.error(message), status_code=400)


def _pkce_matches(code: AuthCode, verifier: str) -> bool:
    if code.code_challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    else:
        expected = verifier
    return bool(verifier) and hmac.compare_digest(expected, code.code_challenge)


# --- tokens --------------------------------------------------------------------------------------


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _token_response(
    request: Request, client_id: str, scopes: frozenset[str], nonce: str | None = None
) -> JSONResponse:
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


def _policy_refusal(emulator: GraphEmulator, grant: str) -> JSONResponse | None:
    """The tenant's sign-in policies, evaluated as Entra does when it is about to issue a token."""
    policy = emulator.login.policy
    if grant == "device_code" and not policy.public_client:
        return _oauth_error(
            "invalid_client",
            "AADSTS7000218: The request body must contain the following parameter: "
            "'client_assertion' or 'client_secret'.",
            status=401,
        )
    if grant in policy.blocked_flows:
        return _oauth_error(
            "invalid_grant",
            "AADSTS53003: Access has been blocked by Conditional Access policies. The access "
            "policy does not allow token issuance.",
            suberror="message_only",
        )
    if policy.require_compliant_device:
        return _oauth_error(
            "invalid_grant",
            "AADSTS53000: Device is not in required device state: compliant. Conditional Access "
            "policy requires a compliant device, and the device is not compliant.",
            suberror="device_not_compliant",
        )
    if not policy.admin_consent:
        return _oauth_error(
            "invalid_grant",
            "AADSTS65001: The user or administrator has not consented to use the application.",
            suberror="consent_required",
        )
    return None


async def _device_code_grant(request: Request, form: dict[str, str]) -> JSONResponse:
    emulator = _emulator(request)
    client_id = form.get("client_id", "")
    code = emulator.device_codes.get(form.get("device_code", ""))
    if code is None or code.client_id != client_id:
        return _oauth_error("invalid_grant", "AADSTS70000: The provided value is invalid.")
    if time.monotonic() > code.expires_at:
        return _oauth_error("expired_token", "AADSTS70020: The device code has expired.")
    if code.declined:
        return _oauth_error("authorization_declined", "AADSTS70016: The user declined.")
    if not code.approved:  # nobody typed the code on /devicelogin: never approved by time
        return _oauth_error(
            "authorization_pending",
            "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.",
        )
    del emulator.device_codes[code.device_code]  # a device code is redeemed once
    return _policy_refusal(emulator, "device_code") or _token_response(
        request, client_id, code.scopes
    )


async def _authorization_code_grant(request: Request, form: dict[str, str]) -> JSONResponse:
    emulator = _emulator(request)
    value = form.get("code", "")
    if value in emulator.login.redeemed:
        return _oauth_error(
            "invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed."
        )
    code = emulator.login.auth_codes.pop(value, None)
    if code is None or code.client_id != form.get("client_id", ""):
        return _oauth_error("invalid_grant", "AADSTS70000: The provided value is invalid.")
    emulator.login.redeemed.add(value)
    if time.monotonic() > code.expires_at:
        return _oauth_error("invalid_grant", "AADSTS70008: The authorization code has expired.")
    if form.get("redirect_uri") != code.redirect_uri:
        return _oauth_error(
            "invalid_grant", "AADSTS70000: redirect_uri does not match the authorization request."
        )
    if not _pkce_matches(code, form.get("code_verifier", "")):
        return _oauth_error(
            "invalid_grant",
            "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the "
            "authorization request.",
        )
    return _policy_refusal(emulator, "authorization_code") or _token_response(
        request, code.client_id, code.scopes, nonce=code.nonce
    )


async def token(request: Request) -> JSONResponse:
    emulator = _emulator(request)
    form = await _form(request)
    grant = form.get("grant_type", "")
    client_id = form.get("client_id", "")
    if grant == DEVICE_CODE_GRANT:
        return await _device_code_grant(request, form)
    if grant == "authorization_code":
        return await _authorization_code_grant(request, form)
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
    Route("/devicelogin", devicelogin_page, methods=["GET"]),
    Route("/devicelogin", devicelogin, methods=["POST"]),
    Route("/{tenant}/oauth2/v2.0/authorize", authorize, methods=["GET", "POST"]),
    Route("/{tenant}/oauth2/v2.0/token", token, methods=["POST"]),
]

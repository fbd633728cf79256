"""The browser flow's half of the login emulator: the authorization endpoint (authorization code
+ PKCE, a loopback redirect, a `form_post` or `query` answer) with its consent page, and the
authorization-code grant of the token endpoint. Nothing is approved unless the person presses
Accept; the answer never goes to an address other than a loopback one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from sandbox.graph import pages
from sandbox.graph.emulator import GraphEmulator
from sandbox.graph.login_state import AUTH_CODE_LIFETIME, AuthCode, PendingAuthorization
from sandbox.graph.oauth import (
    emulator_of,
    form_fields,
    graph_scopes,
    known_tenant,
    oauth_error,
    policy_refusal,
    signed_in_as,
    token_response,
)

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def _loopback(redirect_uri: str) -> bool:
    """A native client's loopback redirect: http to this machine, any port (Entra ignores the
    port of a loopback redirect URI registered as `http://localhost`)."""
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS


async def authorize(request: Request) -> Response:
    """The sign-in and consent page of the browser flow (GET), or the person's answer (POST)."""
    emulator = emulator_of(request)
    if request.method == "POST":
        return await _authorize_answer(request, emulator)
    query = request.query_params
    if not known_tenant(emulator, request.path_params["tenant"]):
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
        scopes=graph_scopes(query.get("scope", "")),
        code_challenge=query["code_challenge"],
        code_challenge_method=query.get("code_challenge_method", "plain"),
        nonce=query.get("nonce"),
    )
    pending = emulator.login.pending[request_id]
    return HTMLResponse(
        pages.consent(
            request.url.path, request_id, signed_in_as(emulator), client_id, pending.scopes
        )
    )


async def _authorize_answer(request: Request, emulator: GraphEmulator) -> Response:
    form = await form_fields(request)
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
    return bool(verifier) and hmac.compare_digest(expected.encode(), code.code_challenge.encode())


async def authorization_code_grant(request: Request, form: dict[str, str]) -> JSONResponse:
    emulator = emulator_of(request)
    value = form.get("code", "")
    if value in emulator.login.redeemed:
        return oauth_error(
            "invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed."
        )
    code = emulator.login.auth_codes.pop(value, None)
    if code is None or code.client_id != form.get("client_id", ""):
        return oauth_error("invalid_grant", "AADSTS70000: The provided value is invalid.")
    emulator.login.redeemed.add(value)
    if time.monotonic() > code.expires_at:
        return oauth_error("invalid_grant", "AADSTS70008: The authorization code has expired.")
    if form.get("redirect_uri") != code.redirect_uri:
        return oauth_error(
            "invalid_grant", "AADSTS70000: redirect_uri does not match the authorization request."
        )
    if not _pkce_matches(code, form.get("code_verifier", "")):
        return oauth_error(
            "invalid_grant",
            "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the "
            "authorization request.",
        )
    return policy_refusal(emulator, "authorization_code") or token_response(
        request, code.client_id, code.scopes, nonce=code.nonce
    )

"""The login emulator at the HTTP level, as Microsoft's behaves: nothing approved by time, the
device code entered on `/devicelogin`, the authorization-code + PKCE endpoint with a loopback
redirect, Entra's error bodies — and the path by which any local process used to obtain the
instance's live SCIM token, now closed.

Documented examples are copied from Microsoft's pages, named where they are used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from assistant.entra.signin import EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.entra import RecordingScim
from tests.support.processes import PROCESS_ADMIN_KEY, read_banner, start_serve
from tests.support.sandboxes import admin_client, install
from tests.support.servers import ThreadedServer

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SCOPE = "https://graph.microsoft.com/Synchronization.ReadWrite.All openid offline_access"

# docs/identity-platform/v2-oauth2-device-code.md, "Device authorization response": the fields
# of a successful answer and their formats.
DOCUMENTED_DEVICE_AUTHORIZATION = {
    "device_code": str,
    "user_code": str,
    "verification_uri": str,
    "expires_in": int,
    "interval": int,
    "message": str,
}
# The same page, "Expected errors": what polling may answer before the person is done.
DOCUMENTED_POLLING_ERRORS = {
    "authorization_pending",
    "authorization_declined",
    "bad_verification_code",
    "expired_token",
}
# docs/identity-platform/reference-error-codes.md, "Handling error codes in your application":
# the sample error response's fields (trace and correlation ids, timestamps, error_uri omitted).
DOCUMENTED_ERROR_FIELDS = {"error", "error_description", "error_codes"}


@pytest.fixture
def https(graph: GraphEndpoints) -> Iterator[httpx.Client]:
    with httpx.Client(verify=graph.tls.client_context(), timeout=10) as client:
        yield client


def device_code(graph: GraphEndpoints, https: httpx.Client, client_id: str = "c1") -> dict:  # type: ignore[type-arg]
    answer = https.post(
        f"{graph.authority}/oauth2/v2.0/devicecode", data={"client_id": client_id, "scope": SCOPE}
    )
    assert answer.status_code == 200
    body: dict = answer.json()  # type: ignore[type-arg]
    return body


def poll(graph: GraphEndpoints, https: httpx.Client, code: dict, client_id: str = "c1") -> dict:  # type: ignore[type-arg]
    grant = {"grant_type": DEVICE_GRANT, "client_id": client_id, "device_code": code["device_code"]}
    body: dict = https.post(f"{graph.authority}/oauth2/v2.0/token", data=grant).json()  # type: ignore[type-arg]
    return body


def test_the_device_authorization_answer_is_the_documented_one(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    code = device_code(graph, https)
    assert {k: type(v) for k, v in code.items()} == DOCUMENTED_DEVICE_AUTHORIZATION
    assert code["expires_in"] == 900  # "the user has 15 minutes to sign in"
    assert code["verification_uri"] == graph.base_url + "/devicelogin"


def test_a_code_nobody_types_is_pending_then_expired_never_approved(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    graph.emulator.login.device_code_lifetime = 3
    code = device_code(graph, https)
    first = poll(graph, https, code)
    time.sleep(code["interval"] + 0.2)  # past its interval: still nobody typed it
    second = poll(graph, https, code)
    assert first["error"] == second["error"] == "authorization_pending"
    assert set(first) >= DOCUMENTED_ERROR_FIELDS and first["error_codes"] == [70016]
    time.sleep(3)
    expired = poll(graph, https, code)
    assert expired["error"] == "expired_token" and "access_token" not in expired
    assert {first["error"], expired["error"]} <= DOCUMENTED_POLLING_ERRORS
    # Typing it now is too late, on the page as at the token endpoint.
    late = https.post(graph.base_url + "/devicelogin", data={"user_code": code["user_code"]})
    assert late.status_code == 400 and "expired" in late.text
    assert graph.emulator.tokens == {}


def test_the_devicelogin_page_approves_the_code_typed_there_only(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    page = https.get(graph.base_url + "/devicelogin")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    form = re.search(r"<form method='post' action='([^']+)'>", page.text)
    assert form and form.group(1) == "/devicelogin" and "name='user_code'" in page.text
    mine, other = device_code(graph, https), device_code(graph, https)
    wrong = https.post(graph.base_url + "/devicelogin", data={"user_code": "NOTACODE"})
    assert wrong.status_code == 400 and "didn't work" in unescape(wrong.text)
    typed = https.post(graph.base_url + "/devicelogin", data={"user_code": mine["user_code"]})
    assert typed.status_code == 200 and "signed in" in typed.text
    assert poll(graph, https, other)["error"] == "authorization_pending"  # only the one typed
    tokens = poll(graph, https, mine)
    assert tokens["token_type"] == "Bearer" and graph.emulator.token(tokens["access_token"])
    again = https.post(graph.base_url + "/devicelogin", data={"user_code": mine["user_code"]})
    assert again.status_code == 400  # a code is used once (it was redeemed too)


def test_cancel_on_the_page_declines_the_code(graph: GraphEndpoints, https: httpx.Client) -> None:
    code = device_code(graph, https)
    https.post(
        graph.base_url + "/devicelogin", data={"user_code": code["user_code"], "action": "decline"}
    )
    assert poll(graph, https, code)["error"] == "authorization_declined"


def test_a_hostile_client_id_is_escaped_on_the_page(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    code = device_code(graph, https, client_id="<script>alert(1)</script>")
    typed = https.post(graph.base_url + "/devicelogin", data={"user_code": code["user_code"]})
    assert "<script>" not in typed.text and "&lt;script&gt;" in typed.text


def _pkce() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(b"v" * 40).rstrip(b"=").decode()
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(
    graph: GraphEndpoints, https: httpx.Client, challenge: str, **extra: str
) -> httpx.Response:
    params = {
        "client_id": "c1",
        "response_type": "code",
        "redirect_uri": "http://localhost:8400",
        "scope": SCOPE,
        "state": "st-1",
        "nonce": "n-1",
        "response_mode": "form_post",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return https.get(f"{graph.authority}/oauth2/v2.0/authorize", params=params)


def _accept(graph: GraphEndpoints, https: httpx.Client, consent: httpx.Response) -> httpx.Response:
    request_id = re.search(r"name='request' value='([^']+)'", consent.text)
    assert request_id, consent.text
    return https.post(
        str(consent.url).split("?")[0], data={"request": request_id.group(1), "action": "accept"}
    )


def test_authorization_code_with_pkce_and_a_loopback_redirect(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    verifier, challenge = _pkce()
    consent = _authorize(graph, https, challenge)
    assert consent.status_code == 200 and "Accept" in consent.text
    answer = _accept(graph, https, consent)
    # form_post: a page posting code and state to the redirect URI (what MSAL's receiver takes)
    assert "action='http://localhost:8400'" in answer.text
    fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", answer.text))
    assert fields["state"] == "st-1" and fields["code"]
    token_url = f"{graph.authority}/oauth2/v2.0/token"
    grant = {
        "grant_type": "authorization_code",
        "client_id": "c1",
        "code": fields["code"],
        "redirect_uri": "http://localhost:8400",
        "code_verifier": "not-the-verifier",
    }
    stolen = https.post(token_url, data=grant).json()  # an intercepted code, without PKCE's secret
    assert stolen["error"] == "invalid_grant" and stolen["error_codes"] == [501481]
    verifier2, challenge2 = _pkce()
    fields = dict(
        re.findall(
            r"name='(\w+)' value='([^']*)'",
            _accept(graph, https, _authorize(graph, https, challenge2)).text,
        )
    )
    tokens = https.post(
        token_url, data={**grant, "code": fields["code"], "code_verifier": verifier2}
    ).json()
    assert tokens["access_token"] and graph.emulator.token(tokens["access_token"])
    claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert claims["nonce"] == "n-1"  # MSAL checks it
    reused = https.post(
        token_url, data={**grant, "code": fields["code"], "code_verifier": verifier2}
    ).json()
    assert reused["error_codes"] == [54005]  # a code is redeemed once


def test_the_authorize_endpoint_never_redirects_elsewhere(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    _, challenge = _pkce()
    for redirect in ("https://evil.example/cb", "http://evil.example/cb", "javascript:alert(1)"):
        answer = _authorize(graph, https, challenge, redirect_uri=redirect)
        assert answer.status_code == 400 and "AADSTS50011" in answer.text
        assert "location" not in answer.headers and "evil" not in answer.text.split("<h1>")[0]
    without_pkce = _authorize(graph, https, "", response_mode="query")
    assert without_pkce.status_code == 302
    query = parse_qs(urlsplit(without_pkce.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["st-1"]
    consent = _authorize(graph, https, challenge, response_mode="query")
    cancelled = https.post(
        str(consent.url).split("?")[0],
        data={"request": re.search(r"value='([^']+)'", consent.text).group(1), "action": "cancel"},  # type: ignore[union-attr]
    )
    assert cancelled.status_code == 302
    assert "error=access_denied" in cancelled.headers["location"]


def _job(graph: GraphEndpoints, https: httpx.Client, token: str) -> tuple[str, str]:
    auth = {"Authorization": f"Bearer {token}"}
    made = https.post(
        graph.graph_url + "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
        json={"displayName": "Steeple"},
        headers=auth,
    ).json()
    sp = made["servicePrincipal"]["id"]
    job = https.post(
        f"{graph.graph_url}/servicePrincipals/{sp}/synchronization/jobs",
        json={"templateId": "scim"},
        headers=auth,
    ).json()["id"]
    return sp, job


def test_the_saved_scim_token_never_goes_to_an_address_it_was_not_saved_for(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    https: httpx.Client,
    signed_in: EntraSignIn,
    admin_key: str,
) -> None:
    """The issue's path: a Graph token, a new `BaseAddress` alone, validateCredentials — the
    instance's live SCIM token used to be sent to whoever named themselves."""
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    token = signed_in.token()
    assert token is not None
    auth = {"Authorization": f"Bearer {token}"}
    sp, job = _job(graph, https, token)
    secrets_url = f"{graph.graph_url}/servicePrincipals/{sp}/synchronization/secrets"

    def save(**pairs: str) -> None:
        body = {"value": [{"key": k, "value": v} for k, v in pairs.items()]}
        assert https.put(secrets_url, json=body, headers=auth).status_code == 204

    save(BaseAddress=tenant_url, SecretToken=secret)
    save(BaseAddress=tenant_url)  # the same address again: the token stays
    assert graph.emulator.host.job.secret() == secret
    recorder = RecordingScim()
    with ThreadedServer(recorder) as listener:
        save(BaseAddress=listener.base_url + "/scim/v2")  # the address alone, no token
        assert graph.emulator.host.job.secret() == ""  # no secret token left behind
        tested = https.post(
            f"{graph.graph_url}/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials",
            json={"useSavedCredentials": True},
            headers=auth,
        )
    seen = [r.headers.get("authorization", "") for r in recorder.requests]
    assert tested.status_code == 400  # Test Connection fails: there is no token to send
    assert not any(secret in header for header in seen)


def test_without_the_user_code_no_token_is_ever_issued(
    graph: GraphEndpoints, https: httpx.Client
) -> None:
    """Any local process can ask for a device code; without the person typing it, it polls for
    nothing (the emulator used to approve every code after 0.6 s)."""
    code = device_code(graph, https)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        assert poll(graph, https, code)["error"] == "authorization_pending"
        time.sleep(code["interval"])
    assert graph.emulator.tokens == {} and graph.emulator.refresh_tokens == {}


@pytest.mark.slow  # a `sandbox serve` subprocess
def test_the_login_emulator_binds_loopback_whatever_the_sandbox_host(tmp_path: Path) -> None:
    """`sandbox serve --host 0.0.0.0` offers the admin API to the network, never the service
    that hands out Graph tokens."""
    serve = start_serve(tmp_path / "s.db", PROCESS_ADMIN_KEY, "--host", "0.0.0.0", "--with-entra")
    try:
        banner = "".join(serve.output) + read_banner(serve.process)
        authority = re.search(r"Entra authority:\s+(\S+)", banner)
        assert authority and authority.group(1).startswith("https://127.0.0.1:"), banner
        assert "/devicelogin" in banner and "entra signin --device-code" in banner
        assert serve.base_url.startswith("http://0.0.0.0:")
    finally:
        serve.stop()

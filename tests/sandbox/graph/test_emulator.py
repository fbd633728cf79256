"""The Graph and login emulators at the HTTP level: discovery documents, Graph's error bodies,
bad input refused as Graph refuses it (never a 500), and `sandbox serve --with-entra`."""

from __future__ import annotations

import os
import re
import shlex
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from assistant.entra.signin import EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from tests.support.processes import read_banner


@pytest.fixture
def https(graph: GraphEndpoints) -> httpx.Client:
    return httpx.Client(verify=graph.tls.client_context(), timeout=10)


def test_discovery_documents(graph: GraphEndpoints, https: httpx.Client) -> None:
    tenant = graph.emulator.tenant_id
    config = https.get(f"{graph.authority}/v2.0/.well-known/openid-configuration").json()
    assert config["issuer"] == f"{graph.base_url}/{tenant}/v2.0"
    assert config["device_authorization_endpoint"].endswith("/oauth2/v2.0/devicecode")
    assert config["token_endpoint"].endswith("/oauth2/v2.0/token")
    instance = https.get(
        graph.base_url + "/common/discovery/instance",
        params={"authorization_endpoint": f"{graph.authority}/oauth2/v2.0/authorize"},
    ).json()
    assert instance["tenant_discovery_endpoint"].endswith(
        f"/{tenant}/v2.0/.well-known/openid-configuration"
    )
    unknown = https.get(graph.base_url + "/nope/v2.0/.well-known/openid-configuration")
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_tenant"


def test_pending_then_redeemed_once(graph: GraphEndpoints, https: httpx.Client) -> None:
    token_url = f"{graph.authority}/oauth2/v2.0/token"
    code = https.post(
        f"{graph.authority}/oauth2/v2.0/devicecode",
        data={"client_id": "c1", "scope": "https://graph.microsoft.com/User.Read.All openid"},
    ).json()
    grant = {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "client_id": "c1",
        "device_code": code["device_code"],
    }
    pending = https.post(token_url, data=grant)
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"
    typed = https.post(graph.base_url + "/devicelogin", data={"user_code": code["user_code"]})
    assert typed.status_code == 200  # the admin typed it on the page
    tokens = https.post(token_url, data=grant).json()
    assert tokens["scope"] == "https://graph.microsoft.com/User.Read.All"
    again = https.post(token_url, data=grant)
    assert again.json()["error"] == "invalid_grant"


def test_graph_error_bodies(
    graph: GraphEndpoints, https: httpx.Client, signed_in: EntraSignIn
) -> None:
    anonymous = https.get(graph.graph_url + "/users")
    assert anonymous.status_code == 401
    error = anonymous.json()["error"]
    assert error["code"] == "InvalidAuthenticationToken"
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    auth = {"Authorization": f"Bearer {signed_in.token()}"}
    cases = [
        ("GET", "/users?$top=0", 400, "BadRequest"),
        ("GET", "/users?$top=abc", 400, "BadRequest"),
        ("GET", "/users?$filter=startswith(mail,'a')", 400, "Request_UnsupportedQuery"),
        ("GET", "/nothingHere", 400, "BadRequest"),
        ("GET", "/servicePrincipals/missing", 404, "Request_ResourceNotFound"),
        ("DELETE", "/users", 405, "Request_BadRequest"),
    ]
    for method, path, status, code in cases:
        answer = https.request(method, graph.graph_url + path, headers=auth)
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), path
    for body in (b"{not json", b"[1, 2]"):
        answer = https.post(
            graph.graph_url
            + "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
            headers={**auth, "Content-Type": "application/json"},
            content=body,
        )
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "BadRequest"
    graph.emulator.throttle(1, retry_after=9)
    throttled = https.get(graph.graph_url + "/users", headers=auth)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "9"
    assert throttled.json()["error"]["code"] == "TooManyRequests"


@pytest.mark.slow  # a `sandbox serve` subprocess
def test_sandbox_serve_with_entra_prints_the_authority_and_graph_url(tmp_path: Path) -> None:
    env = dict(os.environ, STEEPLE_SANDBOX_ADMIN_KEY="adm_from-env-0123456789")
    script = Path(sys.executable).parent / "steeple-assistant"
    process = subprocess.Popen(
        [str(script), "sandbox", "serve", "--port", "0", "--db", ":memory:", "--with-entra"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        text = read_banner(process)
        authority = re.search(r"Entra authority:\s+(\S+)", text)
        graph_url = re.search(r"Graph URL:\s+(\S+)", text)
        ca = re.search(r"Trust this CA:\s+(\S+)", text)
        assert authority and graph_url and ca, text
        context = ssl.create_default_context(cafile=ca.group(1))
        config = httpx.get(
            authority.group(1) + "/v2.0/.well-known/openid-configuration", verify=context
        )
        assert config.status_code == 200
        assert httpx.get(graph_url.group(1) + "/users", verify=context).status_code == 401
        # The export lines, as a shell reads them, name the same three values.
        exported = dict(
            shlex.split(line.strip())[1].split("=", 1)
            for line in text.splitlines()
            if line.strip().startswith("export ")
        )
        assert exported == {
            "STEEPLE_ENTRA_AUTHORITY": authority.group(1),
            "STEEPLE_GRAPH_URL": graph_url.group(1),
            "STEEPLE_ENTRA_CA_BUNDLE": ca.group(1),
        }
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err

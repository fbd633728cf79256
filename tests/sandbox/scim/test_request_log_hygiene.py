"""The request log cannot be poisoned or leak (issue 10, point 8).

Query-string secrets are redacted before the request log stores them and before uvicorn's
access log prints them; requests without a valid token are rate limited per client address,
kept in their own bounded ring (Entra's traffic is never evicted by them), and never change
the journey — only a token this instance once issued, now revoked, may say "stale token".
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from assistant.journey.steps import StepId, StepStatus, load_journey
from assistant.steeple.client import SteepleClient
from sandbox.server import SandboxServer
from tests.support.sandboxes import ADMIN_KEY
from tests.support.scim import SCIM_JSON, make_token

INTEGRATION = "/integrations/azure-ad"
GUID_FILTER = 'userName eq "3f2504e0-4f89-41d3-9a0c-0305e82c3301"'
PLANTED = {
    "access_token": "PLANTED-access-token-5e1f",
    "code": "PLANTED-oauth-code-77aa",
    "sig": "PLANTED-signature-09bc",
    "key": "PLANTED-key-d00d",
    "password": "PLANTED-password-31c7",
    "client_secret": "PLANTED-client-secret-e4e4",
    "id_token": "PLANTED-id-token-8a8a",
}


def _admin(server: SandboxServer) -> httpx.Client:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    return httpx.Client(base_url=server.admin_url, headers=headers, timeout=15)


def _scim(server: SandboxServer, token: str | None, **kwargs: object) -> httpx.Client:
    headers = {"Content-Type": SCIM_JSON}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=server.scim_url, headers=headers, timeout=15, **kwargs)  # type: ignore[arg-type]


def _log(server: SandboxServer) -> list[dict[str, object]]:
    with _admin(server) as admin:
        page = admin.get(f"{INTEGRATION}/requests", params={"limit": 1000})
    page.raise_for_status()
    items: list[dict[str, object]] = page.json()["items"]
    return items


def test_query_string_secrets_never_reach_the_request_log(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    server = start_sandbox(seed="empty", db_path=tmp_path / "log.db")
    token = make_token(server)
    params = {"filter": 'userName eq "a@b.c"', **PLANTED}
    with _scim(server, token) as scim:
        assert scim.get("/Users", params=params).status_code == 200
    with _scim(server, None) as anonymous:
        assert anonymous.get("/Groups", params={"token": "PLANTED-anon-token-1"}).status_code == 401

    log = _log(server)
    text = repr(log)
    for secret in [*PLANTED.values(), "PLANTED-anon-token-1"]:
        assert secret not in text
    first = str(log[0]["path"])
    assert "filter=userName" in first  # what was asked stays readable
    assert "access_token=REDACTED" in first and "sig=REDACTED" in first
    server.app.state.sandbox.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in tmp_path.glob("log.db*"):
        assert b"PLANTED-" not in path.read_bytes(), path.name


@pytest.mark.slow  # a `sandbox serve` subprocess
def test_the_printed_access_log_of_sandbox_serve_redacts_query_secrets(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "assistant.cli", "sandbox", "serve", "--port", "0"]
    command += ["--db", str(tmp_path / "serve.db"), "--admin-key", ADMIN_KEY, "--seed", "empty"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        base_url = ""
        for line in process.stdout:
            if line.strip().startswith("Admin API:"):
                base_url = line.split("Admin API:", 1)[1].strip().removesuffix("/api/admin/v1")
                break
        assert base_url, "sandbox serve did not print its URL"
        query = {"filter": 'userName eq "x"', **PLANTED}
        httpx.get(base_url + "/scim/v2/Users", params=query, timeout=15)
        httpx.get(base_url + "/api/admin/v1/sso", params=query, timeout=15)
    finally:
        process.send_signal(signal.SIGINT)  # uvicorn's graceful stop: the logs are flushed
        output, _ = process.communicate(timeout=60)
    assert '"GET /scim/v2/Users?filter=' in output, output  # the access log did print
    assert "access_token=REDACTED" in output
    for secret in PLANTED.values():
        assert secret not in output


def test_anonymous_traffic_has_its_own_ring_and_never_evicts_entra_traffic(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(
        seed="empty",
        request_log_limit=20,
        anonymous_log_limit=5,
        anonymous_rate_limit_per_second=None,  # the flood must reach the log to test the ring
    )
    token = make_token(server)
    with _scim(server, token) as scim:
        for index in range(10):
            assert scim.get("/Users", params={"count": index}).status_code == 200
    for bearer in (None, "stp_never-issued"):
        with _scim(server, bearer) as stranger:
            for _ in range(50):
                assert stranger.get("/Users").status_code == 401

    log = _log(server)
    entra = [entry for entry in log if entry["status"] == 200]
    strangers = [entry for entry in log if entry["status"] == 401]
    assert [str(entry["path"]) for entry in entra] == [
        f"/scim/v2/Users?count={index}" for index in range(10)
    ]
    assert len(strangers) == 5  # the newest five, in their own ring
    with _admin(server) as admin:
        status = admin.get(f"{INTEGRATION}/provisioning").json()
    assert status["requests_total"] == 10 and status["errors_total"] == 0


def test_anonymous_requests_are_rate_limited_per_client_address(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(seed="empty", anonymous_rate_limit_per_second=0.001, anonymous_burst=3)
    token = make_token(server)
    with _scim(server, None) as anonymous:
        assert [anonymous.get("/Users").status_code for _ in range(3)] == [401, 401, 401]
        limited = anonymous.get("/Users")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    with _scim(server, "stp_guess") as guesser:
        assert guesser.get("/Users").status_code == 429  # same address, same bucket
    # Another client address has its own bucket (Linux routes all of 127/8 to loopback).
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    with _scim(server, None, transport=other) as neighbour:
        assert neighbour.get("/Users").status_code == 401
    with _scim(server, token) as entra:  # a valid token is never throttled by strangers
        assert entra.get("/Users").status_code == 200
    # The refused flood wrote nothing: three 401s from one address, one from the other.
    assert [entry["status"] for entry in _log(server)] == [401, 401, 401, 401, 200]


async def test_an_anonymous_401_never_marks_the_token_stale_but_a_revoked_one_does(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox()
    async with SteepleClient(server.base_url, ADMIN_KEY, timeout=10) as steeple:
        await steeple.install_integration()
        old = await steeple.create_token()
        await steeple.create_token()
        await steeple.revoke_token(old.id)
        assert (await load_journey(steeple)).step(StepId.ENTRA).status is StepStatus.CURRENT

        # Entra's Test Connection shape, without a token and with one never issued.
        async with httpx.AsyncClient(base_url=server.scim_url) as stranger:
            response = await stranger.get("/Users", params={"filter": GUID_FILTER})
            assert response.status_code == 401
            garbage = {"Authorization": "Bearer stp_never-issued"}
            response = await stranger.get("/Users", params={"filter": GUID_FILTER}, headers=garbage)
            assert response.status_code == 401
        journey = await load_journey(steeple)
        assert journey.step(StepId.ENTRA).status is StepStatus.CURRENT
        assert not journey.step(StepId.ENTRA).blockers
        provisioning = await steeple.get_provisioning()
        assert provisioning.last_test_connection_status is None
        assert provisioning.last_error is None

        # The same request with the once-valid, now revoked token: that is a stale token.
        async with httpx.AsyncClient(base_url=server.scim_url) as entra:
            revoked = {"Authorization": f"Bearer {old.secret}"}
            response = await entra.get("/Users", params={"filter": GUID_FILTER}, headers=revoked)
            assert response.status_code == 401
        entra_step = (await load_journey(steeple)).step(StepId.ENTRA)
        assert entra_step.status is StepStatus.BLOCKED
        assert "not the current one" in entra_step.blockers[0]

"""Authorisation holds to the end of a request (issue 10, point 9).

A SCIM write is authenticated when its headers arrive, but its body may take a while; the
admin can revoke the token or remove the integration in between. Such a write must get 401
and store nothing. And a client that stops sending half-way through a body is cut off with
408 after the configured body-read timeout rather than holding the request open for ever.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.sandboxes import ADMIN_KEY, stored_state
from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, SCIM_JSON, entra_user

INTEGRATION = "/integrations/azure-ad"
SOCKET_BOUND = 20.0
"""Not a timing assertion: only how long a broken server may hang the test before it fails."""


def _admin(server: SandboxServer) -> httpx.Client:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    return httpx.Client(base_url=server.admin_url, headers=headers, timeout=15)


def _new_token(admin: httpx.Client) -> dict[str, str]:
    admin.post(INTEGRATION).raise_for_status()
    created = admin.post(f"{INTEGRATION}/tokens")
    created.raise_for_status()
    return dict(created.json())


WRITES: list[tuple[str, str, Callable[[dict[str, str]], dict[str, object]]]] = [
    ("POST", "/Users", lambda ids: entra_user("late@contoso.com")),
    ("PUT", "/Users/{user}", lambda ids: entra_user("renamed@contoso.com")),
    (
        "PATCH",
        "/Groups/{group}",
        lambda ids: {
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Renamed"}],
        },
    ),
    ("POST", "/Groups", lambda ids: {"schemas": [GROUP_SCHEMA], "displayName": "Late"}),
]
LOSSES = {
    "token revoked": lambda admin, token: admin.delete(f"{INTEGRATION}/tokens/{token['id']}"),
    "integration removed": lambda admin, token: admin.delete(INTEGRATION),
}


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize(("method", "path", "make_body"), WRITES, ids=[w[0] + w[1] for w in WRITES])
def test_authority_lost_while_the_body_arrives_means_401_and_no_write(
    start_sandbox: Callable[..., SandboxServer],
    loss: str,
    method: str,
    path: str,
    make_body: Callable[[dict[str, str]], dict[str, object]],
) -> None:
    server = start_sandbox(seed="empty")
    with _admin(server) as admin:
        token = _new_token(admin)
        headers = {"Authorization": f"Bearer {token['secret']}", "Content-Type": SCIM_JSON}
        with httpx.Client(base_url=server.scim_url, headers=headers, timeout=15) as scim:
            user = scim.post("/Users", json=entra_user("quinn@contoso.com")).json()["id"]
            group = scim.post("/Groups", json={"displayName": "G"}).json()["id"]
            ids = {"user": user, "group": group}
            before = stored_state(server.config.db_path)  # type: ignore[arg-type]
            payload = json.dumps(make_body(ids)).encode()
            middle = len(payload) // 2

            def slow_body() -> Iterator[bytes]:
                yield payload[:middle]
                # The request's headers passed authentication; now the admin acts.
                answer = LOSSES[loss](admin, token)
                assert answer.status_code in (200, 204), answer.text
                yield payload[middle:]

            response = scim.request(method, path.format(**ids), content=slow_body())

    assert response.status_code == 401, response.text
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    after = stored_state(server.config.db_path)  # type: ignore[arg-type]
    for table in ("scim_users", "scim_groups", "scim_group_members", "users", "memberships"):
        assert after[table] == before[table], table


def _stalled_request(server: SandboxServer, head: str, partial: bytes) -> bytes:
    """Send headers promising more body than is sent, then wait for whatever comes back."""
    with socket.create_connection((server.host, server.port), timeout=SOCKET_BOUND) as sock:
        sock.sendall(head.encode() + b"\r\n" + partial)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received and b"}" in received:
                break
        return received


@pytest.mark.parametrize("api", ["scim", "admin"])
def test_a_stalled_body_is_cut_off_with_408(
    start_sandbox: Callable[..., SandboxServer], api: str
) -> None:
    server = start_sandbox(seed="empty", body_read_timeout_seconds=0.5)
    with _admin(server) as admin:
        token = _new_token(admin)
    before = stored_state(server.config.db_path)  # type: ignore[arg-type]
    if api == "scim":
        target, key, media = "/scim/v2/Users", token["secret"], SCIM_JSON
    else:
        target, key, media = "/api/admin/v1/sso", ADMIN_KEY, "application/json"
    head = (
        f"{'POST' if api == 'scim' else 'PUT'} {target} HTTP/1.1\r\n"
        f"Host: {server.host}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: {media}\r\nContent-Length: 400\r\n"
    )
    answer = _stalled_request(server, head, b'{"userName": "stalled@contoso.com", ')

    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 408"), answer[:300]
    assert stored_state(server.config.db_path) == before  # type: ignore[arg-type]
    with _admin(server) as admin:  # the server is still serving
        assert admin.get("/sso").status_code == 200

"""SCIM and admin authentication: hashed at rest, constant-time compare, revocation at once."""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from collections.abc import Callable

import httpx

from sandbox import tokens
from sandbox.admin import auth
from sandbox.server import SandboxServer
from tests.support.scim import scim_client

INTEGRATION = "/integrations/azure-ad"


def admin(server: SandboxServer, key: str | None = None) -> httpx.Client:
    key = key if key is not None else server.config.admin_key
    return httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {key}"}, timeout=15
    )


def calls_in(function: Callable[..., object]) -> set[str]:
    """Dotted names of every call made inside `function`'s source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


def test_both_secrets_are_checked_with_compare_digest() -> None:
    """Inspection of the code path: the final comparison is `hmac.compare_digest`, and no `==`
    on a secret or digest appears in it (a short-circuiting compare leaks timing)."""
    assert "hmac.compare_digest" in calls_in(tokens.identify)  # what the SCIM gateway calls
    assert "hmac.compare_digest" in calls_in(auth.require_admin)
    for function in (tokens.identify, auth.require_admin):
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
        for node in compares:
            for op in node.ops:
                assert not isinstance(op, ast.Eq | ast.NotEq), ast.unparse(node)


def test_scim_tokens_are_hashed_at_rest_and_near_misses_fail(sandbox: SandboxServer) -> None:
    with admin(sandbox) as client:
        assert client.post(INTEGRATION).status_code == 200
        created = client.post(f"{INTEGRATION}/tokens").json()
    secret = created["secret"]
    conn = sandbox.app.state.sandbox.conn
    rows = [tuple(r) for r in conn.execute("SELECT * FROM scim_tokens")]
    flat = " ".join(str(v) for row in rows for v in row)
    assert secret not in flat
    assert secret[4:-4] not in flat  # not even the middle of it
    assert hashlib.sha256(secret.encode()).hexdigest() in flat

    same_length = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    near_misses = [
        same_length,
        secret[:-1],  # a prefix
        secret[: len(tokens.TOKEN_PREFIX) + 8],
        secret + "x",
        secret.upper() if secret.upper() != secret else secret.lower(),
        hashlib.sha256(secret.encode()).hexdigest(),  # the stored hash itself is no credential
    ]
    for wrong in near_misses:
        with scim_client(sandbox, wrong) as scim:
            answer = scim.get("/Users")
        assert answer.status_code == 401, wrong[:6]
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert secret not in answer.text
    with scim_client(sandbox, secret) as scim:
        assert scim.get("/Users").status_code == 200
    with httpx.Client(base_url=sandbox.scim_url) as anonymous:
        assert anonymous.get("/Users").status_code == 401
        basic = anonymous.get("/Users", headers={"Authorization": f"Basic {secret}"})
        assert basic.status_code == 401


def test_revoked_token_is_rejected_on_the_very_next_request(sandbox: SandboxServer) -> None:
    with admin(sandbox) as client:
        client.post(INTEGRATION)
        created = client.post(f"{INTEGRATION}/tokens").json()
        with scim_client(sandbox, created["secret"]) as scim:
            # Keep-alive connection: revocation must not be cached per connection.
            assert scim.get("/Users").status_code == 200
            assert client.delete(f"{INTEGRATION}/tokens/{created['id']}").status_code == 204
            assert scim.get("/Users").status_code == 401
            denied = scim.post("/Users", json={"userName": "late@contoso.com"})
            assert denied.status_code == 401
    conn = sandbox.app.state.sandbox.conn
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM scim_users WHERE user_name = 'late@contoso.com'"
        ).fetchone()[0]
        == 0
    )


def test_admin_key_near_misses_fail(sandbox: SandboxServer) -> None:
    key = sandbox.config.admin_key
    for wrong in [key[:-1] + ("x" if key[-1] != "x" else "y"), key[:-1], key + "x", "x"]:
        with admin(sandbox, wrong) as client:
            answer = client.get("/sso")
        assert answer.status_code == 401
        assert answer.json()["code"] == "unauthorized"
        assert key not in answer.text

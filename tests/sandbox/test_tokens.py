"""SCIM bearer tokens as the sandbox keeps them, created and revoked over the admin API: only a
hash and the hint are stored; a presented bearer is live, issued-but-revoked (Entra holding a
stale token) or nobody's, and a guess ending like a real token gets no hint; at most two live."""

from __future__ import annotations

from sandbox.server import SandboxServer
from sandbox.tokens import MAX_LIVE_TOKENS, Bearer, hash_secret, identify
from tests.support.sandboxes import admin_client
from tests.support.scim import INTEGRATION


def test_stored_as_a_hash_and_told_apart_live_revoked_and_guessed(
    sandbox: SandboxServer, admin_key: str
) -> None:
    conn = sandbox.app.state.sandbox.conn
    with admin_client(sandbox, admin_key) as admin:
        assert admin.post(INTEGRATION).status_code in (200, 201)
        created = admin.post(f"{INTEGRATION}/tokens").json()
        secret, token_id = created["secret"], created["id"]
        assert created["hint"] == secret[-4:]

        rows = [dict(row) for row in conn.execute("SELECT * FROM scim_tokens").fetchall()]
        assert [row["secret_hash"] for row in rows] == [hash_secret(secret)]
        assert all(secret not in str(value) for row in rows for value in row.values())

        assert identify(conn, secret) == Bearer(token_id, secret[-4:])
        guess = "stp_" + "x" * 39 + secret[-4:]  # ends like the real one
        assert identify(conn, guess) == Bearer(None, None)
        assert identify(conn, None) == Bearer(None, None)

        assert admin.delete(f"{INTEGRATION}/tokens/{token_id}").status_code == 204
        revoked = identify(conn, secret)
        assert revoked.live_id is None and revoked.issued and revoked.hint == secret[-4:]


def test_at_most_two_live_tokens(sandbox: SandboxServer, admin_key: str) -> None:
    with admin_client(sandbox, admin_key) as admin:
        assert admin.post(INTEGRATION).status_code in (200, 201)
        for _ in range(MAX_LIVE_TOKENS):
            assert admin.post(f"{INTEGRATION}/tokens").status_code == 201
        refused = admin.post(f"{INTEGRATION}/tokens")
        assert refused.status_code == 409, refused.text
        live = admin.get(f"{INTEGRATION}/tokens").json()["tokens"]
        assert len(live) == MAX_LIVE_TOKENS

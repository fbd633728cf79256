"""SSO, install/remove, credentials and SCIM tokens — each checked on the stored result."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from tests.support.sandboxes import Instance
from tests.support.scim import INTEGRATION


def test_sso_is_configured_by_the_demo_seed_and_can_be_replaced(demo: Instance) -> None:
    base = demo.server.base_url  # the public base URL: what Entra's app must carry
    assert demo.admin.get("/sso").json() == {
        "configured": True,
        "provider": "azure_ad",
        "protocol": "saml",
        "identifier_claim": "email",
        "saml_entity_id": f"{base}/saml/metadata",
        "reply_url": f"{base}/saml/acs",
    }
    updated = demo.admin.put("/sso", json={"protocol": "oidc", "identifier_claim": "upn"})
    assert updated.status_code == 200
    assert demo.admin.get("/sso").json()["protocol"] == "oidc"
    assert demo.admin.get("/sso").json()["identifier_claim"] == "upn"
    # OIDC has no SAML entity id; the reply URL is the redirect URI
    assert demo.admin.get("/sso").json()["saml_entity_id"] is None
    assert demo.admin.get("/sso").json()["reply_url"] == f"{base}/oidc/callback"


def test_no_sso_leaves_it_unconfigured_until_put(open_instance: Callable[..., Instance]) -> None:
    instance = open_instance(sso=False)
    assert instance.admin.get("/sso").json()["configured"] is False
    instance.admin.put("/sso", json={}).raise_for_status()
    base = instance.server.base_url
    assert instance.admin.get("/sso").json() == {
        "configured": True,
        "provider": "azure_ad",
        "protocol": "saml",
        "identifier_claim": "email",
        "saml_entity_id": f"{base}/saml/metadata",
        "reply_url": f"{base}/saml/acs",
    }


def test_install_is_idempotent_and_says_so(demo: Instance) -> None:
    assert demo.admin.get(INTEGRATION).json()["installed"] is False
    first = demo.admin.post(INTEGRATION).json()
    assert first["changed"] is True
    assert first["integration"]["installed"] is True
    second = demo.admin.post(INTEGRATION).json()
    assert second["changed"] is False
    assert "already" in second["message"]
    assert second["integration"]["installed_at"] == first["integration"]["installed_at"]
    assert (
        demo.admin.get(INTEGRATION).json()["installed_at"] == first["integration"]["installed_at"]
    )


def test_credentials_give_the_tenant_url_with_the_entra_flag(installed: Instance) -> None:
    credentials = installed.admin.get(f"{INTEGRATION}/credentials").json()
    assert credentials["scim_base_url"] == installed.server.scim_url
    assert credentials["tenant_url"] == installed.server.scim_url + "?aadOptscim062020"
    assert credentials["tokens"] == []


def test_public_url_drives_the_tenant_url(open_instance: Callable[..., Instance]) -> None:
    instance = open_instance(public_url="https://steeple.tunnel.example")
    instance.admin.post(INTEGRATION).raise_for_status()
    credentials = instance.admin.get(f"{INTEGRATION}/credentials").json()
    assert credentials["tenant_url"] == "https://steeple.tunnel.example/scim/v2?aadOptscim062020"


def test_tokens_are_shown_once_at_most_two_live_and_revocable(installed: Instance) -> None:
    first = installed.admin.post(f"{INTEGRATION}/tokens")
    assert first.status_code == 201
    token = first.json()
    assert token["secret"].endswith(token["hint"]) and len(token["hint"]) == 4
    second = installed.admin.post(f"{INTEGRATION}/tokens").json()
    third = installed.admin.post(f"{INTEGRATION}/tokens")
    assert third.status_code == 409
    assert third.json()["code"] == "too_many_tokens"

    listed = installed.admin.get(f"{INTEGRATION}/tokens").json()
    assert listed["max_live"] == 2
    assert {t["id"] for t in listed["tokens"]} == {token["id"], second["id"]}
    assert all("secret" not in t for t in listed["tokens"])
    assert installed.admin.get(INTEGRATION).json()["live_tokens"] == 2
    creds = installed.admin.get(f"{INTEGRATION}/credentials").json()
    assert [t["hint"] for t in creds["tokens"]] == [token["hint"], second["hint"]]

    assert installed.admin.delete(f"{INTEGRATION}/tokens/{token['id']}").status_code == 204
    again = installed.admin.delete(f"{INTEGRATION}/tokens/{token['id']}")
    assert again.status_code == 404
    listed = installed.admin.get(f"{INTEGRATION}/tokens").json()
    assert [t["id"] for t in listed["tokens"]] == [second["id"]]
    # Rotation: with one revoked, a new one can be made.
    assert installed.admin.post(f"{INTEGRATION}/tokens").status_code == 201

    conn = sqlite3.connect(installed.db_path)
    revoked = conn.execute(
        "SELECT revoked_at FROM scim_tokens WHERE id = ?", (token["id"],)
    ).fetchone()
    conn.close()
    assert revoked[0] is not None


def test_a_revoked_token_no_longer_authenticates_over_scim(installed: Instance) -> None:
    token = installed.admin.post(f"{INTEGRATION}/tokens").json()
    headers = {"Authorization": f"Bearer {token['secret']}"}
    ok = httpx.get(installed.server.scim_url + "/Users", headers=headers)
    assert ok.status_code == 200
    installed.admin.delete(f"{INTEGRATION}/tokens/{token['id']}").raise_for_status()
    refused = httpx.get(installed.server.scim_url + "/Users", headers=headers)
    assert refused.status_code == 401


def test_removal_returns_to_classic_authentication(installed: Instance) -> None:
    scim = installed.scim()
    scim.create_user("camille.martin@contoso.example", "Camille.Martin@steeple-demo.fr")
    scim.create_user("nouveau@contoso.example", "nouveau.venu@steeple-demo.fr")
    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    sso_users = installed.admin.get("/users", params={"limit": 100}).json()["items"]
    assert sum(1 for u in sso_users if u["auth_method"] == "sso") == 2

    removal = installed.admin.delete(INTEGRATION)
    assert removal.status_code == 200
    body = removal.json()
    assert body["users_switched_to_password"] == 2
    assert body["tokens_revoked"] == 1
    state = installed.admin.get(INTEGRATION).json()
    assert state["installed"] is False and state["sync_active"] is False
    assert state["live_tokens"] == 0
    assert state["staged_data_kept_until"] == body["staged_data_kept_until"]
    assert body["staged_data_kept_until"] > state["removed_at"]

    users = installed.admin.get("/users", params={"limit": 100}).json()["items"]
    switched = [u for u in users if u["must_set_password"]]
    assert {u["email"] for u in switched} == {
        "camille.martin@steeple-demo.fr",
        "nouveau.venu@steeple-demo.fr",
    }
    assert all(u["auth_method"] == "password" for u in users)
    # Staged SCIM data is kept (for the grace period).
    conn = sqlite3.connect(installed.db_path)
    staged = conn.execute("SELECT COUNT(*) FROM scim_users").fetchone()[0]
    conn.close()
    assert staged == 2
    # Removing twice is a conflict, not a crash.
    assert installed.admin.delete(INTEGRATION).json()["code"] == "integration_not_installed"


class SteppedClock:
    """A clock the test moves by hand (the 30-day grace period without waiting 30 days)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_staged_data_survives_a_reinstall_within_30_days_only(
    open_instance: Callable[..., Instance],
) -> None:
    clock = SteppedClock()
    instance = open_instance(clock=clock)
    scim = instance.scim()
    alice = scim.create_user("alice@contoso.example", "alice@steeple-demo.fr")
    scim.create_group("Siège - Tous", [alice])
    removal = instance.admin.delete(INTEGRATION).json()
    assert datetime.fromisoformat(removal["staged_data_kept_until"]) == clock.now + timedelta(
        days=30
    )

    clock.now += timedelta(days=29)
    instance.admin.post(INTEGRATION).raise_for_status()
    assert instance.admin.get(f"{INTEGRATION}/scim-users").json()["total"] == 1
    assert instance.admin.get(f"{INTEGRATION}/groups").json()["total"] == 1
    assert instance.admin.get(INTEGRATION).json()["staged_data_kept_until"] is None

    instance.admin.delete(INTEGRATION).raise_for_status()
    clock.now += timedelta(days=31)
    instance.admin.post(INTEGRATION).raise_for_status()
    assert instance.admin.get(f"{INTEGRATION}/scim-users").json()["total"] == 0
    assert instance.admin.get(f"{INTEGRATION}/groups").json()["total"] == 0
    status = instance.admin.get(f"{INTEGRATION}/provisioning").json()
    assert (status["users_received"], status["users_active"], status["groups_received"]) == (
        0,
        0,
        0,
    )
    assert status["requests_total"] >= 2  # the traffic history is kept

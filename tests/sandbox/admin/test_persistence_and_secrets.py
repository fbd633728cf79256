"""A restart on the same database keeps everything; no secret is ever stored or logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from sandbox.seed import USINE_LYON
from tests.support.sandboxes import Instance, dump_tables
from tests.support.scim import INTEGRATION, USER_SCHEMA


def test_restart_on_the_same_database_keeps_everything(
    open_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    db = tmp_path / "durable.db"
    first = open_instance(db_path=db)
    first.admin.put("/sso", json={"protocol": "oidc"}).raise_for_status()
    first.admin.post(INTEGRATION).raise_for_status()
    token = first.admin.post(f"{INTEGRATION}/tokens").json()
    scim = first.scim()  # a second token
    yanis = scim.create_user("ybenali@contoso.example", "yanis.benali@steeple-demo.fr")
    group = scim.create_group("Lyon - Tous", [yanis])
    first.admin.put(
        f"{INTEGRATION}/groups/{group}/mapping",
        json={"community_id": USINE_LYON.id, "role": "user"},
    ).raise_for_status()
    first.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    seen = {
        path: first.admin.get(path).json()
        for path in (
            "/sso",
            "/users?include_removed=true&limit=1000",
            "/communities",
            f"{INTEGRATION}/tokens",
            f"{INTEGRATION}/groups",
            f"{INTEGRATION}/scim-users",
            f"{INTEGRATION}/requests?limit=1000",
            f"{INTEGRATION}/provisioning",
        )
    }
    scim.close()
    first.server.stop()
    tables = dump_tables(db)

    second = open_instance(db_path=db)
    assert dump_tables(db) == tables
    # The SSO addresses are derived from the public URL, which here is the new port's.
    seen["/sso"]["reply_url"] = seen["/sso"]["reply_url"].replace(
        first.server.base_url, second.server.base_url
    )
    for path, body in seen.items():
        assert second.admin.get(path).json() == body, path
    assert "yanis.benali@steeple-demo.fr" in {
        u["email"] for u in seen["/users?include_removed=true&limit=1000"]["items"]
    }
    # The old secret still authenticates after the restart.
    response = httpx.get(
        second.server.scim_url + f"/Users/{yanis}",
        headers={"Authorization": f"Bearer {token['secret']}"},
    )
    assert response.status_code == 200
    assert response.json()["userName"] == "ybenali@contoso.example"
    assert second.admin.get(INTEGRATION).json()["sync_active"] is True


def test_no_secret_in_the_database_request_log_or_server_logs(
    installed: Instance,
    admin_key: str,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = installed.admin.post(f"{INTEGRATION}/tokens").json()["secret"]
    scim_url = installed.server.scim_url
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    for token in (secret, wrong, admin_key):
        headers = {"Authorization": f"Bearer {token}"}
        httpx.get(scim_url + "/Users", headers=headers, params={"filter": 'userName eq "x"'})
        httpx.post(
            scim_url + "/Users",
            headers=headers,
            json={"schemas": [USER_SCHEMA], "userName": "leak@contoso.example"},
        )
        httpx.get(installed.server.admin_url + "/sso", headers=headers)
    httpx.get(installed.server.admin_url + "/users", headers={"Authorization": "Bearer nope"})
    installed.admin.get("/users").raise_for_status()

    log = installed.admin.get(f"{INTEGRATION}/requests", params={"limit": 1000}).text
    assert log.count('"seq"') >= 6
    installed.server.stop()  # flush and close the database
    captured = capfd.readouterr()
    outputs = caplog.text + captured.out + captured.err
    stored = b"".join(
        path.read_bytes() for path in installed.db_path.parent.glob(installed.db_path.name + "*")
    )
    for value in (secret, admin_key, wrong):
        assert value not in log
        assert value not in outputs
        assert value.encode() not in stored

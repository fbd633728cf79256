"""Acceptance 5 (determinism), the tenant generator and loader, and the CLI run in-process."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w

from assistant.cli.main import main as cli_main
from sandbox.demo_company import EMPLOYEES, Employee
from sandbox.entra.clock import parse_duration
from sandbox.entra.tenant import COMMUNITIES, generate_tenant, load_tenant
from tests.support.entra import TOKEN, RecordingScim, make_job
from tests.support.sandboxes import install


def test_same_seed_same_tenant_and_a_realistic_mix() -> None:
    first, again = generate_tenant(120, 16, seed=42), generate_tenant(120, 16, seed=42)
    assert first.to_dict() == again.to_dict()
    assert first.to_dict() != generate_tenant(120, 16, seed=43).to_dict()
    users = list(first.users.values())
    assert len(users) == 120 and len(first.groups) == 16
    assert any(u.user_principal_name.endswith(".onmicrosoft.com") for u in users)
    assert any(not u.mail for u in users)
    assert any(not u.account_enabled for u in users)
    assert any(first.nested_group_ids(g) for g in first.groups.values())
    demo_mails = {person.email for person in EMPLOYEES}
    assert {u.mail for u in users} & demo_mails  # duplicates of the demo company's e-mails
    names = {g.display_name for g in first.groups.values()}
    assert {f"Steeple - {c} - {k}" for c in COMMUNITIES for k in ("Users", "Admins")} <= names
    in_some_group = {m for g in first.groups.values() for m in g.member_ids}
    assert set(first.users) <= in_some_group  # "assign all" puts everyone in scope
    assert len({u.user_principal_name for u in users}) == 120


def test_the_people_known_to_steeple_are_given_not_guessed() -> None:
    """`known_people` defaults to the demo company's staff (whom the sandbox seed gives Steeple
    accounts); a tenant generated for another Steeple names its own, or none."""
    demo_mails = {person.email for person in EMPLOYEES}
    assert {u.mail for u in generate_tenant(20, 4, seed=1).users.values()} & demo_mails
    alone = generate_tenant(20, 4, seed=1, known_people=())
    assert not {u.mail for u in alone.users.values()} & demo_mails
    other = Employee("Ada", "Lovelace", "ada@example.org")
    given = generate_tenant(20, 4, seed=1, known_people=[other])
    assert "ada@example.org" in {u.mail for u in given.users.values()}


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_tenant_files_round_trip(tmp_path: Path, suffix: str) -> None:
    tenant = generate_tenant(10, 7, seed=3)
    path = tmp_path / f"tenant{suffix}"
    data = tenant.to_dict()
    path.write_text(json.dumps(data) if suffix == ".json" else tomli_w.dumps(data))
    assert load_tenant(path).to_dict() == data


async def test_same_seed_same_request_sequence(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    sequences = []
    for _ in range(2):
        app.requests.clear()
        app.users.clear()
        app.groups.clear()
        app._next = 0
        job = make_job(generate_tenant(15, 7, seed=9), url + "?aadOptscim062020", seed=9)
        await job.run_cycle()
        sequences.append(app.shapes())
    assert sequences[0] == sequences[1] and len(sequences[0]) > 30


def test_parse_duration() -> None:
    assert (parse_duration("5s"), parse_duration("2m"), parse_duration("1h")) == (5, 120, 3600)
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_cli_provision_and_test_connection_in_process(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_sandbox()
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    base = ["sandbox", "entra"]
    target = ["--tenant-url", tenant_url, "--token", secret]
    assert cli_main([*base, "test-connection", *target]) == 0
    assert cli_main([*base, "test-connection", "--tenant-url", tenant_url, "--token", "x"]) == 1
    capsys.readouterr()
    code = cli_main(
        [
            *base,
            "provision",
            *target,
            "--users",
            "30",
            "--groups",
            "8",
            "--seed",
            "4",
            "--assign",
            "Steeple - Siège - Users,Steeple - Usine de Lyon - Users",
            "--cycles",
            "2",
            "--cycle-interval",
            "0.05s",
            "--rate",
            "1000",
            "--concurrency",
            "2",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    reports = json.loads(out)
    assert [r["kind"] for r in reports] == ["initial", "incremental"]
    assert reports[0]["created"] > 0 and reports[1]["processed"] == 0
    assert "objects" in err and "/s" in err  # progress on stderr
    assert secret not in out + err
    staged = admin.get("/integrations/azure-ad/scim-users", params={"limit": 1000}).json()
    assert staged["total"] == reports[0]["created"] - 2  # users created, minus the 2 groups
    code = cli_main(
        [
            *base,
            "provision-on-demand",
            *target,
            "--users",
            "30",
            "--groups",
            "8",
            "--seed",
            "4",
            "--user",
            staged["items"][0]["user_name"],
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0 and "User" in out and secret not in out + err
    admin.close()


def test_cli_never_prints_the_token_on_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(
        [
            "sandbox",
            "entra",
            "provision",
            "--tenant-url",
            "http://127.0.0.1:9/scim",
            "--token",
            TOKEN,
            "--users",
            "3",
            "--groups",
            "1",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and json.loads(out)[0]["quarantined"] is True
    assert TOKEN not in out + err


def test_cli_on_demand_shows_directory_names_as_data(
    peer: tuple[RecordingScim, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A display name or UPN with a terminal escape is printed escaped, never interpreted."""
    _, url = peer
    tenant = generate_tenant(3, 1, seed=2)
    user = next(u for u in tenant.users.values() if u.account_enabled)
    user.user_principal_name = "evil\x1b[2J@contoso.fr"
    path = tmp_path / "tenant.json"
    path.write_text(json.dumps(tenant.to_dict()))
    argv = ["sandbox", "entra", "provision-on-demand", "--tenant-url", url, "--token", TOKEN]
    assert cli_main([*argv, "--tenant-file", str(path), "--user", user.object_id]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "evil\\x1b[2J@contoso.fr" in out

"""`entra signin | signout | status` from the command line, against the emulators over HTTPS."""

from __future__ import annotations

import asyncio
import json

import pytest

from assistant.cli.main import main
from assistant.entra.app_roles import assignment_role
from assistant.entra.graph_client import GraphClient
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandboxes import admin_client, install
from tests.support.waiting import eventually


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["entra", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def status_json(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out, err = cli(capsys, "status", "--json", *extra)
    assert "Traceback" not in out + err
    return code, json.loads(out)


async def set_up_job(
    settings: EntraSettings, name: str, tenant_url: str, token: str
) -> tuple[str, str]:
    """The Entra side done through Graph (as `entra setup` will): app, job, secrets, a group."""
    signin = EntraSignIn(settings)
    async with GraphClient(
        signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context()
    ) as client:
        existing = await client.service_principals(name)  # the demo's SSO app, if named so
        sp = (
            existing[0]
            if existing
            else (await client.create_enterprise_app(name)).service_principal
        )
        job = await client.create_job(sp.id, "scim")
        await client.save_secrets(sp.id, tenant_url, token)
        role = assignment_role(sp.app_roles).id  # the app's own User role
        await client.assign(sp.id, (await client.groups())[0].id, role)
        await client.start_job(sp.id, job.id)
        await eventually(
            lambda: client.job(sp.id, job.id),
            lambda job: job.status.last_execution is not None,
            "the job's first cycle",
        )
        return sp.id, job.id


def test_signin_status_signout(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "status")
    assert code == 3  # not signed in yet
    code, out, _ = cli(capsys, "signin")
    assert code == 0
    assert "enter the code" in out and "Signed in as" in out and "system keyring" in out
    code, body = status_json(capsys)
    # The demo instance has SSO, so its enterprise app exists; provisioning is not set up yet.
    assert code == 4 and body["blocking"] == "no_job" and body["ok"] is True
    assert body["app"]["display_name"] == "Steeple"

    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    asyncio.run(set_up_job(entra_env, "Steeple", tenant_url, secret))
    code, body = status_json(capsys)
    assert code == 0, body
    job = body["job"]
    assert job["code"] == "Active" and job["quarantine"] is None
    assert job["last_execution"]["count_exported"] > 0
    assert job["last_execution"]["state"] in ("Succeeded", "EntryLevelErrors")

    code, out, _ = cli(capsys, "signout")
    assert code == 0 and "Signed out" in out and memory_keyring.store == {}
    assert cli(capsys, "status")[0] == 3


def test_a_quarantined_job_blocks_with_its_reason(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    graph_sandbox: SandboxServer,
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli(capsys, "signin")[0] == 0
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, _ = install(admin)
    asyncio.run(set_up_job(entra_env, "Steeple", tenant_url, "a-revoked-token"))
    code, body = status_json(capsys)
    assert code == 4 and body["blocking"] == "quarantined"
    assert body["job"]["quarantine"]["reason"]
    assert body["job"]["quarantine"]["next_attempt"]


def test_a_missing_permission_is_exit_3_with_a_fix_and_no_traceback(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    graph.emulator.consented = graph.emulator.consented - {
        "Application.Read.All",
        "Application.ReadWrite.All",
    }
    assert cli(capsys, "signin")[0] == 0
    code, body = status_json(capsys)
    assert code == 3 and body["ok"] is False
    assert body["error"]["code"] == "Authorization_RequestDenied"
    assert "Application.Read.All" in body["error"]["message"]
    assert "Grant admin consent" in body["error"]["fix"]
    code, out, err = cli(capsys, "status")
    assert code == 3 and "Fix:" in err and "Traceback" not in out + err


def test_a_throttled_graph_is_exit_3_with_a_fix(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli(capsys, "signin")[0] == 0
    graph.emulator.throttle(100, retry_after=500)  # longer than the client will block for
    code, body = status_json(capsys)
    assert code == 3 and body["error"]["code"] == "TooManyRequests"
    assert "500" in body["error"]["fix"]


def test_entra_text_reaches_the_terminal_as_data(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    graph_sandbox: SandboxServer,
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hostile = "Steeple\x1b]52;c;ZXZpbA==\x07\u202e"
    assert cli(capsys, "signin")[0] == 0
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    asyncio.run(set_up_job(entra_env, hostile, tenant_url, secret))
    for as_json in (True, False):
        argv = ["status", "--app-name", hostile] + (["--json"] if as_json else [])
        code, out, err = cli(capsys, *argv)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        if as_json:
            assert json.loads(out)["app"]["display_name"].startswith("Steeple")


def test_an_http_graph_url_is_a_usage_error(
    entra_env: EntraSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "--graph-url", "http://graph.example/v1.0", "status")
    assert code == 2 and "https://" in err


def test_the_entra_options_work_before_the_subcommand_too(
    entra_env: EntraSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    """One definition for the TUI command and `entra`: given before `entra`, an option is not
    reset by the subparser (argparse copies a subparser's defaults over the parent's)."""
    code = main(["--graph-url", "http://graph.example/v1.0", "entra", "status"])
    _, err = capsys.readouterr()
    assert code == 2 and "http://graph.example/v1.0" in err


def test_several_apps_with_the_name_block_instead_of_one_picked(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = graph.emulator.add_service_principal("Steeple")  # beside the demo's SSO app
    assert cli(capsys, "signin")[0] == 0
    code, body = status_json(capsys)
    assert code == 4 and body["ok"] is False
    assert body["error"]["code"] == "AmbiguousApp" and extra.id in body["error"]["message"]

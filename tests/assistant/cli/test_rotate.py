"""`steeple-assistant rotate-token` against a sandbox whose hosted Entra job cycles every two
seconds: the plan without `--yes`, the rotation through Graph, the manual path with the secret on
the terminal only (a real pseudo-terminal, in a subprocess), and the refusals."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import select
import subprocess
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.cli.main import EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE, main
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.graph_side import side_for, start_provisioning
from tests.support.sandboxes import admin_client, install, request_log
from tests.support.signin import CLI

ROOT = Path(__file__).resolve().parents[3]
TOKENS = "/integrations/azure-ad/tokens"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin_key: str) -> None:
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)


@pytest.fixture
def running(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> Iterator[tuple[httpx.Client, str, str]]:
    admin = admin_client(graph_sandbox, admin_key)
    tenant_url, secret = install(admin)
    asyncio.run(start_provisioning(signed_in, graph, tenant_url, secret))
    yield admin, tenant_url, secret
    admin.close()


def _hints(admin: httpx.Client) -> list[str]:
    return [token["hint"] for token in admin.get(TOKENS).json()["tokens"]]


async def _work(signin: EntraSignIn, graph: GraphEndpoints) -> None:
    """Entra provisions one assigned person on demand, with whatever token it has saved: what
    the admin does in the portal to make Entra work now (its matching query is provisioning)."""
    host = graph.emulator.host
    member = next(iter(host.tenant.groups[host.job.assigned[0]].member_ids))
    side = side_for(signin, graph)
    try:
        await side.provision_on_demand(host.tenant.users[member].user_principal_name)
    finally:
        await side.aclose()


async def _graph_test(
    signin: EntraSignIn, graph: GraphEndpoints, tenant_url: str, secret: str
) -> None:
    """Test Connection (validateCredentials) with `secret`, never saved: the issue's repro."""
    side = side_for(signin, graph)
    try:
        assert (await side.test_connection(tenant_url, secret)).ok
    finally:
        await side.aclose()


def test_without_yes_only_the_plan(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    running: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin, _, secret = running
    spare = admin.post(TOKENS).json()  # two live: the plan names the one it would replace
    asyncio.run(_work(signed_in, graph))  # Entra works with its own after: the traffic tells
    code = main(["--url", graph_sandbox.base_url, "rotate-token", "--json", "--via-graph"])
    out = json.loads(capsys.readouterr().out)
    assert code == EXIT_USAGE
    assert out["applied"] is False and out["outcome"] == "planned"
    assert out["plan"] == {
        "action": "replace",
        "certain": True,
        "old_hint": secret[-4:],
        "replaced_hint": spare["hint"],
        "candidate_hint": None,
    }
    assert out["time_limit_seconds"] > 0
    assert sorted(_hints(admin)) == sorted([secret[-4:], spare["hint"]])  # nothing changed


@pytest.mark.parametrize("output", ["json", "text"])
def test_the_issue_repro_refuses_yes_with_exit_2_and_revokes_nothing(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    running: Any,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
    output: str,
) -> None:
    """Issue 20's acceptance: Entra provisions with A; B is created and tested in Entra without
    being saved. The plan names A as Entra's token; `--yes`, with no provisioning request since
    B was created, refuses (exit 2), says why and how to decide, and revokes nothing."""
    admin, tenant_url, a_secret = running
    b = admin.post(TOKENS).json()
    asyncio.run(_graph_test(signed_in, graph, tenant_url, b["secret"]))
    argv = ["--url", graph_sandbox.base_url, "rotate-token", "--yes", "--via-graph"]
    code = main([*argv, "--json"] if output == "json" else argv)
    captured = capsys.readouterr()
    assert code == EXIT_USAGE
    if output == "json":
        out = json.loads(captured.out)
        assert out["plan"]["action"] == "ask" and out["plan"]["certain"] is False
        assert out["plan"]["old_hint"] == a_secret[-4:]  # A is named Entra's token
        assert out["plan"]["candidate_hint"] == b["hint"]  # B: a candidate, never Entra's
        assert out["outcome"] == "stopped" and out["reason"] == "undecided"
        assert "Provision on demand" in out["fix"]
        assert out["stages"] == [] and out["new_hint"] is None
    else:
        assert f"…{a_secret[-4:]}" in captured.out and f"…{b['hint']}" in captured.out
        assert "cannot tell" in captured.err and "Provision on demand" in captured.err
    assert sorted(_hints(admin)) == sorted([a_secret[-4:], b["hint"]])  # nothing revoked
    assert graph.emulator.host.job.secret() == a_secret  # and Entra untouched


def test_rotate_token_via_graph(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    running: Any,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin, _, old_secret = running
    argv = ["--url", graph_sandbox.base_url, "rotate-token", "--yes", "--json", "--via-graph"]
    code = main([*argv, "--timeout", "120"])
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    new_secret = graph.emulator.host.job.secret()
    assert code == EXIT_OK, out
    assert out["applied"] is True and out["outcome"] == "revoked" and out["via"] == "graph"
    assert (out["old_hint"], out["new_hint"]) == (old_secret[-4:], new_secret[-4:])
    assert out["stages"][:4] == ["checked", "created", "tested", "saved"]
    assert out["stages"][-2:] == ["verified", "revoked"]
    assert out["verified_by"]["token_hint"] == new_secret[-4:]
    assert out["verified_by"]["kind"] != "test_connection"
    assert _hints(admin) == [new_secret[-4:]]
    for secret in (old_secret, new_secret):
        assert secret not in captured.out and secret not in captured.err
    entra = [e for e in request_log(admin) if e["token_hint"] in {old_secret[-4:], new_secret[-4:]}]
    assert not [e for e in entra if e["status"] == 401]  # Entra never refused


def test_via_graph_without_a_sign_in_is_exit_3(
    graph_sandbox: SandboxServer,
    entra_env: EntraSettings,
    memory_keyring: Any,
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin = admin_client(graph_sandbox, admin_key)
    install(admin)
    before = _hints(admin)
    argv = ["--url", graph_sandbox.base_url, "rotate-token", "--yes", "--via-graph", "--json"]
    code = main(argv)
    out = json.loads(capsys.readouterr().out)
    assert code == EXIT_UNREACHABLE and "entra signin" in out["error"]["fix"]
    assert _hints(admin) == before  # nothing created
    admin.close()


def _child_env(tmp_path: Path, admin_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEEPLE_", "TEXTUAL"))}
    env.update(STEEPLE_API_KEY=admin_key, STEEPLE_ASSISTANT_CONFIG_DIR=str(tmp_path / "child"))
    return env


def test_without_graph_and_without_a_terminal_it_refuses_before_creating(
    graph_sandbox: SandboxServer, admin_key: str, tmp_path: Path
) -> None:
    admin = admin_client(graph_sandbox, admin_key)
    install(admin)
    before = _hints(admin)
    done = subprocess.run(
        [*CLI, "--url", graph_sandbox.base_url, "rotate-token", "--yes", "--json"],
        env=_child_env(tmp_path, admin_key),
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal, as under cron or CI
        timeout=60,
    )
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "--via-graph" in json.loads(done.stdout)["error"]["fix"]
    assert _hints(admin) == before
    admin.close()


def _read_until(master: int, marker: bytes, seen: bytearray, limit: float = 60.0) -> None:
    """Read the pseudo-terminal until `marker` appears (select's timeout only bounds a hang)."""
    while marker not in seen:
        ready, _, _ = select.select([master], [], [], limit)
        assert ready, f"no {marker!r} on the terminal; saw {bytes(seen)!r}"
        try:
            seen.extend(os.read(master, 4096))
        except OSError:  # EIO: the child is gone
            raise AssertionError(f"no {marker!r} on the terminal; saw {bytes(seen)!r}") from None


def test_without_graph_the_secret_goes_to_the_terminal_only(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    running: Any,
    admin_key: str,
    tmp_path: Path,
) -> None:
    """The admin reads the secret on their terminal, saves it in Entra (Graph stands for the
    admin center's Save here), presses Enter; stdout/stderr never carry it."""
    admin, tenant_url, old_secret = running
    master, slave = os.openpty()
    slave_name = os.ttyname(slave)

    def take_terminal() -> None:  # in the child, after setsid: this tty becomes its terminal
        fd = os.open(slave_name, os.O_RDWR)
        fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
        os.close(fd)

    child = subprocess.Popen(
        [
            *CLI,
            "--url",
            graph_sandbox.base_url,
            "rotate-token",
            "--yes",
            "--json",
            "--timeout",
            "120",
        ],
        env=_child_env(tmp_path, admin_key),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=take_terminal,
        pass_fds=(slave,),  # held open by the child, so the terminal lives as long as it does
    )
    os.close(slave)
    seen = bytearray()
    try:
        try:
            _read_until(master, b"here.", seen)
        except AssertionError:
            child.kill()
            raise AssertionError(child.communicate(timeout=30)) from None
        line = next(ln for ln in bytes(seen).decode().splitlines() if "stp_" in ln)
        new_secret = line[line.index("stp_") :].strip()
        asyncio.run(_save(signed_in, graph, tenant_url, new_secret))
        asyncio.run(_work(signed_in, graph))  # one person on demand, as the flow advises
        os.write(master, b"\n")
        out, err = child.communicate(timeout=180)
    finally:
        child.kill()
        os.close(master)
    result = json.loads(out)
    assert child.returncode == EXIT_OK, (result, err)
    assert result["outcome"] == "revoked" and result["via"] == "paste"
    assert result["new_hint"] == new_secret[-4:] and _hints(admin) == [new_secret[-4:]]
    assert new_secret.encode() not in out and new_secret.encode() not in err
    assert bytes(seen).count(new_secret.encode()) == 1  # shown once, on the terminal
    hints = {old_secret[-4:], new_secret[-4:]}
    assert not [e for e in request_log(admin) if e["token_hint"] in hints and e["status"] == 401]


async def _save(signin: EntraSignIn, graph: GraphEndpoints, tenant_url: str, secret: str) -> None:
    side = side_for(signin, graph)
    try:
        await side.save_credentials(tenant_url, secret)
    finally:
        await side.aclose()


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """The command run by a person: its stdin and controlling terminal are a pseudo-terminal."""
    master, slave = os.openpty()
    slave_name = os.ttyname(slave)

    def take_terminal() -> None:
        fd = os.open(slave_name, os.O_RDWR)
        fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
        os.close(fd)

    child = subprocess.Popen(
        [*CLI, *argv],
        env=env,
        cwd=ROOT,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    os.close(slave)
    return child, master


@pytest.mark.parametrize(
    "answers", [(b"\n",), (b"1\n", b"n\n")], ids=["does not know", "names one then declines"]
)
def test_at_a_terminal_it_asks_which_token_is_saved_in_entra(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    running: Any,
    admin_key: str,
    tmp_path: Path,
    answers: tuple[bytes, ...],
) -> None:
    """Without --yes, a person at a terminal is asked (issue 20: interactive CLI). "I don't
    know" stops with exit 2 and revokes nothing; naming one, then declining, changes nothing."""
    admin, tenant_url, a_secret = running
    b = admin.post(TOKENS).json()
    asyncio.run(_graph_test(signed_in, graph, tenant_url, b["secret"]))
    argv = ["--url", graph_sandbox.base_url, "rotate-token", "--via-graph"]
    child, master = _on_a_terminal(argv, _child_env(tmp_path, admin_key))
    seen = bytearray()
    try:
        try:
            _read_until(master, b"Enter if you do not know", seen)
            os.write(master, answers[0])
            if len(answers) > 1:
                _read_until(master, b"Type y", seen)
                os.write(master, answers[1])
        except AssertionError:
            child.kill()
            raise AssertionError(child.communicate(timeout=30)) from None
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
        os.close(master)
    shown = bytes(seen).decode()
    assert f"…{a_secret[-4:]} (on Entra's latest provisioning request)" in shown
    assert f"…{b['hint']} (created" in shown
    assert child.returncode == EXIT_USAGE, (out, err)
    if len(answers) == 1:
        assert b"cannot tell" in err
    assert sorted(_hints(admin)) == sorted([a_secret[-4:], b["hint"]])  # nothing revoked

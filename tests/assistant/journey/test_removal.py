"""`steeple-assistant remove` (issue 20, point 5): Entra stopped first, or the removal refused.

Signed in (the sandbox's Graph emulator and its hosted job, cycling every two seconds), the
command reads the job's state: `--yes` refuses while it runs, `--pause-entra` pauses it through
Graph then removes, `--force` removes anyway and warns. Not signed in, it keeps the copy-paste
instruction (Provisioning Status Off) and warns when Entra was still calling. After a removal the
request log stays readable, so Entra calling on with the revoked token can be seen.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.cli.main import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE, main
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.graph_side import start_provisioning
from tests.support.sandboxes import admin_client, install
from tests.support.waiting import eventually

INTEGRATION = "/integrations/azure-ad"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin_key: str) -> None:
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)


@pytest.fixture
def running(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> Any:
    """Entra provisioning the sandbox through its job (started, first cycle over)."""
    admin = admin_client(graph_sandbox, admin_key)
    tenant_url, secret = install(admin)
    asyncio.run(start_provisioning(signed_in, graph, tenant_url, secret))
    yield admin
    admin.close()


def _remove(capsys: pytest.CaptureFixture[str], url: str, *flags: str) -> tuple[int, Any, str]:
    code = main(["--url", url, "remove", "--json", *flags])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _installed(admin: httpx.Client) -> bool:
    return bool(admin.get(INTEGRATION).json()["installed"])


def test_signed_in_the_plan_names_the_running_job_and_yes_refuses(
    graph_sandbox: SandboxServer,
    running: httpx.Client,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _remove(capsys, graph_sandbox.base_url)
    assert code == EXIT_USAGE and out["applied"] is False
    assert out["entra"]["state"] == "Active" and out["entra"]["running"] is True
    code, out, _ = _remove(capsys, graph_sandbox.base_url, "--dry-run")
    assert code == EXIT_OK and out["applied"] is False

    code, out, _ = _remove(capsys, graph_sandbox.base_url, "--yes")
    assert code == EXIT_USAGE
    assert "running" in out["error"]["message"] and "--pause-entra" in out["error"]["fix"]
    assert _installed(running)  # nothing removed


def test_pause_entra_pauses_the_job_through_graph_then_removes(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    running: httpx.Client,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _remove(capsys, graph_sandbox.base_url, "--yes", "--pause-entra")
    assert code == EXIT_OK, out
    assert out["applied"] is True and out["result"]["tokens_revoked"] == 1
    assert out["entra"] == {
        "read": True,
        "state": "Paused",
        "message": "",
        "paused_now": True,
        "running": False,
    }
    assert graph.emulator.host.job.status.code == "Paused"
    assert not _installed(running)
    assert out["warnings"] == []


def test_force_removes_while_it_runs_and_says_so(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    running: httpx.Client,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _remove(capsys, graph_sandbox.base_url, "--yes", "--force")
    assert code == EXIT_OK and not _installed(running)
    assert any("Provisioning Status to Off" in w for w in out["warnings"])
    # Entra calls on with the revoked token: the log stays readable and names its 401s.
    host = graph.emulator.host
    assert host.running
    log: list[dict[str, Any]] = asyncio.run(
        eventually(
            lambda: running.get(f"{INTEGRATION}/requests", params={"limit": 1000}).json()["items"],
            lambda log: any(e["status"] == 401 and e["token_hint"] for e in log),
            "a 401 naming its token",
        )
    )
    assert any(e["status"] == 401 and e["token_hint"] for e in log)


def test_not_signed_in_it_says_provisioning_status_off_and_warns(
    start_sandbox: Any, admin_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy-paste path: nothing to read, so the order stays the admin's to follow."""
    from tests.support.probe import probe_scim

    server = start_sandbox()
    admin = admin_client(server, admin_key)
    tenant_url, secret = install(admin)
    assert asyncio.run(probe_scim(tenant_url, secret)).ok  # Entra just called
    code = main(["--url", server.base_url, "remove"])
    text = capsys.readouterr().out
    assert code == EXIT_USAGE and "Provisioning Status Off" in text and "--yes" in text
    assert "button" not in text  # headless words, not the screen's

    code, out, _ = _remove(capsys, server.base_url, "--yes")
    assert code == EXIT_OK and out["entra"] is None and not _installed(admin)
    assert any("still calling" in w for w in out["warnings"])
    code, out, _ = _remove(capsys, server.base_url, "--yes")
    assert code == EXIT_BLOCKED  # not installed any more
    admin.close()


def test_french_and_text_output(
    graph_sandbox: SandboxServer,
    running: httpx.Client,
    entra_env: EntraSettings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--url", graph_sandbox.base_url, "--lang", "fr", "remove", "--yes"])
    captured = capsys.readouterr()
    assert code == EXIT_USAGE
    assert "tâche d'approvisionnement d'Entra tourne" in captured.err
    assert "Traceback" not in captured.err

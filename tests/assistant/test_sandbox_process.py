"""`--sandbox` in the TUI: the sandbox in a child process (`python -m sandbox.child`), reached over
loopback like any instance, with its emulators; stopped with the app, and never left behind by an
assistant that is killed or crashes (the child watches its stdin, which the kernel closes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.app import App

from assistant.cli.main import main
from assistant.journey.steps import StepId, load_journey
from assistant.steeple.sandbox_mode import SandboxProcess, spawn_sandbox

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # subprocesses


def _gone(pid: int, patience: float = 30.0) -> bool:
    """Whether process `pid` has ended (reaped or a zombie) within `patience` seconds."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def _sandbox_children() -> list[int]:
    """This process's children that run the sandbox."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"sandbox.child" in cmdline:
            found.append(int(entry.name))
    return found


def _refused(url: str) -> bool:
    try:
        httpx.get(url, timeout=2)
    except httpx.TransportError:
        return True
    return False


async def test_the_child_serves_steeple_and_its_emulators_then_stops_with_its_session() -> None:
    pending = spawn_sandbox()
    try:
        session = pending.wait()
        process = session.server
        assert isinstance(process, SandboxProcess) and process.running
        assert Path(process.db_path).exists()
        steeple = session.client()
        side = await session.open_entra_side(steeple)  # the login emulator, then Graph
        try:
            async with steeple:
                assert (await load_journey(steeple, entra=side)).current is StepId.INSTALL
                assert await side.groups()  # the simulated tenant's directory, over Graph
        finally:
            await side.aclose()
    finally:
        pending.stop()
    assert not process.running
    assert not Path(process.db_path).parent.exists()  # its throwaway database went with it
    assert process.graph is not None and not Path(process.graph.ca_pem_path).exists()
    assert _refused(process.base_url)


def test_the_admin_key_is_never_on_the_childs_command_line() -> None:
    pending = spawn_sandbox()
    try:
        session = pending.wait()
        cmdline = Path(f"/proc/{pending.process.pid}/cmdline").read_bytes()
        assert session.admin_key.encode() not in cmdline
    finally:
        pending.stop()


PARENT = """
import json, os, signal, sys
from assistant.steeple.sandbox_mode import spawn_sandbox
session = spawn_sandbox().wait()
print(json.dumps({"pid": session.server.pid, "db": session.server.db_path,
                  "url": session.base_url}), flush=True)
if sys.argv[1] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
raise RuntimeError("the assistant crashed")
"""


@pytest.mark.parametrize("death", ["kill", "crash"])
def test_an_assistant_that_dies_leaves_no_sandbox_running(death: str) -> None:
    """SIGKILL (no `finally` runs) and an uncaught exception: the child still ends, its
    throwaway database removed, its port closed."""
    parent = subprocess.run(
        [sys.executable, "-c", PARENT, death],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert parent.returncode == (-signal.SIGKILL if death == "kill" else 1), parent.stderr
    child: dict[str, Any] = json.loads(parent.stdout.splitlines()[0])
    assert _gone(child["pid"]), "the sandbox outlived its assistant"
    assert not Path(child["db"]).parent.exists()
    assert _refused(child["url"])


def test_the_tui_stops_its_sandbox_child_when_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """`steeple-assistant --sandbox` through `main`: the app reaches the Install step on the
    child's sandbox, quits, and no sandbox child is left. (No terminal here: the app runs in
    Textual's headless mode, driven by its own auto-pilot.)"""
    seen: dict[str, Any] = {}
    original_run = App.run

    async def quit_at_first_step(pilot: Any) -> None:
        app = pilot.app
        for _ in range(600):  # up to a minute on a loaded machine
            if type(app.screen).__name__ == "InstallStep" and app.focused is not None:
                break
            await pilot.pause(0.1)
        seen["screen"] = type(app.screen).__name__
        seen["children"] = _sandbox_children()
        seen["in_sandbox"] = app.in_sandbox
        app.exit()

    def run_headless(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        return original_run(self, headless=True, size=(120, 40), auto_pilot=quit_at_first_step)

    monkeypatch.setattr(App, "run", run_headless)
    assert main(["--sandbox", "--lang", "en"]) == 0
    assert seen["screen"] == "InstallStep" and seen["in_sandbox"] is True
    assert len(seen["children"]) == 1
    assert _gone(seen["children"][0])
    assert not _sandbox_children()


def test_sandbox_status_json_still_works_headless(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--sandbox", "--lang", "en", "status", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["current"] == "install"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_child_that_cannot_start_is_said_with_its_reason_and_no_key(lang: str) -> None:
    """The child's own words reach the admin (not "Something went wrong (SandboxStartError)"),
    in their language, with the admin key masked even where the child's error quoted it: here
    a configuration field named after the key, which the child refuses by name."""
    from assistant.steeple.sandbox_mode import SandboxStartError, _config_fields
    from screens.failures import describe_failure

    key = "adm_" + "K3y-only-the-parent-knows"
    process = SandboxProcess({**_config_fields(key, None, "demo"), key: 1})
    with pytest.raises(SandboxStartError) as failed:
        process.wait_ready()
    message, fix = describe_failure(failed.value, lang)
    assert "unexpected keyword argument" in message and key not in message + str(failed.value)
    assert message.startswith(
        {"en": "The local sandbox did not start", "fr": "Le bac à sable local"}[lang]
    )
    assert fix

"""`kill -9` of the assistant mid-step, then a restart: it lands on the same step, because the
step is derived from the instance, not from anything the killed process kept.

Everything runs as real processes: `sandbox serve`, the headless `status --json`, and the TUI in
a pseudo-terminal (SIGKILLed while it shows the step)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.prepare import prepare
from tests.support.processes import PROCESS_ADMIN_KEY, TuiProcess, env_for, start_serve

pytestmark = pytest.mark.slow  # the TUI in a PTY subprocess, killed

ADMIN_KEY = PROCESS_ADMIN_KEY
ENTRA_STEP_MARKER = "Waiting for Entra's Test Connection"
"""Shown only by the Entra step's own screen (the sidebar lists every step's title)."""


def status(url: str, config_dir: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--url", url, "status", "--json"],
        env=env_for(config_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 4), done.stderr[-500:]
    data: dict[str, object] = json.loads(done.stdout)
    return data


def current_title(data: dict[str, object]) -> tuple[str, str]:
    current = data["current"]
    steps = data["steps"]
    assert isinstance(steps, list)
    title = next(s["title"] for s in steps if s["id"] == current)
    return str(current), str(title)


def test_kill_9_mid_step_then_restart_lands_on_the_same_step(tmp_path: Path) -> None:
    server = start_serve(tmp_path / "steeple.db", ADMIN_KEY)
    config_dir = tmp_path / "config"
    tuis: list[TuiProcess] = []
    try:
        asyncio.run(prepare(server.base_url, ADMIN_KEY, "token"))
        before_id, before_title = current_title(status(server.base_url, config_dir))
        assert before_id == "entra"  # mid-journey: token made, Entra not yet tested

        first = TuiProcess(server.base_url, config_dir)
        tuis.append(first)
        first.wait_for_text(before_title)
        first.wait_for_text(ENTRA_STEP_MARKER)
        first.kill9()  # no exit handler, no settings write, no goodbye

        after_id, _ = current_title(status(server.base_url, config_dir))
        assert after_id == before_id
        second = TuiProcess(server.base_url, config_dir)
        tuis.append(second)
        second.wait_for_text(ENTRA_STEP_MARKER)
        assert second.process.poll() is None
        assert "Traceback" not in first.text() + second.text()
    finally:
        for tui in tuis:
            tui.close()
        server.stop()

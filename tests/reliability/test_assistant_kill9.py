"""`kill -9` of the assistant mid-step, then a restart: it lands on the same step, because the
step is derived from the instance, not from anything the killed process kept.

Everything runs as real processes: `sandbox serve`, the headless `status --json`, and the TUI in
a pseudo-terminal (SIGKILLed while it shows the step)."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from tests.reliability.serve_process import start_serve
from tests.screens.prepare import prepare

ADMIN_KEY = "adm_PLANTED-kill9-key-5e6f7a"
SCREEN_WAIT = 60.0
ENTRA_STEP_MARKER = "Waiting for Entra's Test Connection"
"""Shown only by the Entra step's own screen (the sidebar lists every step's title)."""
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def env_for(config_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(
        STEEPLE_API_KEY=ADMIN_KEY,
        STEEPLE_ASSISTANT_CONFIG_DIR=str(config_dir),
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
    )
    env.pop("NO_COLOR", None)
    return env


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


class TuiProcess:
    """The assistant's TUI on a pseudo-terminal, its output collected as plain text."""

    def __init__(self, url: str, config_dir: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "--url", url],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env_for(config_dir),
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.raw = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw.extend(chunk)

    def text(self) -> str:
        return _ESCAPES.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def wait_for_text(self, wanted: str) -> None:
        deadline = time.monotonic() + SCREEN_WAIT
        while wanted not in self.text():
            assert self.process.poll() is None, f"the TUI exited: {self.text()[-800:]}"
            assert time.monotonic() < deadline, f"{wanted!r} never shown: {self.text()[-800:]}"
            time.sleep(0.05)

    def kill9(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill9()
        os.close(self.master)


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

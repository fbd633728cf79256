"""Real child processes for the tests that SIGKILL them: `steeple-assistant sandbox serve`, and
the assistant's TUI on a pseudo-terminal."""

from __future__ import annotations

import fcntl
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
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 60.0
PROCESS_ADMIN_KEY = "adm_PLANTED-kill9-key-5e6f7a"
"""The planted admin key of the processes these tests start (a leak test greps for it)."""
SCREEN_WAIT = 60.0
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def env_for(config_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(
        STEEPLE_API_KEY=PROCESS_ADMIN_KEY,
        STEEPLE_ASSISTANT_CONFIG_DIR=str(config_dir),
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
    )
    env.pop("NO_COLOR", None)
    return env


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


@dataclass
class ServeProcess:
    process: subprocess.Popen[str]
    base_url: str
    output: list[str]

    @property
    def admin_url(self) -> str:
        return self.base_url + "/api/admin/v1"

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no WAL checkpoint runs."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.kill()


def start_serve(db: Path, admin_key: str, *extra: str) -> ServeProcess:
    """Start `sandbox serve --port 0` and return once it has printed its real URL."""
    command = [
        sys.executable,
        "-m",
        "assistant.cli",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--db",
        str(db),
        "--admin-key",
        admin_key,
        *extra,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    watchdog = threading.Timer(START_TIMEOUT, process.kill)  # never hang the suite
    watchdog.start()
    output: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.strip().startswith("Admin API:"):
                url = line.split("Admin API:", 1)[1].strip()
                return ServeProcess(process, url.removesuffix("/api/admin/v1"), output)
    finally:
        watchdog.cancel()
    raise RuntimeError("sandbox serve exited before printing its URL")


def read_banner(process: subprocess.Popen[str], limit: float = 30.0) -> str:
    """What `sandbox serve` prints before it waits (up to its "Ctrl-C" line), read as it comes."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not any("Ctrl-C" in line for line in lines):
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
    return "".join(lines)

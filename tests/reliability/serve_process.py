"""`steeple-assistant sandbox serve` as a real child process, for tests that SIGKILL it."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 60.0


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

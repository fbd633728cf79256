"""`steeple-assistant web` as a real child process: its printed one-time address, its output as it
comes, its wizard children, and Ctrl-C (SIGINT)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from tests.support.processes import env_for

START_TIMEOUT = 60.0
ONE_TIME_URL = re.compile(r"http://127\.0\.0\.1:\d+/\?secret=[A-Za-z0-9_-]+")


class WebWindowProcess:
    """`python -m assistant.cli [options]` (options including `web`), read line by line."""

    def __init__(
        self,
        options: list[str],
        config_dir: Path,
        api_key: str | None = None,
        environment: Mapping[str, str | None] | None = None,
    ) -> None:
        """`environment`: variables to set (a value) or to remove (None) for this run."""
        env = env_for(config_dir)
        if api_key is not None:
            env["STEEPLE_API_KEY"] = api_key
        for name, value in (environment or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self.api_key = env["STEEPLE_API_KEY"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = ONE_TIME_URL.search(self.wait_for("?secret=")).group(0)  # type: ignore[union-attr]
        self.base = self.url.split("?", 1)[0]
        self.origin = self.base.rstrip("/")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, wanted: str, timeout: float = START_TIMEOUT, count: int = 1) -> str:
        """The `count`-th line holding `wanted`, once printed (a state, not a sleep)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in list(self.lines) if wanted in line]
            if len(found) >= count:
                return found[count - 1]
            assert time.monotonic() < deadline, f"{wanted!r} never printed:\n{self.output}"
            assert self.process.poll() is None, f"web exited:\n{self.output}"
            time.sleep(0.05)

    def wizards(self) -> list[int]:
        """Process ids of the wizards running now (the server's children)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    @staticmethod
    def command_line(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().rstrip("\0").split("\0")

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C: SIGINT to the server, as a terminal sends it; its exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

"""Headless output to a closed pipe ends quietly (issue 20, point 6).

`steeple-assistant status --json | head -1` used to end in a `BrokenPipeError` traceback. Each
command below runs in a subprocess whose stdout is a pipe closed before it writes — the reader
gone, as `head` is once it has its line — and must exit 141 (or 0) with nothing on stderr but
its own words: no traceback, no "Exception ignored".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.signin import CLI

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow  # subprocesses


@pytest.mark.parametrize(
    "argv",
    [
        ["--sandbox", "status", "--json"],
        ["--sandbox", "status"],
        ["--sandbox", "doctor", "--json"],
        ["--sandbox", "report"],
        ["--sandbox", "remove", "--dry-run", "--json"],
        ["--help"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_a_closed_pipe_ends_quietly(argv: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEEPLE_", "TEXTUAL"))}
    env["STEEPLE_ASSISTANT_CONFIG_DIR"] = str(tmp_path / "config")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte: every write fails (EPIPE)
    try:
        done = subprocess.run(
            [*CLI, *argv],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(writer)
    err = done.stderr.decode()
    assert done.returncode in (0, 141), err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert "BrokenPipeError" not in err

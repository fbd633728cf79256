"""The TUI in a real pseudo-terminal on the hostile directory: the bytes it writes to the terminal
hold none of the escape sequences hidden in names, only their visible forms.

Textual writes its own escape sequences (cursor moves, colours), so the check is on the hostile
payloads themselves — OSC 52, OSC 0, a CSI colour from a name, the C1 CSI, the RTL override — and
on any C1 control at all (Textual never writes one). Everything runs as real processes: `sandbox
serve --seed hostile`, SCIM traffic as Entra sends it, an unauthenticated request whose path holds
an OSC sequence, and `steeple-assistant --url …` on a pty.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from pathlib import Path

import httpx
import pytest

from sandbox.hostile import OSC0, OSC52, RTL_OVERRIDE
from tests.support.prepare import prepare
from tests.support.processes import PROCESS_ADMIN_KEY as ADMIN_KEY
from tests.support.processes import TuiProcess, start_serve

pytestmark = pytest.mark.slow  # the TUI in a PTY subprocess

EVIL_PATH = "/scim/v2/%1B%5D0%3BPATH-TITLE%07%C2%9B2J"
RAW_PAYLOADS = [
    OSC52.encode(),
    OSC0.encode(),
    b"\x1b[31mRed alert",
    b"\x1b]0;PATH-TITLE",
    RTL_OVERRIDE.encode(),
    "\u200d".encode(),
]
C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
"""A C1 control as the terminal receives it (UTF-8): Textual never writes one itself."""
ROLES_MARKER = "Space or a click on the highlighted row marks it"
"""Shown only by the Map groups step (the line under its table)."""
VISIBLE = ["[b]Bold[/b] and [/] stray", "Marketing [old]", "[/link] closing only", "Sales [/EMEA]"]
"""Group names shown literally. (Those with escape sequences never arrive: Steeple refuses a
control character in a name, issue 20 — the escapes still come through the path below.)"""


def wait_until(tui: TuiProcess, condition: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while condition not in tui.text():
        assert tui.process.poll() is None, f"the TUI exited: {tui.text()[-800:]}"
        assert time.monotonic() < deadline, f"{condition!r} never shown: {tui.text()[-800:]}"
        time.sleep(0.05)


def test_hostile_names_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    server = start_serve(tmp_path / "steeple.db", ADMIN_KEY, "--seed", "hostile")
    tui: TuiProcess | None = None
    try:
        asyncio.run(prepare(server.base_url, ADMIN_KEY, "provisioned", hostile=True))
        tui = TuiProcess(server.base_url, tmp_path / "config")
        wait_until(tui, ROLES_MARKER)
        for name in VISIBLE:  # the Map groups step, with the names written out literally
            wait_until(tui, name)
        # an unauthenticated request with escapes in its path, after the journey was read (so
        # the TUI stays on Map groups whatever the 401 does to the journey), then the request
        # stream of "Receive profiles", via the command palette
        assert httpx.get(server.base_url + EVIL_PATH).status_code == 401  # no token
        os.write(tui.master, b"\x10")
        wait_until(tui, "Search for commands")
        os.write(tui.master, b"Go to: 6. Receive profiles")  # the sidebar's title
        wait_until(tui, "Open this step")  # the command's help: the match is listed
        time.sleep(0.5)
        os.write(tui.master, b"\r")
        wait_until(tui, "users received")  # the Receive profiles step itself (its figure)
        wait_until(tui, "Heard from Entra")
        wait_until(tui, "displayName=")
        wait_until(tui, "unauthorized")  # the 401 is in the stream (its summary, not its path)
        time.sleep(1.0)  # a poll or two more, so any late row is in the output too
        assert tui.process.poll() is None
        raw = bytes(tui.raw)
    finally:
        if tui is not None:
            tui.close()
        server.stop()
    found = [payload for payload in RAW_PAYLOADS if payload in raw]
    assert found == []
    assert C1_IN_UTF8.findall(raw) == []
    assert b"Traceback" not in raw and b"MarkupError" not in raw

"""Importing `assistant.cli` keeps httpx's command-line client (click, pygments) out of the
process, and httpx itself whole: its client still sends requests, its `main` is httpx's stub."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import assistant.cli
import httpx
from assistant.steeple.client import SteepleClient

assert "click" not in sys.modules, "httpx._main was imported"
assert "pygments" not in sys.modules
assert httpx.main.__module__ == "httpx", httpx.main.__module__  # httpx's own fallback stub
transport = httpx.MockTransport(lambda request: httpx.Response(200, text=request.url.path))
with httpx.Client(transport=transport) as client:
    assert client.get("https://acme.example/ok").text == "/ok"
SteepleClient("http://127.0.0.1:1", "k" * 20)
print("ok")
"""


def test_the_cli_package_spares_httpx_its_command_line_client() -> None:
    # A fresh interpreter: in this one, httpx was imported long ago by other tests.
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_without_the_package_httpx_would_import_click() -> None:
    """The check above can fail: without `assistant.cli` first, click comes with httpx here."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, httpx; print('click' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip() == "True", done.stderr

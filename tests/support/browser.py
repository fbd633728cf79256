"""A real headless Chromium for the tests that drive a page as a person would.

Debian's `chromium` (installed by `.ci/run`), driven by Playwright against that binary: Playwright's
own browser download is never used (these machines have no internet but the package registries).
Where no Chromium can be installed, the tests that need one are skipped with the reason, never
passed silently.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",  # tests run as root in CI's container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls Google at start-up; the closed network refuses it, noisily.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SKIP_REASON = (
    "no Chromium on this machine: .ci/run installs Debian's `chromium` "
    "(apt-get install chromium), or set STEEPLE_TEST_CHROMIUM to a Chromium binary"
)


def chromium_path() -> str | None:
    """The Chromium binary to drive: `$STEEPLE_TEST_CHROMIUM`, else the first on PATH."""
    given = os.environ.get("STEEPLE_TEST_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip(SKIP_REASON)
    return path


def launch_options() -> dict[str, object]:
    """Keyword arguments for Playwright's `chromium.launch(...)` (sync or async API alike)."""
    return {
        "executable_path": chromium_or_skip(),
        "args": list(CHROMIUM_ARGS),
        "headless": True,
    }


@contextmanager
def served_page(html: str) -> Iterator[str]:
    """`html` served on loopback, port 0, for as long as the block runs; yields its address.

    A page of its own origin: for the browser to click, or to play a foreign site's page.
    """
    body = html.encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()

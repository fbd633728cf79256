"""`steeple-assistant web` on the command line: what it refuses before serving (exit 2), what it
prints, and Ctrl-C stopping it and the wizard it runs."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from assistant.cli.main import EXIT_OK, EXIT_USAGE, main
from tests.support.web_window import WebWindowProcess


def test_sandbox_and_url_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["web", "--sandbox", "--url", "https://acme.steeple.example"]) == EXIT_USAGE
    assert "Error: --sandbox and --url both given.\n  Fix: Choose one" in capsys.readouterr().err


def test_plain_http_to_another_machine_is_refused_before_serving(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--lang", "fr", "web", "--url", "http://steeple.example", "--no-browser"])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "steeple.example" in err and "Correction : " in err
    assert "--allow-insecure-http" in err  # the way out, as the TUI says it


def test_a_port_in_use_is_refused_with_the_way_out(capsys: pytest.CaptureFixture[str]) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        assert main(["web", "--sandbox", "--no-browser", "--port", str(port)]) == EXIT_USAGE
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert f"Error: Cannot listen on 127.0.0.1 port {port}" in err
    assert "--port N" in err


@pytest.mark.slow
def test_ctrl_c_stops_the_server_and_its_wizard(tmp_path: Path) -> None:
    """Served, a wizard started by a websocket, then SIGINT: exit 0, the wizard asked to quit
    (it is gone), nothing listening any more."""
    import asyncio

    import aiohttp

    web = WebWindowProcess(["web", "--sandbox", "--no-browser", "--lang", "en"], tmp_path)
    try:
        assert web.wait_for("Ctrl-C stops the server")
        port = int(web.origin.rsplit(":", 1)[1])

        async def open_a_session() -> None:
            jar = aiohttp.CookieJar(unsafe=True)  # aiohttp keeps no cookie of an IP address else
            async with aiohttp.ClientSession(cookie_jar=jar) as session:
                async with session.get(web.url) as page:  # redeems the secret, keeps the cookie
                    assert page.status == 200
                socket_ = await session.ws_connect(
                    web.origin + "/ws", headers={"Origin": web.origin}
                )
                await socket_.receive(timeout=60)  # the wizard drew its first screen
                web.wait_for("A browser session started.")
                wizards = web.wizards()
                assert len(wizards) == 1
                assert web.interrupt() == EXIT_OK
                deadline = time.monotonic() + 10
                while _alive(wizards[0]) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                assert not _alive(wizards[0]), "the wizard outlived the server"

        asyncio.run(open_a_session())
        assert "Stopping." in web.lines
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        web.close()


@pytest.mark.slow
def test_the_address_opens_in_the_browser_and_never_in_this_terminal(tmp_path: Path) -> None:
    """`$BROWSER` (a recording script here: no desktop browser runs in CI) gets the one-time
    address; with no display and no `$BROWSER`, nothing is started (a console browser would
    take this terminal and spend the secret) and the admin is told to paste the address."""
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(0o755)
    no_desktop = {"DISPLAY": None, "WAYLAND_DISPLAY": None}
    web = WebWindowProcess(
        ["web", "--sandbox", "--lang", "en"],
        tmp_path / "config",
        environment={**no_desktop, "BROWSER": str(browser)},
    )
    try:
        web.wait_for("Opened in your browser.")
        assert opened.read_text() == web.url
        assert web.interrupt() == EXIT_OK
    finally:
        web.close()
    headless = WebWindowProcess(
        ["web", "--sandbox", "--lang", "en"],
        tmp_path / "config",
        environment={**no_desktop, "BROWSER": None},
    )
    try:
        headless.wait_for("No browser to open here: paste the address into a browser")
        assert headless.interrupt() == EXIT_OK
    finally:
        headless.close()


@pytest.mark.slow  # a subprocess
def test_the_server_process_leaves_textual_out() -> None:
    """Only the wizard draws: the server (textual-serve's aiohttp side) never loads Textual,
    which import-linter cannot see through an external package's own imports."""
    import subprocess
    import sys

    code = (
        "import sys, assistant.web.cli, assistant.web.server, assistant.web.session; "
        "sys.exit(1 if 'textual' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its dead parent's reaper) is not running
    status = Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}").exists() else ""
    return "State:\tZ" not in status and bool(status)

"""The browser window in a real headless Chromium (Debian's, through Playwright's sync API): the
page loads, the wizard's first step is drawn, typed keys reach it, a wrong or spent secret gets
403, a reload reconnects, a second tab and a foreign page are refused, Ctrl-C stops it all.

`steeple-assistant web` runs as a real child process; its wizard talks to a real sandbox over
HTTP (`--url`, the key in `STEEPLE_API_KEY`) or runs its own (`--sandbox`). xterm.js draws on a
canvas, so what the page shows is read from the websocket frames Chromium received (the wizard's
screen updates), and the screenshot is kept in the test's directory for a person to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.server import SandboxServer
from tests.support.browser import served_page
from tests.support.web_window import WebWindowProcess

pytestmark = pytest.mark.slow

SCREEN_WAIT_MS = 60_000
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=:]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


class Screen:
    """What the wizard sent the page, as text without escape sequences."""

    def __init__(self) -> None:
        self.frames: list[str] = []

    def watch(self, page: Any) -> None:
        def on_socket(socket: Any) -> None:
            socket.on("framereceived", self._received)

        page.on("websocket", on_socket)

    def _received(self, payload: bytes | str) -> None:
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        self.frames.append(_ESCAPES.sub("", text))

    def mark(self) -> int:
        return len(self.frames)

    def wait_for(self, page: Any, wanted: str, since: int = 0) -> None:
        """Until a frame after `since` shows `wanted` (Playwright's loop keeps pumping)."""
        deadline = time.monotonic() + SCREEN_WAIT_MS / 1000
        while not any(wanted in frame for frame in self.frames[since:]):
            assert time.monotonic() < deadline, f"{wanted!r} never drawn"
            page.wait_for_timeout(50)


@pytest.fixture
def web_window(tmp_path: Path) -> Iterator[Callable[..., WebWindowProcess]]:
    started: list[WebWindowProcess] = []

    def start(*options: str, api_key: str | None = None) -> WebWindowProcess:
        web = WebWindowProcess(["web", "--no-browser", *options], tmp_path / "config", api_key)
        started.append(web)
        return web

    yield start
    for web in started:
        web.close()


def test_the_wizard_opens_in_chromium_and_keys_reach_it(
    chromium: Any,
    sandbox: SandboxServer,
    admin_key: str,
    web_window: Callable[..., WebWindowProcess],
    tmp_path: Path,
) -> None:
    """Against an instance (`--url`, the key from the environment): the first step is drawn,
    Ctrl+P opens the command palette; the key is on no command line and in no output."""
    web = web_window("--url", sandbox.base_url, "--lang", "en", api_key=admin_key)
    context = chromium.new_context(viewport={"width": 1000, "height": 620})
    try:
        page = context.new_page()
        screen = Screen()
        screen.watch(page)
        response = page.goto(web.url)
        assert response.status == 200
        assert page.url == web.base  # the secret left the address bar (and the history)
        page.wait_for_selector("body.-first-byte", timeout=SCREEN_WAIT_MS)
        screen.wait_for(page, "Install Azure AD")  # the instance's first step to do
        screen.wait_for(page, "Install the integration")
        screen.wait_for(page, "palette")  # the footer: the page told the wizard it is active
        page.wait_for_timeout(500)  # the canvas paints after the frame arrives
        page.screenshot(path=str(tmp_path / "web-window-first-step.png"))
        assert page.is_visible("#terminal") and not page.is_visible(".intro-dialog")

        wizards = web.wizards()
        assert len(wizards) == 1
        command_line = web.command_line(wizards[0])
        assert command_line[-4:] == ["--url", sandbox.base_url, "--lang", "en"]
        assert not any(admin_key in part for part in command_line)

        since = screen.mark()
        page.keyboard.press("Control+p")  # no click first: the terminal has the keyboard
        screen.wait_for(page, "Search for commands", since)
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "web-window-palette.png"))
        since = screen.mark()
        page.keyboard.type("Map gr")
        screen.wait_for(page, "Map gr", since)  # the typed text echoed in the palette's input
    finally:
        context.close()
    assert web.interrupt() == 0, web.output
    assert admin_key not in web.output
    assert "?secret=" in web.output  # the one-time address, the only secret it prints


def test_a_wrong_missing_or_spent_secret_gets_403(
    chromium: Any, web_window: Callable[..., WebWindowProcess]
) -> None:
    web = web_window("--sandbox", "--lang", "en")
    stranger = chromium.new_context()
    admin = chromium.new_context()
    try:
        page = stranger.new_page()
        wrong = page.goto(web.base + "?secret=" + "A" * 32)
        assert wrong.status == 403
        assert "secret is wrong" in page.inner_text("body")
        assert page.goto(web.base).status == 403
        assert page.goto(web.base + "static/js/textual.js").status == 403
        assert admin.new_page().goto(web.url).status == 200
        spent = page.goto(web.url)  # the printed address, in another browser, after use
        assert spent.status == 403
        assert "already used" in page.inner_text("body")
        assert "stop the command (Ctrl-C) and start it again" in page.inner_text("body")
    finally:
        stranger.close()
        admin.close()
    assert web.interrupt() == 0, web.output


def _foreign_page(target: str) -> str:
    """Another site's page on this machine (same site: ports do not count), opening the
    assistant's websocket from a script."""
    return (
        "<!doctype html><title>waiting</title><script>"
        f"const s = new WebSocket({target!r});"
        "s.onopen = () => { document.title = 'opened'; };"
        "s.onclose = () => { if (document.title !== 'opened') document.title = 'refused'; };"
        "</script>"
    )


def test_a_reload_reconnects_a_second_tab_and_a_foreign_page_are_refused(
    chromium: Any, web_window: Callable[..., WebWindowProcess], tmp_path: Path
) -> None:
    """`--sandbox`. A reload ends the session and opens a new one (a new rehearsal, as a new
    `steeple-assistant --sandbox` run is); a second tab of the same browser gets the page but
    its session is refused while the first runs; a page of another origin holding the cookie
    cannot open a session at all."""
    web = web_window("--sandbox", "--lang", "fr")
    target = web.origin.replace("http://", "ws://") + "/ws"
    context = chromium.new_context(viewport={"width": 1000, "height": 620})
    with served_page(_foreign_page(target)) as foreign_address:
        try:
            first = context.new_page()
            screen = Screen()
            screen.watch(first)
            first.goto(web.url)
            screen.wait_for(first, "Installer l'intégration")  # French, as --lang fr says
            web.wait_for("Une session de navigateur a commencé.")  # the server speaks it too

            started = time.monotonic()
            since = screen.mark()
            first.reload()
            screen.wait_for(first, "Installer l'intégration", since)
            web.wait_for("Une session de navigateur a commencé.", count=2)
            print(f"reload to a new session: {time.monotonic() - started:.1f} s")

            second = context.new_page()
            assert (
                second.goto(web.base).status == 200
            )  # the same browser: its cookie opens the page
            second.wait_for_selector("body.-closed", timeout=SCREEN_WAIT_MS)  # its session refused
            assert second.is_visible(".closed-dialog")
            web.wait_for("une session est déjà ouverte dans un autre onglet")
            page_text = second.inner_text(".closed-dialog")
            assert "un autre onglet" in page_text  # the page speaks the wizard's language

            since = screen.mark()
            first.focus(".xterm-helper-textarea")
            first.keyboard.press("Control+p")  # the first tab's session still runs
            screen.wait_for(first, "Chercher une commande", since)

            intruder = context.new_page()
            intruder.goto(foreign_address)
            intruder.wait_for_function("document.title !== 'waiting'", timeout=SCREEN_WAIT_MS)
            assert intruder.title() == "refused"
            web.wait_for("elle vient de la page d'un autre site")
            first.screenshot(path=str(tmp_path / "web-window-after-refusals.png"))
        finally:
            context.close()
    assert web.interrupt() == 0, web.output
    assert web.output.count("Une session de navigateur a commencé.") == 2

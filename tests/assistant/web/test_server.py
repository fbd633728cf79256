"""The browser window's server over real HTTP (in-process, 127.0.0.1, a free port): the gate in
front of the page, its files and its websocket; one wizard session at a time; what the wizard
writes to standard error reaches the terminal with its secrets masked."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from assistant.web.gate import COOKIE_NAME, WebGate
from assistant.web.server import SECURITY_HEADERS, WebWindowServer, bind_loopback
from assistant.web.session import wizard_argv


@dataclass
class Served:
    server: WebWindowServer
    lines: list[str] = field(default_factory=list)

    @property
    def gate(self) -> WebGate:
        return self.server.gate

    @property
    def origin(self) -> str:
        return self.gate.address.rstrip("/")

    def jar(self) -> dict[str, str]:
        return {COOKIE_NAME: self.gate.cookie}

    async def wait_for_line(self, wanted: str, timeout: float = 60.0) -> str:
        async with asyncio.timeout(timeout):
            while True:
                for line in self.lines:
                    if wanted in line:
                        return line
                await asyncio.sleep(0.05)


Serve = Callable[..., Awaitable[Served]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """`await serve(argv, reload_grace=…)` → a server listening on loopback, stopped after;
    the wizard is the real one on a sandbox unless `argv` says otherwise."""
    started: list[WebWindowServer] = []

    async def start(argv: Sequence[str] = (), reload_grace: float = 0.5) -> Served:
        listener = bind_loopback(0)
        lines: list[str] = []
        server = WebWindowServer(
            WebGate(port=listener.getsockname()[1]),
            list(argv) or wizard_argv(["--sandbox", "--lang", "en"]),
            lang="en",
            say=lines.append,
            reload_grace=reload_grace,
        )
        await server.start(listener)
        started.append(server)
        return Served(server, lines)

    yield start
    for server in started:
        await server.stop()


async def _get(
    served: Served, path: str, cookies: dict[str, str] | None = None, **options: Any
) -> aiohttp.ClientResponse:
    async with aiohttp.ClientSession(cookies=cookies) as session:
        response = await session.get(served.origin + path, allow_redirects=False, **options)
        await response.read()
        return response


async def test_the_page_needs_the_secret_or_its_cookie(serve: Serve) -> None:
    served = await serve()
    for path in ("/", "/?secret=wrong", "/static/js/textual.js", "/ws", "/download/x"):
        response = await _get(served, path)
        assert response.status == 403, path
    assert "Refused a request: the address's secret is wrong." in served.lines
    assert not served.gate.spent


async def test_the_secret_buys_a_strict_httponly_cookie_once(serve: Serve) -> None:
    served = await serve()
    first = await _get(served, f"/?secret={served.gate.secret}")
    assert first.status == 303 and first.headers["Location"] == "/"  # the secret leaves the bar
    cookie = first.cookies[COOKIE_NAME]
    assert cookie.value == served.gate.cookie
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict" and cookie["path"] == "/"
    again = await _get(served, f"/?secret={served.gate.secret}")
    assert again.status == 403  # one time: another browser cannot use the printed link
    assert "Refused a request: the one-time address was already used by a browser." in served.lines
    # the browser that redeemed it follows the printed link again: let in, secret dropped
    same_browser = await _get(served, f"/?secret={served.gate.secret}", cookies=served.jar())
    assert same_browser.status == 303 and same_browser.headers["Location"] == "/"


async def test_the_cookie_opens_the_page_its_files_and_nothing_is_cached(
    serve: Serve,
) -> None:
    served = await serve()
    assert served.gate.redeem(served.gate.secret) is None
    async with aiohttp.ClientSession(cookies=served.jar()) as session:
        async with session.get(served.origin + "/") as page:
            body = await page.text()
            assert page.status == 200
            for name, value in SECURITY_HEADERS.items():
                assert page.headers[name] == value
        async with session.get(served.origin + "/static/js/textual.js") as script:
            assert script.status == 200
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.gate.port}/ws"' in body
    assert "<title>Steeple Provisioning Assistant</title>" in body
    assert "googleapis" not in body  # no third-party request: the font is served from here
    assert served.gate.secret not in body and served.gate.cookie not in body


async def test_a_foreign_host_or_origin_is_refused_even_with_the_cookie(
    serve: Serve,
) -> None:
    served = await serve()
    cookies = served.jar()
    rebound = await _get(served, "/", cookies=cookies, headers={"Host": "evil.example"})
    assert rebound.status == 421  # a DNS-rebinding page names its own host
    framed = await _get(served, "/", cookies=cookies, headers={"Origin": "http://evil.example"})
    assert framed.status == 403
    async with aiohttp.ClientSession(cookies=cookies) as session:
        for origin in ("http://127.0.0.1:1", "http://evil.example", None):
            headers = {"Origin": origin} if origin else {}
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(served.origin + "/ws", headers=headers)
            assert refused.value.status == 403, origin
    assert served.server.session is None  # no wizard was started for any of them
    assert "Refused a request: it comes from another site's page." in served.lines


@pytest.mark.slow
async def test_one_session_at_a_time_and_the_next_once_it_ends(
    serve: Serve,
) -> None:
    """The real wizard (`--sandbox`): a second websocket waits the reload grace, then gets 409;
    once the first session ends, the next is let in."""
    served = await serve(reload_grace=0.5)
    headers = {"Origin": served.origin}
    async with aiohttp.ClientSession(cookies=served.jar()) as session:
        first = await session.ws_connect(served.origin + "/ws?width=100&height=30", headers=headers)
        await first.receive(timeout=60)  # the wizard's first bytes
        with pytest.raises(aiohttp.WSServerHandshakeError) as busy:
            await session.ws_connect(served.origin + "/ws", headers=headers)
        assert busy.value.status == 409
        assert "Refused a request: a session is already open in another tab (one at a time)." in (
            served.lines
        )
        await first.close()
        await served.wait_for_line("The browser session ended")
        second = await session.ws_connect(served.origin + "/ws", headers=headers)
        assert (await second.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY
        await second.close()


async def test_a_wizard_that_ends_closes_the_page_and_its_stderr_is_masked(
    serve: Serve,
) -> None:
    """A stand-in for a wizard that crashes: a child writing a traceback-like line with an
    admin key, a SCIM token and a bearer header to standard error, then exiting (the real
    wizard cannot be made to crash on demand)."""
    crash = (
        "import sys; sys.stderr.write("
        "'api_key=adm_PLANTED-crash-key-123456 token stp_PLANTED-scim-token-abcdef "
        "Authorization: Bearer PLANTEDbearer123\\n\\x1b]52;c;aGk=\\x07'); sys.exit(1)"
    )
    served = await serve([sys.executable, "-c", crash])
    async with aiohttp.ClientSession(cookies=served.jar()) as session:
        page = await session.ws_connect(served.origin + "/ws", headers={"Origin": served.origin})
        closed = await page.receive(timeout=30)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    report = await served.wait_for_line("The assistant wrote (secrets masked):")
    assert "PLANTED" not in report
    assert "[redacted]" in report
    assert "\x1b" not in report and "\x07" not in report  # terminal control made visible
    await served.wait_for_line("The browser session ended")
    assert served.server.session is None and not served.server.busy

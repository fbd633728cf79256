"""textual-serve's server with the gate in front and one wizard session at a time.

Every request passes `WebGate` first (see `gate.py`): the page, its static files, downloads and
the websocket alike. The websocket then starts the wizard (`WizardSession`) only when no other
session runs: a reload closes the old websocket just before the new one arrives, so a new
websocket waits up to `RELOAD_GRACE` for the running session to end and is refused (409) after
that. No access log is kept: the first request's address holds the secret.
"""

from __future__ import annotations

import asyncio
import html
import logging
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from string import Template

from aiohttp import web
from textual_serve.server import Server

from assistant.i18n.translate import t
from assistant.web.gate import COOKIE_NAME, LOOPBACK, SECRET_PARAMETER, Refusal, WebGate
from assistant.web.session import WizardSession

log = logging.getLogger("steeple-assistant.web")

RELOAD_GRACE = 8.0
"""Seconds a new websocket waits for the running session to end before it is refused."""

PAGE = Template((Path(__file__).parent / "templates" / "index.html").read_text("utf-8"))

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
"""Nothing cached, the address never sent on, the page never framed by another site."""

REFUSED_WITH: dict[Refusal, type[web.HTTPClientError]] = {
    Refusal.WRONG_HOST: web.HTTPMisdirectedRequest,
    Refusal.BUSY: web.HTTPConflict,
}
"""HTTP status of a refusal (421, 409); 403 for the others."""


class WebWindowServer(Server):
    """Serves the wizard to the one browser that redeemed the one-time address."""

    def __init__(
        self,
        gate: WebGate,
        argv: Sequence[str],
        *,
        lang: str,
        say: Callable[[str], None] = print,
        reload_grace: float = RELOAD_GRACE,
    ) -> None:
        super().__init__(
            command=" ".join(argv), host=LOOPBACK, port=gate.port, title=t("app.title", lang)
        )
        self.public_url = gate.address.rstrip("/")
        self.gate = gate
        self.argv = tuple(argv)
        self.lang = lang
        self.say = say
        """Where the server's own lines go (the terminal that ran `steeple-assistant web`)."""
        self.reload_grace = reload_grace
        self.session: WizardSession | None = None
        self.busy = False
        """True from a websocket's admission until its wizard has ended."""
        self._free = asyncio.Event()
        self._free.set()
        self._runner: web.AppRunner | None = None

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_response_prepare.append(self._add_security_headers)
        return app

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """The gate, before any handler: a refused request gets a short page saying why."""
        gate = self.gate
        refusal = gate.check_host(request.headers.get("Host")) or gate.check_origin(
            request.headers.get("Origin"), required=request.path == "/ws"
        )
        if refusal is None and gate.admits(request.cookies.get(COOKIE_NAME)):
            if SECRET_PARAMETER in request.query:  # the printed link again: drop the secret
                raise web.HTTPSeeOther("/")
            return await handler(request)
        if refusal is None and request.path == "/":
            refusal = gate.redeem(request.query.get(SECRET_PARAMETER))
            if refusal is None:
                redirect = web.HTTPSeeOther("/")
                redirect.set_cookie(
                    COOKIE_NAME, gate.cookie, path="/", httponly=True, samesite="Strict"
                )
                raise redirect
        raise self.refuse(refusal or Refusal.NO_SECRET)

    def refuse(self, refusal: Refusal) -> web.HTTPClientError:
        """The refusal as an HTTP error saying why, and a line in the terminal."""
        reason = t(f"web.refused.{refusal}", self.lang)
        self.say(t("web.refused", self.lang, reason=reason))
        body = f"{reason}\n\n{t('web.refused.fix', self.lang)}\n"
        return REFUSED_WITH.get(refusal, web.HTTPForbidden)(text=body)

    @staticmethod
    async def _add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page: xterm.js and textual-serve's script, which open the websocket."""
        try:
            font_size = min(max(int(request.query.get("fontsize", "16")), 8), 40)
        except ValueError:
            font_size = 16
        values = {
            "lang": self.lang,
            "title": t("app.title", self.lang),
            "starting": t("web.page.starting", self.lang),
            "ended": t("web.page.ended", self.lang),
            "restart": t("web.page.restart", self.lang),
            "static": "/static/",
            "websocket": f"ws://{request.host}/ws",  # the host the gate accepted
            "font_size": str(font_size),
        }
        escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
        return web.Response(text=PAGE.substitute(escaped), content_type="text/html")

    async def _claim(self) -> bool:
        """Take the one session slot, waiting up to `reload_grace` for a reload's old one."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.reload_grace
        while self.busy:
            try:
                await asyncio.wait_for(self._free.wait(), max(deadline - loop.time(), 0))
            except TimeoutError:
                return False
        self.busy = True
        self._free.clear()
        return True

    def _release(self) -> None:
        self.session = None
        self.busy = False
        self._free.set()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run one wizard for this websocket, or refuse it while another session runs."""
        if not await self._claim():
            raise self.refuse(Refusal.BUSY)
        websocket = web.WebSocketResponse(heartbeat=15)

        async def close() -> None:
            await websocket.close()

        try:
            await websocket.prepare(request)
            self.session = session = WizardSession(
                self.argv,
                report_errors=self._report_errors,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
            )
            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            await session.start(width, height)
            self.say(t("web.session.started", self.lang))
            try:
                await self._process_messages(websocket, session)
            finally:
                await session.stop()
        except asyncio.CancelledError:
            await websocket.close()
            raise
        except Exception:  # a broken message or a wizard that would not start: log, go on
            log.exception("the browser session failed")
        finally:
            if self.session is not None:
                self.say(t("web.session.ended", self.lang))
            self._release()
        return websocket

    def _report_errors(self, text: str) -> None:
        self.say(f"{t('web.session.stderr', self.lang)}\n{text}")

    async def start(self, listener: socket.socket) -> None:
        """Serve on `listener` (from `bind_loopback`) until `stop`. No access log: the first
        request's address holds the secret."""
        self._runner = runner = web.AppRunner(
            await self._make_app(), access_log=None, handle_signals=False, shutdown_timeout=5
        )
        await runner.setup()
        await web.SockSite(runner, listener).start()

    async def stop(self) -> None:
        """Ask the running wizard to quit, then close the server."""
        if self.session is not None:
            await self.session.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _size(value: str | None, default: int) -> int:
    """A terminal dimension from the browser: a sane integer, else the default."""
    try:
        return min(max(int(value or default), 10), 1000)
    except ValueError:
        return default


def bind_loopback(port: int) -> socket.socket:
    """A listening socket on loopback (never another address): its port is known at once."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":  # a restart may reuse the port at once; Windows shares it
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, port))
        listener.listen(16)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener

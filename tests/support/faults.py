"""The one fault injector: a misbehaving HTTP proxy in front of a real sandbox, and the same
faults answered by a peer with nothing behind it.

`FaultyPeer` forwards every request to the sandbox unchanged, except those matching a fault rule:
a 500, a 401, no answer in time, malformed JSON, a proxy's 502 HTML page, a connection dropped
half-way through an answer, or held until the test releases it (to act while a call is in
flight, waiting on `held`, not on time). Rules can let the first N matching calls through, so the
journey (loaded before the screen) succeeds and the step's own call is the one that fails.

`FaultyApp` answers by the first path segment (`/fail500/…`, `/garbage/…`, `/slow/…`) for the
client's error-mapping tests, which need a fault at a fixed URL rather than a rule.

Both are served by `ThreadedServer`; neither stands in for our API.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.support.servers import ThreadedServer

Fault = Literal["500", "401", "timeout", "hold", "malformed", "proxy_502", "dropped"]
EXTRA_FAULTS: tuple[Fault, ...] = ("malformed", "proxy_502", "dropped")
"""The faults beyond a plain error status: bad bodies and a connection that goes away."""
HANG_SECONDS = 4.0
"""Longer than the test client's timeout, short enough for a quick server shutdown."""


@dataclass
class FaultRule:
    method: str
    path_suffix: str
    fault: Fault
    let_through: int = 0


class DroppedResponse(Response):
    """Headers and half a body, then the server side fails: uvicorn closes the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"400")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"items": [', "more_body": True})
        raise ConnectionAbortedError("the API went away mid-answer")


class FaultyPeer:
    """`base_url` to point a client at; `fail(...)` adds a rule, `heal()` removes them all."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.rules: list[FaultRule] = []
        self.held = 0
        """How many requests a "hold" rule has stopped so far."""
        self.hanging = 0
        """How many requests a "timeout" rule has left hanging so far."""
        self._released = threading.Event()
        app = Starlette(
            routes=[Route("/{path:path}", self._handle, methods=["GET", "POST", "PUT", "DELETE"])]
        )
        self._server = ThreadedServer(app, graceful_seconds=1)
        self.base_url = self._server.base_url

    def start(self) -> FaultyPeer:
        self._server.start()
        return self

    def stop(self) -> None:
        self.request_stop()
        self.wait_stopped()

    def request_stop(self) -> None:
        self.release()
        self._server.request_stop()

    def wait_stopped(self) -> None:
        self._server.wait_stopped()

    def fail(self, method: str, path_suffix: str, fault: Fault, let_through: int = 0) -> None:
        self.rules.append(FaultRule(method, path_suffix, fault, let_through))

    def heal(self) -> None:
        self.rules.clear()

    def release(self) -> None:
        """Let held requests (and later ones) through to the sandbox."""
        self.heal()
        self._released.set()

    def _fault_for(self, request: Request) -> Fault | None:
        for rule in self.rules:
            if request.method == rule.method and request.url.path.endswith(rule.path_suffix):
                if rule.let_through > 0:
                    rule.let_through -= 1
                    return None
                return rule.fault
        return None

    async def _handle(self, request: Request) -> Response:
        fault = self._fault_for(request)
        if fault == "500":
            return Response("internal error", status_code=500)
        if fault == "401":
            body = {"code": "unauthorized", "message": "Invalid admin key."}
            return JSONResponse(body, status_code=401)
        if fault == "timeout":
            self.hanging += 1
            await asyncio.sleep(HANG_SECONDS)
            return Response(status_code=504)
        if fault == "malformed":
            return Response(b'{"items": [{"id": 1,', 200, media_type="application/json")
        if fault == "proxy_502":
            html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            return Response(html, 502, media_type="text/html")
        if fault == "dropped":
            return DroppedResponse()
        if fault == "hold":
            self.held += 1
            await asyncio.to_thread(self._released.wait)
        return await self._forward(request)

    async def _forward(self, request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"host"}}
        async with httpx.AsyncClient(base_url=self.upstream) as upstream:
            answer = await upstream.request(
                request.method,
                request.url.path,
                params=request.query_params,
                content=await request.body(),
                headers=headers,
            )
        excluded = {"content-length", "transfer-encoding", "connection", "content-encoding"}
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in excluded}
        return Response(answer.content, status_code=answer.status_code, headers=kept)


CANNED: dict[str, tuple[int, str, bytes]] = {
    "fail500": (500, "text/plain", b"Internal Server Error"),
    "flaky503": (503, "text/plain", b"busy"),
    "garbage": (200, "application/json", b"this is not json {"),
    "wrongjson": (200, "application/json", json.dumps({"hello": "world"}).encode()),
    "html": (200, "text/html", b"<html><body>Sign in</body></html>"),
    "forbidden": (403, "application/json", b'{"code": "forbidden", "message": "nope"}'),
    "scimlist": (
        200,
        "application/json",
        json.dumps(
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                "totalResults": 0,
                "Resources": [],
            }
        ).encode(),
    ),
}
"""First path segment → (status, content type, body); `slow` waits 3 s then answers `{}`."""


class FaultyApp:
    """An ASGI app whose behaviour is chosen by the first path segment (see `CANNED`)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.last_headers: dict[str, str] = {}

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        mode = scope["path"].strip("/").split("/")[0]
        self.hits[mode] += 1
        self.last_headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        if mode == "slow":
            await asyncio.sleep(3)
        status, ctype, body = CANNED.get(mode, (200, "application/json", b"{}"))
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", ctype.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

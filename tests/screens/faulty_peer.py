"""A small misbehaving HTTP peer in front of a real sandbox, served in-process on loopback.

It forwards every request to the sandbox unchanged, except those matching a fault rule, which get a
500, a 401, or no answer in time, or are held until the test releases them (to act while a call is
in flight, waiting on `held`, not on time). Rules can let the first N matching calls through, so
the journey (which is loaded before the screen) succeeds and the step's own call is the one that
fails.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass
from typing import Literal

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Fault = Literal["500", "401", "timeout", "hold"]
HANG_SECONDS = 2.5
"""Longer than the test client's timeout, short enough for a quick server shutdown."""


@dataclass
class FaultRule:
    method: str
    path_suffix: str
    fault: Fault
    let_through: int = 0


class FaultyPeer:
    """`base_url` to point a client at; `fail(...)` adds a rule, `heal()` removes them all."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.rules: list[FaultRule] = []
        self.held = 0
        """How many requests a "hold" rule has stopped so far."""
        self._released = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        app = Starlette(
            routes=[Route("/{path:path}", self._handle, methods=["GET", "POST", "PUT", "DELETE"])]
        )
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        config.timeout_graceful_shutdown = 1
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> FaultyPeer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.release()
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

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
            await asyncio.sleep(HANG_SECONDS)
            return Response(status_code=504)
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

"""Misbehaving test peers: a small ASGI app served by uvicorn in-process, and a raw TCP liar.

These are fault injectors for the client's error mapping (500s, garbage, slowness, non-HTTP bytes),
not stand-ins for our API: the real admin API is always the in-process sandbox.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class FaultyApp:
    """Behaviour chosen by the first path segment: /fail500/…, /garbage/…, /slow/…, …"""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.last_headers: dict[str, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        mode = path.strip("/").split("/")[0]
        self.hits[mode] += 1
        self.last_headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        status, ctype, body = 200, "application/json", b"{}"
        if mode == "fail500":
            status, ctype, body = 500, "text/plain", b"Internal Server Error"
        elif mode == "flaky503":
            status, ctype, body = 503, "text/plain", b"busy"
        elif mode == "garbage":
            body = b"this is not json {"
        elif mode == "wrongjson":
            body = json.dumps({"hello": "world"}).encode()
        elif mode == "html":
            ctype, body = "text/html", b"<html><body>Sign in</body></html>"
        elif mode == "slow":
            await asyncio.sleep(3)
        elif mode == "forbidden":
            status, body = 403, json.dumps({"code": "forbidden", "message": "nope"}).encode()
        elif mode == "scimlist":
            body = json.dumps(
                {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                    "totalResults": 0,
                    "Resources": [],
                }
            ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", ctype.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class PeerServer:
    """uvicorn in a daemon thread on 127.0.0.1, port 0 (same recipe as SandboxServer)."""

    def __init__(self, app: Any) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> PeerServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("peer did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=5)
        self._sock.close()


class NotHttpServer:
    """Accepts TCP connections and answers bytes that are not HTTP at all."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.recv(4096)
                    conn.sendall(b"SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n")
                except OSError:
                    pass

    def start(self) -> NotHttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: bind a port, then release it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"

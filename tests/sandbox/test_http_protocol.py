"""sandbox/http_protocol.py subclasses uvicorn's private protocol classes: this proves, on the
uvicorn version installed, that each response still leaves in one socket write.

Why it matters: pyproject.toml bounds uvicorn to the versions this test has passed on. A new
uvicorn that renames `connection_made`'s transport handling or writes from elsewhere fails here
(the plain protocol's several writes show what the test would catch), not as a 40 ms stall on
every sandbox request.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sandbox.http_protocol import FAST_HTTP_PROTOCOL, coalescing_h11_protocol

BODY = b"x" * 2000


async def tiny_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app that answers in three sends, as FastAPI's responses do (start, body, end)."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
    await send({"type": "http.response.body", "body": BODY, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class CountingTransport:
    """The socket's transport, counting the `write` calls that reach it."""

    def __init__(self, transport: asyncio.Transport, writes: list[int]) -> None:
        self._transport, self._writes = transport, writes

    def write(self, data: bytes) -> None:
        self._writes.append(len(data))
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def counting(base: type[asyncio.Protocol], writes: list[int]) -> type[asyncio.Protocol]:
    """`base` with the transport it is given wrapped in a write counter (below our wrapper)."""

    class Counting(base):  # type: ignore[valid-type,misc]
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            super().connection_made(CountingTransport(transport, writes))  # type: ignore[arg-type]

    return Counting


def serve(protocol: type[asyncio.Protocol]) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(tiny_app, http=protocol, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        threading.Event().wait(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def writes_per_response(protocol: type[asyncio.Protocol]) -> list[int]:
    writes: list[int] = []
    for url in serve(counting(protocol, writes)):
        with httpx.Client() as client:
            for _ in range(3):
                before = len(writes)
                answer = client.get(url + "/")
                assert answer.status_code == 200 and answer.content == BODY
                assert len(writes) > before
    return writes


@pytest.mark.parametrize("protocol", [coalescing_h11_protocol(), FAST_HTTP_PROTOCOL])
def test_each_response_leaves_in_one_write(protocol: type[asyncio.Protocol]) -> None:
    writes = writes_per_response(protocol)
    assert len(writes) == 3, writes  # one per response, each whole
    assert all(size > len(BODY) for size in writes)


def test_without_the_subclass_uvicorn_writes_several_times() -> None:
    """What the test above guards against: uvicorn's own protocol writes a response in pieces."""
    writes = writes_per_response(H11Protocol)
    assert len(writes) > 3, writes


def test_an_idle_connection_outlives_the_clients_keep_alive(sandbox: Any) -> None:
    """The sandbox keeps an idle connection open past httpx's pool expiry, so a client never
    reuses a connection the server is closing (a loaded machine lost polls sent 4.5 s after the
    last answer: "Server disconnected without sending a response")."""
    import http.client
    import time

    client_expiry = httpx.Limits().keepalive_expiry  # what SteepleClient's pool uses: 5 s
    assert client_expiry is not None
    connection = http.client.HTTPConnection(sandbox.host, sandbox.port, timeout=10)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        first_socket = connection.sock
        time.sleep(client_expiry + 0.5)  # longer than any client keeps the connection idle
        connection.request("GET", "/")  # on the same socket (http.client reconnects only if None)
        answer = connection.getresponse()  # uvicorn's default 5 s: RemoteDisconnected here
        answer.read()
        assert connection.sock is first_socket
        assert answer.status > 0
    finally:
        connection.close()

"""uvicorn's HTTP protocols with one socket write per response instead of two or three.

Why: uvicorn writes the status line + headers, the body and the end-of-message as separate
`transport.write` calls. On this project's machines (and any loopback with delayed ACKs) the
second small segment waits ~40 ms for the peer's ACK, so every request to the in-process
sandbox took ~42 ms of wall time for well under 1 ms of work — the whole test suite and the
simulated Entra tenant paid it on every call. Coalescing the writes made within one event-loop
step into a single `write` removes the stall without touching uvicorn's HTTP handling.

They also keep an idle keep-alive connection open longer than the clients keep it in their pools
(`IDLE_KEEP_ALIVE_SECONDS`): see there.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

try:  # httptools is a dependency; the h11 fallback only keeps a broken install serving
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

IDLE_KEEP_ALIVE_SECONDS = 30
"""How long the sandbox keeps an idle keep-alive connection: well above the 5 s httpx keeps one.

uvicorn's default is 5 s, exactly httpx's pool `keepalive_expiry`, and the server's clock starts
when it writes the response, the client's only when its (maybe busy) loop has read it. On a loaded
machine a poll sent 4.5 s after the last answer (the steps' backoff: 2, 3, 4.5 s) went out on a
connection the server closed in between: "Server disconnected without sending a response", shown
as "answered something that is not valid HTTP". The server must outlast its clients' idle timeout.
"""


class _CoalescingTransport:
    """Delegates to the real transport, but buffers writes until the loop's next step."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


@functools.cache
def coalescing_h11_protocol() -> type[asyncio.Protocol]:
    """The same coalescing over h11's pure-Python parser: the fallback of an install without
    httptools, and the other half of the test that proves both. Imported only when asked for:
    h11 is ~20 ms of import on the `--sandbox` child's way to its first answer, which the
    httptools protocol serves. Pass as `uvicorn.Config(http=coalescing_h11_protocol())`."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class CoalescingH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.timeout_keep_alive = max(self.timeout_keep_alive, IDLE_KEEP_ALIVE_SECONDS)
            wrapped = _CoalescingTransport(transport, self.loop)  # type: ignore[arg-type]
            super().connection_made(wrapped)  # type: ignore[arg-type]

    return CoalescingH11Protocol


if HttpToolsProtocol is not None:

    class CoalescingHttpToolsProtocol(HttpToolsProtocol):
        """Uvicorn's httptools protocol with the coalescing transport: its C parser costs far
        less CPU per request than h11's pure-Python one (the SCIM endpoint's budget is 0.5 ms
        per request). Pass as `uvicorn.Config(http=CoalescingHttpToolsProtocol)`."""

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.timeout_keep_alive = max(self.timeout_keep_alive, IDLE_KEEP_ALIVE_SECONDS)
            wrapped = _CoalescingTransport(transport, self.loop)  # type: ignore[arg-type]
            super().connection_made(wrapped)  # type: ignore[arg-type]

    FAST_HTTP_PROTOCOL: type[asyncio.Protocol] = CoalescingHttpToolsProtocol
else:  # pragma: no cover
    FAST_HTTP_PROTOCOL = coalescing_h11_protocol()

"""The screens' misbehaving peer, with the faults it lacks: malformed JSON, a 502 HTML page from
a proxy, and the connection dropped half-way through an answer (the API going away mid-step)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tests.screens.faulty_peer import FaultyPeer

EXTRA_FAULTS = ("malformed", "proxy_502", "dropped")


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


class WorsePeer(FaultyPeer):
    """`fail(method, path, fault)` with a fault from `EXTRA_FAULTS` (the base ones are covered
    by `tests/screens/test_errors.py`)."""

    async def _handle(self, request: Request) -> Response:
        fault: str | None = self._fault_for(request)
        if fault == "malformed":
            return Response(b'{"items": [{"id": 1,', 200, media_type="application/json")
        if fault == "proxy_502":
            html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            return Response(html, 502, media_type="text/html")
        if fault == "dropped":
            return DroppedResponse()
        return await self._forward(request)  # 500/401/timeout are test_errors.py's

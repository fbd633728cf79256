"""A hung server is reported quickly: connect timeout ≤ 5 s, one read timeout, no retry of it.

The hung server is a real socket on 127.0.0.1 that accepts connections and never answers (what a
stuck reverse proxy does). No timed assertion: the test counts the connections the client made
and checks the budget its own timeouts give (one read < 10 s; a host that does not even
accept is given up on after the 5 s connect timeout).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import pytest

from assistant.steeple.client import SteepleClient, tls_verification
from assistant.steeple.errors import ErrorKind, SteepleError


class HungServer:
    """Accepts every connection, reads nothing back, answers nothing; counts the connections."""

    def __init__(self) -> None:
        self.connections = 0
        self._writers: list[asyncio.StreamWriter] = []

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
async def hung() -> AsyncIterator[tuple[HungServer, str]]:
    server = HungServer()
    url = await server.start()
    yield server, url
    await server.stop()


def test_default_budget_reports_a_hung_server_within_ten_seconds() -> None:
    client = SteepleClient("https://acme.steeple.example", "k" * 20)
    timeout = client._http.timeout
    assert timeout.connect is not None and timeout.connect <= 5
    assert timeout.read is not None and timeout.read < 10  # it accepted: only the read waits


async def test_a_hung_server_is_asked_once_and_reported_as_not_answering(
    hung: tuple[HungServer, str],
) -> None:
    server, url = hung
    # The default retries (2) are kept: a timeout must not be retried. A short read timeout
    # keeps the test fast; the default budget is checked above.
    async with SteepleClient(url, "k" * 20, timeout=0.5) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_integration()
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert "did not answer in time" in caught.value.message
    assert server.connections == 1


def test_plain_http_loads_no_certificates_yet_any_tls_would_fail_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """http:// (the loopback sandbox) skips certifi's bundle, the client's costliest start-up
    step; the context it gets still requires a verified certificate and trusts none. Through a
    proxy from the environment (which may speak https) httpx's default stays."""
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    context = tls_verification("http://127.0.0.1:8000")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    assert tls_verification("HTTPS://acme.steeple.example") is True  # httpx's default: certifi
    client = SteepleClient("https://acme.steeple.example", "k" * 20)
    pool = client._http._transport._pool  # type: ignore[attr-defined]
    assert pool._ssl_context.cert_store_stats()["x509_ca"] > 0
    monkeypatch.setenv("HTTP_PROXY", "https://proxy.acme.example:3128")
    assert tls_verification("http://127.0.0.1:8000") is True

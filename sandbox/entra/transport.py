"""The provisioning service's HTTP side: Entra's headers, a bounded number in flight, a rate cap.

Every SCIM call of the simulator goes through `ScimTransport.send`, which never raises for HTTP or
network trouble: it returns a `ScimAnswer` whose `cause` says what happened (for Entra's error codes
and for the assistant's diagnostics). The bearer token lives only in the client's headers.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

SCIM_JSON = "application/scim+json; charset=utf-8"
COMPLIANT_FLAG = "aadOptscim062020"


@dataclass(frozen=True)
class TenantUrl:
    """The tenant URL as typed in the admin center; the query flag picks the PATCH dialect."""

    base: str
    compliant: bool

    @classmethod
    def parse(cls, raw: str) -> TenantUrl:
        parts = urlsplit(raw.strip())
        flags = {item.split("=")[0] for item in parts.query.split("&") if item}
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        return cls(base=base, compliant=COMPLIANT_FLAG in flags)


def eq_filter(attribute: str, value: str) -> str:
    """`filter=userName+eq+%22…%22` exactly as Entra encodes it (space as +, quotes as %22)."""
    return "filter=" + quote(f'{attribute} eq "{value}"', safe="").replace("%20", "+")


@dataclass
class ScimAnswer:
    """What came back (or why nothing did). `cause` is None for a usable HTTP answer."""

    status: int | None
    body: Any = None
    cause: str | None = None
    """'timeout', 'refused', 'unreachable' or 'non-json' (then `status` is set)."""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.cause is None


class ScimTransport:
    """One `httpx.AsyncClient` per job; `max_in_flight` requests at once; `rate_per_second` cap."""

    def __init__(
        self,
        tenant_url: str,
        token: str,
        *,
        max_in_flight: int = 4,
        rate_per_second: float | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        max_retry_after: float = 300.0,
    ) -> None:
        self.url = TenantUrl.parse(tenant_url)
        self._sleep = sleep or asyncio.sleep
        self._max_retry_after = max_retry_after
        self.waited_retry_after = 0.0
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )
        # httpx adds Accept: */* by default; Entra sends no Accept header at all.
        self._client.headers.pop("Accept", None)
        self._slots = asyncio.BoundedSemaphore(max_in_flight)
        self._interval = 1.0 / rate_per_second if rate_per_second else 0.0
        self._pace_lock = asyncio.Lock()
        self._next_start = 0.0
        self.requests_sent = 0

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _pace(self) -> None:
        if not self._interval:
            return
        async with self._pace_lock:
            now = time.monotonic()
            wait = self._next_start - now
            self._next_start = max(now, self._next_start) + self._interval
        if wait > 0:
            await asyncio.sleep(wait)

    async def send(
        self, method: str, path: str, query: str = "", body: dict[str, Any] | None = None
    ) -> ScimAnswer:
        """Send one SCIM request; a 429/503 with `Retry-After` is retried once, after the wait.

        `query` is already encoded (Entra's own encoding is kept). The wait goes through the
        job's clock, so a test clock sees it and a scaled run still honours the server's seconds.
        """
        answer = await self._send_once(method, path, query, body)
        if answer.status in (429, 503) and answer.retry_after is not None:
            wait = min(answer.retry_after, self._max_retry_after)
            self.waited_retry_after += wait
            await self._sleep(wait)
            answer = await self._send_once(method, path, query, body)
        return answer

    async def _send_once(
        self, method: str, path: str, query: str, body: dict[str, Any] | None
    ) -> ScimAnswer:
        url = self.url.base + path + (f"?{query}" if query else "")
        headers = {"Content-Type": SCIM_JSON} if body is not None else None
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        async with self._slots:
            await self._pace()
            self.requests_sent += 1
            try:
                response = await self._client.request(method, url, content=content, headers=headers)
            except httpx.TimeoutException:
                return ScimAnswer(None, cause="timeout")
            except httpx.ConnectError as exc:
                cause = "tls" if _tls(exc) else "refused" if _refused(exc) else "unreachable"
                return ScimAnswer(None, cause=cause)
            except httpx.HTTPError:
                return ScimAnswer(None, cause="unreachable")
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if not response.content:
            return ScimAnswer(response.status_code, None, retry_after=retry_after)
        try:
            parsed = response.json()
        except ValueError:
            return ScimAnswer(response.status_code, None, "non-json", retry_after)
        return ScimAnswer(response.status_code, parsed, retry_after=retry_after)


def _retry_after(raw: str | None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not e for e in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _tls(exc: BaseException) -> bool:
    """True when the TLS handshake failed (untrusted or mismatched certificate)."""
    return any(isinstance(e, ssl.SSLError) for e in _chain(exc))


def _refused(exc: BaseException) -> bool:
    """True when something in the exception chain is a refused connection."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current).lower()
        if isinstance(current, ConnectionRefusedError) or "refused" in text or "errno 111" in text:
            return True
        current = current.__cause__ or current.__context__
    return False

"""Bearer authentication and the inbound request log, as one raw ASGI middleware.

Raw ASGI (not BaseHTTPMiddleware) because it runs on every SCIM request and the endpoint has a
CPU budget. It authenticates first (so 401s are logged too), lets the app answer, and writes the
log row, the traffic counters, the token's last-used time and any observed cycle start in one
transaction *before* the last body chunk goes out: once a client has its response, the log
already shows the request. Only method, path+query (secret-looking parameters redacted),
status, latency, kind, the handler's short redacted summary and the 4-character hint of the token
this instance issued (live or revoked) are logged — never a header, a body or a secret.

Who sent each request (issue 20, point 1): Entra's Test Connection, Graph's validateCredentials
and our own probes send only the connection probe (a random `userName`, then a random group
`displayName`); a provisioning cycle and an on-demand run send the same probe first, then do
their work. So a request is *provisioning* — Entra at work with the token it holds — when it is
anything but that probe, and it was accepted; every token remembers its latest one
(`last_provisioned_at`). A probe alone never counts, not even a quiet cycle's (an incremental
cycle with nothing to change sends only the probe): the traffic cannot tell it from a Test
Connection pressed with a token that was never saved, and that is the token a rotation must
never take for Entra's.
"""

from __future__ import annotations

import math
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox import tokens
from sandbox.access_log import redact_query
from sandbox.db import transaction
from sandbox.domain.integration import is_installed
from sandbox.scim.errors import SCIM_MEDIA_TYPE, ScimError, error_body
from sandbox.state import SandboxState
from sandbox.strict_input import url_is_text
from sandbox.throttle import TokenBucketLimiter

LOG_KEY = "steeple.scim_log"
TOKEN_KEY = "steeple.scim_token_id"
TRIM_EVERY = 64
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_TEST_CONNECTION_FILTER = re.compile(rf'^\s*userName\s+eq\s+"{_GUID}"\s*$', re.IGNORECASE)
_GROUP_PROBE_FILTER = re.compile(rf'^\s*displayName\s+eq\s+"{_GUID}"\s*$', re.IGNORECASE)
# The tenant URL carries this opt-in flag; Entra may echo it, it is not "another parameter".
_IGNORED_PARAMS = {"aadoptscim062020"}
_DISCOVERY = {"serviceproviderconfig", "schemas", "resourcetypes"}


def classify(method: str, route_path: str, query: str) -> str:
    """The `RequestKind` of a request, from its shape alone."""
    parts = [p for p in route_path.split("/") if p]
    if not parts:
        return "other"
    head = parts[0].casefold()
    if head in _DISCOVERY:
        return "discovery"
    noun = {"users": "user", "groups": "group"}.get(head)
    if noun is None or len(parts) > 2:
        return "other"
    if len(parts) == 1:
        if method == "POST":
            return f"{noun}_create"
        if method == "GET":
            if noun == "user" and is_test_connection(query):
                return "test_connection"
            return f"{noun}_query"
        return "other"
    return {
        "GET": f"{noun}_read",
        "PUT": f"{noun}_update",
        "PATCH": f"{noun}_update",
        "DELETE": f"{noun}_delete",
    }.get(method, "other")


DATA_KINDS = frozenset(
    f"{noun}_{verb}"
    for noun in ("user", "group")
    for verb in ("query", "create", "read", "update", "delete")
)
"""Kinds that touch users or groups: what a cycle or an on-demand run does after its probe."""


def is_provisioning(kind: str, query: str, status: int) -> bool:
    """Entra's provisioning at work: a data request (not the probe's group half), accepted.

    A refused request (401/403) proves nothing about who holds which token; any other answer,
    an error included (409, 400), was Entra provisioning with that token.
    """
    if kind not in DATA_KINDS or status in (401, 403):
        return False
    return not (kind == "group_query" and is_group_probe(query))


def is_test_connection(query: str) -> bool:
    """Entra's Test Connection: `GET /Users?filter=userName eq "<random GUID>"`, nothing else."""
    params = [(k, v) for k, v in parse_qsl(query) if k.casefold() not in _IGNORED_PARAMS]
    return (
        len(params) == 1
        and params[0][0] == "filter"
        and _TEST_CONNECTION_FILTER.match(params[0][1]) is not None
    )


def set_summary(scope: Scope, summary: str) -> None:
    """Handlers call this with a short redacted description (never a secret)."""
    holder = scope.get(LOG_KEY)
    if holder is not None:
        if not summary.isascii():  # a lone surrogate would make the log insert itself fail
            summary = summary.encode("utf-8", "replace").decode("utf-8")
        holder["summary"] = summary[:200]


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            header: str = value.decode("latin-1")
            scheme, _, credentials = header.partition(" ")
            if scheme.casefold() == "bearer" and credentials.strip():
                return credentials.strip()
            return None
    return None


class ScimGateway:
    """Authenticate, dispatch, and log every request to the SCIM app it wraps.

    Requests bearing a token this instance issued (live, or revoked: Entra holding a stale
    token is what the journey must say) go to the main log and its counters. Requests with no
    token or one never issued are anonymous noise: rate limited per client address, answered
    401, and kept in their own bounded ring — they never touch the counters, the observed
    Test Connection or cycles, so they cannot change the journey or evict Entra's traffic.
    """

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state
        self._inserts = 0
        rate = state.config.anonymous_rate_limit_per_second
        self._anonymous_limiter = (
            None if rate is None else TokenBucketLimiter(rate, state.config.anonymous_burst)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        holder: dict[str, Any] = {"summary": "", "status": 500}
        scope[LOG_KEY] = holder
        bearer = _bearer(scope)
        presented = tokens.identify(self.state.conn, bearer)
        token_id = presented.live_id
        anonymous = not presented.issued
        holder["token_hint"] = presented.hint
        scope[TOKEN_KEY] = token_id

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                holder["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                self._log(scope, holder, token_id, started, anonymous=anonymous)
            await send(message)

        if anonymous and self._anonymous_limiter is not None:
            client = scope.get("client")
            wait = self._anonymous_limiter.acquire(client[0] if client else "?")
            if wait > 0:  # not logged: a flood of guesses writes nothing at all
                retry_after = str(max(1, math.ceil(wait)))
                body = error_body(
                    429, f"too many unauthenticated requests; retry after {retry_after} s"
                )
                await _send_error(send, 429, body, [(b"retry-after", retry_after.encode())])
                return
        if token_id is None:
            holder["summary"] = "unauthorized"
            await _unauthorized(logging_send)
            return
        if not url_is_text(scope.get("raw_path") or b"", scope.get("query_string", b"")):
            # Starlette would read `%ED%A0%80` as U+FFFD: the filter or id would mean another.
            holder["summary"] = "URL is not UTF-8"
            detail = "the URL is not valid UTF-8 once percent-decoded"
            await _send_error(logging_send, 400, error_body(400, detail, "invalidValue"))
            return
        await self.app(scope, receive, logging_send)

    def _log(
        self,
        scope: Scope,
        holder: dict[str, Any],
        token_id: str | None,
        started: float,
        *,
        anonymous: bool,
    ) -> None:
        state = self.state
        now = state.now()
        method = scope["method"]
        query = scope.get("query_string", b"").decode("latin-1")
        full_path = scope.get("root_path", "") + _route_path(scope)
        path = full_path + (f"?{redact_query(query)}" if query else "")
        status = int(holder["status"])
        kind = classify(method, _route_path(scope), query)
        provisioning = not anonymous and is_provisioning(kind, query, status)
        latency_ms = (time.perf_counter() - started) * 1000
        stamp = now.isoformat()
        conn = state.conn
        with transaction(conn):
            cursor = conn.execute(
                "INSERT INTO request_log (time, method, path, status, latency_ms, kind, summary, "
                "anonymous, token_hint, provisioning) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stamp,
                    method,
                    path[:2000],
                    status,
                    latency_ms,
                    kind,
                    holder["summary"],
                    anonymous,
                    holder.get("token_hint"),
                    provisioning,
                ),
            )
            if anonymous:
                _trim(conn, anonymous=True, keep=state.config.anonymous_log_limit)
                return
            seq = cursor.lastrowid
            previous = conn.execute(
                "SELECT last_request_at FROM provisioning_counters WHERE id = 1"
            ).fetchone()[0]
            conn.execute(
                "UPDATE provisioning_counters SET requests_total = requests_total + 1, "
                "errors_total = errors_total + ?, "
                "first_request_at = COALESCE(first_request_at, ?), last_request_at = ?, "
                "last_error_seq = CASE WHEN ? THEN ? ELSE last_error_seq END WHERE id = 1",
                (int(status >= 400), stamp, stamp, status >= 400, seq),
            )
            if kind == "test_connection":
                conn.execute(
                    "UPDATE provisioning_counters SET last_test_connection_at = ?, "
                    "last_test_connection_status = ? WHERE id = 1",
                    (stamp, status),
                )
            _track_cycle(conn, seq, stamp, kind, query, previous, now, state.config)
            if token_id is not None:
                tokens.touch(conn, token_id, now, provisioning=provisioning)
            self._inserts += 1
            if self._inserts % TRIM_EVERY == 0:
                _trim(conn, anonymous=False, keep=state.config.request_log_limit)


def _trim(conn: sqlite3.Connection, *, anonymous: bool, keep: int) -> None:
    """Keep the newest `keep` rows of one ring; the other ring is never touched."""
    conn.execute(
        "DELETE FROM request_log WHERE anonymous = ? AND seq < (SELECT seq FROM request_log "
        "WHERE anonymous = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        (anonymous, anonymous, max(0, keep - 1)),
    )


@contextmanager
def authorised_write(scope: Scope, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The transaction that commits a SCIM write, refused (401) if authority was lost meanwhile.

    The gateway authenticated the request when its headers arrived; a body can take long to
    follow, and the admin may revoke the token or remove the integration in between. Checking
    again inside the committing transaction (BEGIN IMMEDIATE holds the write lock, so no
    revocation can land between this check and the commit) means a write either had
    authority when it was stored or is not stored at all.
    """
    with transaction(conn):
        token_id = scope.get(TOKEN_KEY)
        live = (
            token_id is not None
            and conn.execute(
                "SELECT 1 FROM scim_tokens WHERE id = ? AND revoked_at IS NULL", (token_id,)
            ).fetchone()
        )
        if not live or not is_installed(conn):
            raise ScimError(
                401,
                "the bearer token was revoked, or the integration removed, during this request",
                headers={"WWW-Authenticate": 'Bearer realm="steeple-scim"'},
            )
        yield conn


def _route_path(scope: Scope) -> str:
    """The path inside the SCIM app (Starlette keeps the full path and sets root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def is_group_probe(query: str) -> bool:
    """The second half of Entra's probe: a random group `displayName`, members excluded."""
    params = {k.casefold(): v for k, v in parse_qsl(query) if k.casefold() not in _IGNORED_PARAMS}
    return set(params) == {"filter", "excludedattributes"} and (
        _GROUP_PROBE_FILTER.match(params["filter"]) is not None
    )


def _track_cycle(
    conn: sqlite3.Connection,
    seq: int | None,
    stamp: str,
    kind: str,
    query: str,
    previous: str | None,
    now: datetime,
    config: Any,
) -> None:
    """Record a cycle start for every Entra cycle, initial or incremental, whatever it begins with.

    A burst of traffic begins with Entra's probe (every cycle and every Test Connection sends
    it first) or with any request after a quiet gap. A burst is a cycle as soon as it holds more
    than the probe; a probe-only burst is a cycle too once a cycle has been seen (an incremental
    cycle with nothing to change sends only the probe). The cycle starts at the burst's first
    request, and that burst's probe is relabelled `cycle_probe`, so the log says "cycle".
    """
    probe = kind == "test_connection"
    row = conn.execute(
        "SELECT burst_started_at, burst_first_seq, burst_is_cycle FROM provisioning_counters "
        "WHERE id = 1"
    ).fetchone()
    if probe or _starts_cycle(previous, now, config.cycle_gap_seconds):
        seen_cycle = conn.execute("SELECT 1 FROM cycle_starts LIMIT 1").fetchone() is not None
        is_cycle = not probe or seen_cycle
        conn.execute(
            "UPDATE provisioning_counters SET burst_started_at = ?, burst_first_seq = ?, "
            "burst_is_cycle = ? WHERE id = 1",
            (stamp, seq, int(is_cycle)),
        )
        if is_cycle:
            _cycle_started(conn, stamp, seq)
        return
    if row["burst_is_cycle"] or row["burst_started_at"] is None:
        return
    if kind == "group_query" and is_group_probe(query):
        return
    conn.execute("UPDATE provisioning_counters SET burst_is_cycle = 1 WHERE id = 1")
    _cycle_started(conn, row["burst_started_at"], row["burst_first_seq"])


def _cycle_started(conn: sqlite3.Connection, stamp: str, first_seq: int | None) -> None:
    conn.execute("INSERT OR IGNORE INTO cycle_starts (time) VALUES (?)", (stamp,))
    if first_seq is not None:
        conn.execute(
            "UPDATE request_log SET kind = 'cycle_probe' WHERE seq >= ? AND anonymous = 0 "
            "AND kind = 'test_connection'",
            (first_seq,),
        )


def _starts_cycle(previous: str | None, now: datetime, gap_seconds: float) -> bool:
    if previous is None:
        return True
    try:
        return (now - datetime.fromisoformat(previous)).total_seconds() >= gap_seconds
    except (TypeError, ValueError):
        return True


async def _unauthorized(send: Send) -> None:
    body = error_body(401, "missing, unknown or revoked bearer token")
    await _send_error(send, 401, body, [(b"www-authenticate", b'Bearer realm="steeple-scim"')])


async def _send_error(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer from the gateway itself (before the app), in SCIM JSON."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", SCIM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""Zero-downtime SCIM token rotation, verified before revoke (issue 12, point 5).

Revoking the token Entra holds makes its next cycle fail with 401 and, soon after, quarantines
the job; so the old token is revoked only once Entra's *own* traffic arrives bearing the new one
(the request log records each request's token hint). The stages, each announced by a typed event:

1. `Checked` — the live tokens are listed; the one Entra used last is the one to retire. At most
   `TokenList.max_live` (two) may be live: with two already, the other one must go first, and
   the caller is asked (`confirm_replace`) before anything changes.
2. `Created` — a new token (its hint must differ from the old one's, or the log could not tell
   them apart: then it is replaced by another at once, before it was ever shown).
3. With Graph (`entra` given, anything with `save_credentials`/`test_connection`, e.g.
   `assistant.entra.side.EntraSide`): `Tested` — validateCredentials with the new token *before*
   saving it, so a failing test leaves Entra on the old token untouched — then `Saved`.
   Without Graph: `paste(secret, tenant_url)` shows the secret to the admin, who pastes it in
   the Entra admin center, presses Test Connection and Save, then tells us (True) or gives up
   (False); a new-hint request seen meanwhile is announced as `FirstSign` (their Test Connection).
4. `Waiting` (repeated) until a 2xx request of a kind other than `test_connection`, bearing the
   new hint, arrives after the test (Graph) or after the admin said it was saved (without):
   `Verified`. A Test Connection sends only the probe, which is logged before validateCredentials
   answers, so everything after that point is Entra's job at work. Without Graph the admin's word
   stands for that point: a Test Connection pressed *after* it, in a steady state where its probe
   reads as a cycle's, would count; the screens say to test before confirming.
5. `Revoked` — the old token is revoked. Any stop before it (`Stopped`: time limit, failed test,
   refusal, cancellation, an error) revokes nothing: both tokens stay live and Entra keeps
   working with whichever it holds. The time limit defaults to two Entra cycles (learnt from the
   observed cycle starts, else Entra's documented 40 minutes).

No Textual here; the secret is handed only to `paste` and never put in an event.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from assistant.client import SteepleClient
from assistant.contract import ProvisioningStatus, RequestLogEntry, TokenInfo
from assistant.cycle_clock import INCREMENTAL_MAX
from assistant.entra.graph_errors import GraphError
from assistant.errors import SteepleError

POLL_SECONDS = 2.0
"""How often the request log is read while waiting: a few cheap GETs a minute."""
LOG_PAGE = 1000


class Verdict(Protocol):
    """validateCredentials decoded (`assistant.entra.side.ConnectionVerdict` is one)."""

    @property
    def ok(self) -> bool: ...
    @property
    def sentence(self) -> str: ...
    @property
    def fix(self) -> str: ...


class EntraCredentials(Protocol):
    """The two Graph calls a rotation needs; `EntraSide` satisfies it."""

    async def save_credentials(self, tenant_url: str, token: str) -> None: ...
    async def test_connection(self, tenant_url: str, token: str) -> Verdict: ...


class Stage(StrEnum):
    CHECKED = "checked"
    CREATED = "created"
    TESTED = "tested"
    SAVED = "saved"
    FIRST_SIGN = "first_sign"
    WAITING = "waiting"
    VERIFIED = "verified"
    REVOKED = "revoked"
    STOPPED = "stopped"


class StopReason(StrEnum):
    NO_TOKEN = "no_token"
    DECLINED = "declined"
    TEST_FAILED = "test_failed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True)
class Checked:
    old: TokenInfo
    replaced: TokenInfo | None = None
    """With two live tokens: the one revoked first (not the one Entra used last)."""
    stage: Stage = Stage.CHECKED


@dataclass(frozen=True)
class Created:
    hint: str
    stage: Stage = Stage.CREATED


@dataclass(frozen=True)
class Tested:
    stage: Stage = Stage.TESTED


@dataclass(frozen=True)
class Saved:
    via_graph: bool
    stage: Stage = Stage.SAVED


@dataclass(frozen=True)
class FirstSign:
    entry: RequestLogEntry
    stage: Stage = Stage.FIRST_SIGN


@dataclass(frozen=True)
class Waiting:
    elapsed: float
    limit: float
    stage: Stage = Stage.WAITING


@dataclass(frozen=True)
class Verified:
    entry: RequestLogEntry
    stage: Stage = Stage.VERIFIED


@dataclass(frozen=True)
class Revoked:
    old_hint: str
    new_hint: str
    stage: Stage = Stage.REVOKED


@dataclass(frozen=True)
class Stopped:
    """The flow ended without revoking the old token; `live_hints` is what stays live."""

    reason: StopReason
    message: str = ""
    fix: str = ""
    live_hints: tuple[str, ...] = ()
    stage: Stage = Stage.STOPPED


RotationEvent = (
    Checked | Created | Tested | Saved | FirstSign | Waiting | Verified | Revoked | Stopped
)
Outcome = Revoked | Stopped


def default_time_limit(status: ProvisioningStatus) -> float:
    """Two Entra cycles, in seconds: the longest observed gap between cycles, else 40 minutes."""
    starts = sorted(status.cycle_starts)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False) if b > a]
    interval = max(gaps) if gaps else INCREMENTAL_MAX
    return 2 * max(interval, timedelta(seconds=1)).total_seconds()


def token_in_use(live: list[TokenInfo]) -> TokenInfo:
    """The live token Entra used last (latest `last_used_at`; never used counts as oldest)."""
    return max(live, key=lambda t: (t.last_used_at is not None, t.last_used_at, t.created_at))


def verifies(entry: RequestLogEntry, new_hint: str) -> bool:
    """Entra's own request with the new token: 2xx, bearing its hint, not a Test Connection."""
    ok = 200 <= entry.status < 300
    return ok and entry.token_hint == new_hint and entry.kind != "test_connection"


@dataclass
class Rotation:
    """One rotation against `client`; with `entra` through Graph, else through `paste`."""

    client: SteepleClient
    entra: EntraCredentials | None = None
    paste: Callable[[str, str], Awaitable[bool]] | None = None
    confirm_replace: Callable[[TokenInfo, TokenInfo], Awaitable[bool]] | None = None
    time_limit: float | None = None
    poll_seconds: float = POLL_SECONDS
    on_event: Callable[[RotationEvent], None] = lambda event: None
    monotonic: Callable[[], float] = time.monotonic
    lang: str = "en"
    _new_hint: str = field(default="", init=False)
    _signed: bool = field(default=False, init=False)

    async def run(self) -> Outcome:
        """Run every stage; return `Revoked`, or `Stopped` having revoked nothing."""
        try:
            outcome = await self._run()
        except (SteepleError, GraphError) as exc:
            message, fix = _text_of(exc, self.lang)
            outcome = await self._stopped(StopReason.ERROR, message, fix)
        self.on_event(outcome)
        return outcome

    async def _run(self) -> Outcome:
        if self.entra is None and self.paste is None:
            raise ValueError("a rotation needs Graph (entra) or the admin (paste)")
        live = (await self.client.list_tokens()).tokens
        if not live:
            return await self._stopped(StopReason.NO_TOKEN)
        old = token_in_use(live)
        replaced = next((t for t in live if t.id != old.id), None)
        self.on_event(Checked(old, replaced))
        if replaced is not None:
            if self.confirm_replace is None or not await self.confirm_replace(replaced, old):
                return await self._stopped(StopReason.DECLINED)
            await self.client.revoke_token(replaced.id)
        tenant_url = (await self.client.get_credentials()).tenant_url
        created = await self.client.create_token()
        if created.hint == old.hint:  # the log could not tell them apart: never shown, replace it
            await self.client.revoke_token(created.id)
            created = await self.client.create_token()
        self._new_hint = created.hint
        self.on_event(Created(created.hint))
        if self.entra is not None:
            verdict = await self.entra.test_connection(tenant_url, created.secret)
            if not verdict.ok:
                return await self._stopped(StopReason.TEST_FAILED, verdict.sentence, verdict.fix)
            self.on_event(Tested())
            after = await self._tail()  # the test's probe is behind this point
            await self.entra.save_credentials(tenant_url, created.secret)
            self.on_event(Saved(via_graph=True))
        else:
            assert self.paste is not None
            start = await self._tail()
            saved = await self._await_paste(self.paste(created.secret, tenant_url), start)
            del created  # the secret is not needed past this point
            if not saved:
                return await self._stopped(StopReason.CANCELLED)
            after = await self._tail()
            self.on_event(Saved(via_graph=False))
        entry = await self._wait(after)
        if entry is None:
            return await self._stopped(StopReason.TIMEOUT)
        self.on_event(Verified(entry))
        await self.client.revoke_token(old.id)
        return Revoked(old.hint, self._new_hint)

    async def _tail(self) -> str:
        """The request log's cursor now (its newest seq), reading forward from the start."""
        cursor: str | None = None
        while True:
            page = await self.client.list_requests(after=cursor, limit=LOG_PAGE)
            if not page.items or page.next_cursor in (None, cursor):
                return page.next_cursor or cursor or "0"
            cursor = page.next_cursor

    async def _await_paste(self, pasted: Awaitable[bool], cursor: str) -> bool:
        """Wait for the admin's answer; meanwhile announce their Test Connection when it comes."""
        answer = asyncio.ensure_future(pasted)
        try:
            while not answer.done():
                await asyncio.wait({answer}, timeout=self.poll_seconds)
                if self._signed:
                    continue
                for entry in await self._read(cursor):
                    cursor = str(entry.seq)
                    self._sign(entry)
            return bool(answer.result())
        finally:
            answer.cancel()

    def _sign(self, entry: RequestLogEntry) -> None:
        """The first request seen bearing the new hint: Entra has the token (not yet verified)."""
        if not self._signed and entry.token_hint == self._new_hint:
            self._signed = True
            self.on_event(FirstSign(entry))

    async def _read(self, cursor: str) -> list[RequestLogEntry]:
        return (await self.client.list_requests(after=cursor, limit=LOG_PAGE)).items

    async def _wait(self, cursor: str) -> RequestLogEntry | None:
        """Poll the log until Entra's own request bears the new hint, or the limit passes."""
        limit = self.time_limit
        if limit is None:
            limit = default_time_limit(await self.client.get_provisioning())
        began = self.monotonic()
        while True:
            for entry in await self._read(cursor):
                cursor = str(entry.seq)
                if verifies(entry, self._new_hint):
                    return entry
                self._sign(entry)
            elapsed = self.monotonic() - began
            if elapsed >= limit:
                return None
            self.on_event(Waiting(elapsed, limit))
            await asyncio.sleep(min(self.poll_seconds, max(0.0, limit - elapsed)))

    async def _stopped(self, reason: StopReason, message: str = "", fix: str = "") -> Stopped:
        """Nothing revoked; say which tokens stay live (best effort: the instance may be down)."""
        try:
            hints = tuple(t.hint for t in (await self.client.list_tokens()).tokens)
        except SteepleError:
            hints = ()
        return Stopped(reason, message, fix, hints)


def _text_of(exc: SteepleError | GraphError, lang: str) -> tuple[str, str]:
    if isinstance(exc, GraphError):
        return exc.sentence, exc.fix
    return exc.text(lang)

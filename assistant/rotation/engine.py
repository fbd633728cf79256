"""Zero-downtime SCIM token rotation that never revokes the token Entra holds (issues 12, 20).

Revoking the token Entra holds makes its next cycle fail with 401 and, soon after, quarantines
the job. The invariant this module keeps, checked by a state machine over the sandbox
(tests/reliability/test_rotation_invariant.py): *it never revokes the token that bore Entra's
latest provisioning request, unless Entra has since made a provisioning request with another
token*. Which token that is comes from Entra's own traffic (`token_holder`), never from a Test
Connection, and every revocation re-reads it just before (`_revoke`).

The stages, each announced by a typed event (`rotation_events`):

1. `Checked` — the plan (`plan_rotation`) from the live tokens and what an interrupted rotation
   left (`rotation_journal`). With two live tokens: the one not on Entra's latest work is revoked
   first (asked: `confirm_replace`); one left by an interrupted rotation that never reached
   Entra is revoked (`Cleaned`); one an interrupted rotation saved in Entra is waited for
   (`Resumed`, then straight to 4). When the traffic cannot tell which one Entra holds, a person
   says (`which_token`); without one (`--yes`) the flow stops (`UNDECIDED`) rather than guess.
2. `Created` — a new token (its hint must differ from the old one's, or the log could not tell
   them apart: then it is replaced by another at once, before it was ever shown).
3. With Graph (`entra`: `save_credentials`/`test_connection`, e.g. `EntraSide`): `Tested` —
   validateCredentials *before* saving, so a failing test leaves Entra untouched (the new token,
   never saved, is revoked) — then `Saved`, then `Nudged`: Entra is asked to provision one person
   Steeple already has on demand, which makes it use the token it holds at once (its matching
   query) instead of at the next cycle that has something to change (a resumed rotation, and one
   told which token is in Entra, do the same). Without Graph:
   `paste(secret, tenant_url)` shows the secret to the admin, who pastes it in the Entra admin
   center and says saved (True) or gives up (False); their Test Connection shows as `FirstSign`.
4. `Waiting` (repeated) until Entra's provisioning bears the new token — a request of a cycle or
   an on-demand run beyond its connection probe, newer than any with the old one: `Verified`.
   A probe alone never counts (a quiet cycle's cannot be told from a Test Connection).
5. `Revoked` — the old token is revoked. Any stop before it (`Stopped`: time limit, failed test,
   refusal, cancellation, an error) revokes nothing Entra may hold. The time limit defaults to
   two Entra cycles (learnt from the observed cycle starts, else Entra's documented 40 minutes);
   a rotation that ran out of time is resumed by the next one.

Each stage is written to the journal before the step that makes it true, so a rotation killed
anywhere is resumed or cleaned up by the next. No Textual here; the secret is handed only to
`paste` and Graph, never put in an event, a journal or a log.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from assistant.entra.graph_errors import GraphError
from assistant.journey.cycle_clock import INCREMENTAL_MAX
from assistant.rotation.events import (
    Action,
    Checked,
    Cleaned,
    Created,
    FirstSign,
    Nudged,
    Outcome,
    Plan,
    Resumed,
    Revoked,
    RotationEvent,
    Saved,
    Stage,
    Stopped,
    StopReason,
    Tested,
    Verified,
    Waiting,
    plan_rotation,
)
from assistant.rotation.journal import JournalStage, PendingRotation, RotationJournal
from assistant.rotation.token_holder import latest_provisioning
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ProvisioningStatus, RequestLogEntry, TokenInfo
from assistant.steeple.errors import ErrorKind, SteepleError

__all__ = [
    "Action",
    "Plan",
    "Revoked",
    "Rotation",
    "RotationEvent",
    "Stage",
    "Stopped",
    "StopReason",
    "default_time_limit",
    "plan_rotation",
]

POLL_SECONDS = 2.0
"""How often the tokens and the request log are read while waiting: a few cheap GETs a minute."""
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
    """The two Graph calls a rotation needs; `EntraSide` satisfies it (and can provision on
    demand, which the rotation uses when it is there)."""

    async def save_credentials(self, tenant_url: str, token: str) -> None: ...
    async def test_connection(self, tenant_url: str, token: str) -> Verdict: ...


class _Held(Exception):
    """A revocation refused: the token bore Entra's latest provisioning request."""

    def __init__(self, token: TokenInfo) -> None:
        super().__init__(token.hint)
        self.token = token


def default_time_limit(status: ProvisioningStatus) -> float:
    """Two Entra cycles, in seconds: the longest observed gap between cycles, else 40 minutes."""
    starts = sorted(status.cycle_starts)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False) if b > a]
    interval = max(gaps) if gaps else INCREMENTAL_MAX
    return 2 * max(interval, timedelta(seconds=1)).total_seconds()


def _find(live: list[TokenInfo], token: TokenInfo) -> TokenInfo | None:
    return next((t for t in live if t.id == token.id), None)


def entra_uses(new: TokenInfo, prior: TokenInfo | None) -> bool:
    """Entra's provisioning bears `new`, later than any with `prior`: `prior` may go."""
    if new.last_provisioned_at is None:
        return False
    return (
        prior is None
        or prior.last_provisioned_at is None
        or (new.last_provisioned_at > prior.last_provisioned_at)
    )


@dataclass
class Rotation:
    """One rotation against `client`; with `entra` through Graph, else through `paste`."""

    client: SteepleClient
    entra: EntraCredentials | None = None
    paste: Callable[[str, str], Awaitable[bool]] | None = None
    confirm_replace: Callable[[TokenInfo, TokenInfo], Awaitable[bool]] | None = None
    which_token: Callable[[Plan], Awaitable[TokenInfo | None]] | None = None
    """Asks a person which live token is saved in Entra; None (`--yes`): never guess, stop."""
    journal: RotationJournal | None = None
    time_limit: float | None = None
    poll_seconds: float = POLL_SECONDS
    on_event: Callable[[RotationEvent], None] = lambda event: None
    monotonic: Callable[[], float] = time.monotonic
    lang: str = "en"
    nudge: bool = True
    """Through Graph, ask Entra to provision one person on demand once the new token is saved."""
    _new_hint: str = field(default="", init=False)
    _signed: bool = field(default=False, init=False)

    async def run(self) -> Outcome:
        """Run every stage; return `Revoked`, or `Stopped` having revoked nothing of Entra's."""
        try:
            outcome = await self._run()
        except _Held as held:
            outcome = await self._stopped(StopReason.HELD, held.token.hint)
        except (SteepleError, GraphError) as exc:
            message, fix = _text_of(exc, self.lang)
            outcome = await self._stopped(StopReason.ERROR, message, fix)
        self.on_event(outcome)
        return outcome

    async def _run(self) -> Outcome:
        if self.entra is None and self.paste is None:
            raise ValueError("a rotation needs Graph (entra) or the admin (paste)")
        live = await self._live()
        plan = plan_rotation(live, self._pending(live))
        self.on_event(Checked(plan))
        old = plan.old
        match plan.action:
            case Action.NOTHING:
                return await self._stopped(StopReason.NO_TOKEN)
            case Action.REPLACE:
                assert old is not None and plan.other is not None
                confirm = self.confirm_replace
                if confirm is None or not await confirm(plan.other, old):
                    return await self._stopped(StopReason.DECLINED)
                await self._revoke(plan.other)
            case Action.CLEAN:
                assert plan.other is not None
                await self._revoke(plan.other)
                self._forget()
                self.on_event(Cleaned(plan.other.hint))
            case Action.RESUME:
                assert old is not None and plan.other is not None
                self.on_event(Resumed(plan.other.hint, old.hint))
                if not await self._entra_uses_old(old, plan.other):
                    return await self._finish(old, plan.other, await self._tail(), nudged=True)
                # Entra, asked just now, worked with the old token: the interrupted save never
                # took (or was undone), so the new token is nobody's. Clean up, rotate afresh.
                await self._revoke(plan.other)
                self._forget()
                self.on_event(Cleaned(plan.other.hint))
            case Action.ASK:
                answer = await self.which_token(plan) if self.which_token is not None else None
                if answer is None:
                    return await self._stopped(StopReason.UNDECIDED)
                proven = old is not None and old.last_provisioned_at is not None
                if proven and old is not None and answer.id != old.id:
                    # The person names the candidate, while Entra's latest work bore `old`: that
                    # one goes only once Entra works with theirs.
                    self.on_event(Resumed(answer.hint, old.hint))
                    return await self._finish(old, answer, await self._tail())
                other = next(t for t in live if t.id != answer.id)
                await self._revoke(other)
                old = answer
        assert old is not None
        return await self._rotate(old)

    # --- the new token ---------------------------------------------------------------------

    async def _rotate(self, old: TokenInfo) -> Outcome:
        tenant_url = (await self.client.get_credentials()).tenant_url
        created = await self.client.create_token()
        if created.hint == old.hint:  # the log could not tell them apart: never shown, replace it
            await self.client.revoke_token(created.id)
            created = await self.client.create_token()
        new = TokenInfo(id=created.id, hint=created.hint, created_at=created.created_at)
        via = "graph" if self.entra is not None else "paste"
        self._note(new, old, JournalStage.CREATED, via)
        self._new_hint = new.hint
        cursor = await self._tail()
        self.on_event(Created(new.hint))
        if self.entra is not None:
            verdict = await self.entra.test_connection(tenant_url, created.secret)
            if not verdict.ok:  # never saved in Entra: nobody needs it
                await self._revoke(new)
                self._forget()
                return await self._stopped(StopReason.TEST_FAILED, verdict.sentence, verdict.fix)
            self._note(new, old, JournalStage.TESTED, via)
            self.on_event(Tested())
            self._note(new, old, JournalStage.SAVING, via)
            await self.entra.save_credentials(tenant_url, created.secret)
            self._note(new, old, JournalStage.SAVED, via)
            self.on_event(Saved(via_graph=True))
        else:
            assert self.paste is not None
            self._note(new, old, JournalStage.SHOWN, via)
            saved = await self._await_paste(self.paste(created.secret, tenant_url), cursor)
            del created  # the secret is not needed past this point
            if not saved:
                return await self._stopped(StopReason.CANCELLED)
            self._note(new, old, JournalStage.SAVED, via)
            self.on_event(Saved(via_graph=False))
        return await self._finish(old, new, cursor)

    async def _finish(
        self, old: TokenInfo, new: TokenInfo, cursor: str, *, nudged: bool = False
    ) -> Outcome:
        """Wait until Entra's provisioning bears `new`, then revoke `old`."""
        self._new_hint = new.hint
        if self.entra is not None and not nudged:  # on demand, Entra uses the token it holds
            await self._nudge()
        verified = await self._wait(old, new, cursor)
        if verified is None:
            return await self._stopped(StopReason.TIMEOUT)
        self.on_event(verified)
        await self._revoke(old)
        self._forget()
        return Revoked(old.hint, new.hint)

    async def _entra_uses_old(self, old: TokenInfo, new: TokenInfo) -> bool:
        """Through Graph, provision one person on demand now: True when that run bore `old`
        (Entra holds it at this moment), False when it bore `new` or told nothing."""
        if self.entra is None:
            return False
        before = _find(await self._live(), old)
        if not await self._nudge():
            return False
        live = await self._live()
        now_old, now_new = _find(live, old), _find(live, new)
        if before is None or now_old is None or now_new is None:
            return False
        moved = now_old.last_provisioned_at != before.last_provisioned_at
        return moved and not entra_uses(now_new, now_old)

    async def _nudge(self) -> bool:
        """Ask Entra to provision one person Steeple has on demand: its matching query (step 4
        of learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand) bears the
        token just saved. Best effort: without it the flow waits for a cycle with work."""
        provision = getattr(self.entra, "provision_on_demand", None)
        if not self.nudge or provision is None:
            return False
        try:
            people = await self.client.list_scim_users(limit=20)
            person = next((u.user_name for u in people.items if u.active), None)
            if person is None:
                return False
            await provision(person)
        except (SteepleError, GraphError):
            return False
        self.on_event(Nudged(person))
        return True

    # --- reading and revoking --------------------------------------------------------------

    async def _live(self) -> list[TokenInfo]:
        return (await self.client.list_tokens()).tokens

    async def _revoke(self, token: TokenInfo) -> None:
        """Revoke `token` unless it bore Entra's latest provisioning request (the invariant)."""
        live = await self._live()
        if _find(live, token) is None:
            return  # revoked meanwhile (by hand, or by the flow that was interrupted)
        held = latest_provisioning(live)
        if held is not None and held.id == token.id:
            raise _Held(token)
        try:
            await self.client.revoke_token(token.id)
        except SteepleError as exc:
            if exc.kind is not ErrorKind.NOT_FOUND:
                raise

    async def _tail(self) -> str:
        """The request log's cursor now (its newest seq), reading forward from the start."""
        cursor: str | None = None
        while True:
            page = await self.client.list_requests(after=cursor, limit=LOG_PAGE)
            if not page.items or page.next_cursor in (None, cursor):
                return page.next_cursor or cursor or "0"
            cursor = page.next_cursor

    async def _read(self, cursor: str) -> list[RequestLogEntry]:
        return (await self.client.list_requests(after=cursor, limit=LOG_PAGE)).items

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

    async def _wait(self, old: TokenInfo, new: TokenInfo, cursor: str) -> Verified | None:
        """Poll until Entra's provisioning bears `new` (newer than with `old`), or the limit."""
        limit = self.time_limit
        if limit is None:
            limit = default_time_limit(await self.client.get_provisioning())
        began = self.monotonic()
        seen: RequestLogEntry | None = None
        while True:
            for entry in await self._read(cursor):
                cursor = str(entry.seq)
                if seen is None and entry.provisioning and entry.token_hint == new.hint:
                    seen = entry
                self._sign(entry)
            live = await self._live()
            now_new = _find(live, new)
            if now_new is None:  # revoked by someone meanwhile: nothing left to wait for
                return None
            if entra_uses(now_new, _find(live, old)):
                return Verified(seen, now_new.last_provisioned_at)
            elapsed = self.monotonic() - began
            if elapsed >= limit:
                return None
            self.on_event(Waiting(elapsed, limit))
            await asyncio.sleep(min(self.poll_seconds, max(0.0, limit - elapsed)))

    # --- the journal -----------------------------------------------------------------------

    def _pending(self, live: list[TokenInfo]) -> PendingRotation | None:
        if self.journal is None:
            return None
        pending = self.journal.load()
        if pending is not None and not pending.matches(live):
            self.journal.clear()  # its tokens are gone: nothing is pending any more
            return None
        return pending

    def _note(self, new: TokenInfo, old: TokenInfo, stage: JournalStage, via: str) -> None:
        if self.journal is not None:
            self.journal.write(new, old, stage, via)

    def _forget(self) -> None:
        if self.journal is not None:
            self.journal.clear()

    async def _stopped(self, reason: StopReason, message: str = "", fix: str = "") -> Stopped:
        """Nothing of Entra's revoked; say which tokens stay live (best effort)."""
        try:
            hints = tuple(t.hint for t in await self._live())
        except SteepleError:
            hints = ()
        return Stopped(reason, message, fix, hints)


def _text_of(exc: SteepleError | GraphError, lang: str) -> tuple[str, str]:
    if isinstance(exc, GraphError):
        return exc.sentence, exc.fix
    return exc.text(lang)

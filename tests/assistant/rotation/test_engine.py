"""Token rotation verified before revoke (issues 12 and 20), against a running sandbox.

Entra is simulated by `ProvisioningJob` (the same engine as `sandbox entra provision`), cycling
on a one-second interval over real HTTP while the rotation runs: the request log must show no
401 for its requests during the whole rotation, and the old token refused afterwards. The only
thing played by the test is the admin, who pastes the token into Entra (the job's `configure`,
what Save in the admin center does) when the flow asks, and provisions one person on demand so
Entra works with it (a quiet cycle sends only the probe, which never verifies anything).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.rotation.engine import Rotation
from assistant.rotation.events import (
    Action,
    Checked,
    Cleaned,
    Created,
    FirstSign,
    Plan,
    Revoked,
    RotationEvent,
    Stage,
    Stopped,
    StopReason,
    Verified,
    plan_rotation,
)
from assistant.rotation.journal import JournalStage, PendingRotation, RotationJournal
from assistant.rotation.token_holder import read_holder
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import TokenInfo
from sandbox.entra.clock import TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.server import SandboxServer
from tests.support.sandboxes import install, request_log

CYCLE_SECONDS = 1.0
LIMIT = 120.0
"""Generous (many cycles): the tests wait on the outcome, never on a duration."""
TOKENS = "/integrations/azure-ad/tokens"


@dataclass
class Entra:
    server: SandboxServer
    admin: httpx.Client
    client: SteepleClient
    job: ProvisioningJob
    old_secret: str
    tenant_url: str

    @property
    def person(self) -> str:
        return next(iter(self.job.tenant.users.values())).user_principal_name

    async def provision_one_on_demand(self) -> None:
        """What the admin does in the portal to make Entra work now (with the saved token)."""
        await self.job.provision_on_demand(self.person)

    def hints(self) -> set[str]:
        return {t["hint"] for t in self.admin.get(TOKENS).json()["tokens"]}


@pytest.fixture
async def entra(start_sandbox: Callable[..., SandboxServer]) -> AsyncIterator[Entra]:
    """A sandbox, its token pasted into a simulated Entra that cycles every second."""
    server = start_sandbox(seed="empty", cycle_gap_seconds=0.5)
    admin = httpx.Client(
        base_url=server.admin_url,
        headers={"Authorization": f"Bearer {server.config.admin_key}"},
        timeout=30,
    )
    tenant_url, secret = install(admin)
    tenant = generate_tenant(12, 3, seed=5)
    job = ProvisioningJob(
        tenant,
        tenant_url=tenant_url,
        token=secret,
        assigned=list(tenant.groups),
        scale=TimeScale(CYCLE_SECONDS),
        settings=JobSettings(max_in_flight=2, seed=5),
    )
    first = await job.run_cycle()  # the initial cycle: everyone provisioned
    assert first.requests > 0
    cycles = asyncio.create_task(job.run())
    client = SteepleClient(server.base_url, server.config.admin_key)
    try:
        yield Entra(server, admin, client, job, secret, tenant_url)
    finally:
        cycles.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await cycles
        await client.aclose()
        admin.close()


def _entra_requests(log: list[dict[str, Any]], hints: set[str]) -> list[dict[str, Any]]:
    """Entra's requests: those bearing one of the tokens it was given."""
    return [e for e in log if e["token_hint"] in hints]


async def test_entra_keeps_provisioning_through_a_rotation_without_graph(
    entra: Entra, tmp_path: Path
) -> None:
    events: list[RotationEvent] = []
    pasted: list[str] = []

    async def admin_pastes(secret: str, tenant_url: str) -> bool:
        assert tenant_url == entra.tenant_url
        pasted.append(secret)
        entra.job.configure(tenant_url, secret)  # Save in the admin center
        await entra.provision_one_on_demand()  # and one person on demand, as the flow advises
        return True

    journal = RotationJournal(tmp_path / "journal.json")
    rotation = Rotation(
        entra.client,
        paste=admin_pastes,
        journal=journal,
        time_limit=LIMIT,
        poll_seconds=0.2,
        on_event=events.append,
    )
    outcome = await rotation.run()

    assert isinstance(outcome, Revoked), outcome
    old_hint, new_hint = entra.old_secret[-4:], pasted[0][-4:]
    assert (outcome.old_hint, outcome.new_hint) == (old_hint, new_hint)
    stages = [e.stage for e in events if e.stage is not Stage.WAITING]
    assert stages[:3] == [Stage.CHECKED, Stage.CREATED, Stage.FIRST_SIGN]
    assert Stage.SAVED in stages and stages[-2:] == [Stage.VERIFIED, Stage.REVOKED]
    verified = next(e for e in events if isinstance(e, Verified))
    assert verified.entry is not None and verified.entry.provisioning
    assert verified.entry.token_hint == new_hint
    assert journal.load() is None  # done: nothing pending

    # Entra went on cycling with the new token; the old one is refused (401) now.
    with httpx.Client(headers={"Authorization": f"Bearer {entra.old_secret}"}) as old:
        assert old.get(entra.server.scim_url + "/Users").status_code == 401
    log = request_log(entra.admin)
    seen = _entra_requests(log, {old_hint, new_hint})
    refused = [e for e in seen if e["status"] == 401]
    assert len(refused) == 1 and refused[0]["token_hint"] == old_hint  # only ours, just now
    assert refused[0] is seen[-1]
    assert {e["token_hint"] for e in seen[:-1]} == {old_hint, new_hint}
    assert entra.hints() == {new_hint}
    assert all(entra.old_secret not in str(e) and pasted[0] not in str(e) for e in events)


async def test_quiet_cycles_never_verify_and_the_time_limit_revokes_nothing(
    entra: Entra, tmp_path: Path
) -> None:
    """Saved in Entra, but nothing changes: Entra's cycles send only their probe, which a Test
    Connection sends too. The limit passes, both tokens stay live, and the journal remembers
    the token was saved so the next rotation resumes (below)."""
    events: list[RotationEvent] = []

    async def admin_saves(secret: str, tenant_url: str) -> bool:
        entra.job.configure(tenant_url, secret)
        return True

    journal = RotationJournal(tmp_path / "journal.json")
    rotation = Rotation(
        entra.client,
        paste=admin_saves,
        journal=journal,
        time_limit=4 * CYCLE_SECONDS,
        poll_seconds=0.2,
        on_event=events.append,
    )
    outcome = await rotation.run()

    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.TIMEOUT
    created = next(e for e in events if isinstance(e, Created))
    assert set(outcome.live_hints) == {entra.old_secret[-4:], created.hint}
    quiet = [e for e in request_log(entra.admin) if e["token_hint"] == created.hint]
    assert quiet and not any(e["provisioning"] for e in quiet)  # Entra's probes, nothing more
    pending = journal.load()
    assert pending is not None and pending.stage is JournalStage.SAVED

    # The next rotation resumes: once Entra works with the new token, the old one goes.
    await entra.provision_one_on_demand()
    resumed: list[RotationEvent] = []
    again = await Rotation(
        entra.client,
        paste=_never_asked,
        journal=journal,
        time_limit=LIMIT,
        poll_seconds=0.2,
        on_event=resumed.append,
    ).run()
    assert isinstance(again, Revoked), again
    assert (again.old_hint, again.new_hint) == (entra.old_secret[-4:], created.hint)
    assert [e.stage for e in resumed if e.stage is not Stage.WAITING] == [
        Stage.CHECKED,
        Stage.RESUMED,
        Stage.VERIFIED,
        Stage.REVOKED,
    ]
    assert entra.hints() == {created.hint} and journal.load() is None


async def _never_asked(secret: str, tenant_url: str) -> bool:
    raise AssertionError("no new token is created when a rotation resumes")


async def test_cancelling_at_the_paste_revokes_nothing(entra: Entra) -> None:
    async def admin_cancels(secret: str, tenant_url: str) -> bool:
        return False

    outcome = await Rotation(entra.client, paste=admin_cancels, poll_seconds=0.2).run()

    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.CANCELLED
    assert len(outcome.live_hints) == 2 and entra.old_secret[-4:] in outcome.live_hints


async def test_a_test_connection_is_a_first_sign_not_the_verification(entra: Entra) -> None:
    """The admin presses Test Connection but never Save: seen, announced, never verified."""
    events: list[RotationEvent] = []

    async def admin_only_tests(secret: str, tenant_url: str) -> bool:
        tester = ProvisioningJob(entra.job.tenant, tenant_url=tenant_url, token=secret)
        assert (await tester.test_connection()).success
        await asyncio.sleep(0.5)  # the flow notices it while the admin is still on the page
        return True

    rotation = Rotation(
        entra.client,
        paste=admin_only_tests,
        time_limit=3 * CYCLE_SECONDS,
        poll_seconds=0.1,
        on_event=events.append,
    )
    outcome = await rotation.run()

    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.TIMEOUT
    sign = next(e for e in events if isinstance(e, FirstSign))
    assert sign.entry.kind in ("test_connection", "cycle_probe") and not sign.entry.provisioning
    assert not any(isinstance(e, Verified) for e in events)


async def test_the_issue_repro_names_entras_token_and_refuses_to_guess(entra: Entra) -> None:
    """Issue 20's Why: Entra provisions with A; the admin creates B and presses Test Connection
    with it in the portal without saving. The plan names A as Entra's token (not B, which
    `last_used_at` would have picked); with nobody to ask (`--yes`) the rotation stops, revokes
    nothing, and creates nothing."""
    b = entra.admin.post(TOKENS).json()
    tester = ProvisioningJob(entra.job.tenant, tenant_url=entra.tenant_url, token=b["secret"])
    assert (await tester.test_connection()).success  # Test Connection with B, never saved
    a_hint = entra.old_secret[-4:]
    live = (await entra.client.list_tokens()).tokens
    b_info = next(t for t in live if t.hint == b["hint"])
    a_info = next(t for t in live if t.hint == a_hint)
    assert b_info.last_used_at is not None and a_info.last_used_at is not None
    assert b_info.last_used_at > a_info.last_provisioned_at  # type: ignore[operator]

    plan = plan_rotation(live)
    assert plan.action is Action.ASK and plan.old is not None and plan.other is not None
    assert (plan.old.hint, plan.other.hint) == (a_hint, b["hint"])

    events: list[RotationEvent] = []
    outcome = await Rotation(
        entra.client, paste=_never_asked, on_event=events.append, poll_seconds=0.2
    ).run()
    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.UNDECIDED
    assert entra.hints() == {a_hint, b["hint"]}  # nothing revoked, nothing created
    assert isinstance(events[0], Checked) and events[0].plan.action is Action.ASK


async def test_asked_the_person_says_which_token_entra_holds(entra: Entra) -> None:
    """Same pair; the admin says A (the one on Entra's latest work): B goes, A is rotated."""
    b = entra.admin.post(TOKENS).json()
    asked: list[Plan] = []

    async def person_says_a(plan: Plan) -> TokenInfo | None:
        asked.append(plan)
        return plan.old

    pasted: list[str] = []

    async def admin_pastes(secret: str, tenant_url: str) -> bool:
        pasted.append(secret)
        entra.job.configure(tenant_url, secret)
        await entra.provision_one_on_demand()
        return True

    outcome = await Rotation(
        entra.client,
        paste=admin_pastes,
        which_token=person_says_a,
        time_limit=LIMIT,
        poll_seconds=0.2,
    ).run()
    assert len(asked) == 1
    assert isinstance(outcome, Revoked) and outcome.old_hint == entra.old_secret[-4:]
    assert entra.hints() == {pasted[0][-4:]}
    assert b["hint"] not in entra.hints()


async def test_the_person_names_the_candidate_so_the_flow_waits_for_it(entra: Entra) -> None:
    """The admin says B is saved (and it is): nothing is revoked until Entra works with B."""
    b = entra.admin.post(TOKENS).json()
    entra.job.configure(entra.tenant_url, b["secret"])  # saved in Entra, quiet since

    async def person_says_b(plan: Plan) -> TokenInfo | None:
        assert plan.other is not None and plan.other.hint == b["hint"]
        await entra.provision_one_on_demand()  # Entra works with B from now on
        return plan.other

    events: list[RotationEvent] = []
    outcome = await Rotation(
        entra.client,
        paste=_never_asked,
        which_token=person_says_b,
        time_limit=LIMIT,
        poll_seconds=0.2,
        on_event=events.append,
    ).run()
    assert isinstance(outcome, Revoked)
    assert (outcome.old_hint, outcome.new_hint) == (entra.old_secret[-4:], b["hint"])
    assert entra.hints() == {b["hint"]}
    assert Stage.CREATED not in [e.stage for e in events]


async def test_two_live_tokens_name_the_one_replaced_and_ask(entra: Entra) -> None:
    spare = entra.admin.post(TOKENS).json()  # never given to Entra
    await entra.provision_one_on_demand()  # Entra works with its token after: the traffic tells
    asked: list[tuple[str, str]] = []

    async def refuse(replaced: Any, kept: Any) -> bool:
        asked.append((replaced.hint, kept.hint))
        return False

    events: list[RotationEvent] = []
    outcome = await Rotation(
        entra.client, paste=_never_asked, confirm_replace=refuse, on_event=events.append
    ).run()

    assert asked == [(spare["hint"], entra.old_secret[-4:])]  # the one Entra does not use
    assert isinstance(events[0], Checked) and events[0].replaced is not None
    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.DECLINED
    assert set(outcome.live_hints) == {spare["hint"], entra.old_secret[-4:]}


async def test_a_token_left_before_it_reached_entra_is_cleaned_up(
    entra: Entra, tmp_path: Path
) -> None:
    """A rotation killed right after creating its token (never shown, never saved) left it
    live; the next one revokes it first, then rotates as usual."""
    left = entra.admin.post(TOKENS).json()
    live = (await entra.client.list_tokens()).tokens
    journal = RotationJournal(tmp_path / "journal.json")
    old = next(t for t in live if t.hint == entra.old_secret[-4:])
    new = next(t for t in live if t.hint == left["hint"])
    journal.write(new, old, JournalStage.CREATED, "graph")
    assert plan_rotation(live, journal.pending(live)).action is Action.CLEAN

    events: list[RotationEvent] = []

    async def admin_cancels(secret: str, tenant_url: str) -> bool:
        return False

    await Rotation(entra.client, paste=admin_cancels, journal=journal, on_event=events.append).run()
    cleaned = [e for e in events if isinstance(e, Cleaned)]
    assert [e.hint for e in cleaned] == [left["hint"]]
    assert left["hint"] not in entra.hints() and entra.old_secret[-4:] in entra.hints()


# --- the pure rules the flow decides by ------------------------------------------------------

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _token(hint: str, created: int, used: int | None, worked: int | None = None) -> TokenInfo:
    def at(minutes: int | None) -> datetime | None:
        return None if minutes is None else BASE + timedelta(minutes=minutes)

    return TokenInfo(
        id=f"tok_{hint}",
        hint=hint,
        created_at=BASE + timedelta(minutes=created),
        last_used_at=at(used),
        last_provisioned_at=at(worked),
    )


def test_entras_token_is_the_one_on_its_latest_provisioning_request() -> None:
    a, b = _token("aaaa", 0, 40, worked=40), _token("bbbb", 10, 30, worked=30)
    holder = read_holder([a, b])
    assert holder.entras == a and holder.other == b and holder.certain
    # A Test Connection with b after a's latest work moves last_used_at, not the answer.
    tested = _token("bbbb", 10, 50, worked=30)
    holder = read_holder([a, tested])
    assert holder.entras == a and not holder.certain  # b: a candidate, never "Entra's"
    # Created after a's latest work, never used: it may have been saved since.
    fresh = _token("cccc", 45, None)
    assert not read_holder([a, fresh]).certain
    # Neither ever provisioned: nothing to go by.
    assert read_holder([_token("dddd", 0, 5), _token("eeee", 1, None)]).entras is None


def test_the_plan_follows_the_journal_only_while_its_tokens_live() -> None:
    old, new = _token("aaaa", 0, 40, worked=40), _token("bbbb", 50, 51)

    def pending(stage: JournalStage) -> PendingRotation:
        return PendingRotation(new.id, new.hint, old.id, old.hint, stage, "graph", "")

    assert plan_rotation([old, new], pending(JournalStage.TESTED)).action is Action.CLEAN
    assert plan_rotation([old, new], pending(JournalStage.SAVING)).action is Action.RESUME
    assert plan_rotation([old, new], pending(JournalStage.SAVED)).action is Action.RESUME
    assert plan_rotation([old, new], pending(JournalStage.SHOWN)).action is Action.ASK
    assert plan_rotation([old, new]).action is Action.ASK
    assert plan_rotation([old], pending(JournalStage.SAVED)).action is Action.ROTATE
    assert plan_rotation([]).action is Action.NOTHING
    # A "never in Entra" token that Entra turns out to work with is never cleaned up.
    worked = _token("bbbb", 50, 60, worked=60)
    assert plan_rotation([old, worked], pending(JournalStage.CREATED)).action is Action.REPLACE


def test_the_default_limit_is_two_observed_cycles_else_two_documented_ones() -> None:
    from assistant.rotation.engine import default_time_limit
    from assistant.steeple.contract import ProvisioningStatus

    empty = ProvisioningStatus(
        sync_active=False,
        users_received=0,
        users_active=0,
        groups_received=0,
        requests_total=0,
        errors_total=0,
    )
    assert default_time_limit(empty) == 2 * 40 * 60  # Entra's documented 40 minutes
    starts = [BASE, BASE + timedelta(minutes=30), BASE + timedelta(minutes=65)]
    learnt = empty.model_copy(update={"cycle_starts": starts})
    assert default_time_limit(learnt) == 2 * 35 * 60  # the longest gap seen


def test_the_new_token_must_be_newer_on_entras_work() -> None:
    from assistant.rotation.engine import entra_uses

    old = _token("aaaa", 0, 40, worked=40)
    assert not entra_uses(_token("bbbb", 50, 55), old)  # only tested: never verified
    assert not entra_uses(_token("bbbb", 50, 60, worked=30), old)
    assert entra_uses(_token("bbbb", 50, 60, worked=60), old)
    assert entra_uses(_token("bbbb", 50, 60, worked=60), None)  # old revoked meanwhile

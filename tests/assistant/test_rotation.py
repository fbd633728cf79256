"""Token rotation verified before revoke (issue 12, point 5), against a running sandbox.

Entra is simulated by `ProvisioningJob` (the same engine as `sandbox entra provision`), cycling
on a one-second interval over real HTTP while the rotation runs: the request log must show no
401 for its requests during the whole rotation, and the old token refused afterwards. The only
thing played by the test is the admin, who pastes the token into Entra (the job's `configure`,
what Save in the admin center does) when the flow asks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from assistant.client import SteepleClient
from assistant.rotation import (
    Checked,
    Created,
    FirstSign,
    Revoked,
    Rotation,
    RotationEvent,
    Stage,
    Stopped,
    StopReason,
    Verified,
)
from sandbox.entra.clock import TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.server import SandboxServer
from tests.support.sandboxes import install, request_log

CYCLE_SECONDS = 1.0
LIMIT = 120.0
"""Generous (many cycles): the tests wait on the outcome, never on a duration."""


@dataclass
class Entra:
    server: SandboxServer
    admin: httpx.Client
    client: SteepleClient
    job: ProvisioningJob
    old_secret: str
    tenant_url: str


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


async def test_entra_keeps_provisioning_through_a_rotation_without_graph(entra: Entra) -> None:
    events: list[RotationEvent] = []
    pasted: list[str] = []

    async def admin_pastes(secret: str, tenant_url: str) -> bool:
        assert tenant_url == entra.tenant_url
        pasted.append(secret)
        entra.job.configure(tenant_url, secret)  # Save in the admin center
        return True

    rotation = Rotation(
        entra.client, paste=admin_pastes, time_limit=LIMIT, poll_seconds=0.2, on_event=events.append
    )
    outcome = await rotation.run()

    assert isinstance(outcome, Revoked), outcome
    old_hint, new_hint = entra.old_secret[-4:], pasted[0][-4:]
    assert (outcome.old_hint, outcome.new_hint) == (old_hint, new_hint)
    stages = [e.stage for e in events if e.stage is not Stage.WAITING]
    assert stages[:3] == [Stage.CHECKED, Stage.CREATED, Stage.SAVED]
    assert stages[-2:] == [Stage.VERIFIED, Stage.REVOKED]
    verified = next(e for e in events if isinstance(e, Verified))
    assert verified.entry.token_hint == new_hint and verified.entry.kind != "test_connection"

    # Entra went on cycling with the new token; the old one is refused (401) now.
    with httpx.Client(headers={"Authorization": f"Bearer {entra.old_secret}"}) as old:
        assert old.get(entra.server.scim_url + "/Users").status_code == 401
    log = request_log(entra.admin)
    seen = _entra_requests(log, {old_hint, new_hint})
    refused = [e for e in seen if e["status"] == 401]
    assert len(refused) == 1 and refused[0]["token_hint"] == old_hint  # only ours, just now
    assert refused[0] is seen[-1]
    assert {e["token_hint"] for e in seen[:-1]} == {old_hint, new_hint}
    tokens = entra.admin.get("/integrations/azure-ad/tokens").json()["tokens"]
    assert [t["hint"] for t in tokens] == [new_hint]
    assert all(entra.old_secret not in str(e) and pasted[0] not in str(e) for e in events)


async def test_the_time_limit_revokes_nothing(entra: Entra) -> None:
    """The admin says it is saved but Entra never got it: the limit passes, both tokens live."""
    events: list[RotationEvent] = []

    async def admin_forgets_to_save(secret: str, tenant_url: str) -> bool:
        return True

    rotation = Rotation(
        entra.client,
        paste=admin_forgets_to_save,
        time_limit=3 * CYCLE_SECONDS,
        poll_seconds=0.2,
        on_event=events.append,
    )
    outcome = await rotation.run()

    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.TIMEOUT
    created = next(e for e in events if isinstance(e, Created))
    assert set(outcome.live_hints) == {entra.old_secret[-4:], created.hint}
    with httpx.Client(headers={"Authorization": f"Bearer {entra.old_secret}"}) as old:
        assert old.get(entra.server.scim_url + "/Users").status_code == 200
    assert not any(e["status"] == 401 for e in request_log(entra.admin))


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
    assert sign.entry.kind == "test_connection" or sign.entry.kind == "cycle_probe"
    assert not any(isinstance(e, Verified) for e in events)


async def test_two_live_tokens_name_the_one_replaced_and_ask(entra: Entra) -> None:
    spare = entra.admin.post("/integrations/azure-ad/tokens").json()  # never given to Entra
    asked: list[tuple[str, str]] = []

    async def refuse(replaced: Any, kept: Any) -> bool:
        asked.append((replaced.hint, kept.hint))
        return False

    async def never(secret: str, tenant_url: str) -> bool:
        raise AssertionError("nothing is created once the admin refused")

    events: list[RotationEvent] = []
    outcome = await Rotation(
        entra.client, paste=never, confirm_replace=refuse, on_event=events.append
    ).run()

    assert asked == [(spare["hint"], entra.old_secret[-4:])]  # the one Entra does not use
    assert isinstance(events[0], Checked) and events[0].replaced is not None
    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.DECLINED
    assert set(outcome.live_hints) == {spare["hint"], entra.old_secret[-4:]}


# --- the pure rules the flow decides by ------------------------------------------------------


def _token(hint: str, created: int, used: int | None) -> Any:
    from datetime import UTC, datetime, timedelta

    from assistant.contract import TokenInfo

    base = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return TokenInfo(
        id=f"tok_{hint}",
        hint=hint,
        created_at=base + timedelta(minutes=created),
        last_used_at=None if used is None else base + timedelta(minutes=used),
    )


def test_the_token_in_use_is_the_one_used_last() -> None:
    from assistant.rotation import token_in_use

    newer_unused, older_used = _token("newr", 50, None), _token("oldr", 0, 40)
    assert token_in_use([newer_unused, older_used]).hint == "oldr"  # never used: not Entra's
    assert token_in_use([_token("a", 0, 10), _token("b", 5, 30)]).hint == "b"


def test_the_default_limit_is_two_observed_cycles_else_two_documented_ones() -> None:
    from datetime import UTC, datetime, timedelta

    from assistant.contract import ProvisioningStatus
    from assistant.rotation import default_time_limit

    empty = ProvisioningStatus(
        sync_active=False,
        users_received=0,
        users_active=0,
        groups_received=0,
        requests_total=0,
        errors_total=0,
    )
    assert default_time_limit(empty) == 2 * 40 * 60  # Entra's documented 40 minutes
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    starts = [start, start + timedelta(minutes=30), start + timedelta(minutes=65)]
    learnt = empty.model_copy(update={"cycle_starts": starts})
    assert default_time_limit(learnt) == 2 * 35 * 60  # the longest gap seen


def test_only_entras_own_2xx_request_with_the_new_hint_verifies() -> None:
    from datetime import UTC, datetime

    from assistant.contract import RequestLogEntry
    from assistant.rotation import verifies

    def entry(kind: str, status: int, hint: str | None) -> RequestLogEntry:
        when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        return RequestLogEntry(
            seq=1,
            time=when,
            method="GET",
            path="/scim/v2/Users",
            status=status,
            latency_ms=1.0,
            kind=kind,
            token_hint=hint,  # type: ignore[arg-type]
        )

    assert verifies(entry("cycle_probe", 200, "NEW1"), "NEW1")  # a quiet cycle's probe
    assert verifies(entry("user_create", 201, "NEW1"), "NEW1")
    assert not verifies(entry("test_connection", 200, "NEW1"), "NEW1")
    assert not verifies(entry("user_create", 201, "OLD1"), "NEW1")
    assert not verifies(entry("user_query", 401, "NEW1"), "NEW1")
    assert not verifies(entry("user_query", 200, None), "NEW1")

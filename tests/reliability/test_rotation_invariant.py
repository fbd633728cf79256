"""The rotation's invariant, tested as an invariant (issue 20, point 2).

*The assistant never revokes the token that bore Entra's latest provisioning request, unless
Entra has since made a provisioning request with another token.*

A Hypothesis state machine drives the real sandbox (Steeple over HTTP, its simulated tenant
spoken as Microsoft Graph) through what happens around a rotation: an admin creates or revokes
tokens by hand, saves one in Entra (Graph's `secrets`, what Save does), presses Test Connection
(Graph's validateCredentials) with any; Entra runs cycles — with something to send, or quiet —
and on-demand runs; rotations start through Graph or by paste, get a person's answer (right,
wrong or "I don't know") when the traffic cannot tell, and are killed at every stage (before
and after the Graph save's answer included), then resumed by the next one.

The model below knows only what Entra did and with which saved token — never what the sandbox
classified or what the rotation planned — and checks after every step:
- the token on Entra's latest provisioning request is live, unless the admin revoked it by hand;
- the sandbox agrees on which token that is (its own classification of the traffic);
- at most two tokens are live;
- a token an interrupted rotation created and never gave Entra is revoked by the next rotation
  that finishes (it names every live token when it stops).

`uv run pytest` runs a bounded number of examples; `uv run pytest -m deep
tests/reliability/test_rotation_invariant.py` runs many more, longer ones.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assistant.entra.graph_client import GraphClient
from assistant.entra.side import EntraSide
from assistant.entra.signin import EntraSignIn
from assistant.rotation.engine import Rotation
from assistant.rotation.events import Plan, RotationEvent, Stage, Stopped, StopReason
from assistant.rotation.journal import NEVER_IN_ENTRA, RotationJournal
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import TokenInfo
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.sandboxes import admin_client, install

pytestmark = pytest.mark.slow  # property-based, over real HTTP

TOKENS = "/integrations/azure-ad/tokens"
KILL_POINTS = [
    None,
    Stage.CHECKED,
    Stage.CLEANED,
    Stage.RESUMED,
    Stage.CREATED,
    Stage.TESTED,
    "before-save",
    "after-save",
    Stage.SAVED,
    Stage.NUDGED,
    Stage.FIRST_SIGN,
    Stage.WAITING,
    Stage.VERIFIED,
]
"""Where a rotation dies: after an event, or inside Graph's save (sent or not, no answer)."""

BOUNDED = settings(
    max_examples=6,
    stateful_step_count=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
DEEP = settings(
    BOUNDED,
    max_examples=int(os.environ.get("DEEP_EXAMPLES", "150")),
    stateful_step_count=30,
    derandomize=False,
)


_changes = itertools.count(1)
"""Every title Entra sends is new, across examples too: an unchanged one sends nothing."""


class Leaping:
    """A clock that leaps 11 s at every reading. Microsoft's on-demand rate (5 per 10 s, kept by
    the Graph client and the emulator alike) is not what this test is about, and every rotation
    through Graph provisions one person on demand: with this clock on both sides, dozens of
    rotations run in seconds instead of waiting out the window."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 11.0
        return self.now


class Killed(BaseException):
    """The process died here: nothing after this point of the rotation runs."""


@dataclass
class World:
    """What a state machine needs, built once per test: the sandbox, its Graph door, Entra."""

    server: SandboxServer
    graph: GraphEndpoints
    signin: EntraSignIn
    admin: httpx.Client
    tenant_url: str
    journal_path: Path
    person_ids: list[str] = field(default_factory=list)
    clock: Leaping = field(default_factory=Leaping)

    @property
    def job(self) -> Any:
        return self.graph.emulator.host.job

    def side(self) -> EntraSide:
        client = GraphClient(
            self.signin.atoken,
            base_url=self.graph.graph_url,
            verify=self.signin.settings.ssl_context(),
            clock=self.clock,
        )
        return EntraSide(client)


class RotationMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.secrets: dict[str, str] = {}  # hint → secret, for every token someone has seen
        self.saved: str | None = None  # the token saved in Entra (its hint)
        self.latest: str | None = None  # the token on Entra's latest provisioning request
        self.by_hand: set[str] = set()
        self.given: set[str] = set()  # saved in Entra or shown to a person at some point
        self.created: set[str] = set()  # created by the assistant
        self.unsent = False  # a change Entra has not managed to send yet (its token refused)
        self.side = self.world.side()
        self.client = SteepleClient(self.world.server.base_url, self.world.server.config.admin_key)
        self.world.journal_path.unlink(missing_ok=True)
        self.a_token_entra_works_with()

    def teardown(self) -> None:
        self.run(self.side.aclose())
        self.run(self.client.aclose())
        self.loop.close()

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    # --- the sandbox, read for liveness only ------------------------------------------------

    def live(self) -> dict[str, str]:
        """hint → id of the live tokens (what the admin API lists)."""
        tokens = self.world.admin.get(TOKENS).json()["tokens"]
        return {t["hint"]: t["id"] for t in tokens}

    def entra_works(self) -> bool:
        """Entra just sent a provisioning request with its saved token, if that one is live."""
        if self.saved is not None and self.saved in self.live():
            self.latest = self.saved
            return True
        return False

    # --- set-up of each example ---------------------------------------------------------------

    def a_token_entra_works_with(self) -> None:
        """Each example starts from one live token, saved in Entra, on its latest work."""
        state = self.world.server.app.state.sandbox
        with state.conn:
            state.conn.execute("UPDATE scim_tokens SET revoked_at = '2000-01-01T00:00:00+00:00'")
        created = self.world.admin.post(TOKENS).json()
        self.secrets[created["hint"]] = created["secret"]
        self.save_in_entra_by_hint(created["hint"])
        self.entra_cycle(quiet=False)
        assert self.latest == created["hint"]

    # --- the admin, by hand ---------------------------------------------------------------------

    @precondition(lambda self: len(self.live()) < 2)
    @rule()
    def create_a_token_by_hand(self) -> None:
        created = self.world.admin.post(TOKENS).json()
        self.secrets[created["hint"]] = created["secret"]

    @rule(data=st.data())
    def revoke_a_token_by_hand(self, data: st.DataObject) -> None:
        live = self.live()
        if live:
            self.revoke_by_hand(data.draw(st.sampled_from(sorted(live))))

    def revoke_by_hand(self, hint: str) -> None:
        live = self.live()
        assert self.world.admin.delete(f"{TOKENS}/{live[hint]}").status_code == 204
        self.by_hand.add(hint)

    @rule(data=st.data())
    def save_a_token_in_entra(self, data: st.DataObject) -> None:
        """Graph's save (the admin center's Save), with any token someone holds the secret of."""
        self.save_in_entra_by_hint(data.draw(st.sampled_from(sorted(self.secrets))))

    def save_in_entra_by_hint(self, hint: str) -> None:
        self.run(self.side.save_credentials(self.world.tenant_url, self.secrets[hint]))
        self.saved = hint
        self.given.add(hint)

    @rule(data=st.data())
    def test_connection_with_a_token(self, data: st.DataObject) -> None:
        """validateCredentials with any token: a connection check, never Entra at work."""
        self.test_connection_with(data.draw(st.sampled_from(sorted(self.secrets))))

    def test_connection_with(self, hint: str) -> None:
        self.run(self.side.test_connection(self.world.tenant_url, self.secrets[hint]))

    # --- Entra on its own -----------------------------------------------------------------------

    @rule(quiet=st.booleans())
    def entra_cycle(self, quiet: bool) -> None:
        """A cycle with something to send (a person's title changed) or a quiet one (probe)."""
        if not quiet:
            person = self.world.job.tenant.users[self.world.person_ids[0]]
            person.job_title = f"Title {next(_changes)}"
            self.unsent = True
        self.run(self.world.job.run_cycle())
        if self.unsent:  # sent now if its token is live; else still to send next time
            self.unsent = not self.entra_works()

    @rule()
    def entra_provisions_one_person_on_demand(self) -> None:
        person = self.world.job.tenant.users[self.world.person_ids[1]]
        self.run(self.world.job.provision_on_demand(person.user_principal_name))
        self.entra_works()

    # --- rotations ------------------------------------------------------------------------------

    @rule(
        via=st.sampled_from(["graph", "paste"]),
        kill_at=st.sampled_from(KILL_POINTS),
        answer=st.sampled_from(["none", "old", "other"]),
        person_saves=st.booleans(),
        person_nudges=st.booleans(),
    )
    def rotate(
        self, via: str, kill_at: Any, answer: str, person_saves: bool, person_nudges: bool
    ) -> None:
        journal = RotationJournal(self.world.journal_path)
        live_before = self.live()
        pending = journal.load()
        never_given = (
            pending.new_hint
            if pending is not None
            and pending.stage in NEVER_IN_ENTRA
            and pending.new_hint in live_before
            and pending.old_hint in live_before
            and pending.new_hint != self.latest
            else None
        )
        events: list[RotationEvent] = []

        def on_event(event: RotationEvent) -> None:
            events.append(event)
            if event.stage == Stage.CREATED:
                self.created.add(event.hint)  # type: ignore[union-attr]
            if kill_at == event.stage:
                raise Killed

        async def which_token(plan: Plan) -> TokenInfo | None:
            return {"none": None, "old": plan.old, "other": plan.other}[answer]

        async def paste(secret: str, tenant_url: str) -> bool:
            hint = secret[-4:]
            self.secrets[hint] = secret
            self.given.add(hint)
            if person_saves:
                await self._save(hint)
                if person_nudges:
                    await self._on_demand()
            if kill_at == "before-save":  # the paste path's equivalent: gone while pasting
                raise Killed
            return person_saves

        rotation = Rotation(
            self.client,
            entra=ModelSide(self, kill_at) if via == "graph" else None,
            paste=paste if via == "paste" else None,
            confirm_replace=_yes,
            which_token=which_token,
            journal=journal,
            time_limit=0.6,
            poll_seconds=0.05,
            on_event=on_event,
        )
        try:
            outcome = self.run(rotation.run())
        except Killed:
            return
        if never_given is not None and not (
            isinstance(outcome, Stopped) and outcome.reason is StopReason.ERROR
        ):
            # The leftover of an interrupted rotation is cleaned up by the next one to finish.
            assert never_given not in self.live(), (never_given, events)
        if isinstance(outcome, Stopped):
            for hint in self.live():  # every live token is named when a rotation stops
                assert hint in outcome.live_hints, (hint, outcome)

    async def _save(self, hint: str) -> None:
        await self.side.save_credentials(self.world.tenant_url, self.secrets[hint])
        self.saved = hint
        self.given.add(hint)

    async def _on_demand(self) -> None:
        person = self.world.job.tenant.users[self.world.person_ids[1]]
        await self.side.provision_on_demand(person.user_principal_name)
        self.entra_works()

    # --- what must hold after every step ------------------------------------------------------

    @invariant()
    def entras_latest_token_is_never_revoked_by_the_assistant(self) -> None:
        if self.latest is None or self.latest in self.by_hand:
            return
        assert self.latest in self.live(), f"the assistant revoked …{self.latest}"

    @invariant()
    def the_sandbox_agrees_which_token_bore_entras_latest_work(self) -> None:
        conn = self.world.server.app.state.sandbox.conn
        rows = conn.execute(
            "SELECT hint, last_provisioned_at FROM scim_tokens WHERE last_provisioned_at NOT NULL"
        ).fetchall()
        latest = max(rows, key=lambda r: datetime.fromisoformat(r["last_provisioned_at"]))
        assert latest["hint"] == self.latest

    @invariant()
    def at_most_two_live_tokens(self) -> None:
        assert len(self.live()) <= 2

    def check(self) -> None:
        """Every invariant, for the scripted scenarios below."""
        self.entras_latest_token_is_never_revoked_by_the_assistant()
        self.the_sandbox_agrees_which_token_bore_entras_latest_work()
        self.at_most_two_live_tokens()


class ModelSide:
    """Graph as the rotation uses it, telling the model what Entra saved and did (and dying
    inside the save when the example says so)."""

    def __init__(self, machine: RotationMachine, kill_at: Any) -> None:
        self.machine, self.kill_at = machine, kill_at

    async def test_connection(self, tenant_url: str, token: str) -> Any:
        self.machine.secrets[token[-4:]] = token
        return await self.machine.side.test_connection(tenant_url, token)

    async def save_credentials(self, tenant_url: str, token: str) -> None:
        if self.kill_at == "before-save":
            raise Killed
        await self.machine._save(token[-4:])
        if self.kill_at == "after-save":
            raise Killed

    async def provision_on_demand(self, user: str) -> Any:
        result = await self.machine.side.provision_on_demand(user)
        self.machine.entra_works()
        return result


async def _yes(*_: object) -> bool:
    return True


async def _world(world: World) -> None:
    """Entra set up once: the job, one small group assigned, its initial cycle over."""
    side = world.side()
    try:
        await side.ensure_job()
        host = world.graph.emulator.host
        groups = host.tenant.groups
        sizes = {gid: len(host.tenant.direct_user_members(g)) for gid, g in groups.items()}
        group = groups[min((gid for gid, n in sizes.items() if n >= 2), key=sizes.__getitem__)]
        await side.assign_groups([group.object_id])
        world.person_ids.extend(sorted(host.tenant.direct_user_members(group))[:2])
        assert len(world.person_ids) == 2
    finally:
        await side.aclose()


def _world_for(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    admin_key: str,
    tmp_path: Path,
) -> World:
    admin = admin_client(graph_sandbox, admin_key)
    tenant_url, _ = install(admin)
    world = World(graph_sandbox, graph, signed_in, admin, tenant_url, tmp_path / "journal.json")
    graph.emulator.clock = world.clock
    asyncio.run(_world(world))
    RotationMachine.world = world
    return world


def _run_machine(world: World, budget: settings) -> None:
    try:
        run_state_machine_as_test(RotationMachine, settings=budget)
    finally:
        world.admin.close()


def test_the_issue_repro_and_a_rotation_killed_at_each_stage_then_resumed(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    admin_key: str,
    tmp_path: Path,
) -> None:
    """The scripted half: the issue's repro, then every kill point, each followed by the next
    rotation (which resumes or cleans up), through Graph and by paste; invariants after each."""
    world = _world_for(graph_sandbox, graph, signed_in, admin_key, tmp_path)
    machine = RotationMachine()
    try:
        entras = machine.latest
        machine.create_a_token_by_hand()
        candidate = next(h for h in machine.live() if h != entras)
        machine.test_connection_with(candidate)  # Test Connection with B, never saved
        machine.rotate("graph", None, "none", person_saves=False, person_nudges=False)
        machine.check()
        assert set(machine.live()) == {entras, candidate}  # nobody said: nothing revoked
        machine.revoke_by_hand(candidate)
        paste_points = [Stage.CREATED, Stage.FIRST_SIGN, "before-save", Stage.WAITING]
        for via, points in (("graph", KILL_POINTS[1:]), ("paste", paste_points)):
            for kill_at in points:
                machine.rotate(via, kill_at, "old", person_saves=True, person_nudges=True)
                machine.check()
                machine.rotate(via, None, "old", person_saves=True, person_nudges=True)
                machine.check()
                assert len(machine.live()) == 1, (via, kill_at)  # finished: one token left
                assert machine.latest in machine.live()
    finally:
        machine.teardown()
        world.admin.close()


def test_the_invariant_holds_in_every_step(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    admin_key: str,
    tmp_path: Path,
) -> None:
    _run_machine(_world_for(graph_sandbox, graph, signed_in, admin_key, tmp_path), BOUNDED)


@pytest.mark.deep
def test_the_invariant_holds_in_every_step_deeply(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    signed_in: EntraSignIn,
    admin_key: str,
    tmp_path: Path,
) -> None:
    _run_machine(_world_for(graph_sandbox, graph, signed_in, admin_key, tmp_path), DEEP)

"""`--sandbox` opens the Entra side through Graph: once the first step has loaded, the app signs in
to the emulated tenant with MSAL's real device-code flow (in memory, never the keyring) and sets
`app.entra_side`; a failed sign-in leaves the copy-paste path with a notice. `--url` with Entra
options and a session cached by `entra signin` opens it too, without prompting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.steeple.sandbox_mode import SandboxSession, start_sandbox
from sandbox.server import SandboxServer
from screens.app import ProvisioningAssistant
from screens.steps.base import StepScreen
from tests.support.app import GRAPH_CLIENT_ID as CLIENT_ID
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.signin import sign_in


@pytest.fixture
def sessions() -> Iterator[list[SandboxSession]]:
    started: list[SandboxSession] = []
    yield started
    for session in started:
        session.stop()


def booter(
    tmp_path: Path, sessions: list[SandboxSession], declining: bool = False
) -> Callable[[], SandboxSession]:
    def boot() -> SandboxSession:
        session = start_sandbox(tmp_path / "sandbox.sqlite3")
        sessions.append(session)
        session.server.graph.emulator.declining = declining  # the admin says no, for the test
        return session

    return boot


async def test_sandbox_signs_in_to_its_entra_through_graph(
    build_app: Callable[..., ProvisioningAssistant],
    tmp_path: Path,
    sessions: list[SandboxSession],
    memory_keyring: MemoryKeyring,
) -> None:
    app = build_app(None, sandbox_boot=booter(tmp_path, sessions))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.entra_side is not None, "the Entra side")
        side = app.entra_side
        assert side is not None
        found = await side.find_app()
        assert found is not None and side.found_by == "identifier"  # the demo's SSO app
        assert not hasattr(app, "entra")  # the sim-only client is gone: Graph is the one path
        await wait_for_screen(pilot, StepScreen)
    emulator = sessions[0].server.graph.emulator
    assert any(t.client_id for t in emulator.tokens.values())  # a real MSAL token was issued
    assert memory_keyring.store == {}  # the throwaway session never reached the keyring


async def test_the_sandbox_signs_in_only_once_the_first_step_has_loaded(
    build_app: Callable[..., ProvisioningAssistant],
    tmp_path: Path,
    sessions: list[SandboxSession],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MSAL and the TLS to Graph cost the first step ~150 ms of CPU when they ran beside its
    load (bench/startup.py): the sign-in waits until the admin can act on the step. A
    pass-through spy notes what was on screen when the sign-in began; it changes nothing."""
    seen: list[tuple[str, int]] = []
    real_open = SandboxSession.open_entra_side

    async def spy(session: SandboxSession, *args: object, **kwargs: object) -> object:
        screen = app.screen
        seen.append((type(screen).__name__, getattr(screen, "completed_io", 0)))
        return await real_open(session, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SandboxSession, "open_entra_side", spy)
    app = build_app(None, sandbox_boot=booter(tmp_path, sessions))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.entra_side is not None, "the Entra side")
        await wait_for_screen(pilot, StepScreen)
    assert len(seen) == 1
    screen_name, loads_done = seen[0]
    assert screen_name.endswith("Step") and loads_done >= 1, seen


async def test_a_failed_sandbox_sign_in_leaves_the_copy_paste_path(
    build_app: Callable[..., ProvisioningAssistant],
    tmp_path: Path,
    sessions: list[SandboxSession],
    memory_keyring: MemoryKeyring,
) -> None:
    app = build_app(None, sandbox_boot=booter(tmp_path, sessions, declining=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: any("Microsoft Graph" in n.message for n in app._notifications),
            "the notice",
        )
        notice = next(n.message for n in app._notifications if "Microsoft Graph" in n.message)
        assert "declined" in notice and "Entra admin center" in notice
        await wait_for(pilot, lambda: app.journey is not None, "the journey, all the same")
        await wait_for_screen(pilot, StepScreen)  # the step shows (and the test ends settled)
        assert app.entra_side is None  # the copy-paste path


async def test_url_mode_opens_entra_from_a_cached_sign_in(
    build_app: Callable[..., ProvisioningAssistant],
    start_sandbox: Callable[..., SandboxServer],
    admin_key: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant.entra.options import ENTRA_ENV, EntraOptions
    from assistant.steeple.client import SteepleClient

    for name in ENTRA_ENV:
        monkeypatch.delenv(name, raising=False)

    server = start_sandbox(with_entra=True, with_graph=True, db_path=":memory:")
    graph = server.graph
    assert graph is not None
    options: dict[str, str | None] = {
        "authority": graph.authority,
        "graph_url": graph.graph_url,
        "client_id": CLIENT_ID,
        "ca_bundle": graph.ca_pem_path,
    }
    signin = EntraSignIn(EntraSettings(**options))  # type: ignore[arg-type]
    sign_in(signin, graph)  # what `entra signin` did earlier: the session is in the keyring
    assert memory_keyring.store

    def app_with(opts: EntraOptions | None) -> ProvisioningAssistant:
        client = SteepleClient(server.base_url, admin_key)
        return build_app(client, entra_options=opts)

    app = app_with(EntraOptions(**options))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.entra_side is not None, "the Entra side")
        assert app.entra_side is not None
        assert (await app.entra_side.find_app()) is not None
        await wait_for_screen(pilot, StepScreen)
    plain = app_with(EntraOptions())  # no options, no environment: not attempted
    async with plain.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: plain.journey is not None, "the journey")
        await wait_for_screen(pilot, StepScreen)
        assert plain.entra_side is None

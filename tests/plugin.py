"""The suite's shared fixtures, registered once by `tests/conftest.py` (`pytest_plugins`).

Fixtures every directory may use live here; the helpers behind them live in `tests/support/`,
so no test or conftest imports another conftest. Every sandbox is real: uvicorn on 127.0.0.1,
port 0, in a thread of the test process, on its own database file.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.support.app import GRAPH_CLIENT_ID
from tests.support.faults import FaultyPeer
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandboxes import ADMIN_KEY, SeededDatabases
from tests.support.servers import Reaper

if TYPE_CHECKING:  # Textual and MSAL are imported only by the tests that use them
    from assistant.entra.signin import EntraSettings, EntraSignIn
    from sandbox.graph.mount import GraphEndpoints
    from screens.app import ProvisioningAssistant
    from tests.support.signin import CodeTyper

"""The app registration the assistant signs in as, against the login emulator."""


@pytest.fixture
def admin_key() -> str:
    return ADMIN_KEY


@pytest.fixture(scope="session")
def reaper() -> Iterator[Reaper]:
    """Servers a test started finish shutting down while the next tests run (see `Reaper`)."""
    stopper = Reaper()
    yield stopper
    stopper.reap()


@pytest.fixture(scope="session")
def seeded_databases(tmp_path_factory: pytest.TempPathFactory) -> SeededDatabases:
    """Seeded template databases, built once per session (per seed, SSO and clock)."""
    return SeededDatabases(tmp_path_factory.mktemp("seeded"))


@pytest.fixture
def start_sandbox(
    tmp_path: Path,
    seeded_databases: SeededDatabases,
    reaper: Reaper,
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., SandboxServer]]:
    """Factory: `start_sandbox(seed="empty", sso=False, db_path=...)` → a running server.

    A new database file starts as a copy of the seeded template (a test marked `seeds_itself`
    seeds its own); every server started through it is asked to stop at the end of the test
    (the `reaper` waits for its shutdown later).
    """
    started: list[SandboxServer] = []
    copy_seeded = request.node.get_closest_marker("seeds_itself") is None

    def start(**overrides: Any) -> SandboxServer:
        options: dict[str, Any] = {"admin_key": ADMIN_KEY, "db_path": tmp_path / "steeple.db"}
        options.update(overrides)
        config = SandboxConfig(**options)
        if copy_seeded:
            seeded_databases.provide(config)
        server = SandboxServer(config).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        reaper.stop_soon(server)


@pytest.fixture
def sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A running demo sandbox on a fresh database file."""
    return start_sandbox()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    """The OS keyring replaced by an in-memory one for the test (no OS keyring runs here).

    It stands for the OS secret store the Entra session is kept in, so msal-extensions' own
    persistence (Keychain, DPAPI, libsecret — none runs here) is not tried, and the store's
    signal and lock files go to the test's own folder.
    """
    import keyring

    import assistant.entra.session_store as session_store

    monkeypatch.setattr(session_store, "native_persistence", lambda location: None)
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def peer_in_front(
    start_sandbox: Callable[..., SandboxServer], admin_key: str, reaper: Reaper
) -> Iterator[Callable[[str], Awaitable[FaultyPeer]]]:
    """`await peer_in_front(level)` → a fault proxy before a sandbox prepared up to `level`
    (on the frozen clock the screens use)."""
    from tests.support.app import frozen_clock
    from tests.support.prepare import prepare

    peers: list[FaultyPeer] = []

    async def start(level: str) -> FaultyPeer:
        server = start_sandbox(clock=frozen_clock)
        await prepare(server.base_url, admin_key, level)
        peer = FaultyPeer(server.base_url).start()
        peers.append(peer)
        return peer

    yield start
    for peer in peers:
        reaper.stop_soon(peer)


@pytest.fixture
def deterministic_ui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No blink, no animation, one theme, frozen time, no `TEXTUAL_*`/`NO_COLOR` from the
    developer's shell, settings in a temp dir: the same screen on every run."""
    from textual.widgets import Input

    from screens.app import ProvisioningAssistant
    from tests.support.app import frozen_clock

    for name in list(os.environ):
        snapshot_plugin = name.startswith("TEXTUAL_SNAPSHOT")  # the plugin's own state
        if (name.startswith("TEXTUAL_") and not snapshot_plugin) or name == "NO_COLOR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(ProvisioningAssistant, "default_clock", staticmethod(frozen_clock))
    yield


@pytest.fixture
def build_app() -> Callable[..., ProvisioningAssistant]:
    """`build_app(client, step="roles", entra_side=None)` → an app that opens on `step`."""
    from screens.app import ProvisioningAssistant
    from tests.support.app import configure_for_tests

    def build(client: Any = None, step: str | None = None, **options: Any) -> ProvisioningAssistant:
        from assistant.settings import Settings

        app = ProvisioningAssistant(Settings(), client, start_step=step, **options)
        return configure_for_tests(app)

    return build


@pytest.fixture
def app_at(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., ProvisioningAssistant],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., ProvisioningAssistant]:
    """`app_at("provisioned", step="roles", sso=False)` → an app on a sandbox in that state.

    The sandbox runs on the frozen clock with deterministic token text; preparation goes through
    the admin API and SCIM (see `tests/support/prepare.py`), never through the screens.
    """
    import asyncio

    import sandbox.tokens
    from tests.support.app import (
        PUBLIC_URL,
        CountingSecrets,
        frozen_clock,
        prepare_entra,
        public_client,
        signed_in_side,
    )
    from tests.support.prepare import prepare

    monkeypatch.setattr(sandbox.tokens, "secrets", CountingSecrets())

    def make(
        level: str = "none",
        step: str | None = None,
        sim: bool = False,
        hostile: bool = False,
        lang: str = "en",
        entra: str = "none",
        **sandbox_options: Any,
    ) -> Any:
        options = {"clock": frozen_clock, "public_url": PUBLIC_URL, **sandbox_options}
        if hostile:  # hostile communities and accounts, hostile tenant, hostile SCIM traffic
            options["seed"] = "hostile"
        server = start_sandbox(with_entra=sim, with_graph=sim, **options)
        prepared = asyncio.run(prepare(server.base_url, admin_key, level, hostile))
        if sim and entra != "none":
            asyncio.run(prepare_entra(server, prepared, entra))
        client = public_client(server.base_url, admin_key)
        side = signed_in_side(server, lang) if sim else None
        app = build_app(client, step=step, entra_side=side, lang=lang)
        if sim:  # `--sandbox`: the instance is the sandbox, its Entra half through Graph
            app.sandbox = server
        app.revealed_secret = prepared.secret if sim else ""
        app.prepared = prepared  # type: ignore[attr-defined]
        app.server = server  # type: ignore[attr-defined]
        return app

    return make


@pytest.fixture
def graph_sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A sandbox with the simulated tenant spoken as Microsoft Graph (emulators on TLS)."""
    # A short cycle interval, so the job's first cycle ends soon after it starts.
    return start_sandbox(with_entra=True, with_graph=True, entra_cycle_interval=2.0)


@pytest.fixture
def graph(graph_sandbox: SandboxServer) -> GraphEndpoints:
    endpoints = graph_sandbox.graph
    assert endpoints is not None
    return endpoints


@pytest.fixture
def entra_settings(graph: GraphEndpoints) -> EntraSettings:
    """MSAL and the Graph client pointed at the emulators, trusting their test CA."""
    from assistant.entra.signin import EntraSettings

    return EntraSettings(
        authority=graph.authority,
        graph_url=graph.graph_url,
        client_id=GRAPH_CLIENT_ID,
        ca_bundle=graph.ca_pem_path,
    )


@pytest.fixture
def entra_env(entra_settings: EntraSettings, monkeypatch: pytest.MonkeyPatch) -> EntraSettings:
    """The CLI finds the emulator through the environment, as an admin's shell would."""
    monkeypatch.setenv("STEEPLE_ENTRA_AUTHORITY", entra_settings.authority)
    monkeypatch.setenv("STEEPLE_GRAPH_URL", entra_settings.graph_url)
    monkeypatch.setenv("STEEPLE_ENTRA_CLIENT_ID", entra_settings.client_id)
    monkeypatch.setenv("STEEPLE_ENTRA_CA_BUNDLE", entra_settings.ca_bundle or "")
    return entra_settings


@pytest.fixture
def signed_in(
    entra_settings: EntraSettings, graph: GraphEndpoints, memory_keyring: MemoryKeyring
) -> EntraSignIn:
    """Signed in through MSAL's real device-code flow against the login emulator, the user code
    typed on its `/devicelogin` page."""
    from assistant.entra.signin import EntraSignIn
    from tests.support.signin import sign_in

    signin = EntraSignIn(entra_settings)
    sign_in(signin, graph)
    return signin


@pytest.fixture
def code_typer(graph: GraphEndpoints) -> Iterator[CodeTyper]:
    """Someone at the browser for the whole test: every device code the emulator issues is
    typed on its `/devicelogin` page (for in-process `entra signin`, which waits for it)."""
    from tests.support.signin import CodeTyper

    with CodeTyper(graph) as typer:
        yield typer


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (sync API), one per test module.

    Skipped with the reason where no Chromium is installed (`tests/support/browser.py`).
    Use it from sync tests: Playwright's sync API refuses to run inside an asyncio loop, and
    while it is open it leaves its own loop marked running on the thread, so the asyncio tests
    a worker runs next would fail ("cannot be called from a running event loop"): closed at the
    end of the module, not of the session.
    """
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch_options

    options = launch_options()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)  # type: ignore[arg-type]
        yield browser
        browser.close()

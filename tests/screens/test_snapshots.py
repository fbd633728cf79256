"""Every step screen and its main states (blocked, waiting, error, done) at 80×24 and 120×40.

Each app starts directly on its step, on a sandbox prepared through the API, with frozen time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import ModalScreen

from screens.steps.credentials import CredentialsStep
from screens.steps.install import InstallStep
from tests.screens.scenes import SIZES, STEPS, build, reach
from tests.support.pilot import settle, settle_on, wait_for

CASES = {name: scene for name, scene in STEPS.items() if name not in ("deactivate", "explain")}
"""Every step (tests/screens/scenes.py); deactivate and explain have their own snapshots."""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_step_screen(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    scene = CASES[name]
    app = build(app_at, scene)

    async def run_before(pilot: Any) -> None:
        await reach(pilot, scene)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_step_screen_in_french(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    """`--lang fr`: every text of every screen in French, footer and sidebar included."""
    scene = CASES[name]
    app = build(app_at, scene, "fr")

    async def run_before(pilot: Any) -> None:
        await reach(pilot, scene)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_error_state(
    size: tuple[int, int],
    snap_compare: Any,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """A 500 from the instance on the Credentials step: message, fix, Retry."""
    import asyncio

    from tests.support.app import PUBLIC_URL, frozen_clock, public_client
    from tests.support.faults import FaultyPeer
    from tests.support.prepare import prepare

    server = start_sandbox(clock=frozen_clock, public_url=PUBLIC_URL)
    asyncio.run(prepare(server.base_url, admin_key, "installed"))
    peer = FaultyPeer(server.base_url).start()
    peer.fail("GET", "/credentials", "500")
    try:
        app = build_app(public_client(peer.base_url, admin_key), step="credentials")
        assert snap_compare(app, terminal_size=size, run_before=settle_on(CredentialsStep))
    finally:
        peer.stop()


@pytest.mark.parametrize("size", SIZES)
def test_install_confirmation(size: tuple[int, int], snap_compare: Any, app_at: Any) -> None:
    app = app_at("none", "install")

    async def run_before(pilot: Any) -> None:
        await settle_on(InstallStep)(pilot)
        button = pilot.app.screen.query_one("#install")
        await pilot.click("#install")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the modal")
        # the click's 0.2 s flash ("-active") on the button under the modal: drawn or not
        # depended on how soon the frame was taken; the snapshot waits for it to end
        await wait_for(pilot, lambda: not button.has_class("-active"), "the flash to end")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_light_theme(snap_compare: Any, app_at: Any) -> None:
    app = app_at("installed", "credentials")
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle_on(CredentialsStep))

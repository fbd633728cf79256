"""Retry repeats the failure and nothing else: `r` exists only while an error is shown, a completed
action is never replayed, and a retried write asks its confirmation again.

Every app here talks HTTP to an in-process sandbox, through a `FaultyPeer` where a failure is
needed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets._footer import FooterKey

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.credentials import CredentialsStep
from screens.steps.install import InstallStep
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import frozen_clock
from tests.support.faults import FaultyPeer
from tests.support.pilot import wait_for, wait_for_io, wait_for_screen
from tests.support.prepare import prepare


def footer_keys(screen: Any) -> set[str]:
    return {key.key for key in screen.query(FooterKey)}


def io_idle(screen: Any) -> bool:
    """No read or write is running on the screen (polls aside)."""
    return all(worker.is_finished for worker in screen.workers if worker.group != "poll")


async def test_r_is_shown_and_enabled_only_while_an_error_is_shown(
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    build_app: Callable[..., Any],
    admin_key: str,
) -> None:
    peer = await peer_in_front("installed")
    peer.fail("GET", "/credentials", "500")
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="credentials")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, CredentialsStep)
        panel = screen.query_one(ErrorPanel)
        assert panel.has_class("-visible")
        assert screen.active_bindings["r"].enabled
        await wait_for(pilot, lambda: "r" in footer_keys(screen), "r in the footer")

        peer.heal()
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.completed_io >= 2, "the retried load")
        assert not panel.has_class("-visible")
        assert "r" not in screen.active_bindings
        await wait_for(pilot, lambda: "r" not in footer_keys(screen), "r gone from the footer")
        assert "n" in footer_keys(screen)  # the footer itself is there


async def test_a_completed_write_is_never_replayed(
    start_sandbox: Callable[..., Any], build_app: Callable[..., Any], admin_key: str
) -> None:
    """Create token, then `r`: no second token (today's bug), no confirmation even asked."""
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "installed")
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="credentials")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, CredentialsStep)
        await pilot.click("#create")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        done = screen.completed_io
        await pilot.press("enter")
        await wait_for_io(pilot, screen, done, "the token")
        assert len((await check.list_tokens()).tokens) == 1

        await pilot.press("r")
        await pilot.pause()
        await wait_for(pilot, lambda: io_idle(screen), "anything r started to end")
        assert app.screen is screen  # no confirmation pushed either
        assert len((await check.list_tokens()).tokens) == 1


async def test_a_retried_write_asks_its_confirmation_again(
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    build_app: Callable[..., Any],
    admin_key: str,
) -> None:
    peer = await peer_in_front("none")
    peer.fail("POST", "/integrations/azure-ad", "500")
    check = SteepleClient(peer.base_url, admin_key)
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="install")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, InstallStep)
        panel = screen.query_one(ErrorPanel)
        await pilot.click("#install")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("enter")
        await wait_for(pilot, lambda: panel.has_class("-visible"), "the install to fail")
        assert "internal error (500)" in panel.message_text

        peer.heal()
        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen is not screen, "something on top of the step")
        assert isinstance(app.screen, ConfirmModal)
        assert not (await check.get_integration()).installed  # nothing done before the answer

        await pilot.press("escape")  # declined: the failure is still there, still retryable
        await wait_for(pilot, lambda: app.screen is screen, "the step again")
        assert panel.has_class("-visible") and "r" in screen.active_bindings
        assert not (await check.get_integration()).installed

        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not panel.has_class("-visible"), "the retried install")
        assert (await check.get_integration()).installed
        assert "r" not in screen.active_bindings

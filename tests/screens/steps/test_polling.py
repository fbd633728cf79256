"""Polling belongs to its screen (paused under a modal, gone when it is left) and heals itself:
an error clears on the next good poll, polling resumes when the server is back, and a failed poll
never moves focus."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input

import screens.steps.polling as polling_module
from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.entra import EntraStep
from screens.steps.polling import BASE_INTERVAL, MAX_INTERVAL, next_interval
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import frozen_clock
from tests.support.faults import FaultyPeer
from tests.support.pilot import wait_for, wait_for_io, wait_for_screen
from tests.support.prepare import prepare


def polling(screen: Any) -> bool:
    return any(w.group == "poll" and not w.is_finished for w in screen.workers)


def test_backoff_grows_on_quiet_and_failure_and_resets_on_news() -> None:
    assert next_interval(BASE_INTERVAL, changed=False, failed=False) > BASE_INTERVAL
    assert next_interval(8.0, changed=False, failed=True) == 16.0
    assert next_interval(20.0, changed=False, failed=True) == MAX_INTERVAL
    assert next_interval(20.0, changed=True, failed=False) == BASE_INTERVAL


async def test_polling_pauses_under_modal_and_stops_when_left(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "provisioned")
    app = build_app(SteepleClient(server.base_url, admin_key), step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        assert screen.query_one("#fig-users").value == 3  # users received, drawn large
        await wait_for(pilot, lambda: polling(screen), "polling to start")

        app.push_screen(ConfirmModal("?", "?"))
        await wait_for(pilot, lambda: not polling(screen), "polling to pause")
        await pilot.press("escape")
        await wait_for(pilot, lambda: polling(screen), "polling to resume")

        screen.action_continue()  # the journey moves on to Roles: the screen is removed
        await wait_for(pilot, lambda: app.screen is not screen, "the next step")
        await wait_for(pilot, lambda: not polling(screen), "polling to stop")
        assert app.is_running


@pytest.fixture
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polls every few hundredths of a second, so recovery is seen without waiting the real 2 s."""
    monkeypatch.setattr(polling_module, "BASE_INTERVAL", 0.05)
    monkeypatch.setattr(polling_module, "MAX_INTERVAL", 0.4)


async def test_polling_heals_a_failed_load_and_a_failed_poll_by_itself(
    fast_polls: None,
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """The server fails, then comes back: the error goes away with no key pressed, twice."""
    peer = await peer_in_front("provisioned")
    peer.fail("GET", "/requests", "500")
    client = SteepleClient(peer.base_url, admin_key, retries=0)
    app = build_app(client, step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        panel = screen.query_one(ErrorPanel)
        assert panel.has_class("-visible")  # the load itself failed

        peer.heal()
        await wait_for(pilot, lambda: not panel.has_class("-visible"), "the load to heal")
        assert screen.query_one("#fig-users").value == 3

        focused = app.focused
        peer.fail("GET", "/requests", "500")
        await wait_for(pilot, lambda: panel.has_class("-visible"), "a poll to fail")
        assert app.focused is focused  # a failed poll never moves focus
        peer.heal()
        await wait_for(pilot, lambda: not panel.has_class("-visible"), "the poll to heal")
        assert app.is_running and app.screen is screen


async def test_retry_after_a_failed_poll_is_an_io_action_that_finishes(
    fast_polls: None,
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """Once a poll's failure replaced the load's on screen, Retry re-polls at once: that read
    finishing counts in `completed_io` as a load's does. It did not, so anything waiting for
    Retry's answer (the tests, under load, where a poll fails before `r` is pressed) waited
    forever."""
    peer = await peer_in_front("provisioned")
    peer.fail("GET", "/requests", "500")
    client = SteepleClient(peer.base_url, admin_key, retries=0)
    app = build_app(client, step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        failed = screen.polls_failed
        await wait_for(pilot, lambda: screen.polls_failed > failed, "a poll to fail too")
        panel = screen.query_one(ErrorPanel)
        assert panel.has_class("-visible")
        for fault in ("401", None):  # Retry's poll fails (nothing else counts), then works
            before = screen.completed_io
            peer.heal()
            if fault is not None:
                peer.fail("GET", "/requests", fault)
            await pilot.press("r")
            await wait_for_io(pilot, screen, before, "Retry's read")
            assert panel.has_class("-visible") is (fault is not None)
            if fault is not None:
                assert "did not accept the admin API key" in panel.message_text


async def test_a_poll_that_fails_after_a_successful_read_says_nothing(
    fast_polls: None,
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """A poll sent while the instance hung, failing after a later read succeeded (a Retry that
    worked), is stale: the instance answered since, so no error comes back over the healed step."""
    peer = await peer_in_front("provisioned")
    client = SteepleClient(peer.base_url, admin_key, timeout=1.0, retries=0)
    app = build_app(client, step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        panel = screen.query_one(ErrorPanel)
        failed = screen.polls_failed
        peer.fail("GET", "/requests", "timeout")
        await wait_for(pilot, lambda: peer.hanging >= 1, "a poll to hang")
        peer.heal()
        done = screen.completed_io
        screen.run_io(screen.load)  # what Retry runs
        await wait_for_io(pilot, screen, done, "the read")
        assert not panel.has_class("-visible")
        await wait_for(pilot, lambda: screen.polls_failed > failed, "the hung poll to fail")
        await pilot.pause()
        assert not panel.has_class("-visible")  # stale: not shown over the healed step
        assert app.is_running and app.screen is screen


async def test_a_failed_poll_leaves_focus_in_the_input_being_typed_in(
    fast_polls: None,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """Today focus jumps to Retry, so the admin's next `r` retries and `n` leaves the step."""
    from tests.support.app import signed_in_side

    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    peer = FaultyPeer(server.base_url).start()
    try:
        client = SteepleClient(peer.base_url, admin_key, retries=0)
        side = signed_in_side(server)
        app = build_app(client, step="entra", entra_side=side)
        app.revealed_secret = prepared.secret
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, EntraStep)
            panel = screen.query_one(ErrorPanel)
            field = screen.query_one("#tenant-url", Input)
            field.focus()
            field.value = ""
            await pilot.press(*"ab")

            peer.fail("GET", "/requests", "500")
            await wait_for(pilot, lambda: panel.has_class("-visible"), "a poll to fail")
            assert app.focused is field
            await pilot.press(*"rn")
            assert field.value == "abrn"
            assert app.screen is screen

            peer.heal()
            await wait_for(pilot, lambda: not panel.has_class("-visible"), "the poll to heal")
            assert app.focused is field
    finally:
        peer.stop()


async def test_a_failed_load_is_redone_when_polls_succeed_again(
    fast_polls: None,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """The Entra step's load fills the fields, which no poll does: it is redone, not just hidden."""
    from tests.support.app import signed_in_side

    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    peer = FaultyPeer(server.base_url).start()
    try:
        peer.fail("GET", "/credentials", "500")
        client = SteepleClient(peer.base_url, admin_key, retries=0)
        app = build_app(client, step="entra", entra_side=signed_in_side(server))
        app.revealed_secret = prepared.secret
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, EntraStep)
            panel = screen.query_one(ErrorPanel)
            assert panel.has_class("-visible")
            assert screen.query_one("#tenant-url", Input).value == ""

            save = screen.query_one("#save")
            save.focus()  # not an input: only the re-loads' quietness keeps focus here
            before = screen.completed_io
            await wait_for(pilot, lambda: screen.completed_io >= before + 2, "two quiet re-loads")
            assert panel.has_class("-visible")
            assert app.focused is save  # the re-loads that fail leave focus alone

            peer.heal()
            await wait_for(pilot, lambda: not panel.has_class("-visible"), "the load to heal")
            assert screen.query_one("#tenant-url", Input).value == prepared.tenant_url
            assert screen.query_one("#token", Input).value == prepared.secret
    finally:
        peer.stop()


def poll_workers(screen: Any) -> list[Any]:
    return [w for w in screen.workers if w.node is screen and w.group == "poll"]


async def test_a_reload_keeps_the_running_poll_and_its_backoff(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    """Each load starts polling; a second load must not restart the loop (and reset backoff),
    while Retry on a poll error does restart it, at once."""
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "provisioned")
    app = build_app(SteepleClient(server.base_url, admin_key), step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        await wait_for(pilot, lambda: polling(screen), "polling to start")
        (loop,) = [w for w in poll_workers(screen) if not w.is_finished]

        done = screen.completed_io
        screen.run_io(screen.load)
        await wait_for_io(pilot, screen, done, "the re-load")
        assert [w for w in poll_workers(screen) if not w.is_finished] == [loop]

        screen._poll_now()  # what Retry does for a poll error
        await wait_for(pilot, lambda: loop.is_finished, "the old loop to stop")
        assert polling(screen)

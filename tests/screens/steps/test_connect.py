"""The Connect screen: what a person sees first without a profile, and how a bad key is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from screens.steps.connect import ConnectScreen
from screens.widgets.error_panel import ErrorPanel
from tests.support.memory_keyring import MemoryKeyring


def test_connect_screen_80x24(snap_compare: Any, build_app: Callable[..., Any]) -> None:
    assert snap_compare(build_app(), terminal_size=(80, 24))


def test_connect_screen_120x40(snap_compare: Any, build_app: Callable[..., Any]) -> None:
    assert snap_compare(build_app(), terminal_size=(120, 40))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_connect_screen_in_french(
    size: tuple[int, int], snap_compare: Any, build_app: Callable[..., Any]
) -> None:
    assert snap_compare(build_app(lang="fr"), terminal_size=size)


async def test_connect_needs_url_and_key(build_app: Callable[..., Any]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ConnectScreen)
        await pilot.click("#connect")
        await pilot.pause()
        panel = app.screen.query_one(ErrorPanel)
        assert "instance URL and the admin key" in panel.message_text


async def test_connect_remembers_the_instance_but_never_writes_the_key(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    """A successful connection saves the URL in the profile; the key goes to the keyring or,
    with no keyring (the fail backend here, as on a headless server), nowhere — and says why."""
    from assistant.settings import load_settings, settings_path

    monkeypatch.delenv("STEEPLE_API_KEY", raising=False)
    memory_keyring.unplug()
    server = start_sandbox()
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.query_one("#url", Input).value = server.base_url
        app.screen.query_one("#key", Input).value = admin_key
        await pilot.click("#connect")
        for _ in range(200):
            if settings_path().exists() and load_settings().profile().last_step:
                break
            await pilot.pause(0.05)
        assert any("keyring" in n.message for n in app._notifications)
    profile = load_settings().profile()
    assert profile.url == server.base_url
    assert profile.last_step == "install"  # the demo seed has SSO: the journey is at Install
    written = [p for p in settings_path().parent.rglob("*") if p.is_file()]
    assert written and all(admin_key not in p.read_text() for p in written)

    # A returning admin finds the instance filled in and only types the key.
    again = build_app()
    again.settings = load_settings()
    async with again.run_test(size=(120, 40)):
        assert again.screen.query_one("#url", Input).value == server.base_url


@pytest.mark.parametrize("allowed", [False, True])
async def test_connect_refuses_plain_http_to_another_host(
    build_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, allowed: bool
) -> None:
    """http:// to this machine's network address: refused with a message, nothing on the wire,
    unless the app was started with `--allow-insecure-http` (then the key does travel)."""
    from tests.support.pilot import wait_for
    from tests.support.wiretap import start_wiretap

    monkeypatch.delenv("STEEPLE_API_KEY", raising=False)
    tap = start_wiretap()
    app = build_app(allow_insecure_http=allowed)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            app.screen.query_one("#url", Input).value = tap.url
            app.screen.query_one("#key", Input).value = "adm_PLANTED-connect-http-key"
            await pilot.click("#connect")
            panel = app.screen.query_one(ErrorPanel)
            await wait_for(pilot, lambda: panel.has_class("-visible"), "the error panel")
            shown = panel.message_text
    finally:
        tap.stop()
    assert app.client is None
    if allowed:
        assert b"Bearer adm_PLANTED-connect-http-key" in bytes(tap.received)
        assert "plain http://" not in shown
    else:
        assert "plain http://" in shown
        assert bytes(tap.received) == b""


async def test_a_refused_key_empties_the_key_field_and_retry_uses_the_new_key(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A wrong key: the fix names the Admin key field, which is emptied and focused; the next
    keystrokes are the new key, and Enter connects with it (never the refused one again)."""
    from screens.steps.install import InstallStep
    from tests.support.pilot import wait_for, wait_for_screen

    monkeypatch.setattr("screens.steps.connect.ConnectScreen._remember", lambda *_: None)
    server = start_sandbox()
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        screen.query_one("#url", Input).value = server.base_url
        screen.query_one("#key", Input).value = "adm_wrong_key_0123456789"
        await pilot.click("#connect")
        panel = screen.query_one(ErrorPanel)
        await wait_for(pilot, lambda: panel.has_class("-visible"), "the refusal")
        assert "did not accept the admin API key" in panel.message_text
        fix = str(screen.query_one("#error-fix").content)
        assert "Admin key field" in fix
        labels = [str(label.content) for label in screen.query(".field-label")]
        assert "Admin key" in labels  # the field the fix names exists
        key = screen.query_one("#key", Input)
        assert key.value == "" and app.focused is key
        await pilot.press(*admin_key, "enter")
        await wait_for_screen(pilot, InstallStep)


async def test_a_stored_key_the_instance_refuses_opens_connect_ready_for_a_new_one(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Started with `--url` and a revoked key (keyring or $STEEPLE_API_KEY): Connect, not a
    dead end whose fix points at a field that is not on screen."""
    from assistant.steeple.client import SteepleClient
    from screens.steps.install import InstallStep
    from tests.support.pilot import wait_for, wait_for_screen

    monkeypatch.setattr("screens.steps.connect.ConnectScreen._remember", lambda *_: None)
    server = start_sandbox()
    app = build_app(SteepleClient(server.base_url, "adm_revoked_key_0123456789", retries=0))
    async with app.run_test(size=(120, 40)) as pilot:

        def refused() -> bool:
            shown = isinstance(app.screen, ConnectScreen) and app.screen.is_ready
            return shown and app.screen.query_one(ErrorPanel).has_class("-visible")

        await wait_for(pilot, refused, "Connect with the refusal")
        screen = app.screen
        panel = screen.query_one(ErrorPanel)
        assert "did not accept the admin API key" in panel.message_text
        assert "Admin key field" in str(screen.query_one("#error-fix").content)
        assert screen.query_one("#url", Input).value == server.base_url
        assert app.focused is screen.query_one("#key", Input)
        await pilot.press(*admin_key, "enter")
        await wait_for_screen(pilot, InstallStep)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_connect_after_a_refused_key(
    size: tuple[int, int],
    snap_compare: Any,
    start_sandbox: Callable[..., Any],
    build_app: Callable[..., Any],
) -> None:
    from tests.support.app import public_client
    from tests.support.pilot import settle, wait_for

    server = start_sandbox()
    app = build_app(public_client(server.base_url, "adm_revoked_key_0123456789"))

    async def run_before(pilot: Any) -> None:
        def refused() -> bool:
            shown = isinstance(app.screen, ConnectScreen) and app.screen.is_ready
            return shown and app.screen.query_one(ErrorPanel).has_class("-visible")

        await wait_for(pilot, refused, "Connect with the refusal")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

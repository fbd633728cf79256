"""The Connect screen: what a person sees first without a profile, and how a bad key is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from screens.steps.connect import ConnectScreen
from screens.widgets.error_panel import ErrorPanel


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
) -> None:
    """A successful connection saves the URL in the profile; the key goes to the keyring or,
    with no keyring (the fail backend here, as on a headless server), nowhere — and says why."""
    import keyring.core
    from keyring.backends import fail

    from assistant.settings import load_settings, settings_path

    monkeypatch.delenv("STEEPLE_API_KEY", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
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
    from tests.core.wiretap import start_wiretap
    from tests.screens.helpers import wait_for

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

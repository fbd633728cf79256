"""The Connect screen: what a person sees first without a profile, and how a bad key is reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screens.steps.connect import ConnectScreen
from screens.widgets.error_panel import ErrorPanel


def test_connect_screen_80x24(snap_compare: Any, build_app: Callable[..., Any]) -> None:
    assert snap_compare(build_app(), terminal_size=(80, 24))


def test_connect_screen_120x40(snap_compare: Any, build_app: Callable[..., Any]) -> None:
    assert snap_compare(build_app(), terminal_size=(120, 40))


async def test_connect_needs_url_and_key(build_app: Callable[..., Any]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ConnectScreen)
        await pilot.click("#connect")
        await pilot.pause()
        panel = app.screen.query_one(ErrorPanel)
        assert "instance URL and the admin key" in panel.message_text

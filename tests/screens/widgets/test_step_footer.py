"""The steps' footer is rebuilt when the keys it shows change, and only then.

The app talks HTTP to an in-process sandbox; the footer's key widgets are compared by identity:
the same objects mean no rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets._footer import FooterKey

from assistant.steeple.client import SteepleClient
from screens.steps.install import InstallStep
from screens.widgets.step_footer import StepFooter
from tests.support.pilot import settle, wait_for, wait_for_screen
from tests.support.prepare import prepare


def keys_on_screen(screen: Any) -> list[FooterKey]:
    return list(screen.query_one(StepFooter).query(FooterKey))


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    start_sandbox: Callable[..., Any], build_app: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox()
    await prepare(server.base_url, admin_key, "none")
    app = build_app(SteepleClient(server.base_url, admin_key), step="install")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, InstallStep)
        await settle(pilot)
        before = keys_on_screen(screen)
        assert [key.key for key in before][:2] == ["b", "n"]

        for _ in range(5):  # what focus moves, writes and errors do: bindings *may* have changed
            screen.refresh_bindings()
            screen.focus_next()
            await pilot.pause()
        await settle(pilot)
        assert keys_on_screen(screen) == before  # the very same widgets: no rebuild

        install = screen.query_one("#install")
        install.display = False  # its key `i` is no longer offered (check_action)
        screen.refresh_bindings()
        await wait_for(
            pilot,
            lambda: "i" not in [key.key for key in keys_on_screen(screen)],
            "the footer without i",
        )
        install.display = True
        screen.refresh_bindings()
        await wait_for(pilot, lambda: "i" in [key.key for key in keys_on_screen(screen)], "i back")

"""The "Why is someone not in Steeple?" screen: opened from the palette, it asks for an e-mail and
shows the chain with the first broken link highlighted and its fix — against a real sandbox.

Here the app is not signed in to Entra (no `entra_side`), so the Entra links read "?" and the
screen says so; the Graph side of the chain is proven by `tests/assistant/cli/test_explain.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input, Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.steps.done import DoneScreen
from screens.steps.explain import ExplainScreen
from tests.screens.scenes import SIZES, ask, on_explain
from tests.support.app import frozen_clock
from tests.support.pilot import palette_offers, wait_for, wait_for_screen
from tests.support.prepare import prepare

ADA = "ada.lovelace@contoso.example"


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_from_the_palette_to_the_first_broken_link(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "active")
    async with SteepleClient(server.base_url, admin_key) as check:
        app = build_app(SteepleClient(server.base_url, admin_key), step="done", lang=lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DoneScreen)
            title = t("palette.explain", lang)
            await pilot.press("ctrl+p", *title)
            await wait_for(pilot, lambda: palette_offers(app, title), title)
            await pilot.press("enter")
            await on_explain(pilot)
            assert app.focused is app.screen.query_one("#address", Input)

            screen = await ask(pilot, ADA.upper())
            assert screen.result.ok and screen.result.graph is False
            assert not screen.query(".first-broken")
            assert "✓" in str(screen.query_one("#verdict", Static).render())
            assert screen.query_one("#unseen").display  # says what it cannot see

            await check.deactivate()  # the same person, now with the sync off
            screen = await ask(pilot, ADA)
            assert screen.result.first_broken.id == "steeple.sync"
            highlighted = screen.query(".first-broken")
            assert len(highlighted) == 1
            shown_line = str(highlighted.first().query_one(".link-text", Static).render())
            assert t("explain.steeple.sync.broken", lang) in shown_line
            assert t("explain.steeple.sync.broken.fix", lang) in shown_line
            marks = [str(s.render()) for s in screen.query(".link-mark").results(Static)]
            assert marks.count("?") == 7 and marks.count("✗") == 1

            screen = await ask(pilot, "nobody@nowhere.example")
            assert screen.result.first_broken.id == "steeple.received"


def _snapshot_app(app_at: Callable[..., Any], lang: str) -> Any:
    return app_at("mapped", "explain", lang=lang)


async def _explained(pilot: Any) -> None:
    await on_explain(pilot)
    await ask(pilot, ADA)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_snapshot(
    lang: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    """Sync not active yet: the verdict on top, the chain below with its ✗ highlighted."""
    app = _snapshot_app(app_at, lang)
    assert snap_compare(app, terminal_size=size, run_before=_explained)


def test_hostile_names_are_shown_as_data(app_at: Callable[..., Any]) -> None:
    """Group names holding markup and actions are shown literally, inert. (Names with escape
    sequences never arrive: Steeple refuses control characters in them, issue 20.)"""
    import asyncio

    from sandbox.hostile import HOSTILE_DOMAIN

    app = app_at("mapped", "explain", hostile=True)

    async def go() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await on_explain(pilot)
            screen = await ask(pilot, f"ada@{HOSTILE_DOMAIN}")
            texts = [str(s.render()) for s in screen.query(".link-text").results(Static)]
            shown_text = "\n".join(texts)
            assert "\x1b" not in shown_text and "\x9b" not in shown_text
            assert "[@click=app.quit]Quit when clicked[/]" in shown_text  # literal, inert
            await pilot.click(".first-broken")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, ExplainScreen)

    asyncio.run(go())

"""Copying through OSC 52 says what it can know: the value went to the terminal, which may drop it.

The terminal that would put it in the system clipboard cannot run here; Textual's own record of
what it sent (`app.clipboard`) stands in for it, and the message is read from the notification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from screens.steps.credentials import CredentialsStep
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_copy_says_sent_to_the_terminal_and_how_to_copy_by_hand(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox()
    secret = (await prepare(server.base_url, admin_key, "token")).secret
    app = build_app(SteepleClient(server.base_url, admin_key), step="credentials", lang=lang)
    app.revealed_secret = secret
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, CredentialsStep)
        await pilot.press("c")
        await wait_for(pilot, lambda: bool(app._notifications), "the notification")
        assert app.clipboard == secret
        message = list(app._notifications)[-1].message
        assert secret not in message
        if lang == "en":
            assert "sent to your terminal" in message and "press v to show the token" in message
            assert "copied" not in message
        else:
            assert "envoyé à votre terminal" in message and "appuyez sur v" in message

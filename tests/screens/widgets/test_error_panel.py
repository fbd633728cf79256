"""A failed call in a screen: hidden until there is one; then the message and the fix, as text
(a server's words are data), and Retry, which asks the screen to run the action again and is
offered only when there is something to retry."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Static

from assistant.i18n.translate import t
from screens.widgets.error_panel import ErrorPanel
from tests.support.modal_host import WidgetHost


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_shown_with_its_fix_and_retry_asks_again(lang: str) -> None:
    host = WidgetHost(ErrorPanel, lang)
    async with host.run_test(size=(80, 24)) as pilot:
        panel = host.query_one(ErrorPanel)
        assert not panel.is_shown
        message = "Steeple said: [b]no[/b] \x1b[31m"
        panel.show_error(message, "Check the key.")
        await pilot.pause()
        assert panel.is_shown
        assert "[b]no[/b]" in str(panel.query_one("#error-message", Static).render())
        assert "\x1b" not in str(panel.query_one("#error-message", Static).render())
        fix = str(panel.query_one("#error-fix", Static).render())
        assert fix == t("common.fix", lang, fix="Check the key.")
        await pilot.click("#retry")
        await pilot.pause()
        assert host.retries == 1
        panel.set_retryable(False)
        assert not panel.query_one("#retry", Button).display
        panel.clear()
        assert not panel.is_shown

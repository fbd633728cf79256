"""The busy indicator's still form (animations off) speaks the app's language, not Textual's
English; with animations on it is Textual's own moving dots."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from screens.widgets.busy_indicator import BusyIndicator


class Host(App[None]):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield BusyIndicator()


@pytest.mark.parametrize(("lang", "words"), [("en", "Loading..."), ("fr", "Chargement...")])
async def test_with_animations_off_it_says_loading_in_the_app_s_language(
    lang: str, words: str
) -> None:
    app = Host(lang)
    async with app.run_test():
        app.animation_level = "none"
        assert str(app.query_one(BusyIndicator).render()) == words


async def test_with_animations_on_it_draws_textual_s_dots() -> None:
    app = Host("fr")
    async with app.run_test():
        app.animation_level = "full"
        assert "●" in str(app.query_one(BusyIndicator).render())

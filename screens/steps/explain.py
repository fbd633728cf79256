""" "Why is someone not in Steeple?" — opened from the command palette, on any step.

The admin types an e-mail address; the screen gathers both sides (`assistant.explain.gather`,
Entra through the app's `entra_side` when signed in) and shows the chain from
`assistant.explain.chain`: the verdict first (so it is visible on a small terminal), then one line
per link, ✓ / ✗ / ?, the first ✗ highlighted with its fix. Everything shown quotes foreign text, so
every line goes through `shown`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import say

if TYPE_CHECKING:
    from assistant.explain.chain import Explanation

MARKS = {"ok": "✓", "broken": "✗", "unknown": "?"}


class ExplainScreen(StepScreen):
    """An input, the verdict, and the chain of links."""

    HEADING = "explain.screen.heading"
    WHY = "explain.screen.intro"
    HAS_CONTINUE = False
    LOADS = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="explain-ask"):
            yield Input(placeholder=say(self, "explain.screen.placeholder"), id="address")
            yield Button(say(self, "explain.screen.go"), id="explain", variant="primary")
        yield Static("", id="verdict")
        yield Vertical(id="chain")
        yield Static("", id="unseen", classes="muted")

    def setup(self) -> None:
        for widget_id in ("#verdict", "#unseen"):
            self.query_one(widget_id).display = False
        self.query_one("#address", Input).focus()

    def __init__(self) -> None:
        super().__init__()
        self.result: Explanation | None = None
        """The explanation on screen (tests read it)."""

    @on(Input.Submitted, "#address")
    @on(Button.Pressed, "#explain")
    def _ask(self) -> None:
        address = self.query_one("#address", Input).value.strip()
        if not address:
            self.notify(say(self, "explain.screen.empty"), severity="warning")
            return
        self.run_io(lambda: self._explain(address), group="explain")

    async def _explain(self, address: str) -> None:
        from assistant.explain.chain import explain
        from assistant.explain.gather import gather

        app = self.assistant
        side = app.entra_side
        facts = await gather(self.client, side, address)
        self.result = explain(facts, app.lang)
        await self._show(self.result)

    async def _show(self, result: Explanation) -> None:
        lang = self.assistant.lang
        sentence, fix = result.verdict(lang)
        broken = result.first_broken
        verdict = self.query_one("#verdict", Static)
        mark = "✗" if broken is not None else "✓"
        text = f"{mark} {sentence}" + (f"\n{say(self, 'headless.fix', fix=fix)}" if fix else "")
        verdict.update(shown(text))
        verdict.set_class(broken is not None, "verdict-broken")
        verdict.set_class(broken is None, "verdict-ok")
        verdict.display = True
        chain = self.query_one("#chain", Vertical)
        await chain.remove_children()
        rows = []
        for link in result.links:
            status = link.status.value
            text = f"{link.sentence}\n→ {link.fix}" if link is broken else link.sentence
            row = Horizontal(
                Static(MARKS[status], classes="link-mark"),
                Static(shown(text), classes="link-text"),
                classes=f"link link-{status}",
            )
            row.set_class(link is broken, "first-broken")
            rows.append(row)
        await chain.mount_all(rows)
        unseen = self.query_one("#unseen", Static)
        unseen.update(shown(say(self, "explain.screen.unseen")))
        unseen.display = bool(result.cannot_see)

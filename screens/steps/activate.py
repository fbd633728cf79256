"""Step: the activation dry run, then an explicit confirmation — the moment users are touched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.i18n import t
from assistant.journey import StepId
from assistant.lifecycle import activation_done
from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen
from screens.words import say

if TYPE_CHECKING:
    from assistant.contract import ActivationPreview

SAMPLE = 3
"""Conflicts, new admins and unmapped people listed by name; the rest are counted."""


def preview_text(preview: ActivationPreview, lang: str = "en") -> str:
    """The dry run's counts, then a few names of each kind and "… and N more" for the rest."""
    from assistant.i18n import t

    lines = [
        t("activate.preview.linked", lang, count=preview.linked_by_email),
        t("activate.preview.created", lang, count=preview.created),
        t("activate.preview.conflicts", lang, count=len(preview.conflicts)),
        t("activate.preview.unmapped", lang, count=preview.unmapped_users),
        t("activate.preview.admins", lang, count=len(preview.new_admins)),
        t("activate.preview.removed", lang, count=preview.removed),
    ]

    def more(shown: int, total: int) -> None:
        if total > shown:
            lines.append("  " + t("common.and_more", lang, count=total - shown))

    for conflict in preview.conflicts[:SAMPLE]:
        lines.append(f"  ! {one_line(conflict.message)}")
    more(min(SAMPLE, len(preview.conflicts)), len(preview.conflicts))
    for admin in preview.new_admins[:SAMPLE]:
        lines.append(
            t(
                "activate.preview.admin_line",
                lang,
                email=one_line(admin.email),
                community=one_line(admin.community_name),
            )
        )
    more(min(SAMPLE, len(preview.new_admins)), len(preview.new_admins))
    if preview.unmapped_sample:
        names = ", ".join(map(one_line, preview.unmapped_sample[:SAMPLE]))
        lines.append(t("activate.preview.unmapped_line", lang, names=names))
        more(min(SAMPLE, len(preview.unmapped_sample)), preview.unmapped_users)
    return "\n".join(lines)


class ActivateStep(StepScreen):
    """Nothing reaches Steeple accounts until this step; the dry run says exactly what will."""

    STEP_ID = StepId.ACTIVATE

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "activate.computing"), id="preview", classes="panel")
        yield Static("", id="result", classes="ok")
        yield Static(t("lifecycle.deprovisioning", self.assistant.lang), id="deprovisioning")
        with Horizontal(classes="actions"):
            activate = say(self, "activate.button")
            yield Button(activate, id="activate", variant="success", classes="later")
            yield Button(say(self, "activate.recompute"), id="recompute")
            yield Button(say(self, "common.continue"), id="continue", classes="later")

    async def load(self) -> None:
        client = self.client
        integration = await client.get_integration()
        active = integration.sync_active
        self.query_one("#activate").display = not active
        self.query_one("#continue").display = active
        if active:
            self.query_one("#preview", Static).update(say(self, "activate.already"))
            self.query_one("#continue").focus()
            return
        preview = await client.activation_preview()
        panel = self.query_one("#preview", Static)
        panel.border_title = say(self, "activate.dry_run")
        panel.update(shown(preview_text(preview, self.assistant.lang)))
        self._preview = preview
        self.query_one("#activate").focus()

    @on(Button.Pressed, "#recompute")
    def _recompute(self) -> None:
        self.run_io(self.load)

    @on(Button.Pressed, "#activate")
    def _activate(self) -> None:
        async def activate() -> None:
            result = await self.client.activate()
            self.query_one("#result", Static).update(
                shown(activation_done(result, self.assistant.lang))
            )
            self.query_one("#activate").display = False
            self.query_one("#continue").display = True
            self.query_one("#continue").focus()

        preview = getattr(self, "_preview", None)
        lang = self.assistant.lang
        body = preview_text(preview, lang) if preview is not None else ""
        self.confirm_then(
            say(self, "activate.confirm.title"),
            body + "\n\n" + say(self, "activate.confirm.tail"),
            activate,
            say(self, "activate.button"),
            safe_default=True,  # users are touched from here on: Enter alone must not do it
        )

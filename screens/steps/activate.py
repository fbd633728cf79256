"""Step: the activation dry run, then an explicit confirmation — the moment users are touched."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.i18n import t
from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen


def preview_text(preview: Any, lang: str = "en") -> str:
    lines = [
        f"Linked to existing accounts by e-mail: {preview.linked_by_email}",
        f"New accounts created:                  {preview.created}",
        f"Conflicts (skipped):                   {len(preview.conflicts)}",
        f"Unmapped users (no access):            {preview.unmapped_users}",
        f"New administrators:                    {len(preview.new_admins)}",
        f"{t('lifecycle.dry_run.removed_label', lang):<38} {preview.removed}",
    ]
    for conflict in preview.conflicts[:3]:
        lines.append(f"  ! {one_line(conflict.message)}")
    for admin in preview.new_admins[:3]:
        lines.append(f"  + {one_line(admin.email)} administers {one_line(admin.community_name)}")
    if preview.unmapped_sample:
        lines.append("  unmapped: " + ", ".join(map(one_line, preview.unmapped_sample[:3])))
    return "\n".join(lines)


def result_text(result: Any) -> str:
    return (
        "✓ Sync active. "
        f"{result.linked_by_email} linked, {result.created} created, "
        f"{result.skipped_conflicts} skipped, {result.memberships_granted} memberships granted."
    )


class ActivateStep(StepScreen):
    """Nothing reaches Steeple accounts until this step; the dry run says exactly what will."""

    STEP_ID = "activate"

    def compose_body(self) -> ComposeResult:
        yield Static("Computing the dry run…", id="preview", classes="panel")
        yield Static("", id="result", classes="ok")
        yield Static(t("lifecycle.deprovisioning", self.assistant.lang), id="deprovisioning")
        with Horizontal(classes="actions"):
            yield Button("Activate", id="activate", variant="success", classes="later")
            yield Button("Recompute", id="recompute")
            yield Button("Continue (n)", id="continue", classes="later")

    async def load(self) -> None:
        client = self.assistant.client
        integration = await client.get_integration()
        active = integration.sync_active
        self.query_one("#activate").display = not active
        self.query_one("#continue").display = active
        if active:
            self.query_one("#preview", Static).update("The integration is active: sync is on.")
            self.query_one("#continue").focus()
            return
        preview = await client.activation_preview()
        panel = self.query_one("#preview", Static)
        panel.border_title = "Dry run"
        panel.update(shown(preview_text(preview, self.assistant.lang)))
        self._preview = preview
        self.query_one("#activate").focus()

    @on(Button.Pressed, "#recompute")
    def _recompute(self) -> None:
        self.run_io(self.load)

    @on(Button.Pressed, "#activate")
    def _activate(self) -> None:
        async def activate() -> None:
            result = await self.assistant.client.activate()
            self.query_one("#result", Static).update(shown(result_text(result)))
            self.query_one("#activate").display = False
            self.query_one("#continue").display = True
            self.query_one("#continue").focus()

        preview = getattr(self, "_preview", None)
        body = preview_text(preview, self.assistant.lang) if preview is not None else ""
        self.confirm_then(
            "Activate provisioning?",
            body + "\n\nFrom now on Entra's changes reach Steeple accounts.",
            activate,
            "Activate",
        )

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()

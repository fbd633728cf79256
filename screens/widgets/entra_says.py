"""*Entra says*: the provisioning job as Graph reports it, and its latest provisioning log lines.

Shown beside *Steeple heard* (the request log) on the provisioning step, so a gap between the two
(Entra has 40 people in scope, Steeple heard 12) is visible at once. Everything Entra sends back —
the quarantine reason, the last error, the log's targets and reasons — is foreign text: rendered
through `shown`, never as markup or terminal control.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from assistant.i18n import TEXTS, t
from screens.foreign_text import one_line, shown
from screens.words import say

if TYPE_CHECKING:
    from assistant.entra.side import JobFacts, LogLine

LOG_ROWS = 20
"""The newest log lines Entra keeps are enough to see who failed and why; the rest is in Entra."""


def _clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment is not None else "?"


def state_line(facts: JobFacts, lang: str) -> str:
    """The job's state in words: running, paused, quarantined (with the reason and next retry)."""
    key = f"says.state.{facts.state}"
    state = t(key, lang) if key in TEXTS else one_line(facts.state)
    if facts.state == "Quarantine":
        return t(
            "says.quarantine",
            lang,
            reason=one_line(facts.quarantine_reason or "?"),
            retry=_clock(facts.next_retry),
        )
    if facts.progress is not None and facts.in_initial_cycle:
        done, total = facts.progress
        return t("says.progress", lang, state=state, done=done, total=total)
    if facts.steady:
        return t("says.steady", lang, state=state)
    return t("says.state", lang, state=state)


def scope_line(facts: JobFacts, lang: str) -> str:
    scope = "?" if facts.users_in_scope is None else str(facts.users_in_scope)
    line = t("says.scope", lang, users=scope, groups=facts.assigned_groups)
    if facts.last_run is not None:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(facts.last_counts.items()))
        line += "\n" + t(
            "says.last_run", lang, time=_clock(facts.last_run), counts=one_line(counts or "-")
        )
    return line


def gap_line(facts: JobFacts | None, users_heard: int, lang: str) -> str:
    """Entra's count of people in scope against the users Steeple received: "" when they agree,
    or before Entra ever ran (nobody is expected yet, so a gap would be noise)."""
    if facts is None or facts.users_in_scope is None or users_heard >= facts.users_in_scope:
        return ""
    if facts.last_run is None and not facts.in_initial_cycle and facts.state != "Active":
        return ""
    key = "says.gap_running" if facts.in_initial_cycle else "says.gap"
    return t(key, lang, scope=facts.users_in_scope, heard=users_heard)


class EntraSays(Vertical):
    """Job state, scope, last cycle, last error; then the provisioning log, newest first."""

    DEFAULT_CSS = """
    EntraSays { height: auto; border: round $primary; padding: 0 1; }
    EntraSays > #says-error { color: $error; }
    EntraSays > #says-quarantine { color: $error; text-style: bold; }
    EntraSays > DataTable { height: auto; max-height: 8; }
    """

    def compose(self) -> ComposeResult:
        yield Static(say(self, "says.loading"), id="says-state")
        yield Static("", id="says-scope")
        yield Static("", id="says-error")
        table: DataTable[Text] = DataTable(id="says-log", cursor_type="row", zebra_stripes=True)
        yield table

    def on_mount(self) -> None:
        self.border_title = say(self, "says.title")
        columns = ("time", "action", "status", "who", "why")
        self.query_one(DataTable).add_columns(*(say(self, f"says.col_{c}") for c in columns))
        self.query_one("#says-log").display = False

    def show(self, facts: JobFacts, lines: Sequence[LogLine]) -> None:
        """Show what Graph said this time (a full replacement: Graph's view is the truth)."""
        lang = str(getattr(self.app, "lang", "en"))
        state = self.query_one("#says-state", Static)
        state.update(shown(state_line(facts, lang)))
        state.set_class(facts.state == "Quarantine", "bad")
        self.query_one("#says-scope", Static).update(shown(scope_line(facts, lang)))
        error = facts.last_error
        self.query_one("#says-error", Static).update(
            shown(t("says.last_error", lang, error=one_line(error))) if error else ""
        )
        table = self.query_one(DataTable)
        table.clear()
        for line in sorted(lines, key=lambda entry: entry.time, reverse=True)[:LOG_ROWS]:
            why = " ".join(part for part in (line.error_code, line.reason) if part)
            table.add_row(
                Text(line.time.strftime("%H:%M:%S")),
                shown(line.action, multiline=False),
                shown(line.status, multiline=False),
                shown(line.target, multiline=False),
                shown(why, multiline=False),
            )
        table.display = bool(lines)

    def show_unavailable(self, sentence: str) -> None:
        """Graph could not be read this time: say so in the panel, keep the last log lines."""
        self.query_one("#says-state", Static).update(shown(sentence))

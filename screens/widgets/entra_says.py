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
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, DataTable, Static

from screens.foreign_text import one_line, shown
from screens.widgets.fitted_table import FittedTable, cell, show_whole_row
from screens.words import keyed, known, say

if TYPE_CHECKING:
    from assistant.entra.side import JobFacts, LogLine

LOG_ROWS = 20
"""The newest log lines Entra keeps are enough to see who failed and why; the rest is in Entra."""


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def state_line(facts: JobFacts, lang: str) -> str:
    """The job's state in words: running, paused, quarantined (with the reason and next retry)."""
    key = f"says.state.{facts.state}"
    state = say(lang, key) if known(key) else one_line(facts.state)
    if facts.state == "Quarantine":
        # Graph's own Get-job example has a quarantine whose reason and next attempt are empty
        # strings: say what is known, never "?" in place of Entra's word.
        if not facts.quarantine_reason:
            return say(lang, "says.quarantine.unexplained")
        reason = one_line(facts.quarantine_reason)
        if facts.next_retry is None:
            return say(lang, "says.quarantine.no_retry", reason=reason)
        return say(lang, "says.quarantine", reason=reason, retry=_clock(facts.next_retry))
    if facts.progress is not None and facts.in_initial_cycle:
        done, total = facts.progress
        return say(lang, "says.progress", state=state, done=done, total=total)
    if facts.steady:
        return say(lang, "says.steady", state=state)
    return say(lang, "says.state", state=state)


def count_name(name: str, lang: str) -> str:
    """Graph's name of a cycle count (entitled, exported…) in words; an unknown one as sent."""
    key = f"says.count_{name}"
    return say(lang, key) if known(key) else one_line(name)


def scope_line(facts: JobFacts, lang: str) -> str:
    scope = "?" if facts.users_in_scope is None else str(facts.users_in_scope)
    line = say(lang, "says.scope", users=scope, groups=facts.assigned_groups)
    if facts.last_run is not None:
        counts = ", ".join(
            f"{count_name(name, lang)} {count}" for name, count in sorted(facts.last_counts.items())
        )
        line += "\n" + say(
            lang, "says.last_run", time=_clock(facts.last_run), counts=one_line(counts or "-")
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
    return say(lang, key, scope=facts.users_in_scope, heard=users_heard)


LOG_COLUMNS = ("time", "action", "status", "who", "why")


class SaysLog(FittedTable):
    """Entra's provisioning log, newest first: who and why shrink with "…", never disappear."""

    FLEXIBLE = ("who", "why")  # the reason gives way before the name


class EntraSays(Vertical):
    """Job state, scope, last cycle, last error; then the provisioning log, newest first, sized
    to its lines; the highlighted line whole under it when a column cuts it."""

    DEFAULT_CSS = """
    EntraSays { height: auto; border: round $primary; padding: 0 1; }
    EntraSays > #says-error { color: $text-error; }
    EntraSays > DataTable { height: auto; max-height: 9; }
    EntraSays > #says-detail { color: $text-muted; }
    EntraSays > #ondemand { height: auto; max-width: 100%; margin: 0 0 1 0; }
    """

    def compose(self) -> ComposeResult:
        # first: the log grows under it, so the button stays where the admin saw it
        yield Button(keyed(self, "ondemand.button", "o"), id="ondemand", compact=True)
        yield Static(say(self, "says.loading"), id="says-state")
        yield Static("", id="says-scope")
        yield Static("", id="says-error")
        yield SaysLog(id="says-log", cursor_type="row", zebra_stripes=True)
        yield Static("", id="says-detail")

    def on_mount(self) -> None:
        self.border_title = say(self, "says.title")
        table = self.query_one(SaysLog)
        for column in LOG_COLUMNS:
            table.add_fitted_column(
                say(self, f"says.col_{column}"), column, 8 if column == "time" else None
            )
        table.display = False
        self.query_one("#says-detail").display = False

    def show(self, facts: JobFacts, lines: Sequence[LogLine], logs_unavailable: str = "") -> None:
        """Show what Graph said this time (a full replacement: Graph's view is the truth).

        `logs_unavailable`: why the provisioning logs could not be read (a Free tenant has no
        logs through Graph), said where the log lines would be; the job's state still shows.
        """
        lang = str(getattr(self.app, "lang", "en"))
        state = self.query_one("#says-state", Static)
        state.update(shown(state_line(facts, lang)))
        state.set_class(facts.state == "Quarantine", "bad")
        self.query_one("#says-scope", Static).update(shown(scope_line(facts, lang)))
        error = facts.last_error
        error_line = self.query_one("#says-error", Static)
        said = [shown(say(lang, "says.last_error", error=one_line(error)))] if error else []
        if logs_unavailable:
            said.append(shown(logs_unavailable))
        error_line.update(Text("\n").join(said))
        error_line.display = bool(said)
        table = self.query_one(SaysLog)
        table.clear()
        for line in sorted(lines, key=lambda entry: entry.time, reverse=True)[:LOG_ROWS]:
            why = " ".join(part for part in (line.error_code, line.reason) if part)
            cells = (
                Text(line.time.strftime("%H:%M:%S")),
                cell(shown(line.action, multiline=False)),
                cell(shown(line.status, multiline=False)),
                cell(shown(line.target, multiline=False)),
                cell(shown(why, multiline=False)),
            )
            table.note_cells(zip(LOG_COLUMNS, cells, strict=True))
            table.add_row(*cells)
        table.display = bool(lines)
        self._show_detail()

    @on(DataTable.RowHighlighted, "#says-log")
    def _show_detail(self) -> None:
        """The highlighted log line whole, when a column cuts it (a long name, a reason)."""
        show_whole_row(self.query_one(SaysLog), self.query_one("#says-detail", Static))

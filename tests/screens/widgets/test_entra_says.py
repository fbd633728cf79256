"""*Entra says* renders Entra's texts as data: a quarantine reason, an error or a log line that
carries markup or terminal control is shown literally, and the gap line compares the counts.

The facts are built here as the facade returns them (the emulator cannot be made to send
escape sequences in a quarantine reason); the panel's job is only to render them safely.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from assistant.entra.facts import JobFacts, LogLine
from screens.widgets.entra_says import EntraSays, gap_line, state_line

HOSTILE = "\x1b]52;c;cHduZWQ=\x07[@click=app.quit]Sales[/]\u202e"
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def facts(**fields: object) -> JobFacts:
    values: dict[str, object] = {
        "state": "Active",
        "steady": False,
        "in_initial_cycle": False,
        "progress": None,
        "users_in_scope": 40,
        "assigned_groups": 2,
        "last_run": WHEN,
        **fields,
    }
    return JobFacts(**values)  # type: ignore[arg-type]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield EntraSays()


async def test_hostile_quarantine_reason_error_and_log_line_are_shown_as_data() -> None:
    quarantined = facts(
        state="Quarantine",
        quarantine_reason=HOSTILE,
        next_retry=WHEN,
        last_error=HOSTILE,
    )
    line = LogLine(WHEN, "Create", "failure", HOSTILE, "SCIMEndpoint\x9b", HOSTILE)
    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        says = app.query_one(EntraSays)
        says.show(quarantined, [line])
        await pilot.pause()
        state = str(says.query_one("#says-state", Static).render())
        error = str(says.query_one("#says-error", Static).render())
        table = says.query_one(DataTable)
        cells = " ".join(str(cell) for cell in table.get_row_at(0))
        for shown in (state, error, cells):
            assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown
            assert "␛]52;c;" in shown and "[@click=app.quit]Sales[/]" in shown
        assert state.startswith("Quarantined by Entra: ") and "09:30" in state
        assert app.is_running  # the click markup did not quit the app


def test_the_gap_line_compares_entra_and_steeple() -> None:
    expected = "Entra says 40 users are in scope; Steeple heard 12."
    assert gap_line(facts(), 12, "en").startswith(expected)
    assert gap_line(facts(), 40, "en") == ""
    running = facts(in_initial_cycle=True, last_run=None)
    assert "so far (initial cycle running)" in gap_line(running, 12, "en")
    assert gap_line(facts(state="NotRun", last_run=None), 0, "en") == ""  # nobody expected yet
    assert gap_line(facts(), 12, "fr").startswith("Selon Entra, 40 utilisateurs")


def documented_quarantine() -> JobFacts:
    """Microsoft's Get-job example (tests/fixtures/graph/synchronizationjob-get.http) with its
    status code set to Quarantine: its quarantine's reason and nextAttempt are empty strings."""
    from assistant.entra.facts import job_facts
    from assistant.entra.graph_models import SynchronizationJob
    from tests.support.graph_fixtures import load

    body = load("synchronizationjob-get").body
    assert isinstance(body, dict)
    status = {**body["status"], "code": "Quarantine"}
    job = SynchronizationJob.model_validate({**body, "status": status})
    return job_facts(job, assigned_groups=0, users_in_scope=None)


def test_a_quarantine_without_reason_or_retry_says_so_in_words() -> None:
    quarantined = documented_quarantine()
    assert quarantined.quarantine_reason is None and quarantined.next_retry is None
    for lang in ("en", "fr"):
        line = state_line(quarantined, lang)
        assert "?" not in line and "Entra" in line
    assert "no reason yet" in state_line(quarantined, "en")
    reasoned = replace(quarantined, quarantine_reason="EncounteredQuarantineException")
    assert state_line(reasoned, "en") == (
        "Quarantined by Entra: EncounteredQuarantineException. Entra has not said when it retries."
    )
    retrying = replace(reasoned, next_retry=datetime(2026, 3, 2, 9, 45, tzinfo=UTC))
    assert state_line(retrying, "fr").endswith("Prochain essai vers 09:45.")

"""`steeple-assistant rotate-token [--yes] [--json] [--timeout SECONDS] [--via-graph]`.

The rotation of `assistant/rotation/engine.py` for scripts and support calls. Without `--yes` it
says what it would do (which token Entra uses — from Entra's own provisioning traffic —, which one a
full pair would lose, what an interrupted rotation left, the time limit); run by a person at a
terminal it then asks (which token is saved in Entra, when the traffic cannot tell; whether to
go on), and elsewhere it exits 2, like `activate`/`deactivate`. With `--yes` it never asks and
never guesses: when the traffic cannot tell which token Entra holds, it stops (exit 2) saying
why and how to decide, having changed nothing.

Where the new secret goes — the one thing here more dangerous than a wrong answer:
- `--via-graph` (after `entra signin`): straight from the instance's answer to Graph's
  `secrets` call; it is never printed at all.
- without Graph a person must paste it into the Entra admin center, so it is written to the
  controlling terminal (`/dev/tty`) and nowhere else: not to stdout or stderr, which scripts
  redirect into files and CI logs, never in `--json`, never logged. With no terminal (cron, CI,
  a pipe with no tty) the command refuses (exit 2) before creating anything, rather than create
  a token nobody can see and leave it live. The person presses Enter once they saved it in Entra
  (end of input cancels).

JSON (`--json`, one object on stdout; progress lines go to stderr)::

    {"instance": "...", "applied": true|false, "via": "graph|paste",
     "time_limit_seconds": 4800.0,
     "plan": {"action": "rotate|replace|clean|resume|ask", "certain": true|false,
              "old_hint": "…" | null, "replaced_hint": "…" | null, "candidate_hint": "…" | null},
     "outcome": "revoked|stopped|planned", "reason": null | "timeout|test_failed|declined|
     undecided|held|cancelled|no_token|error", "message": "...", "fix": "...",
     "old_hint": "…", "new_hint": "…" | null, "live_hints": ["…"],
     "verified_by": {"seq", "time", "kind", "status", "token_hint"} | null,
     "stages": ["checked", "created", ...]}

Exit codes: 0 rotated (old token revoked); 2 no `--yes` (nothing changed), the traffic cannot
tell which token Entra holds (`undecided`), no terminal for the manual path, or cancelled; 3 the
instance or Graph not reachable, not authorised, or not signed in for `--via-graph`; 4 nothing
to rotate (not installed, no token), a failed Test Connection, no provisioning from Entra with
the new token within the time limit, or a refusal to revoke the token on Entra's latest
provisioning request (Entra's token revoked in none of them).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from contextlib import suppress
from typing import TYPE_CHECKING

from assistant.cli.options import Options, language
from assistant.cli.output import JsonValue
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:  # the rest is imported by the command itself: `--help` stays fast
    from collections.abc import Awaitable, Callable

    from assistant.cli.connection import Connection
    from assistant.rotation.engine import EntraCredentials
    from assistant.rotation.events import Plan, RotationEvent, Stopped
    from assistant.steeple.contract import TokenInfo

WAITING_SHOWN_EVERY = 60.0
"""Seconds between two 'still waiting' lines: a long wait is not a wall of text."""

_EXIT_FOR = {  # by StopReason value
    "no_token": EXIT_BLOCKED,
    "declined": EXIT_USAGE,
    "undecided": EXIT_USAGE,
    "held": EXIT_BLOCKED,
    "test_failed": EXIT_BLOCKED,
    "cancelled": EXIT_USAGE,
    "timeout": EXIT_BLOCKED,
    "error": EXIT_UNREACHABLE,
}


def register_rotation_cli(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rotate = commands.add_parser(
        "rotate-token",
        help="replace the SCIM token without downtime (the old one is revoked only once Entra "
        "uses the new one)",
    )
    rotate.add_argument(
        "--yes",
        action="store_true",
        help="rotate without asking (without it: the plan, then questions on a terminal)",
    )
    rotate.add_argument("--json", action="store_true", help="print JSON (see docs)")
    rotate.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="how long to wait for Entra's request with the new token (default: two cycles)",
    )
    rotate.add_argument(
        "--via-graph",
        action="store_true",
        help="save and test the new token in Entra through Microsoft Graph (after entra signin)",
    )
    from assistant.cli.arguments import add_entra_location_options

    add_entra_location_options(rotate, nested=True)  # `--via-graph`'s Entra, as on `entra`
    rotate.set_defaults(handler=_rotate)


def _rotate(options: Options) -> int:
    from assistant.cli.runner import run
    from assistant.i18n.translate import t
    from assistant.text.safe import terminal_safe

    lang = language(options)
    if options.timeout is not None and not options.timeout > 0:
        print(t("headless.error", lang, message="--timeout", fix="> 0"), file=sys.stderr)
        return EXIT_USAGE
    try:  # `--via-graph` sends an Entra token: its location is checked before any request
        return run(options, rotate_body, check_entra=options.via_graph)
    except KeyboardInterrupt:  # Ctrl-C while waiting: nothing was revoked
        print(terminal_safe(t("rotation.stop.cancelled", lang)), file=sys.stderr)
        return EXIT_USAGE


class _Printer:
    """Stage lines as they happen: stdout for text, stderr when stdout carries the JSON."""

    def __init__(self, options: Options, lang: str) -> None:
        self.out = sys.stderr if options.json else sys.stdout
        self.lang = lang
        self.stages: list[str] = []
        self.new_hint: str | None = None
        self.verified: dict[str, JsonValue] | None = None
        self._waiting_shown: float | None = None

    def __call__(self, event: RotationEvent) -> None:
        from assistant.rotation.events import Checked, Created, Stopped, Verified, Waiting
        from assistant.rotation.text import event_line
        from assistant.text.safe import terminal_safe

        if not self.stages or self.stages[-1] != event.stage.value:
            self.stages.append(event.stage.value)
        if isinstance(event, Created):
            self.new_hint = event.hint
        if isinstance(event, Verified) and event.entry is not None:
            self.verified = event.entry.model_dump(
                mode="json", include={"seq", "time", "kind", "status", "token_hint"}
            )
        if isinstance(event, Stopped | Checked):
            return  # the plan said which token Entra uses; the result has the final lines
        if isinstance(event, Waiting):
            if self._waiting_shown is not None and (
                event.elapsed - self._waiting_shown < WAITING_SHOWN_EVERY
            ):
                return
            self._waiting_shown = event.elapsed
        print(terminal_safe(event_line(event, self.lang)), file=self.out, flush=True)


class _Terminal:
    """The controlling terminal: where the secret is shown and the Enter is read."""

    def __init__(self) -> None:
        # Two text streams: a tty is not seekable, so one "r+" text stream cannot be opened.
        self.reader = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 - closed in close()
        try:
            self.writer = open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115
        except OSError:
            self.reader.close()
            raise

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


def _open_terminal() -> _Terminal | None:
    """The controlling terminal, or None when there is none (cron, CI, no tty)."""
    try:
        return _Terminal()
    except OSError:
        return None


def _paster(tty: _Terminal, lang: str) -> Callable[[str, str], Awaitable[bool]]:
    from assistant.i18n.translate import t
    from assistant.text.safe import terminal_safe

    async def paste(secret: str, tenant_url: str) -> bool:
        out = tty.writer
        out.write(terminal_safe(t("rotation.tenant_url", lang, url=tenant_url)) + "\n")
        out.write(t("rotation.secret", lang, secret=secret) + "\n")
        out.write(t("rotation.paste", lang, press=t("rotation.enter", lang)) + "\n")
        out.flush()
        answer = await asyncio.to_thread(tty.reader.readline)
        return answer != ""  # end of input: the person went away

    return paste


def _ask(tty: _Terminal, prompt: str) -> str:
    tty.writer.write(prompt)
    tty.writer.flush()
    return tty.reader.readline().strip()


def _which(tty: _Terminal, plan: Plan, lang: str) -> TokenInfo | None:
    """Ask the person at the terminal which token is saved in Entra (Enter: they do not know)."""
    from assistant.i18n.translate import t
    from assistant.rotation.text import choice_label
    from assistant.text.safe import terminal_safe

    choices = [token for token in (plan.old, plan.other) if token is not None]
    tty.writer.write(t("rotation.which.title", lang) + "\n")
    for number, token in enumerate(choices, start=1):
        tty.writer.write(f"  {number}. {terminal_safe(choice_label(token, plan, lang))}\n")
    answer = _ask(tty, t("rotation.which.prompt", lang))
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    return None


def _plan_json(plan: Plan) -> dict[str, JsonValue]:
    from assistant.rotation.events import Action

    replaced = plan.other if plan.action in (Action.REPLACE, Action.CLEAN) else None
    candidate = plan.other if plan.action in (Action.ASK, Action.RESUME) else None
    return {
        "action": plan.action.value,
        "certain": plan.holder.certain,
        "old_hint": plan.old.hint if plan.old is not None else None,
        "replaced_hint": replaced.hint if replaced is not None else None,
        "candidate_hint": candidate.hint if candidate is not None else None,
    }


async def rotate_body(options: Options, conn: Connection, lang: str) -> int:
    """Plan; with `--yes` (or a person's answers at a terminal), the rotation."""
    from assistant.cli.output import emit, fail
    from assistant.i18n.translate import t
    from assistant.rotation.engine import default_time_limit
    from assistant.rotation.events import Action, Stopped, StopReason, plan_rotation
    from assistant.rotation.journal import RotationJournal
    from assistant.rotation.text import plan_lines
    from assistant.text.safe import terminal_safe

    client = conn.client
    integration = await client.get_integration()
    live = (await client.list_tokens()).tokens if integration.installed else []
    if not integration.installed or not live:
        key = "lifecycle.not_installed" if not integration.installed else "rotation.stop.no_token"
        fail(options, "config", t(key, lang), t(f"{key}.fix", lang), lang)
        return EXIT_BLOCKED
    journal = RotationJournal.for_instance(client.base_url)
    plan = plan_rotation(live, journal.pending(live))
    limit = options.timeout or default_time_limit(await client.get_provisioning())
    via = "graph" if options.via_graph else "paste"
    lines = plan_lines(plan, limit, lang, via_graph=options.via_graph, asking=not options.yes)
    payload: dict[str, JsonValue] = {
        "instance": client.base_url,
        "applied": False,
        "via": via,
        "time_limit_seconds": limit,
        "plan": _plan_json(plan),
        "outcome": "planned",
        "reason": None,
        "message": "",
        "fix": "",
        "old_hint": plan.old.hint if plan.old is not None else None,
        "new_hint": None,
        "live_hints": [token.hint for token in live],
        "verified_by": None,
        "stages": [],
    }
    if options.yes and plan.action is Action.ASK:  # nobody to ask, and never a guess
        if not options.json:
            print(terminal_safe("\n".join(lines), newlines=True), flush=True)
        stopped = Stopped(StopReason.UNDECIDED, live_hints=tuple(token.hint for token in live))
        return _stopped(options, payload, stopped, lang, limit, conn.secret)
    interactive = not options.yes and sys.stdin.isatty()
    tty: _Terminal | None = _open_terminal() if interactive or not options.via_graph else None
    answer: TokenInfo | None = None
    out = sys.stderr if options.json else sys.stdout
    try:
        if not options.yes:
            if tty is None or not interactive:
                emit(
                    options,
                    payload,
                    "\n".join([*lines, "", t("rotation.needs_yes", lang)]),
                    conn.secret,
                )
                return EXIT_USAGE
            print(terminal_safe("\n".join(lines), newlines=True), file=out, flush=True)
            if plan.action is Action.ASK:
                answer = _which(tty, plan, lang)
                if answer is None:
                    hints = tuple(token.hint for token in live)
                    stopped = Stopped(StopReason.UNDECIDED, live_hints=hints)
                    return _stopped(options, payload, stopped, lang, limit, conn.secret)
            if _ask(tty, t("rotation.confirm_prompt", lang)).casefold() != t(
                "rotation.confirm_yes", lang
            ):
                emit(options, payload, t("rotation.needs_yes", lang), conn.secret)
                return EXIT_USAGE
        return await _rotate_now(options, conn, lang, plan, lines, tty, answer, payload, limit)
    finally:
        if tty is not None:
            tty.close()


async def _rotate_now(
    options: Options,
    conn: Connection,
    lang: str,
    plan: Plan,
    lines: list[str],
    tty: _Terminal | None,
    answer: TokenInfo | None,
    payload: dict[str, JsonValue],
    limit: float,
) -> int:
    from assistant.cli.output import emit, fail
    from assistant.i18n.translate import t
    from assistant.rotation.engine import Revoked, Rotation
    from assistant.rotation.journal import RotationJournal
    from assistant.rotation.text import event_line
    from assistant.text.safe import terminal_safe

    entra: EntraCredentials | None = None
    if options.via_graph:
        entra = await conn.open_entra()
        if entra is None:
            key = "rotation.not_signed_in"
            fail(options, "config", t(key, lang), t(f"{key}.fix", lang), lang)
            return EXIT_UNREACHABLE
    elif tty is None:
        key = "rotation.no_terminal"
        fail(options, "config", t(key, lang), t(f"{key}.fix", lang), lang)
        return EXIT_USAGE
    printer = _Printer(options, lang)
    if options.yes:  # a person at a terminal has read the plan already
        for line in lines:
            print(terminal_safe(line), file=printer.out, flush=True)

    async def accept(*_: object) -> bool:  # --yes or "y", and the plan named the token replaced
        return True

    async def told(_: Plan) -> TokenInfo | None:  # the person's answer, before anything changed
        return answer

    rotation = Rotation(
        conn.client,
        entra=entra,
        paste=_paster(tty, lang) if tty is not None and entra is None else None,
        confirm_replace=accept,
        which_token=told if answer is not None else None,
        journal=RotationJournal.for_instance(conn.client.base_url),
        time_limit=limit,
        on_event=printer,
        lang=lang,
    )
    try:
        outcome = await rotation.run()
    finally:
        if entra is not None and hasattr(entra, "aclose"):
            with suppress(Exception):
                await entra.aclose()
    payload.update(stages=printer.stages, new_hint=printer.new_hint, verified_by=printer.verified)
    if isinstance(outcome, Revoked):
        payload.update(
            applied=True,
            outcome="revoked",
            old_hint=outcome.old_hint,
            live_hints=[outcome.new_hint],
        )
        payload["new_hint"] = outcome.new_hint
        emit(options, payload, event_line(outcome, lang), conn.secret)
        return EXIT_OK
    return _stopped(options, payload, outcome, lang, limit, conn.secret)


def _stopped(
    options: Options,
    payload: dict[str, JsonValue],
    outcome: Stopped,
    lang: str,
    limit: float,
    secret: str,
) -> int:
    from assistant.cli.output import emit
    from assistant.rotation.text import stop_lines, stop_parts
    from assistant.text.safe import terminal_safe

    lines = stop_lines(outcome, lang, limit=limit)
    message, fix = stop_parts(outcome, lang, limit=limit)
    payload.update(
        outcome="stopped",
        reason=outcome.reason.value,
        message=message,
        fix=fix,
        live_hints=list(outcome.live_hints),
    )
    if options.json:
        emit(options, payload, "", secret)
    else:
        print(terminal_safe("\n".join(lines), newlines=True), file=sys.stderr)
    return _EXIT_FOR[outcome.reason.value]

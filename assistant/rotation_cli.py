"""`steeple-assistant rotate-token [--yes] [--json] [--timeout SECONDS] [--via-graph]`.

The rotation of `assistant/rotation.py` for scripts and support calls. Without `--yes` it only
says what it would do (which token Entra uses, which one a full pair would lose, the time limit)
and exits 2, like `activate`/`deactivate`.

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
     "plan": {"old_hint": "…", "replaced_hint": "…" | null},
     "outcome": "revoked|stopped|planned", "reason": null | "timeout|test_failed|declined|
     cancelled|no_token|error", "message": "...", "fix": "...",
     "old_hint": "…", "new_hint": "…" | null, "live_hints": ["…"],
     "verified_by": {"seq", "time", "kind", "status", "token_hint"} | null,
     "stages": ["checked", "created", ...]}

Exit codes: 0 rotated (old token revoked); 2 no `--yes` (nothing changed), no terminal for the
manual path, or cancelled; 3 the instance or Graph not reachable, not authorised, or not signed
in for `--via-graph`; 4 nothing to rotate (not installed, no token), a failed Test Connection, or
no request from Entra with the new token within the time limit (nothing revoked in any of them).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack, suppress
from typing import TYPE_CHECKING, Any

from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:  # the rest is imported by the command itself: `--help` stays fast
    from assistant.client import SteepleClient
    from assistant.entra.side import EntraSide
    from assistant.rotation import EntraCredentials, RotationEvent, Stopped

WAITING_SHOWN_EVERY = 60.0
"""Seconds between two 'still waiting' lines: a long wait is not a wall of text."""

_EXIT_FOR = {  # by StopReason value
    "no_token": EXIT_BLOCKED,
    "declined": EXIT_USAGE,
    "test_failed": EXIT_BLOCKED,
    "cancelled": EXIT_USAGE,
    "timeout": EXIT_BLOCKED,
    "error": EXIT_UNREACHABLE,
}


def register_rotation_cli(commands: Any) -> None:
    rotate = commands.add_parser(
        "rotate-token",
        help="replace the SCIM token without downtime (the old one is revoked only once Entra "
        "uses the new one)",
    )
    rotate.add_argument("--yes", action="store_true", help="rotate (without it: only the plan)")
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
    from assistant.entra.cli import add_entra_location_options

    add_entra_location_options(rotate, nested=True)  # `--via-graph`'s Entra, as on `entra`
    rotate.set_defaults(func=_rotate)


def _rotate(args: argparse.Namespace) -> int:
    from assistant.cli import _lang
    from assistant.i18n import t
    from assistant.safe_text import terminal_safe

    lang = _lang(args)
    if args.timeout is not None and not args.timeout > 0:
        print(t("headless.error", lang, message="--timeout", fix="> 0"), file=sys.stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(_run(args, lang))
    except KeyboardInterrupt:  # Ctrl-C while waiting: nothing was revoked
        print(terminal_safe(t("rotation.stop.cancelled", lang)), file=sys.stderr)
        return EXIT_USAGE


OpenEntra = Callable[[], Awaitable["EntraCredentials | None"]]


async def _run(args: argparse.Namespace, lang: str) -> int:
    """Open Steeple (and, only if asked, Entra) the way `entra setup` does; run; map failures.

    `--sandbox` signs in to the sandbox's own emulated tenant (in memory, automatically); `--url`
    uses the session `entra signin` cached, pointed at by the Entra options or environment.
    """
    from assistant.entra.graph_errors import GraphError
    from assistant.entra.signin import SignInError
    from assistant.errors import SteepleError
    from assistant.headless import Connection, UsageProblem, connect, fail

    async with AsyncExitStack() as stack:
        try:
            if args.sandbox:
                from assistant.sandbox_mode import start_sandbox

                session = await asyncio.to_thread(start_sandbox, args.db)
                stack.callback(session.stop)
                client = session.client()
                stack.push_async_callback(client.aclose)
                conn = Connection(client, session.admin_key)

                async def open_entra() -> EntraCredentials | None:
                    return await session.open_entra_side(client, lang)

            else:
                if args.via_graph:  # a Graph URL the token must not go to: before any request
                    from assistant.entra.cli import entra_settings

                    entra_settings(args, lang)
                conn = connect(args, stack)

                async def open_entra() -> EntraCredentials | None:
                    return await _entra_from_cache(args, conn.client, lang)

            return await rotate_body(args, conn, lang, open_entra)
        except UsageProblem as problem:
            fail(args, "config", problem.message, problem.fix, lang)
            return problem.exit_code
        except SteepleError as exc:
            message, fix = exc.text(lang)
            fail(args, exc.kind.value, message, fix, lang, status=exc.status, code=exc.code)
            return EXIT_UNREACHABLE
        except (GraphError, SignInError) as exc:  # opening Entra: not signed in, unreachable…
            fail(args, "entra", exc.sentence, exc.fix, lang, code=getattr(exc, "code", None))
            return EXIT_UNREACHABLE


async def _entra_from_cache(
    args: argparse.Namespace, client: SteepleClient, lang: str
) -> EntraSide | None:
    from assistant.entra.cli import entra_settings
    from assistant.entra.side import open_entra_side

    settings = entra_settings(args, lang)  # refused (exit 2) before any token is read
    sso = await client.get_sso()
    return await open_entra_side(settings, sso_identifiers=sso.app_identifiers, lang=lang)


class _Printer:
    """Stage lines as they happen: stdout for text, stderr when stdout carries the JSON."""

    def __init__(self, args: argparse.Namespace, lang: str) -> None:
        self.out = sys.stderr if args.json else sys.stdout
        self.lang = lang
        self.stages: list[str] = []
        self.new_hint: str | None = None
        self.verified: dict[str, Any] | None = None
        self._waiting_shown: float | None = None

    def __call__(self, event: RotationEvent) -> None:
        from assistant.rotation import Checked, Created, Stopped, Verified, Waiting
        from assistant.rotation_text import event_line
        from assistant.safe_text import terminal_safe

        if not self.stages or self.stages[-1] != event.stage.value:
            self.stages.append(event.stage.value)
        if isinstance(event, Created):
            self.new_hint = event.hint
        if isinstance(event, Verified):
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


def _paster(tty: _Terminal, lang: str) -> Any:
    from assistant.i18n import t
    from assistant.safe_text import terminal_safe

    async def paste(secret: str, tenant_url: str) -> bool:
        out = tty.writer
        out.write(terminal_safe(t("rotation.tenant_url", lang, url=tenant_url)) + "\n")
        out.write(t("rotation.secret", lang, secret=secret) + "\n")
        out.write(t("rotation.paste", lang, press=t("rotation.enter", lang)) + "\n")
        out.flush()
        answer = await asyncio.to_thread(tty.reader.readline)
        return answer != ""  # end of input: the person went away

    return paste


async def rotate_body(args: argparse.Namespace, conn: Any, lang: str, open_entra: OpenEntra) -> int:
    """Plan; with `--yes`, the rotation; the hints printed are the instance's own."""
    from assistant.headless import emit, fail
    from assistant.i18n import t
    from assistant.rotation import Revoked, Rotation, default_time_limit, token_in_use
    from assistant.rotation_text import duration, event_line
    from assistant.safe_text import terminal_safe

    client = conn.client
    integration = await client.get_integration()
    live = (await client.list_tokens()).tokens if integration.installed else []
    if not integration.installed or not live:
        key = "lifecycle.not_installed" if not integration.installed else "rotation.stop.no_token"
        fail(args, "config", t(key, lang), t(f"{key}.fix", lang), lang)
        return EXIT_BLOCKED
    limit = args.timeout or default_time_limit(await client.get_provisioning())
    old = token_in_use(live)
    replaced = next((token for token in live if token.id != old.id), None)
    via = "graph" if args.via_graph else "paste"
    lines = [t("rotation.plan", lang, old=old.hint, limit=duration(limit, lang))]
    lines.append(t(f"rotation.plan.{'graph' if args.via_graph else 'manual'}", lang))
    if replaced is not None:
        lines.append(t("rotation.replace", lang, max=2, replaced=replaced.hint, kept=old.hint))
    payload: dict[str, Any] = {
        "instance": client.base_url,
        "applied": False,
        "via": via,
        "time_limit_seconds": limit,
        "plan": {"old_hint": old.hint, "replaced_hint": replaced.hint if replaced else None},
        "outcome": "planned",
        "reason": None,
        "message": "",
        "fix": "",
        "old_hint": old.hint,
        "new_hint": None,
        "live_hints": [token.hint for token in live],
        "verified_by": None,
        "stages": [],
    }
    if not args.yes:
        emit(args, payload, "\n".join([*lines, "", t("rotation.needs_yes", lang)]), conn.secret)
        return EXIT_USAGE
    entra: EntraCredentials | None = None
    tty: _Terminal | None = None
    if args.via_graph:
        entra = await open_entra()
        if entra is None:
            key = "rotation.not_signed_in"
            fail(args, "config", t(key, lang), t(f"{key}.fix", lang), lang)
            return EXIT_UNREACHABLE
    else:
        tty = _open_terminal()
        if tty is None:
            key = "rotation.no_terminal"
            fail(args, "config", t(key, lang), t(f"{key}.fix", lang), lang)
            return EXIT_USAGE
    printer = _Printer(args, lang)
    for line in lines:
        print(terminal_safe(line), file=printer.out, flush=True)

    async def accept(*_: object) -> bool:  # --yes, and the plan above named the token replaced
        return True

    rotation = Rotation(
        client,
        entra=entra,
        paste=_paster(tty, lang) if tty is not None else None,
        confirm_replace=accept,
        time_limit=limit,
        on_event=printer,
        lang=lang,
    )
    try:
        outcome = await rotation.run()
    finally:
        if tty is not None:
            tty.close()
        if entra is not None and hasattr(entra, "aclose"):
            with suppress(Exception):
                await entra.aclose()
    payload.update(stages=printer.stages, new_hint=printer.new_hint, verified_by=printer.verified)
    if isinstance(outcome, Revoked):
        payload.update(applied=True, outcome="revoked", live_hints=[outcome.new_hint])
        emit(args, payload, event_line(outcome, lang), conn.secret)
        return EXIT_OK
    return _stopped(args, payload, outcome, lang, limit, conn.secret)


def _stopped(
    args: argparse.Namespace,
    payload: dict[str, Any],
    outcome: Stopped,
    lang: str,
    limit: float,
    secret: str,
) -> int:
    from assistant.headless import emit
    from assistant.rotation_text import stop_lines, stop_parts
    from assistant.safe_text import terminal_safe

    lines = stop_lines(outcome, lang, limit=limit)
    message, fix = stop_parts(outcome, lang, limit=limit)
    payload.update(
        outcome="stopped",
        reason=outcome.reason.value,
        message=message,
        fix=fix,
        live_hints=list(outcome.live_hints),
    )
    if args.json:
        emit(args, payload, "", secret)
    else:
        print(terminal_safe("\n".join(lines), newlines=True), file=sys.stderr)
    return _EXIT_FOR[outcome.reason.value]

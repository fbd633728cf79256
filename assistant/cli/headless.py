"""The headless commands `status`, `doctor` and `report`, for scripts and support staff.

JSON shapes (stable; `--json`, one object on stdout):

`status --json`::

    {"instance": "https://acme.steeple.com", "lang": "en", "complete": false,
     "current": "entra",                      # a StepId value, or null when all done
     "blocked": false,
     "steps": [{"id": "sso", "number": 1, "status": "done|current|blocked|todo",
                "title": "...", "guidance": "...", "blockers": ["..."]}, ...]}

`doctor --json`::

    {"instance": "...", "ok": true,          # false when any check is an error
     "checks": [{"id": "step.sso", "level": "ok|info|warning|error",
                 "message": "...", "fix": "..."}, ...],
     "journey": {... as status ...}}

`report --json`::

    {"instance": "...", "output": "/path/report.md" | null, "markdown": "..."}

On failure to reach or use the instance, every command prints (with `--json`)::

    {"error": {"kind": "unreachable|tls|unauthorized|forbidden|not_found|conflict|invalid|
               server|timeout|malformed|config", "message": "...", "fix": "...",
               "status": 401 | null, "code": "..." | null}}

Exit codes: 0 ok; 2 usage (bad options, no instance URL); 3 the instance is not reachable or not
authorised (any SteepleError, or no admin key); 4 a step blocks (status: a BLOCKED step; doctor: an
error-level check; report: never, it always tries to write its report).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from assistant.i18n.translate import normalise_language, t
from assistant.journey.steps import Journey, load_journey
from assistant.settings import get_api_key, load_settings, save_settings
from assistant.steeple.client import InsecureUrlError, SteepleClient, require_secure_url
from assistant.steeple.errors import SteepleError
from assistant.support.doctor import CheckLevel, run_checks
from assistant.support.report import build_report
from assistant.text.redact import redact
from assistant.text.safe import json_terminal_safe, terminal_safe

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide
    from assistant.steeple.sandbox_mode import SandboxSession


class UsageProblem(Exception):
    """Missing configuration the person must supply (exit 2 or 3), phrased with a fix."""

    def __init__(self, message: str, fix: str, exit_code: int) -> None:
        super().__init__(message)
        self.message, self.fix, self.exit_code = message, fix, exit_code


def journey_json(journey: Journey, instance: str, lang: str) -> dict[str, Any]:
    return {
        "instance": instance,
        "lang": lang,
        "complete": journey.complete,
        "current": journey.current.value if journey.current else None,
        "blocked": journey.blocked,
        "steps": [
            {
                "id": s.id.value,
                "number": s.number,
                "status": s.status.value,
                "title": s.title,
                "guidance": s.guidance,
                "blockers": list(s.blockers),
            }
            for s in journey.steps
        ],
    }


class Connection:
    """Client (+ the Entra facade when one is open) for one command run; closes what it opened."""

    def __init__(
        self,
        client: SteepleClient,
        secret: str,
        entra: EntraSide | None = None,
        sandbox: SandboxSession | None = None,
    ) -> None:
        self.client, self.secret, self.entra = client, secret, entra
        self.sandbox = sandbox
        """`--sandbox`: the in-process sandbox, for the commands that sign in to its Entra."""


def connect(args: argparse.Namespace, stack: AsyncExitStack) -> Connection:
    """Resolve instance and key from `--sandbox`, `--url`, the profile and the environment."""
    if args.sandbox:
        from assistant.steeple.sandbox_mode import start_sandbox

        session = start_sandbox(args.db)
        stack.callback(session.stop)
        client = session.client()
        stack.push_async_callback(client.aclose)
        # The sandbox's simulated tenant is new on every run (nothing assigned, no job): Entra's
        # view adds nothing to `status` / `doctor` there, and signing in would cost seconds;
        # `explain` signs in to it (`Connection.sandbox`).
        return Connection(client, session.admin_key, sandbox=session)
    settings = load_settings()
    profile = settings.profile(args.profile)
    url = args.url or profile.url
    if not url:
        raise UsageProblem(
            "No Steeple instance URL.",
            "Pass --url https://yourcompany.steeple.com (or --profile NAME), or use --sandbox.",
            EXIT_USAGE,
        )
    try:  # before the key is read or anything is sent
        require_secure_url(url, allow_insecure_http=getattr(args, "allow_insecure_http", False))
    except InsecureUrlError as refused:
        lang = normalise_language(getattr(args, "lang", None))
        raise UsageProblem(*refused.text(lang), EXIT_USAGE) from None
    profile.url = url  # in memory only: the keyring entry is per instance URL
    key = get_api_key(profile)
    if not key:
        raise UsageProblem(
            "No admin API key.",
            "Set STEEPLE_API_KEY, or run the assistant once to store the key in the keyring.",
            EXIT_UNREACHABLE,
        )
    client = SteepleClient(url, key)
    stack.push_async_callback(client.aclose)
    return Connection(client, key)


def remember_step(args: argparse.Namespace, journey: Journey, url: str) -> None:
    """Note the instance URL and the step reached in the profile (never the key)."""
    if args.sandbox:
        return
    settings = load_settings()
    profile = settings.profile(args.profile)
    profile.url = url
    profile.last_step = journey.current.value if journey.current else "done"
    save_settings(settings)


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str, secret: str = "") -> None:
    """Print the result; nothing from the instance reaches the terminal as a control sequence.

    JSON keeps the data exact (the escapes are JSON's own); text writes active characters out.
    """
    if args.json:
        print(
            json_terminal_safe(redact(json.dumps(payload, indent=2, ensure_ascii=False), [secret]))
        )
    else:
        print(terminal_safe(redact(text, [secret]), newlines=True))


def fail(
    args: argparse.Namespace, kind: str, message: str, fix: str, lang: str = "en", **extra: Any
) -> None:
    if args.json:
        error = {"kind": kind, "message": message, "fix": fix, "status": None, "code": None}
        error.update(extra)
        print(json_terminal_safe(json.dumps({"error": error}, indent=2, ensure_ascii=False)))
    else:  # the message may quote a server's answer
        print(
            t("headless.error", lang, message=terminal_safe(message), fix=terminal_safe(fix)),
            file=sys.stderr,
        )


Body = Callable[[argparse.Namespace, Connection, str], Awaitable[int]]


def run(args: argparse.Namespace, body: Body, lang: str) -> int:
    """Run one command's coroutine, turning typed failures into output and an exit code."""

    async def main() -> int:
        async with AsyncExitStack() as stack:
            conn = connect(args, stack)
            return await body(args, conn, lang)

    try:
        return asyncio.run(main())
    except UsageProblem as problem:
        fail(args, "config", problem.message, problem.fix, lang)
        return problem.exit_code
    except SteepleError as exc:
        message, fix = exc.text(lang)
        fail(args, exc.kind.value, message, fix, lang, status=exc.status, code=exc.code)
        return EXIT_UNREACHABLE


async def status_body(args: argparse.Namespace, conn: Connection, lang: str) -> int:
    journey = await load_journey(conn.client, lang, conn.entra)
    remember_step(args, journey, conn.client.base_url)
    lines = [t("headless.instance", lang, url=terminal_safe(conn.client.base_url))]
    marks = {"done": "[x]", "current": "[>]", "blocked": "[!]", "todo": "[ ]"}
    for step in journey.steps:  # one value, one line: a newline in data cannot fake a step
        lines.append(f"{marks[step.status.value]} {step.number}. {terminal_safe(step.title)}")
        if step.status.value in ("current", "blocked"):
            lines.append(f"      {terminal_safe(step.guidance)}")
        lines += [f"      ! {terminal_safe(b)}" for b in step.blockers]
    if journey.complete:
        lines.append(t("headless.all_done", lang))
    emit(args, journey_json(journey, conn.client.base_url, lang), "\n".join(lines), conn.secret)
    return EXIT_BLOCKED if journey.blocked else EXIT_OK


async def doctor_body(args: argparse.Namespace, conn: Connection, lang: str) -> int:
    from assistant.support.doctor import open_entra

    entra = conn.entra or await open_entra(args, conn.client, lang)
    try:
        journey = await load_journey(conn.client, lang, entra)
        checks = await run_checks(conn.client, journey, lang=lang, entra=entra)
    finally:
        if entra is not None and entra is not conn.entra:
            await entra.aclose()
    ok = not any(c.level is CheckLevel.ERROR for c in checks)
    payload = {
        "instance": conn.client.base_url,
        "ok": ok,
        "checks": [c.as_json() for c in checks],
        "journey": journey_json(journey, conn.client.base_url, lang),
    }
    lines = [t("headless.instance", lang, url=terminal_safe(conn.client.base_url))]
    for check in checks:
        lines.append(f"[{check.level.value:>7}] {terminal_safe(check.message)}")
        if check.fix and check.level is not CheckLevel.OK:
            lines.append("          " + t("headless.fix", lang, fix=terminal_safe(check.fix)))
    emit(args, payload, "\n".join(lines), conn.secret)
    return EXIT_OK if ok else EXIT_BLOCKED


async def report_body(args: argparse.Namespace, conn: Connection, lang: str) -> int:
    journey = await load_journey(conn.client, lang, conn.entra)
    checks = await run_checks(conn.client, journey, lang=lang)
    markdown = await build_report(conn.client, journey, checks, secrets=[conn.secret], lang=lang)
    output: Path | None = Path(args.output) if args.output else None
    if output is not None:
        output.write_text(markdown, encoding="utf-8")
    if args.json:
        payload = {"instance": conn.client.base_url, "output": str(output) if output else None}
        payload["markdown"] = markdown
        emit(args, payload, "", conn.secret)
    elif output is None:
        print(terminal_safe(markdown, newlines=True))
    else:
        print(t("headless.report_written", lang, path=output))
    return EXIT_OK


OpenEntra = Callable[[], Awaitable["EntraSide | None"]]
"""Opens the Entra facade on demand: None when not signed in (the copy-paste path)."""
EntraBody = Callable[[argparse.Namespace, Connection, str, OpenEntra], Awaitable[int]]


async def run_with_entra(
    args: argparse.Namespace, lang: str, body: EntraBody, *, check_entra: bool = True
) -> int:
    """Open Steeple (and Entra, only when `body` asks) the way `entra setup` does; map failures.

    `--sandbox` signs in to the sandbox's own emulated tenant (in memory, automatically); `--url`
    uses the session `entra signin` cached, pointed at by the Entra options or environment —
    checked first (`check_entra`): a Graph URL a token must not go to is refused (exit 2) before
    any request. Shared by `rotate-token` and `remove`, which act on Entra only when signed in.
    """
    from assistant.entra.graph_errors import GraphError
    from assistant.entra.signin import SignInError

    async with AsyncExitStack() as stack:
        try:
            if args.sandbox:
                from assistant.steeple.sandbox_mode import start_sandbox

                session = await asyncio.to_thread(start_sandbox, args.db)
                stack.callback(session.stop)
                client = session.client()
                stack.push_async_callback(client.aclose)
                conn = Connection(client, session.admin_key)

                async def open_entra() -> EntraSide | None:
                    return await session.open_entra_side(client, lang)

            else:
                if check_entra:  # a Graph URL the token must not go to: before any request
                    from assistant.cli.entra import entra_settings

                    entra_settings(args, lang)
                conn = connect(args, stack)

                async def open_entra() -> EntraSide | None:
                    return await _entra_from_cache(args, conn.client, lang)

            return await body(args, conn, lang, open_entra)
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
    from assistant.cli.entra import entra_settings
    from assistant.entra.side import open_entra_side

    settings = entra_settings(args, lang)  # refused (exit 2) before any token is read
    sso = await client.get_sso()
    return await open_entra_side(settings, sso_identifiers=sso.app_identifiers, lang=lang)

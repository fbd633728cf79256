"""The `steeple-assistant` command line.

No subcommand opens the TUI. Global options come before the subcommand
(`steeple-assistant --url https://… status --json`, key from `STEEPLE_API_KEY`). Heavy imports
(Textual, FastAPI, uvicorn) happen inside the command that needs them, so `--help` and the
headless commands start fast and `assistant.cli.main` never imports textual at module import.

Headless commands (`status`, `doctor`, `report [--output FILE]`, each with `--json`) are in
`assistant/cli/headless.py`, whose docstring documents the JSON shapes; `deactivate` and `activate`
(`--yes`, `--dry-run`, `--json`) in `assistant/journey/lifecycle.py`; `remove` (the same, plus
`--pause-entra` and `--force`) in `assistant/journey/removal.py`.

Exit codes: 0 ok; 2 usage; 3 not reachable or not authorised; 4 a step blocks; 141 the reader
of the output went away (`status --json | head -1`), as shells report a writer its pipe closed on.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.cli.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from assistant.i18n.translate import normalise_language

if TYPE_CHECKING:
    from assistant.steeple.sandbox_mode import PendingSandbox, SandboxSession

__all__ = ["EXIT_BLOCKED", "EXIT_OK", "EXIT_UNREACHABLE", "EXIT_USAGE", "build_parser", "main"]

EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader closed the pipe."""


def build_parser(*, with_sandbox_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; `with_sandbox_commands=False` only when no subcommand can be named.

    The `sandbox` subcommands pull in `sandbox.cli` (hashlib, secrets, the Entra CLI): ~15 ms of a
    cold start that `steeple-assistant --sandbox` does not need (bench/startup.py).
    """
    parser = argparse.ArgumentParser(
        prog="steeple-assistant",
        description="Set up Microsoft Entra ID provisioning (SCIM) for a Steeple instance.",
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="run against a local sandbox Steeple"
    )
    parser.add_argument("--db", help="sandbox database file (default: a temporary one)")
    parser.add_argument("--url", help="Steeple instance URL (admin key from STEEPLE_API_KEY)")
    parser.add_argument("--profile", help="a saved profile name")
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain http:// URL for a host other than this machine (sends the admin key "
        "unencrypted)",
    )
    parser.add_argument("--lang", choices=["en", "fr"], help="language (default: from the locale)")
    from assistant.cli.entra import add_entra_location_options, register_entra_cli  # argparse only

    add_entra_location_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = commands.add_parser("status", help="the set-up journey, step by step")
    status.add_argument("--json", action="store_true", help="print JSON (see docs)")
    status.set_defaults(func=_status)
    doctor = commands.add_parser("doctor", help="every check, with fixes")
    doctor.add_argument("--json", action="store_true", help="print JSON (see docs)")
    doctor.set_defaults(func=_doctor)
    report = commands.add_parser("report", help="a redacted Markdown report for support staff")
    report.add_argument("--output", "-o", help="write the report to this file")
    report.add_argument("--json", action="store_true", help="print JSON (see docs)")
    report.set_defaults(func=_report)
    for name, helptext in (
        ("deactivate", "untick synchronization: people go back to e-mail + password"),
        ("activate", "activate (or re-activate) the sync, after its dry run"),
    ):
        switch = commands.add_parser(name, help=helptext)
        switch.add_argument("--yes", action="store_true", help="apply without asking")
        switch.add_argument(
            "--dry-run", action="store_true", help="only show what would change (exit 0)"
        )
        switch.add_argument("--json", action="store_true", help="print JSON (see docs)")
        switch.set_defaults(func=_switch, action=name)
    remove = commands.add_parser(
        "remove", help="remove the integration: everyone back to e-mail + password, Entra first"
    )
    remove.add_argument("--yes", action="store_true", help="apply without asking")
    remove.add_argument("--dry-run", action="store_true", help="only show what would change")
    remove.add_argument("--json", action="store_true", help="print JSON (see docs)")
    remove.add_argument(
        "--pause-entra",
        action="store_true",
        help="signed in to Entra: pause its provisioning job through Microsoft Graph first",
    )
    remove.add_argument(
        "--force", action="store_true", help="remove even while Entra's provisioning job runs"
    )
    add_entra_location_options(remove, nested=True)  # the Entra it reads, as on `entra`
    remove.set_defaults(func=_remove)
    explain = commands.add_parser(
        "explain", help="why is this person not in Steeple? (both sides, first broken link)"
    )
    explain.add_argument("email", metavar="EMAIL", help="their e-mail address (or user name)")
    explain.add_argument("--json", action="store_true", help="print JSON (see docs)")
    explain.add_argument("--app-name", default="Steeple", help="the Entra enterprise app's name")
    add_entra_location_options(explain, nested=True)  # also accepted before the subcommand
    explain.set_defaults(func=_explain)
    from assistant.web.command import add_web_parser  # argparse only

    add_web_parser(commands).set_defaults(func=_web)
    register_entra_cli(commands)
    from assistant.cli.rotate import register_rotation_cli

    register_rotation_cli(commands)

    if with_sandbox_commands:
        from sandbox.cli import register_sandbox_commands

        register_sandbox_commands(commands)
    return parser


def _may_name_a_command(argv: Sequence[str]) -> bool:
    """False only when every token is a `--long` option other than help, so no subcommand is
    chosen and no help is printed: parsing, errors and usage are then the same without the
    sandbox subcommands (the usage shows them as `COMMAND`). A non-dash token may be a command
    (or an option's value: then we simply build everything)."""
    return not all(
        token.startswith("--") and token != "--" and not token.startswith("--h") for token in argv
    )


def _lang(args: argparse.Namespace) -> str:
    if args.lang:
        return str(args.lang)
    from assistant.settings import load_settings

    settings = load_settings()
    profile = settings.profiles.get(args.profile or settings.default_profile)
    return normalise_language((profile.lang if profile else None) or settings.lang)


def _status(args: argparse.Namespace) -> int:
    from assistant.cli.headless import run, status_body

    return run(args, status_body, _lang(args))


def _doctor(args: argparse.Namespace) -> int:
    from assistant.cli.headless import doctor_body, run

    return run(args, doctor_body, _lang(args))


def _report(args: argparse.Namespace) -> int:
    from assistant.cli.headless import report_body, run

    return run(args, report_body, _lang(args))


def _explain(args: argparse.Namespace) -> int:
    """`explain EMAIL`: both sides of one person, the first broken link and its fix."""
    from assistant.cli.explain import run_explain

    return run_explain(args, _lang(args))


def _web(args: argparse.Namespace) -> int:
    """`web`: the same wizard in a browser tab, on 127.0.0.1 behind a one-time address."""
    from assistant.web.cli import run_web

    return run_web(args, _lang(args))


def _switch(args: argparse.Namespace) -> int:
    """`deactivate` / `activate`: preview, then the change with `--yes` (journey/lifecycle.py)."""
    from assistant.cli.headless import run
    from assistant.journey.lifecycle import switch_body

    async def body(args: argparse.Namespace, conn: Any, lang: str) -> int:
        return await switch_body(args, conn, lang, args.action)

    return run(args, body, _lang(args))


def _remove(args: argparse.Namespace) -> int:
    """`remove`: preview and Entra's job, then (with `--yes`) Entra stopped first and removal."""
    import asyncio

    from assistant.cli.headless import run_with_entra
    from assistant.journey.removal import remove_body

    return asyncio.run(run_with_entra(args, _lang(args), remove_body))


def run_tui(args: argparse.Namespace) -> int:
    """Open the wizard; with `--sandbox`, around a sandbox child process it stops on exit."""
    if args.sandbox:  # first: the child boots on another core while the app starts
        from assistant.steeple.sandbox_mode import spawn_sandbox

        pending = spawn_sandbox(args.db)
        try:
            return _run_tui(args, pending)
        finally:
            pending.stop()
    return _run_tui(args, None)


def _run_tui(args: argparse.Namespace, pending: PendingSandbox | None) -> int:
    try:
        from screens.app import ProvisioningAssistant
    except ImportError as exc:
        print(f"The terminal interface is unavailable ({exc.name}).", file=sys.stderr)
        return EXIT_USAGE
    from assistant.cli.entra import entra_configured, entra_options
    from assistant.settings import get_api_key, load_settings, save_settings

    lang = _lang(args)
    settings = load_settings()
    if pending is not None:
        # The app waits for the child after its first paint, in a worker thread, loading the
        # admin-API client meanwhile (httpx, pydantic); run_tui stops the child when it ends.
        def boot() -> SandboxSession:
            import assistant.journey.steps  # noqa: F401  (while the child still boots)
            import assistant.steeple.client  # noqa: F401

            return pending.wait()

        ProvisioningAssistant(settings, None, lang=lang, sandbox_boot=boot).run()
        return EXIT_OK
    if entra_configured(entra_options(args)):  # a token must not go there: before the TUI opens
        from assistant.entra.location import EntraSettings
        from assistant.i18n.translate import t

        if problem := EntraSettings.from_env(**entra_options(args)).problem(lang):
            print(t("headless.error", lang, message=problem[0], fix=problem[1]), file=sys.stderr)
            return EXIT_USAGE
    profile = settings.profile(args.profile)
    allow_http = bool(args.allow_insecure_http)
    if args.url or profile.url:
        from assistant.steeple.client import InsecureUrlError, require_secure_url

        try:  # before the URL is saved, the key read or anything sent
            require_secure_url(args.url or profile.url, allow_insecure_http=allow_http)
        except InsecureUrlError as refused:
            from assistant.text.safe import terminal_safe

            print(f"Error: {terminal_safe(refused.message)}\n  Fix: {refused.fix}", file=sys.stderr)
            return EXIT_USAGE
    if args.url:
        profile.url = args.url
        save_settings(settings)
    client = None
    key = get_api_key(profile) if profile.url else None
    if profile.url and key:
        from assistant.steeple.client import SteepleClient

        client = SteepleClient(profile.url, key)
    ProvisioningAssistant(
        settings,
        client,
        lang=lang,
        allow_insecure_http=allow_http,
        entra_options=entra_options(args),
    ).run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(with_sandbox_commands=_may_name_a_command(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler = getattr(args, "func", None)
    if handler is None:
        return run_tui(args)
    try:
        code = int(handler(args))
        sys.stdout.flush()  # now, where a closed pipe can be answered, not at interpreter exit
    except BrokenPipeError:
        return _reader_gone()
    return code


def _reader_gone() -> int:
    """The output's reader went away (`| head -1`): end quietly, never with a traceback.

    Python's own flush at exit would fail again on the dead pipe and print "Exception ignored",
    so stdout is pointed at the null device first (the recipe of Python's signal docs).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
    return EXIT_CLOSED_PIPE

"""The `steeple-assistant` command line.

No subcommand opens the TUI. Global options come before the subcommand
(`steeple-assistant --url https://… status --json`, key from `STEEPLE_API_KEY`). Heavy imports
(Textual, FastAPI, uvicorn) happen inside the command that needs them, so `--help` and the
headless commands start fast and `assistant.cli.main` never imports textual at module import.

The command line is parsed once into a typed `Options` (assistant/cli/options.py) that every
command receives; `assistant/cli/runner.py` runs them all, turning failures into a sentence, a
fix and an exit code. Headless commands (`status`, `doctor`, `report [--output FILE]`, each with
`--json`) are in `assistant/cli/headless.py`, whose docstring documents the JSON shapes;
`deactivate` and `activate` (`--yes`, `--dry-run`, `--json`) in `assistant/cli/switch.py`;
`remove` (the same, plus `--pause-entra` and `--force`) in `assistant/journey/removal.py`.

Exit codes: 0 ok; 2 usage; 3 not reachable or not authorised; 4 a step blocks; 141 the reader
of the output went away (`status --json | head -1`), as shells report a writer its pipe closed on.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from assistant.cli.options import Options, language
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:
    from assistant.steeple.sandbox_mode import PendingSandbox, SandboxSession

__all__ = ["EXIT_BLOCKED", "EXIT_OK", "EXIT_UNREACHABLE", "EXIT_USAGE", "build_parser", "main"]

EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader closed the pipe."""


class _PrintVersion(argparse.Action):
    """`--version`: the installed distribution's version, read only when asked (importing
    `importlib.metadata` costs start-up time every other command does not need)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import version

        print(f"steeple-assistant {version('steeple-assistant')}")
        parser.exit()


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
    parser.add_argument("--version", action=_PrintVersion, help="print the version and exit")
    from assistant.cli.arguments import add_entra_location_options  # argparse only
    from assistant.cli.entra import register_entra_cli

    add_entra_location_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = commands.add_parser("status", help="the set-up journey, step by step")
    status.add_argument("--json", action="store_true", help="print JSON (see docs)")
    status.set_defaults(handler=_status)
    doctor = commands.add_parser("doctor", help="every check, with fixes")
    doctor.add_argument("--json", action="store_true", help="print JSON (see docs)")
    doctor.set_defaults(handler=_doctor)
    report = commands.add_parser("report", help="a redacted Markdown report for support staff")
    report.add_argument("--output", "-o", help="write the report to this file")
    report.add_argument("--json", action="store_true", help="print JSON (see docs)")
    report.set_defaults(handler=_report)
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
        switch.set_defaults(handler=_switch, action=name)
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
    remove.set_defaults(handler=_remove)
    explain = commands.add_parser(
        "explain", help="why is this person not in Steeple? (both sides, first broken link)"
    )
    explain.add_argument("email", metavar="EMAIL", help="their e-mail address (or user name)")
    explain.add_argument("--json", action="store_true", help="print JSON (see docs)")
    explain.add_argument("--app-name", default="Steeple", help="the Entra enterprise app's name")
    add_entra_location_options(explain, nested=True)  # also accepted before the subcommand
    explain.set_defaults(handler=_explain)
    from assistant.web.command import add_web_parser  # argparse only

    add_web_parser(commands).set_defaults(handler=_web)
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


def _status(options: Options) -> int:
    from assistant.cli.headless import status_body
    from assistant.cli.runner import run

    return run(options, status_body)


def _doctor(options: Options) -> int:
    from assistant.cli.headless import doctor_body
    from assistant.cli.runner import run

    return run(options, doctor_body)


def _report(options: Options) -> int:
    from assistant.cli.headless import report_body
    from assistant.cli.runner import run

    return run(options, report_body)


def _explain(options: Options) -> int:
    """`explain EMAIL`: both sides of one person, the first broken link and its fix."""
    from assistant.cli.explain import run_explain

    return run_explain(options)


def _web(options: Options) -> int:
    """`web`: the same wizard in a browser tab, on 127.0.0.1 behind a one-time address."""
    from assistant.cli.runner import guard
    from assistant.web.cli import run_web

    lang = language(options)
    return guard(options, lang, partial(run_web, options, lang))


def _switch(options: Options) -> int:
    """`deactivate` / `activate`: preview, then the change with `--yes` (cli/switch.py)."""
    from assistant.cli.runner import run
    from assistant.cli.switch import switch_body

    return run(options, switch_body)


def _remove(options: Options) -> int:
    """`remove`: preview and Entra's job, then (with `--yes`) Entra stopped first and removal.
    Entra's location is checked first: a token must not go to a Graph URL it is not for."""
    from assistant.cli.remove import remove_body
    from assistant.cli.runner import run

    return run(options, remove_body, check_entra=True)


def run_tui(options: Options) -> int:
    """Open the wizard; with `--sandbox`, around a sandbox child process it stops on exit."""
    if options.sandbox:  # first: the child boots on another core while the app starts
        from assistant.steeple.sandbox_mode import spawn_sandbox

        pending = spawn_sandbox(options.db)
        try:
            return _run_tui(options, pending)
        finally:
            pending.stop()
    return _run_tui(options, None)


def _run_tui(options: Options, pending: PendingSandbox | None) -> int:
    try:
        from screens.app import ProvisioningAssistant
    except ImportError as exc:
        print(f"The terminal interface is unavailable ({exc.name}).", file=sys.stderr)
        return EXIT_USAGE
    from assistant.settings import get_api_key, load_settings, save_settings

    lang = language(options)
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
    if options.entra.configured():  # a token must not go there: before the TUI opens
        from assistant.i18n.translate import t

        if problem := options.entra.settings().problem(lang):
            print(t("headless.error", lang, message=problem[0], fix=problem[1]), file=sys.stderr)
            return EXIT_USAGE
    profile = settings.profile(options.profile)
    allow_http = options.allow_insecure_http
    if options.url or profile.url:
        from assistant.steeple.client import InsecureUrlError, require_secure_url

        try:  # before the URL is saved, the key read or anything sent
            require_secure_url(options.url or profile.url, allow_insecure_http=allow_http)
        except InsecureUrlError as refused:
            from assistant.text.safe import terminal_safe

            print(f"Error: {terminal_safe(refused.message)}\n  Fix: {refused.fix}", file=sys.stderr)
            return EXIT_USAGE
    if options.url:
        profile.url = options.url
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
        entra_options=options.entra,
    ).run()
    return EXIT_OK


def parse_options(argv: Sequence[str]) -> Options:
    """The command line as the commands receive it (argparse exits 2 on a usage error)."""
    parser = build_parser(with_sandbox_commands=_may_name_a_command(argv))
    return Options.from_namespace(parser.parse_args(argv))


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(with_sandbox_commands=_may_name_a_command(argv))
    try:
        namespace = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler: Callable[[Options], int] | None = getattr(namespace, "handler", None)
    sandbox_command: Callable[[argparse.Namespace], int] | None = getattr(namespace, "func", None)
    command: Callable[[], int]
    if handler is not None:
        options = Options.from_namespace(namespace)  # the one reading of argparse's result
        command = partial(handler, options)
    elif sandbox_command is not None:  # `sandbox …`: the sandbox's own parsers and options
        command = partial(sandbox_command, namespace)
    else:
        return run_tui(Options.from_namespace(namespace))
    try:
        code = int(command())
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

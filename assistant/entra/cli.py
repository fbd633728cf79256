"""`steeple-assistant entra signin | signout | status [--json]`.

Where Entra is: `--entra-authority` / `--graph-url` / `--client-id` / `--entra-ca-bundle`, else
`$STEEPLE_ENTRA_AUTHORITY`, `$STEEPLE_GRAPH_URL`, `$STEEPLE_ENTRA_CLIENT_ID`,
`$STEEPLE_ENTRA_CA_BUNDLE`, else Microsoft's public cloud. Exit codes as README: 0 ok, 2 usage,
3 not signed in / not reachable / not authorised, 4 a step blocks (no app, no job, quarantine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

ENTRA_OPTIONS = {
    "entra_authority": "authority",
    "graph_url": "graph_url",
    "client_id": "client_id",
    "entra_ca_bundle": "ca_bundle",
}
"""argparse dest → `EntraSettings` field, for the options below."""
ENTRA_ENV = (
    "STEEPLE_ENTRA_AUTHORITY",
    "STEEPLE_GRAPH_URL",
    "STEEPLE_ENTRA_CLIENT_ID",
    "STEEPLE_ENTRA_CA_BUNDLE",
)


def add_entra_location_options(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """Where Entra is: the same four options on the TUI command and on `entra`.

    `nested` (the `entra` subparser): an option left out there must not reset the value given
    before the subcommand (argparse copies a subparser's defaults over the parent's), so its
    default is SUPPRESS and readers use `getattr(args, dest, None)`.
    """
    default = argparse.SUPPRESS if nested else None
    parser.add_argument(
        "--entra-authority", default=default, help="sign-in authority (https://…/<tenant>)"
    )
    parser.add_argument("--graph-url", default=default, help="Microsoft Graph base URL (…/v1.0)")
    parser.add_argument("--client-id", default=default, help="public client id to sign in with")
    parser.add_argument(
        "--entra-ca-bundle", default=default, help="extra CA (PEM) to trust, e.g. the sandbox's"
    )


def entra_options(args: argparse.Namespace) -> dict[str, str | None]:
    """The options given, as `EntraSettings.from_env` keywords (None: not given)."""
    return {field: getattr(args, dest, None) for dest, field in ENTRA_OPTIONS.items()}


def entra_configured(options: dict[str, str | None]) -> bool:
    """Whether the admin pointed the assistant at an Entra (option or environment)."""
    import os

    return any(options.values()) or any(os.environ.get(name) for name in ENTRA_ENV)


def register_entra_cli(commands: Any) -> None:
    entra = commands.add_parser("entra", help="the Entra side, through Microsoft Graph")
    add_entra_location_options(entra, nested=True)
    sub = entra.add_subparsers(dest="entra_command", metavar="ENTRA_COMMAND", required=True)
    signin = sub.add_parser("signin", help="sign in with a device code")
    signin.set_defaults(func=_signin)
    signout = sub.add_parser("signout", help="forget the Entra sign-in on this machine")
    signout.set_defaults(func=_signout)
    status = sub.add_parser("status", help="the provisioning job as Entra reports it")
    status.add_argument("--app-name", default="Steeple", help="the enterprise app's name")
    status.add_argument("--json", action="store_true", help="print JSON (see docs)")
    status.set_defaults(func=_status)
    setup = sub.add_parser("setup", help="the whole Entra side, after sign-in (asks first)")
    setup.add_argument("--yes", action="store_true", help="apply without asking")
    setup.add_argument("--dry-run", action="store_true", help="only show the plan (exit 0)")
    setup.add_argument(
        "--groups", nargs="+", metavar="NAME", help="Entra groups to assign (default: advice)"
    )
    setup.add_argument("--app-name", default="Steeple", help="the enterprise app's name")
    setup.add_argument("--json", action="store_true", help="print JSON (see docs)")
    setup.set_defaults(func=_setup)


def _settings(args: argparse.Namespace) -> Any:
    from assistant.entra.signin import EntraSettings

    return EntraSettings.from_env(**entra_options(args))


def _usage_problem(settings: Any) -> str | None:
    for name, url in (("authority", settings.authority), ("Graph URL", settings.graph_url)):
        if not url.lower().startswith("https://"):
            return f"The Entra {name} must start with https:// (tokens travel on it): {url!r}"
    return None


def _fail(sentence: str, fix: str, as_json: bool, error: dict[str, Any] | None = None) -> None:
    from assistant.safe_text import json_terminal_safe, terminal_safe

    if as_json:
        body = {"ok": False, "error": error or {"message": sentence, "fix": fix}}
        print(json_terminal_safe(json.dumps(body, ensure_ascii=False, indent=2)))
    else:
        print(f"Error: {terminal_safe(sentence)}\n  Fix: {terminal_safe(fix)}", file=sys.stderr)


def _signin(args: argparse.Namespace) -> int:
    from assistant.entra.signin import EntraSignIn, SignInError

    settings = _settings(args)
    if problem := _usage_problem(settings):
        _fail(problem, "Give an https URL.", False)
        return EXIT_USAGE
    signin = EntraSignIn(settings)
    try:
        prompt, flow = signin.start()
        print(prompt.message or f"Open {prompt.verification_uri} and enter {prompt.user_code}")
        sys.stdout.flush()
        username = signin.finish(flow)
    except SignInError as failed:
        _fail(failed.sentence, failed.fix, False)
        return EXIT_UNREACHABLE
    where = "the OS keyring" if signin.cache.persistent else "memory only (no keyring)"
    print(f"Signed in as {username}. The session is kept in {where}.")
    return EXIT_OK


def _signout(args: argparse.Namespace) -> int:
    from assistant.entra.signin import EntraSignIn

    removed = EntraSignIn(_settings(args)).sign_out()
    print("Signed out." if removed else "No Entra sign-in was stored here.")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    return asyncio.run(_status_async(args))


async def _status_async(args: argparse.Namespace) -> int:
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.graph_errors import GraphError, GraphNotFound
    from assistant.entra.side import AppAmbiguous
    from assistant.entra.signin import EntraSignIn, SignInError
    from assistant.entra.status import entra_status, status_text
    from assistant.i18n import normalise_language
    from assistant.safe_text import json_terminal_safe

    lang = normalise_language(getattr(args, "lang", None))
    settings = _settings(args)
    if problem := _usage_problem(settings):
        _fail(problem, "Give an https URL.", args.json)
        return EXIT_USAGE
    signin = EntraSignIn(settings)
    try:
        username = await asyncio.to_thread(signin.username)
    except SignInError as failed:
        _fail(failed.sentence, failed.fix, args.json)
        return EXIT_UNREACHABLE
    client = GraphClient(signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context())
    try:
        body = await entra_status(client, args.app_name, username or "", lang)
    except GraphError as failed:
        _fail(*failed.text(lang), args.json, failed.to_dict(lang))
        blocks = isinstance(failed, GraphNotFound | AppAmbiguous)  # the tenant, not the link
        return EXIT_BLOCKED if blocks else EXIT_UNREACHABLE
    finally:
        await client.aclose()
    if args.json:
        print(json_terminal_safe(json.dumps(body, ensure_ascii=False, indent=2)))
    else:
        print(status_text(body, lang))
    return EXIT_BLOCKED if body["blocking"] else EXIT_OK


def _setup(args: argparse.Namespace) -> int:
    from assistant.entra.setup_run import run_setup

    return run_setup(args)

"""`steeple-assistant entra signin [--device-code] | signout | status [--json] | setup`.

Where Entra is: `--entra-authority` / `--graph-url` / `--client-id` / `--entra-ca-bundle`, else
`$STEEPLE_ENTRA_AUTHORITY`, `$STEEPLE_GRAPH_URL`, `$STEEPLE_ENTRA_CLIENT_ID`,
`$STEEPLE_ENTRA_CA_BUNDLE`, else Microsoft's public cloud; checked before any token is read
(`EntraSettings.check`: a token goes only to the Graph of the cloud that issued it). Where the
session is kept: the OS secret store, or `--token-cache PATH` / `$STEEPLE_ENTRA_TOKEN_CACHE`.
Exit codes as README: 0 ok, 2 usage (a location refused, nowhere to keep a session), 3 not signed
in / not reachable / not authorised / sign-in refused, 4 a step blocks (no app, no job,
quarantine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:
    from assistant.entra.signin import EntraSettings, EntraSignIn

ENTRA_OPTIONS = {
    "entra_authority": "authority",
    "graph_url": "graph_url",
    "client_id": "client_id",
    "entra_ca_bundle": "ca_bundle",
    "token_cache": "token_cache",
}
"""argparse dest → `EntraSettings` field, for the options below."""
ENTRA_ENV = (
    "STEEPLE_ENTRA_AUTHORITY",
    "STEEPLE_GRAPH_URL",
    "STEEPLE_ENTRA_CLIENT_ID",
    "STEEPLE_ENTRA_CA_BUNDLE",
    "STEEPLE_ENTRA_TOKEN_CACHE",
)


def add_entra_location_options(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """Where Entra is and where the session is kept: the same options on the TUI command, on
    `entra`, on `explain` and on `rotate-token`.

    `nested` (a subcommand's parser): an option left out there must not reset the value given
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
        "--entra-ca-bundle",
        default=default,
        help="extra CA (PEM) to trust for a sign-in service of your own, e.g. the sandbox's",
    )
    parser.add_argument(
        "--token-cache",
        default=default,
        metavar="PATH",
        help="keep the Entra session in this file (0600) where no OS secret store exists",
    )


def entra_options(args: argparse.Namespace) -> dict[str, str | None]:
    """The options given, as `EntraSettings.from_env` keywords (None: not given)."""
    return {field: getattr(args, dest, None) for dest, field in ENTRA_OPTIONS.items()}


def entra_configured(options: dict[str, str | None]) -> bool:
    """Whether the admin pointed the assistant at an Entra (option or environment)."""
    import os

    return any(options.values()) or any(os.environ.get(name) for name in ENTRA_ENV)


def entra_settings(args: argparse.Namespace, lang: str = "en") -> EntraSettings:
    """The Entra location of these options and environment, checked: a `UsageProblem` (exit 2)
    when a token of that authority must not go to that Graph URL, or the CA file is missing —
    before any token is read or any request sent."""
    from assistant.cli.headless import UsageProblem
    from assistant.entra.signin import EntraLocationError, EntraSettings

    settings = EntraSettings.from_env(**entra_options(args))
    try:
        settings.check(lang)
    except EntraLocationError as refused:
        raise UsageProblem(refused.sentence, refused.fix, EXIT_USAGE) from None
    return settings


def register_entra_cli(commands: Any) -> None:
    entra = commands.add_parser("entra", help="the Entra side, through Microsoft Graph")
    add_entra_location_options(entra, nested=True)
    sub = entra.add_subparsers(dest="entra_command", metavar="ENTRA_COMMAND", required=True)
    signin = sub.add_parser(
        "signin", help="sign in (a browser where one can open, else a device code)"
    )
    signin.add_argument(
        "--device-code",
        action="store_true",
        help="sign in with a code typed on another device's browser (SSH, no display)",
    )
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


def _lang(args: argparse.Namespace) -> str:
    from assistant.i18n.translate import normalise_language

    return normalise_language(getattr(args, "lang", None))


def _fail(
    sentence: str, fix: str, as_json: bool, error: dict[str, Any] | None = None, lang: str = "en"
) -> None:
    from assistant.i18n.translate import t
    from assistant.text.safe import json_terminal_safe, terminal_safe

    if as_json:
        body = {"ok": False, "error": error or {"message": sentence, "fix": fix}}
        print(json_terminal_safe(json.dumps(body, ensure_ascii=False, indent=2)))
    else:
        message = t("headless.error", lang, message=terminal_safe(sentence), fix=terminal_safe(fix))
        print(message, file=sys.stderr)


def _open_signin(args: argparse.Namespace, lang: str, as_json: bool = False) -> EntraSignIn | int:
    """The checked settings and their session store, or the exit code after saying why not."""
    from assistant.cli.headless import UsageProblem
    from assistant.entra.signin import EntraSignIn, SignInError

    try:
        return EntraSignIn(entra_settings(args, lang), lang=lang)
    except UsageProblem as refused:
        _fail(refused.message, refused.fix, as_json, lang=lang)
        return refused.exit_code
    except SignInError as failed:  # the `--token-cache` file cannot be ours
        _fail(failed.sentence, failed.fix, as_json, lang=lang)
        return failed.exit_code


def _signin(args: argparse.Namespace) -> int:
    """Sign in and keep the session where the next command finds it — or say it cannot be kept
    and how to keep it, before asking the admin for anything."""
    from assistant.entra.browser import browser_unavailable
    from assistant.entra.signin import SignInError
    from assistant.i18n.translate import t

    lang = _lang(args)
    if getattr(args, "sandbox", False):
        _fail(t("signin.cli.sandbox", lang), t("signin.cli.sandbox.fix", lang), False, lang=lang)
        return EXIT_USAGE
    signin = _open_signin(args, lang)
    if isinstance(signin, int):
        return signin
    if not signin.place.lasts:
        _fail(t("signin.cli.unkept", lang), t("signin.cli.unkept.fix", lang), False, lang=lang)
        return EXIT_USAGE
    why_not_browser = None if args.device_code else browser_unavailable()
    try:
        username = None
        if not args.device_code and why_not_browser is None:
            try:
                username = signin.sign_in_with_browser(_cli_opener(lang))
            except SignInError as failed:
                if failed.code != "browser":
                    raise
                why_not_browser = "none"  # the browser did not open: the device code instead
        if username is None:
            if why_not_browser is not None:
                print(t(f"signin.cli.no_browser.{why_not_browser}", lang), flush=True)
            prompt, flow = signin.start()
            print(prompt.message, flush=True)
            username = signin.finish(flow)
    except SignInError as failed:
        _fail(failed.sentence, failed.fix, False, lang=lang)
        return failed.exit_code
    except KeyboardInterrupt:
        print(t("signin.cancelled", lang), file=sys.stderr)
        return EXIT_UNREACHABLE
    print(t("signin.cli.done", lang, user=username, place=signin.place.describe(lang)))
    return EXIT_OK


def _cli_opener(lang: str) -> Any:
    """Open Entra's page in the system browser, saying where it is in case it does not show."""
    from assistant.entra.browser import open_in_system_browser
    from assistant.i18n.translate import t
    from assistant.text.safe import terminal_safe

    def open_page(url: str) -> bool:  # an https page of the authority's host (checked)
        print(t("signin.cli.opening", lang, url=terminal_safe(url)), flush=True)
        return open_in_system_browser(url)

    return open_page


def _signout(args: argparse.Namespace) -> int:
    from assistant.entra.signin import SignInError
    from assistant.i18n.translate import t

    lang = _lang(args)
    signin = _open_signin(args, lang)
    if isinstance(signin, int):
        return signin
    try:
        removed = signin.sign_out()
    except SignInError as failed:
        _fail(failed.sentence, failed.fix, False, lang=lang)
        return failed.exit_code
    if removed:
        print(t("signin.cli.signed_out", lang, place=signin.place.describe(lang)))
    else:
        print(t("signin.cli.nothing_stored", lang))
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    return asyncio.run(_status_async(args))


async def _status_async(args: argparse.Namespace) -> int:
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.graph_errors import GraphError, GraphNotFound
    from assistant.entra.side import AppAmbiguous
    from assistant.entra.signin import SignInError
    from assistant.entra.status import entra_status, status_text
    from assistant.text.safe import json_terminal_safe

    lang = _lang(args)
    signin = _open_signin(args, lang, args.json)  # before any token is read
    if isinstance(signin, int):
        return signin
    settings = signin.settings
    try:
        username = await asyncio.to_thread(signin.username)
    except SignInError as failed:
        _fail(failed.sentence, failed.fix, args.json, lang=lang)
        return EXIT_UNREACHABLE
    client = GraphClient(signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context())
    try:
        body = await entra_status(client, args.app_name, username or "", lang)
    except GraphError as failed:
        _fail(*failed.text(lang), args.json, failed.to_dict(lang), lang=lang)
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
    from assistant.cli.entra_setup import run_setup

    return run_setup(args)

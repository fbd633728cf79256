"""`steeple-assistant entra signin [--device-code] | signout | status [--json] | setup`.

Where Entra is: `--entra-authority` / `--graph-url` / `--client-id` / `--entra-ca-bundle`, else
`$STEEPLE_ENTRA_AUTHORITY`, `$STEEPLE_GRAPH_URL`, `$STEEPLE_ENTRA_CLIENT_ID`,
`$STEEPLE_ENTRA_CA_BUNDLE`, else Microsoft's public cloud; checked before any token is read
(`EntraSettings.check`: a token goes only to the Graph of the cloud that issued it). Where the
session is kept: the OS secret store, or `--token-cache PATH` / `$STEEPLE_ENTRA_TOKEN_CACHE`.
Exit codes as docs/entra.md: 0 ok, 2 usage (a location refused, nowhere to keep a session), 3
not signed in / not reachable / not authorised / sign-in refused, 4 a step blocks (no app, no job,
quarantine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.cli.arguments import add_entra_location_options
from assistant.cli.connection import entra_settings
from assistant.cli.options import Options, language
from assistant.cli.output import fail
from assistant.cli.runner import guard
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE

if TYPE_CHECKING:
    from assistant.entra.signin import EntraSignIn


def register_entra_cli(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    signin.set_defaults(handler=_signin)
    signout = sub.add_parser("signout", help="forget the Entra sign-in on this machine")
    signout.set_defaults(handler=_signout)
    status = sub.add_parser("status", help="the provisioning job as Entra reports it")
    status.add_argument("--app-name", default="Steeple", help="the enterprise app's name")
    status.add_argument("--json", action="store_true", help="print JSON (see docs)")
    status.set_defaults(handler=_status)
    setup = sub.add_parser("setup", help="the whole Entra side, after sign-in (asks first)")
    setup.add_argument("--yes", action="store_true", help="apply without asking")
    setup.add_argument("--dry-run", action="store_true", help="only show the plan (exit 0)")
    setup.add_argument(
        "--groups", nargs="+", metavar="NAME", help="Entra groups to assign (default: advice)"
    )
    setup.add_argument("--app-name", default="Steeple", help="the enterprise app's name")
    setup.add_argument("--json", action="store_true", help="print JSON (see docs)")
    setup.set_defaults(handler=_setup)


def _open_signin(options: Options, lang: str) -> EntraSignIn:
    """The checked settings and their session store: a location refused, or a `--token-cache`
    file that cannot be ours, is the runner's to say (exit 2)."""
    from assistant.entra.signin import EntraSignIn

    return EntraSignIn(entra_settings(options, lang), lang=lang)


def _signin(options: Options) -> int:
    """Sign in and keep the session where the next command finds it — or say it cannot be kept
    and how to keep it, before asking the admin for anything."""
    lang = language(options)
    return guard(options, lang, lambda: _sign_in(options, lang))


def _sign_in(options: Options, lang: str) -> int:
    from assistant.entra.browser import browser_unavailable
    from assistant.entra.signin import SignInError
    from assistant.i18n.translate import t

    if options.sandbox:
        fail(
            options,
            "config",
            t("signin.cli.sandbox", lang),
            t("signin.cli.sandbox.fix", lang),
            lang,
        )
        return EXIT_USAGE
    signin = _open_signin(options, lang)
    if not signin.place.lasts:
        fail(
            options, "config", t("signin.cli.unkept", lang), t("signin.cli.unkept.fix", lang), lang
        )
        return EXIT_USAGE
    why_not_browser = None if options.device_code else browser_unavailable()
    try:
        username = None
        if not options.device_code and why_not_browser is None:
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
    except KeyboardInterrupt:
        print(t("signin.cancelled", lang), file=sys.stderr)
        return EXIT_UNREACHABLE
    print(t("signin.cli.done", lang, user=username, place=signin.place.describe(lang)))
    return EXIT_OK


def _cli_opener(lang: str) -> Callable[[str], bool]:
    """Open Entra's page in the system browser, saying where it is in case it does not show."""
    from assistant.entra.browser import open_in_system_browser
    from assistant.i18n.translate import t
    from assistant.text.safe import terminal_safe

    def open_page(url: str) -> bool:  # an https page of the authority's host (checked)
        print(t("signin.cli.opening", lang, url=terminal_safe(url)), flush=True)
        return open_in_system_browser(url)

    return open_page


def _signout(options: Options) -> int:
    lang = language(options)
    return guard(options, lang, lambda: _sign_out(options, lang))


def _sign_out(options: Options, lang: str) -> int:
    from assistant.i18n.translate import t

    signin = _open_signin(options, lang)
    place = signin.place.describe(lang)
    if signin.sign_out():
        print(t("signin.cli.signed_out", lang, place=place))
    else:
        print(t("signin.cli.nothing_stored", lang))
    return EXIT_OK


def _status(options: Options) -> int:
    """Entra's provisioning job; no app or no job (Graph's 404) is a blocked step (4)."""
    from assistant.entra.graph_errors import GraphNotFound

    lang = language(options)

    def command() -> int:
        return asyncio.run(_status_async(options, lang))

    return guard(options, lang, command, blocking=(GraphNotFound,))


async def _status_async(options: Options, lang: str) -> int:
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.status import entra_status, status_text
    from assistant.text.safe import json_terminal_safe

    signin = _open_signin(options, lang)  # before any token is read
    settings = signin.settings
    username = await asyncio.to_thread(signin.username)
    client = GraphClient(signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context())
    try:
        body = await entra_status(client, options.app_name, username or "", lang)
    finally:
        await client.aclose()
    if options.json:
        print(json_terminal_safe(json.dumps(body, ensure_ascii=False, indent=2)))
    else:
        print(status_text(body, lang))
    return EXIT_BLOCKED if body["blocking"] else EXIT_OK


def _setup(options: Options) -> int:
    from assistant.cli.entra_setup import run_setup

    return run_setup(options)

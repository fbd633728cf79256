"""The `web` subcommand's options (the TUI's, and its own), and the wizard's command line.

Each browser session runs `python -m assistant.cli` with the options the admin gave `web` (before
or after the subcommand), so the browser shows exactly the wizard the terminal would. Only
options go on that command line: the admin key reaches the wizard through the environment
(`STEEPLE_API_KEY`, inherited) or the keyring, never through its arguments, where any local user
could read it (`ps`).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from assistant.cli.arguments import ENTRA_FLAGS, add_entra_location_options
from assistant.cli.options import Options


def add_web_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """The `web` subcommand's parser (the caller sets its handler)."""
    web: argparse.ArgumentParser = commands.add_parser(
        "web", help="the wizard in a browser tab (127.0.0.1 only, behind a one-time address)"
    )
    add_tui_options(web)
    web.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)"
    )
    web.add_argument(
        "--no-browser", action="store_true", help="only print the address, open no browser"
    )
    return web


def add_tui_options(parser: argparse.ArgumentParser) -> None:
    """The TUI's options, accepted after `web` too; one left out there keeps the value given
    before the subcommand (default SUPPRESS: argparse copies a subparser's defaults over)."""
    hidden = argparse.SUPPRESS
    parser.add_argument("--sandbox", action="store_true", default=hidden, help="a local sandbox")
    parser.add_argument("--db", default=hidden, help="sandbox database file")
    parser.add_argument("--url", default=hidden, help="Steeple instance URL")
    parser.add_argument("--profile", default=hidden, help="a saved profile name")
    parser.add_argument(
        "--allow-insecure-http", action="store_true", default=hidden, help="see the main help"
    )
    parser.add_argument("--lang", choices=["en", "fr"], default=hidden, help="language")
    add_entra_location_options(parser, nested=True)


def wizard_options(options: Options) -> list[str]:
    """The TUI options given, as a command line for the wizard (values as typed)."""
    line = ["--sandbox"] if options.sandbox else []
    line += ["--allow-insecure-http"] if options.allow_insecure_http else []
    values = {
        "--db": options.db,
        "--url": options.url,
        "--profile": options.profile,
        "--lang": options.lang,
        **{ENTRA_FLAGS[name]: value for name, value in asdict(options.entra).items()},
    }
    for option, value in values.items():
        if value is not None:
            line += [option, value]
    return line

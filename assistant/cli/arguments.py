"""Argument definitions shared by several parsers: where Entra is, and where its session is kept.

argparse only: `Options.from_namespace` reads what these define (`ENTRA_FLAGS` names each
`EntraOptions` field's option, for the web wrapper's child command line).
"""

from __future__ import annotations

import argparse

ENTRA_FLAGS = {
    "authority": "--entra-authority",
    "graph_url": "--graph-url",
    "client_id": "--client-id",
    "ca_bundle": "--entra-ca-bundle",
    "token_cache": "--token-cache",
}
"""`EntraOptions` field → its option on the command line."""


def add_entra_location_options(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """Where Entra is and where the session is kept: the same options on the TUI command, on
    `entra`, on `explain` and on `rotate-token`.

    `nested` (a subcommand's parser): an option left out there must not reset the value given
    before the subcommand (argparse copies a subparser's defaults over the parent's), so its
    default is SUPPRESS (`Options.from_namespace` reads an absent one as not given).
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

"""The command line's options, typed: built once from argparse, then handed down.

`Options.from_namespace` is the only reader of argparse's `Namespace`; every command, the web
wrapper and the TUI receive an `Options` (or the part of it they need, like `EntraOptions`), so a
misspelt option is a type error rather than a silent `getattr(args, …, None)`. Options a command
does not have keep their defaults (`remove` has no `--app-name`: "Steeple").
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from assistant.entra.options import EntraOptions

ENTRA_DESTS = {
    "entra_authority": "authority",
    "graph_url": "graph_url",
    "client_id": "client_id",
    "entra_ca_bundle": "ca_bundle",
    "token_cache": "token_cache",
}
"""argparse dest of an Entra location option → its `EntraOptions` field."""


@dataclass(frozen=True)
class Options:
    """Everything the admin typed: global options first, then the subcommand's."""

    command: str | None = None
    """The subcommand (`status`, `entra`, …); None opens the TUI."""
    sandbox: bool = False
    db: str | None = None
    url: str | None = None
    profile: str | None = None
    allow_insecure_http: bool = False
    lang: str | None = None
    """As given (`--lang`); `language()` falls back to the profile and the locale."""
    entra: EntraOptions = field(default_factory=EntraOptions)
    json: bool = False
    yes: bool = False
    dry_run: bool = False
    output: str | None = None
    """`report --output FILE`."""
    email: str = ""
    """`explain EMAIL`."""
    app_name: str = "Steeple"
    action: str | None = None
    """`activate` or `deactivate`."""
    pause_entra: bool = False
    force: bool = False
    timeout: float | None = None
    """`rotate-token --timeout SECONDS`."""
    via_graph: bool = False
    device_code: bool = False
    groups: tuple[str, ...] | None = None
    """`entra setup --groups NAME…`; None: the advice's groups."""
    port: int = 0
    no_browser: bool = False

    @classmethod
    def from_namespace(cls, namespace: argparse.Namespace) -> Options:
        """The parsed command line, typed. Options absent from a subcommand keep the default."""

        def given(dest: str) -> Any:
            return getattr(namespace, dest, None)

        groups = given("groups")
        return cls(
            command=given("command"),
            sandbox=bool(given("sandbox")),
            db=given("db"),
            url=given("url"),
            profile=given("profile"),
            allow_insecure_http=bool(given("allow_insecure_http")),
            lang=given("lang"),
            entra=EntraOptions(**{name: given(dest) for dest, name in ENTRA_DESTS.items()}),
            json=bool(given("json")),
            yes=bool(given("yes")),
            dry_run=bool(given("dry_run")),
            output=given("output"),
            email=str(given("email") or ""),
            app_name=str(given("app_name") or "Steeple"),
            action=given("action"),
            pause_entra=bool(given("pause_entra")),
            force=bool(given("force")),
            timeout=given("timeout"),
            via_graph=bool(given("via_graph")),
            device_code=bool(given("device_code")),
            groups=tuple(groups) if groups is not None else None,
            port=int(given("port") or 0),
            no_browser=bool(given("no_browser")),
        )


def language(options: Options) -> str:
    """`--lang`, else the profile's language, else the settings', else the locale's."""
    from assistant.i18n.translate import normalise_language

    if options.lang:
        return normalise_language(options.lang)
    from assistant.settings import load_settings

    settings = load_settings()
    profile = settings.profiles.get(options.profile or settings.default_profile)
    return normalise_language((profile.lang if profile else None) or settings.lang)

"""Opening what a command talks to: Steeple (the sandbox, or `--url` and its key) and, on
demand, Entra through Microsoft Graph — closed by the runner's exit stack when the command ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.cli.options import Options
from assistant.cli.problems import UsageProblem
from assistant.exit_codes import EXIT_UNREACHABLE, EXIT_USAGE
from assistant.i18n.translate import normalise_language

if TYPE_CHECKING:
    from assistant.entra.location import EntraSettings
    from assistant.entra.side import EntraSide
    from assistant.steeple.client import SteepleClient
    from assistant.steeple.sandbox_mode import SandboxSession

OpenEntra = Callable[[], Awaitable["EntraSide | None"]]
"""Opens the Entra facade on demand: None when not signed in (the copy-paste path)."""


async def _not_signed_in() -> EntraSide | None:
    return None


@dataclass
class Connection:
    """One command run's Steeple client, its secret (redacted from output) and how to reach
    Entra; everything opened is closed by the stack it was opened on."""

    client: SteepleClient
    secret: str
    sandbox: SandboxSession | None = None
    """`--sandbox`: the in-process sandbox, whose emulated tenant `open_entra` signs in to."""
    open_entra: OpenEntra = _not_signed_in
    """The Entra facade when signed in (the sandbox's tenant, or `entra signin`'s cache)."""


def entra_settings(options: Options, lang: str = "en") -> EntraSettings:
    """The Entra location of these options and environment, checked: a `UsageProblem` (exit 2)
    when a token of that authority must not go to that Graph URL, or the CA file is missing —
    before any token is read or any request sent."""
    from assistant.entra.location import EntraLocationError

    settings = options.entra.settings()
    try:
        settings.check(lang)
    except EntraLocationError as refused:
        raise UsageProblem(refused.sentence, refused.fix, EXIT_USAGE) from None
    return settings


async def connect(options: Options, stack: AsyncExitStack, lang: str) -> Connection:
    """Steeple from `--sandbox`, or `--url` / the profile and the key from the environment or
    the keyring; Entra opened only when the command asks (`Connection.open_entra`)."""
    if options.sandbox:
        from assistant.steeple.sandbox_mode import start_sandbox

        session = await asyncio.to_thread(start_sandbox, options.db)
        stack.callback(session.stop)
        client = session.client()
        stack.push_async_callback(client.aclose)

        async def sandbox_entra() -> EntraSide | None:  # its own tenant, signed in in memory
            return await session.open_entra_side(client, lang)

        return Connection(client, session.admin_key, sandbox=session, open_entra=sandbox_entra)
    client, key = _steeple(options, stack)

    async def cached_entra() -> EntraSide | None:  # the session `entra signin` left here
        from assistant.entra.side import open_entra_side

        settings = entra_settings(options, lang)  # refused (exit 2) before any token is read
        sso = await client.get_sso()
        return await open_entra_side(
            settings, app_name=options.app_name, sso_identifiers=sso.app_identifiers, lang=lang
        )

    return Connection(client, key, open_entra=cached_entra)


def _steeple(options: Options, stack: AsyncExitStack) -> tuple[SteepleClient, str]:
    """The client of `--url` (or the profile's) and its admin key; refused before anything is
    sent when either is missing or the URL would carry the key in clear."""
    from assistant.settings import get_api_key, load_settings
    from assistant.steeple.client import InsecureUrlError, SteepleClient, require_secure_url

    profile = load_settings().profile(options.profile)
    url = options.url or profile.url
    if not url:
        raise UsageProblem(
            "No Steeple instance URL.",
            "Pass --url https://yourcompany.steeple.com (or --profile NAME), or use --sandbox.",
            EXIT_USAGE,
        )
    try:  # before the key is read or anything is sent
        require_secure_url(url, allow_insecure_http=options.allow_insecure_http)
    except InsecureUrlError as refused:
        raise UsageProblem(*refused.text(normalise_language(options.lang)), EXIT_USAGE) from None
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
    return client, key

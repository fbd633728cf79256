"""The one headless runner: every command's failures become a sentence, a fix and an exit code.

`failure_of` is the only place an exception becomes an exit code; `guard` runs any command under
it (never a traceback for a failure it knows), and `run` opens Steeple (and Entra on demand) for
a command's coroutine first. Exit codes: 0 ok; 2 usage (bad or refused options, nothing
changed); 3 not reachable, not authorised or not signed in; 4 a step blocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from assistant.cli.connection import Connection, connect, entra_settings
from assistant.cli.options import Options, language
from assistant.cli.output import Failure, JsonValue, say_failure
from assistant.cli.problems import UsageProblem
from assistant.exit_codes import EXIT_BLOCKED, EXIT_UNREACHABLE

Body = Callable[[Options, Connection, str], Awaitable[int]]
"""A command's work once connected: (options, connection, language) → its exit code."""

Blocking = tuple[type[BaseException], ...]
"""Graph failures that a command counts as a blocked step (4), not as unreachable (3)."""


def blocking_graph_failures() -> Blocking:
    """What Entra's tenant lacks, rather than the link to it: a licence, an app that is not
    ready or ambiguous, credentials the job never saved."""
    from assistant.entra.graph_errors import GraphLicenceRequired
    from assistant.entra.side import AppAmbiguous, AppNotReady, CredentialsNotSaved

    return (GraphLicenceRequired, AppAmbiguous, AppNotReady, CredentialsNotSaved)


def failure_of(
    error: BaseException, lang: str, blocking: Blocking = ()
) -> tuple[Failure, int] | None:
    """The failure in words and its exit code; None for what no command expects (a bug)."""
    from assistant.steeple.errors import SteepleError

    if isinstance(error, UsageProblem):
        return Failure("config", error.message, error.fix), error.exit_code
    if isinstance(error, SteepleError):
        message, fix = error.text(lang)
        extra: dict[str, JsonValue] = {"status": error.status, "code": error.code}
        return Failure(error.kind.value, message, fix, extra), EXIT_UNREACHABLE
    from assistant.entra.graph_errors import GraphError
    from assistant.entra.signin_errors import SignInError

    if isinstance(error, GraphError):
        details: dict[str, JsonValue] = dict(error.to_dict(lang))
        sentence, fix = str(details.pop("message")), str(details.pop("fix"))
        blocks = isinstance(error, blocking_graph_failures() + blocking)
        return Failure(
            "entra", sentence, fix, details
        ), EXIT_BLOCKED if blocks else EXIT_UNREACHABLE
    if isinstance(error, SignInError):  # not signed in, sign-in refused, a session not ours
        return Failure("entra", error.sentence, error.fix, {"code": error.code}), error.exit_code
    from assistant.journey.entra_setup import SetupFailed, SetupRefused

    if isinstance(error, SetupFailed):  # Test Connection refused: what was done, and why not more
        return Failure(
            "blocked", error.message, error.fix, {"result": error.result}
        ), error.exit_code
    if isinstance(error, SetupRefused):
        return Failure("config", error.message, error.fix), error.exit_code
    return None


def guard(options: Options, lang: str, command: Callable[[], int], blocking: Blocking = ()) -> int:
    """Run `command`; a failure it knows is said (JSON with `--json`) and ends with its code."""
    try:
        return command()
    except Exception as error:
        known = failure_of(error, lang, blocking)
        if known is None:
            raise
        failure, code = known
        say_failure(options, failure, lang)
        return code


def run(options: Options, body: Body, *, check_entra: bool = False, blocking: Blocking = ()) -> int:
    """Connect (Steeple; Entra when `body` asks), run `body`, close everything, map failures.

    `check_entra`: the command will send an Entra token, so a Graph URL it must not go to is
    refused (exit 2) before any request at all — `entra_settings` says why.
    """
    lang = language(options)

    async def connected() -> int:
        if check_entra and not options.sandbox:
            entra_settings(options, lang)
        async with AsyncExitStack() as stack:
            return await body(options, await connect(options, stack, lang), lang)

    return guard(options, lang, lambda: asyncio.run(connected()), blocking)

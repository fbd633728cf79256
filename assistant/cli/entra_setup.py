"""Running `entra setup`: open both sides, plan, ask, apply, and turn every failure into a
sentence, a fix and an exit code (never a traceback). The JSON shape is in `setup.py`."""

from __future__ import annotations

import argparse
import asyncio
from contextlib import AsyncExitStack
from typing import Any

from assistant.entra.side import AppAmbiguous, EntraSide
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from assistant.i18n.translate import normalise_language, t
from assistant.steeple.client import SteepleClient


async def _open(
    args: argparse.Namespace, stack: AsyncExitStack, lang: str
) -> tuple[SteepleClient, EntraSide]:
    """Steeple's client and the Entra side: the sandbox's own tenant with `--sandbox` (signed
    in automatically, in memory), else the instance of `--url` and the cached `entra signin`."""
    from assistant.cli.entra import entra_settings
    from assistant.cli.headless import connect
    from assistant.entra.side import open_entra_side
    from assistant.journey.entra_setup import SetupRefused

    if args.sandbox:
        from assistant.steeple.sandbox_mode import start_sandbox

        session = await asyncio.to_thread(start_sandbox, args.db)
        stack.callback(session.stop)
        client = session.client()
        stack.push_async_callback(client.aclose)
        side = await session.open_entra_side(client, lang)
    else:
        settings = entra_settings(args, lang)  # refused (exit 2) before any token is read
        client = connect(args, stack).client
        sso = await client.get_sso()
        opened = await open_entra_side(
            settings, sso_identifiers=sso.app_identifiers, app_name=args.app_name, lang=lang
        )
        if opened is None:
            raise SetupRefused(
                t("entra.setup.signed_out", lang),
                t("entra.setup.signed_out.fix", lang),
                EXIT_UNREACHABLE,
            )
        side = opened
    stack.push_async_callback(side.aclose)
    side.app_name = args.app_name
    side.progress = _progress_line
    return client, side


def _progress_line(line: str) -> None:
    """A wait the admin should know about (a new app replicating): on stderr, so `--json`
    keeps one object on stdout."""
    import sys

    from assistant.text.safe import terminal_safe

    print(terminal_safe(line), file=sys.stderr, flush=True)


async def _run(args: argparse.Namespace, lang: str) -> tuple[int, dict[str, Any], str, list[str]]:
    """(exit code, JSON payload, text, secrets to redact)."""
    from assistant.journey.entra_setup import apply_plan, confirmed, done_lines, make_plan

    async with AsyncExitStack() as stack:
        client, side = await _open(args, stack, lang)
        plan = await make_plan(client, side, args.groups, lang)
        payload: dict[str, Any] = {
            "instance": client.base_url,
            "applied": False,
            "plan": plan.as_json(),
            "result": None,
        }
        lines = plan.lines(lang)
        if args.dry_run:
            return EXIT_OK, payload, "\n".join(lines), []
        if not args.yes and not args.json:
            print("\n".join(lines))  # the plan, before the question
            lines = []
        if not await asyncio.to_thread(confirmed, args, lang):
            return EXIT_USAGE, payload, t("entra.setup.declined", lang), []
        result, secrets = await apply_plan(client, side, plan, lang)
        payload.update(applied=True, result=result)
        return EXIT_OK, payload, "\n".join([*lines, *done_lines(result, lang)]), secrets


def run_setup(args: argparse.Namespace) -> int:
    from assistant.cli.headless import UsageProblem, emit, fail
    from assistant.entra.graph_errors import GraphError, GraphLicenceRequired
    from assistant.entra.side import AppNotReady, CredentialsNotSaved
    from assistant.entra.signin import SignInError
    from assistant.journey.entra_setup import SetupFailed, SetupRefused
    from assistant.steeple.errors import SteepleError

    lang = normalise_language(getattr(args, "lang", None))
    try:
        code, payload, text, secrets = asyncio.run(_run(args, lang))
    except SetupFailed as failed:  # Test Connection refused: say what was done, and why not more
        fail(args, "blocked", failed.message, failed.fix, lang, result=failed.result)
        return failed.exit_code
    except SetupRefused as refused:
        fail(args, "config", refused.message, refused.fix, lang)
        return refused.exit_code
    except UsageProblem as problem:
        fail(args, "config", problem.message, problem.fix, lang)
        return problem.exit_code
    except SteepleError as exc:
        message, fix = exc.text(lang)
        fail(args, exc.kind.value, message, fix, lang, status=exc.status, code=exc.code)
        return EXIT_UNREACHABLE
    except AppAmbiguous as ambiguous:
        fail(args, "entra", ambiguous.sentence, ambiguous.fix, lang, code=ambiguous.code)
        return EXIT_BLOCKED
    except GraphError as graph:
        sentence, fix = graph.text(lang)
        fail(args, "entra", sentence, fix, lang, code=graph.code, status=graph.status)
        blocks = isinstance(graph, GraphLicenceRequired | AppNotReady | CredentialsNotSaved)
        return EXIT_BLOCKED if blocks else EXIT_UNREACHABLE
    except SignInError as signin:
        fail(args, "entra", signin.sentence, signin.fix, lang, code=signin.code)
        return EXIT_UNREACHABLE
    emit(args, payload, text, *secrets[:1])
    return code

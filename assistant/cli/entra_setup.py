"""Running `entra setup`: open both sides, plan, ask, apply. The runner (`assistant/cli/runner.py`)
turns every failure into a sentence, a fix and an exit code (never a traceback): a failed Test
Connection is 4 with what was done so far. The JSON shape is in
`assistant/journey/entra_setup.py`."""

from __future__ import annotations

import asyncio
import sys

from assistant.cli.connection import Connection
from assistant.cli.options import Options
from assistant.cli.output import JsonValue, emit
from assistant.exit_codes import EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from assistant.i18n.translate import t


async def setup_body(options: Options, conn: Connection, lang: str) -> int:
    """The plan; with `--yes` (or "y" at a terminal), applied. The Entra side is the sandbox's
    own tenant with `--sandbox` (signed in automatically, in memory), else `entra signin`'s."""
    from assistant.journey.entra_setup import (
        SetupRefused,
        apply_plan,
        confirmed,
        done_lines,
        make_plan,
    )

    side = await conn.open_entra()
    if side is None:
        key = "entra.setup.signed_out"
        raise SetupRefused(t(key, lang), t(f"{key}.fix", lang), EXIT_UNREACHABLE)
    try:
        side.app_name = options.app_name
        side.progress = _progress_line
        client = conn.client
        groups = list(options.groups) if options.groups is not None else None
        plan = await make_plan(client, side, groups, lang)
        payload: dict[str, JsonValue] = {
            "instance": client.base_url,
            "applied": False,
            "plan": plan.as_json(),
            "result": None,
        }
        lines = plan.lines(lang)
        if options.dry_run:
            emit(options, payload, "\n".join(lines))
            return EXIT_OK
        if not options.yes and not options.json:
            print("\n".join(lines))  # the plan, before the question
            lines = []
        if not await asyncio.to_thread(confirmed, options.yes, lang):
            emit(options, payload, t("entra.setup.declined", lang))
            return EXIT_USAGE
        result, secrets = await apply_plan(client, side, plan, lang)
    finally:
        await side.aclose()
    payload.update(applied=True, result=result)
    emit(options, payload, "\n".join([*lines, *done_lines(result, lang)]), *secrets[:1])
    return EXIT_OK


def _progress_line(line: str) -> None:
    """A wait the admin should know about (a new app replicating): on stderr, so `--json`
    keeps one object on stdout."""
    from assistant.text.safe import terminal_safe

    print(terminal_safe(line), file=sys.stderr, flush=True)


def run_setup(options: Options) -> int:
    """`entra setup`: Entra's location checked first (a token must not go there: exit 2)."""
    from assistant.cli.runner import run

    return run(options, setup_body, check_entra=True)

"""`steeple-assistant explain EMAIL [--json]`: why this person is (not) in Steeple.

Entra's side is read through Microsoft Graph when a sign-in is cached (`entra signin`); without
one the Steeple side is explained and the output says what it cannot see. The JSON shape is in
`assistant/explain/chain.py`, with `"instance"` added. Exit codes: 0 nothing broken, 3 the
instance is not reachable or not authorised, 4 a link is broken (the first one named with its fix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.cli.connection import Connection
from assistant.cli.options import Options
from assistant.cli.output import emit
from assistant.cli.problems import UsageProblem
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE
from assistant.explain.chain import Explanation, LinkStatus, explain
from assistant.explain.gather import gather
from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide

MARKS = {LinkStatus.OK: "✓", LinkStatus.BROKEN: "✗", LinkStatus.UNKNOWN: "?"}


async def open_side(conn: Connection) -> EntraSide | None:
    """The Entra facade when signed in (with `--sandbox`, the sandbox's own tenant, as the TUI
    does), else None: the Steeple side is explained and the output says what it cannot see.
    A location the token must not go to is refused (exit 2) before any token is read."""
    from assistant.entra.signin_errors import SignInError

    try:
        return await conn.open_entra()  # a refused location is a UsageProblem: not caught here
    except SignInError:  # a broken cache reads as "not signed in": the Steeple side still helps
        return None


def explanation_text(result: Explanation, instance: str, lang: str) -> str:
    """One line per link; each value made terminal-safe on its own line, so data cannot add one."""
    sentence, fix = result.verdict(lang)
    lines = [
        t("headless.instance", lang, url=instance),
        t("explain.title", lang, address=result.address),
        "",
    ]
    for link in result.links:
        lines.append(f"  {MARKS[link.status]} {link.sentence}")
        if link is result.first_broken:
            lines.append("      " + t("headless.fix", lang, fix=link.fix))
    lines.append("")
    broken = result.first_broken
    lines.append(t("explain.first_broken", lang, sentence=sentence) if broken else sentence)
    if broken is not None:
        lines.append("  " + t("headless.fix", lang, fix=fix))
    if result.cannot_see:  # the ? lines say what; only a reason of their own is added here
        said = {link.sentence for link in result.links if link.status is LinkStatus.UNKNOWN}
        lines.append(t("explain.cannot_see", lang))
        lines += [f"  {item}" for item in result.cannot_see if item not in said]
    return "\n".join(terminal_safe(line) for line in lines)


async def explain_body(options: Options, conn: Connection, lang: str) -> int:
    address = options.email.strip()
    if not address:
        raise UsageProblem(
            t("explain.no_address", lang), t("explain.no_address.fix", lang), EXIT_USAGE
        )
    # Steeple's enterprise app is the one carrying the instance's SSO (a tenant may hold
    # several apps named "Steeple"): `open_entra` finds it by the instance's SSO identifiers.
    side = await open_side(conn)
    try:
        facts = await gather(conn.client, side, address)
    finally:
        if side is not None:
            await side.aclose()
    result = explain(facts, lang)
    payload = {"instance": conn.client.base_url, **result.as_json(lang)}
    emit(options, payload, explanation_text(result, conn.client.base_url, lang), conn.secret)
    return EXIT_OK if result.ok else EXIT_BLOCKED


def run_explain(options: Options) -> int:
    from assistant.cli.runner import run

    return run(options, explain_body)


__all__ = ["explain_body", "explanation_text", "run_explain"]

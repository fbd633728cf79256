"""The activation dry run has one wording: the TUI's step and `activate --dry-run` print the same
lines, counting people — and activation then skips exactly the number announced.

Both run against one sandbox started in-process, in the state Entra's traffic leaves it: three
people mapped (tests/support/prepare.py), plus two SCIM users sharing one e-mail (one conflict,
two people skipped) and one with no e-mail (one more), sent as Entra sends them.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from assistant.cli.main import EXIT_OK, main
from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.steps.activate import ActivateStep
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.scim import ScimClient

COUNT = re.compile(r"^• (?P<label>[^:]+?)\s?: (?P<count>\d+)$")


def counts(lines: list[str]) -> dict[str, int]:
    """ "• Conflicts (skipped): 3" → {"Conflicts (skipped)": 3}, for every counted line."""
    found = (COUNT.match(line.strip()) for line in lines)
    return {m["label"]: int(m["count"]) for m in found if m is not None}


async def conflicted_instance(server: Any, admin_key: str) -> None:
    """Mapped and not active; Entra also sent two people with one e-mail and one with none."""
    prepared = await prepare(server.base_url, admin_key, "mapped")
    scim = ScimClient(server.scim_url, prepared.secret)
    scim.create_user("twin.one@contoso.example", "twin@steeple-demo.fr")
    scim.create_user("twin.two@contoso.example", "twin@steeple-demo.fr")
    scim.create_user("no.mail@contoso.example", None)


async def screen_lines(
    server: Any, admin_key: str, build_app: Callable[..., Any], lang: str
) -> list[str]:
    app = build_app(SteepleClient(server.base_url, admin_key), step="activate", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ActivateStep)
        panel = screen.query_one("#preview")
        await wait_for(pilot, lambda: bool(panel.display), "the dry run")
        return str(panel.render()).splitlines()


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_screen_and_activate_dry_run_show_the_same_counts(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    server = start_sandbox()
    await conflicted_instance(server, admin_key)
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)

    shown = await screen_lines(server, admin_key, build_app, lang)
    dry_run = ["--url", server.base_url, "--lang", lang, "activate", "--dry-run"]
    assert await asyncio.to_thread(main, dry_run) == EXIT_OK  # main() runs its own event loop
    printed = capsys.readouterr().out.splitlines()
    on_screen, in_terminal = counts(shown), counts(printed)
    assert on_screen == in_terminal and len(on_screen) >= 5, (shown, printed)
    conflicts = t("lifecycle.dry_run.conflicts", lang, count=3).rsplit(":", 1)[0].strip()
    assert on_screen[conflicts] == 3  # people: 2 sharing one e-mail + 1 without

    apply = ["--url", server.base_url, "--lang", lang, "activate", "--json", "--yes"]
    assert await asyncio.to_thread(main, apply) == EXIT_OK
    done = json.loads(capsys.readouterr().out)
    assert len(done["preview"]["conflicts"]) == 2  # two conflicts…
    assert done["result"]["skipped_conflicts"] == 3  # …three people skipped, as announced


async def test_doctor_counts_the_people_activation_skips(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_sandbox()
    await conflicted_instance(server, admin_key)
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    await asyncio.to_thread(main, ["--url", server.base_url, "--lang", "en", "doctor", "--json"])
    checks = {c["id"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["activation.conflicts"]["message"].startswith("3 received users")

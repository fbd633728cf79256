"""The app owns its state; screens and modals change it only through messages (issue 21, point 3).

Attributes down, messages up (Textual's rule): a step or modal reads `self.app.journey` or
`revealed_secret`, and posts a message of screens/messages.py to change it. The first test reads
the source, so a new `self.app.x = …` in a screen fails here with its place; the others post each
message to a running app and look at the state its handler leaves.
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from screens.messages import JourneyLoaded, SecretRevealed, SecretRevoked
from tests.support.pilot import wait_for

SCREENS = Path(__file__).resolve().parents[2] / "screens"
APP_NAMES = {"app", "assistant"}
"""How screens reach the app: `self.app`, `self.assistant`, or a function's `app` parameter."""


def _is_the_app(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "app"
    return isinstance(node, ast.Attribute) and node.attr in APP_NAMES and _is_self(node.value)


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _app_writes(path: Path) -> list[str]:
    """`file:line` of each assignment to an attribute of the app in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    writes = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(element, ast.Attribute) and _is_the_app(element.value):
                    writes.append(f"{path.name}:{node.lineno}")
    return writes


def test_no_screen_writes_the_apps_state() -> None:
    modules = [path for path in SCREENS.rglob("*.py") if path.name != "app.py"]
    assert len(modules) > 30  # the walk found the screens
    writes = [f"{path.parent.name}/{where}" for path in modules for where in _app_writes(path)]
    assert writes == [], "post a message of screens/messages.py instead: " + ", ".join(writes)


def test_the_guard_sees_each_way_of_writing(tmp_path: Path) -> None:
    """The test above can fail: each form a screen could use is caught."""
    source = tmp_path / "bad.py"
    source.write_text(
        "def f(self, app):\n"
        "    self.app.journey = None\n"
        "    self.assistant.revealed_secret += 'x'\n"
        "    side, app.entra_side = app.entra_side, None\n"
        "    self.journey = None  # the screen's own: allowed\n",
        encoding="utf-8",
    )
    assert _app_writes(source) == ["bad.py:2", "bad.py:3", "bad.py:4"]


def test_the_app_keeps_what_its_messages_say(app_at: Callable[..., Any]) -> None:
    asyncio.run(_messages(app_at("token", step="credentials")))


async def _messages(app: Any) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.journey is not None, "the journey")
        app.post_message(SecretRevealed("scim-secret-1234"))
        await wait_for(pilot, lambda: app.revealed_secret == "scim-secret-1234", "the secret")
        app.post_message(SecretRevoked())
        await wait_for(pilot, lambda: app.revealed_secret == "", "the secret forgotten")
        journey = app.journey
        app.post_message(JourneyLoaded(replace(journey)))
        await wait_for(pilot, lambda: app.journey is not journey, "the newer journey")


def test_a_revealed_secret_never_shows_in_the_message_log() -> None:
    assert "scim-secret-1234" not in repr(SecretRevealed("scim-secret-1234"))
    assert "1234" in repr(SecretRevealed("scim-secret-1234"))

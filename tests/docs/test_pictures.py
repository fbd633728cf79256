"""The README's pictures are the app itself: each SVG in docs/pictures/ is drawn here from the
wizard on a prepared sandbox, with the snapshot tests' determinism (frozen clock, one theme, no
blink, seeded data and token text), and the test fails when a committed picture is stale.

Redraw them with `uv run python docs/pictures/regenerate.py` (this module, with
`STEEPLE_UPDATE_PICTURES=1`), then look at them before committing.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from screens.steps.activate import ActivateStep
from screens.steps.base import StepScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.roles import RolesStep
from tests.support.pilot import settle, settle_on

ROOT = Path(__file__).resolve().parents[2]
PICTURES_DIR = ROOT / "docs" / "pictures"
UPDATE = os.environ.get("STEEPLE_UPDATE_PICTURES") == "1"
SIZE = (100, 30)
"""Wide enough to read, small enough to sit in a README column."""


@dataclass(frozen=True)
class Picture:
    """A step in a prepared state (levels of tests/support/prepare.py), as a person sees it."""

    level: str
    step: str | None
    screen: type[StepScreen]
    options: tuple[tuple[str, Any], ...] = ()
    reveal: bool = False


PICTURES = {
    # the first screen of a rehearsal: the eight steps, SSO checked, the first action focused
    "install": Picture("none", None, InstallStep, (("sim", True),)),
    # the Tenant URL and the Secret Token to paste into Entra, revealed once
    "credentials": Picture("token", "credentials", CredentialsStep, reveal=True),
    # waiting for Entra's first cycle: what Entra says (through Graph) beside what Steeple heard
    "provisioning": Picture(
        "tested", "provision", ProvisioningStep, (("sim", True), ("entra", "configured"))
    ),
    # each received group mapped to a community and a role
    "map": Picture("mapped", "roles", RolesStep),
    # the dry run before activation: who is linked, created, skipped
    "activate": Picture("mapped", None, ActivateStep),
}


class SeededSecrets:
    """Token text that looks like a real token (the snapshot tests' `CountingSecrets` reads
    "PLANTED-…", a marker for leak tests), the same on every run."""

    def __init__(self) -> None:
        self._random = random.Random(23)

    def token_urlsafe(self, nbytes: int = 32) -> str:
        return base64.urlsafe_b64encode(self._random.randbytes(nbytes)).rstrip(b"=").decode()

    def token_hex(self, nbytes: int = 8) -> str:
        return self._random.randbytes(nbytes).hex()

    @staticmethod
    def compare_digest(a: Any, b: Any) -> bool:
        return secrets.compare_digest(a, b)


def draw(app: Any, picture: Picture) -> str:
    """The SVG of `app` once the step has loaded (and the secret is revealed, if asked)."""

    async def shoot() -> str:
        async with app.run_test(size=SIZE) as pilot:
            await settle_on(picture.screen)(pilot)
            if picture.reveal:
                await pilot.press("v")
            await settle(pilot)
            return str(app.export_screenshot(title="Steeple Provisioning Assistant"))

    return asyncio.run(shoot())


@pytest.mark.usefixtures("deterministic_ui")
@pytest.mark.parametrize("name", list(PICTURES))
def test_the_picture_is_current(
    name: str, app_at: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandbox.tokens

    monkeypatch.setattr(sandbox.tokens, "secrets", SeededSecrets())
    picture = PICTURES[name]
    app = app_at(picture.level, picture.step, lang="en", **dict(picture.options))
    if picture.reveal:
        app.revealed_secret = app.prepared.secret
    svg = draw(app, picture)
    path = PICTURES_DIR / f"{name}.svg"
    if UPDATE:
        path.write_text(svg, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == svg, (
        f"{path.relative_to(ROOT)} is stale: {REGENERATE}"
    )


REGENERATE = "run `uv run python docs/pictures/regenerate.py` and look at the pictures"


def test_every_picture_is_drawn_here_and_shown_in_the_readme() -> None:
    """No orphan picture nobody redraws, none the README forgets."""
    on_disk = {path.stem for path in PICTURES_DIR.glob("*.svg")}
    assert on_disk == set(PICTURES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/pictures/([\w-]+)\.svg\)", readme))
    assert shown == set(PICTURES)

"""The step registry: one class per step id, imported when first shown, never with the app."""

from __future__ import annotations

import subprocess
import sys

from assistant.journey.steps import StepId
from screens.steps.base import StepScreen
from screens.steps.registry import ScreenId, screen_classes, screen_for


def test_every_step_and_screen_id_has_its_screen_class() -> None:
    classes = screen_classes()
    assert set(classes) == set(StepId) | set(ScreenId)
    for step in StepId:
        screen_class = classes[step]
        assert issubclass(screen_class, StepScreen)
        assert isinstance(screen_class.STEP_ID, StepId)
        assert screen_class.STEP_ID is step, screen_class.__name__
    for screen in ScreenId:
        assert classes[screen].STEP_ID is None, classes[screen].__name__


def test_a_plain_string_names_the_same_screen_as_its_id() -> None:
    """Support (and the tests) open a step by name: "roles" is `StepId.ROLES`."""
    assert type(screen_for("roles")) is screen_classes()[StepId.ROLES]  # type: ignore[arg-type]
    assert type(screen_for("removal")) is screen_classes()[ScreenId.REMOVAL]  # type: ignore[arg-type]


def test_the_app_module_imports_no_step_module_nor_the_core_models() -> None:
    """Start-up stays lazy: the steps, the journey and pydantic load after the first paint."""
    code = (
        "import sys, screens.app\n"
        "heavy = [m for m in sys.modules if m.startswith(('screens.steps.', 'pydantic', 'httpx',"
        " 'assistant.journey.steps', 'assistant.steeple.client'))"
        " and m not in ('screens.steps.base', 'screens.steps.registry')]\n"
        "print(' '.join(sorted(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_showing_one_step_imports_its_module_alone() -> None:
    """A start shows one step: the others wait until they are shown."""
    code = (
        "import sys\n"
        "from screens.steps.registry import screen_class\n"
        "print(screen_class('entra').__name__)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('screens.steps.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    name, modules = done.stdout.split("\n")[:2]
    assert name == "EntraStep"
    others = {"sso", "install", "credentials", "assign", "provisioning", "roles", "activate"}
    others |= {"done", "removal", "deactivate", "explain"}
    assert "screens.steps.entra" in modules.split()
    assert not {f"screens.steps.{name}" for name in others} & set(modules.split())

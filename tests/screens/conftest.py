"""Determinism for the wizard's tests: every test here runs with `deterministic_ui` (no blink, no
animation, one theme, frozen time; see `tests/plugin.py`).

Apps are built with `build_app` / `app_at`, which start them directly on a step with state
prepared through the client — never by clicking through earlier steps.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _deterministic(deterministic_ui: None) -> None:
    """Applies the plugin's `deterministic_ui` to every screen test."""

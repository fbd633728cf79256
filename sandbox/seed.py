"""Seeding a new sandbox database (demo company or empty). OWNER: sandbox service part."""

from __future__ import annotations

from sandbox.state import SandboxState


def seed_if_new(state: SandboxState) -> None:
    """Seed once, on a database that has never been seeded (placeholder until implemented)."""

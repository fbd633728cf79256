"""SCIM routes (placeholder until the SCIM part implements them)."""

from starlette.applications import Starlette

from sandbox.state import SandboxState


def create_scim_app(state: SandboxState) -> Starlette:
    return Starlette()

"""`steeple-assistant sandbox …` commands: `serve` here, `entra …` from `sandbox/entra/cli.py`.

Kept import-light: FastAPI and uvicorn are imported by the command that runs, not at parse time.
OWNER: the sandbox service part implements `serve`; the Entra simulator part registers `entra`.
"""

from __future__ import annotations

import argparse
from typing import Any


def register_sandbox_commands(commands: Any) -> None:
    """Add `sandbox` (with `serve` and `entra …`) to the top-level subcommand set."""
    sandbox = commands.add_parser("sandbox", help="the local Steeple sandbox and simulated Entra")
    sub = sandbox.add_subparsers(dest="sandbox_command", metavar="SANDBOX_COMMAND", required=True)
    serve = sub.add_parser("serve", help="serve the sandbox Steeple (admin API + SCIM)")
    serve.set_defaults(func=_serve_not_ready)
    try:
        from sandbox.entra.cli import register_entra_commands
    except ImportError:  # the simulator is being built
        return
    register_entra_commands(sub)


def _serve_not_ready(args: argparse.Namespace) -> int:
    raise SystemExit("sandbox serve is not implemented yet")

"""The `steeple-assistant` command line.

No subcommand opens the TUI. Global options come before the subcommand. Heavy imports (Textual,
FastAPI, uvicorn) happen inside the command that needs them, so `--help` and the headless
commands start fast.

Exit codes (documented in README): 0 ok, 2 usage, 3 not reachable or not authorised, 4 a step blocks.

OWNER: the assistant core fills in the TUI launch and the headless commands; `sandbox/cli.py`
registers the `sandbox …` commands through `register_sandbox_commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_BLOCKED = 4


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steeple-assistant",
        description="Set up Microsoft Entra ID provisioning (SCIM) for a Steeple instance.",
    )
    parser.add_argument("--sandbox", action="store_true", help="run against a local sandbox Steeple")
    parser.add_argument("--db", help="sandbox database file (default: a temporary one)")
    parser.add_argument("--url", help="Steeple instance URL (admin key from STEEPLE_API_KEY)")
    parser.add_argument("--profile", help="a saved profile name")
    parser.add_argument("--lang", choices=["en", "fr"], help="language (default: from the locale)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from sandbox.cli import register_sandbox_commands

    register_sandbox_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    return int(handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

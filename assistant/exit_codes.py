"""The command line's exit codes, in a module of their own so `assistant.cli.main` imports them
for free.

Importing `assistant.cli.headless` pulls in httpx and pydantic; the TUI's start-up must not wait
for them.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_BLOCKED = 4

"""The command line's exit codes, in a module of their own at the bottom of assistant/.

The errors that carry one (Entra's sign-in and location checks, `entra setup`'s refusals, the
lifecycle commands) import them without importing the command line, and `assistant.cli.main`
imports them for free.

Importing `assistant.cli.headless` pulls in httpx and pydantic; the TUI's start-up must not wait
for them.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_BLOCKED = 4

"""The one failure the command line raises itself: something the person must supply or change."""

from __future__ import annotations


class UsageProblem(Exception):
    """Missing or refused configuration (exit 2 or 3), phrased with a fix."""

    def __init__(self, message: str, fix: str, exit_code: int) -> None:
        super().__init__(message)
        self.message, self.fix, self.exit_code = message, fix, exit_code

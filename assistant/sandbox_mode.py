"""`--sandbox`: a local Steeple (with the simulated Entra tenant) inside this process.

The only module of `assistant/` that imports `sandbox/` (besides the CLI wiring): the sandbox runs
on its own thread and event loop, on loopback and port 0, with a generated admin key that never
leaves this process, and a temporary database unless `--db` names one to keep.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from assistant.client import SteepleClient

if TYPE_CHECKING:
    from assistant.entra_sim_client import EntraSimClient

SANDBOX_CYCLE_INTERVAL = 20.0
"""Seconds between simulated Entra cycles in sandbox mode: real Entra's 40 minutes, compressed.

The sandbox's cycle detector is told that a quarter of that is a gap between cycles, so the
provisioning step's cycle clock sees each simulated cycle start.
"""


@dataclass
class SandboxSession:
    """A running in-process sandbox and how to reach it."""

    server: Any
    admin_key: str = field(repr=False)
    temp_dir: Path | None = None

    @property
    def base_url(self) -> str:
        return str(self.server.base_url)

    def client(self, **options: Any) -> SteepleClient:
        return SteepleClient(self.base_url, self.admin_key, **options)

    def entra_client(self) -> EntraSimClient:
        """A client for the simulated Entra tenant hosted by this sandbox."""
        from assistant.entra_sim_client import EntraSimClient

        return EntraSimClient(self.base_url, self.admin_key)

    def stop(self) -> None:
        self.server.stop()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None

    def __enter__(self) -> SandboxSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_sandbox(db: str | Path | None = None, *, seed: str = "demo") -> SandboxSession:
    """Start the sandbox with the simulated Entra host; the caller stops it."""
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    temp_dir: Path | None = None
    if db is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="steeple-sandbox-"))
        db = temp_dir / "sandbox.sqlite3"
    admin_key = "adm_" + secrets.token_urlsafe(24)
    config = SandboxConfig(
        admin_key=admin_key,
        db_path=db,
        seed=seed,  # type: ignore[arg-type]
        with_entra=True,
        entra_cycle_interval=SANDBOX_CYCLE_INTERVAL,
        cycle_gap_seconds=SANDBOX_CYCLE_INTERVAL / 4,
    )
    try:
        server = SandboxServer(config).start()
    except BaseException:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return SandboxSession(server=server, admin_key=admin_key, temp_dir=temp_dir)

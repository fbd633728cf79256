"""`--sandbox`: a local Steeple (with the simulated Entra tenant) inside this process.

The only module of `assistant/` that imports `sandbox/` (besides the CLI wiring): the sandbox runs
on its own thread and event loop, on loopback and port 0, with a generated admin key that never
leaves this process, and a temporary database unless `--db` names one to keep.
"""

from __future__ import annotations

import importlib
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant.client import SteepleClient


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

    def entra_client(self) -> object | None:
        """The simulated Entra host's client, when the simulator is available."""
        try:
            module = importlib.import_module("assistant.entra_sim_client")
        except ImportError:
            return None
        factory = getattr(module, "EntraSimClient", None)
        if factory is None:
            return None
        try:
            client: object = factory(self.base_url, self.admin_key)
        except Exception:
            return None
        return client

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
    config = SandboxConfig(admin_key=admin_key, db_path=db, seed=seed, with_entra=True)  # type: ignore[arg-type]
    try:
        try:
            server = SandboxServer(config).start()
        except ImportError:  # the Entra simulator is not installed: the sandbox still works
            server = SandboxServer(replace(config, with_entra=False)).start()
    except BaseException:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return SandboxSession(server=server, admin_key=admin_key, temp_dir=temp_dir)

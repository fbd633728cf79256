"""`python -m sandbox.child`: the sandbox as a child process of the assistant, while it runs.

`steeple-assistant --sandbox` starts the sandbox here, before its own first paint, so FastAPI,
uvicorn and the Graph emulator load on another core instead of sharing the interpreter lock with
the UI (bench/startup.py). The parent writes one line, the child answers two, over its stdin and
stdout:

- the parent writes one JSON object, the `SandboxConfig` fields (the admin key among them: never
  on the command line, where `ps` would show it) and `"db_path": null` for a throwaway database;
- the child answers `{"base_url": ..., "db_path": ...}` once the admin API and SCIM accept
  connections (or `{"error": ...}`): the assistant's first step waits for that alone;
- then it builds the simulated Microsoft side (the tenant, the Graph and login emulators and
  their TLS) and answers `{"graph": {"base_url", "authority", "graph_url", "ca_pem_path"}}`
  once they accept connections (`{"graph": null}` without them; `{"graph": null, "error": ...}`
  if they failed: the admin API still serves). Nothing can reach them before that line names
  their port; what the admin API saves meanwhile (SSO) they read when composed.

Then the child reads its stdin until end of file and stops: the parent closes it to stop the
sandbox, and the kernel closes it when the parent dies in any way (killed, crashed), so no
sandbox outlives its assistant. SIGTERM and SIGINT stop it the same way. A throwaway database
lives in a temporary directory the child removes on its way out.
"""

from __future__ import annotations

import json
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.server import SandboxServer


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _answer(out: IO[str], body: dict[str, Any]) -> None:
    out.write(json.dumps(body) + "\n")
    out.flush()


def serve(fields: dict[str, Any], out: IO[str], until_closed: IO[bytes]) -> int:
    """Start the sandbox `fields` describe, say where it is on `out`, serve until `until_closed`
    reaches its end (or a signal), then stop it and remove the throwaway database."""
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    temp_dir: Path | None = None
    if fields.get("db_path") is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="steeple-sandbox-"))
        fields = {**fields, "db_path": temp_dir / "sandbox.sqlite3"}
    server: SandboxServer | None = None
    try:
        try:
            server = SandboxServer(SandboxConfig(**fields), entra_later=True).start()
        except Exception as error:  # said to the parent, which shows it to the admin
            _answer(out, {"error": f"{type(error).__name__}: {error}"})
            return 1
        _answer(out, {"base_url": server.base_url, "db_path": str(fields["db_path"])})
        _answer(out, _compose_entra(server))
        while until_closed.read(4096):  # nothing more is said: only the end of file matters
            pass
        return 0
    finally:
        if server is not None:
            server.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


def _compose_entra(server: SandboxServer) -> dict[str, Any]:
    """The simulated Microsoft side composed into the serving sandbox: the second line."""
    try:
        server.compose_entra()
    except Exception as error:  # the admin API serves on; the assistant keeps copy-paste
        return {"graph": None, "error": f"{type(error).__name__}: {error}"}
    graph = server.graph
    if graph is None:
        return {"graph": None}
    return {
        "graph": {
            "base_url": graph.base_url,
            "authority": graph.authority,
            "graph_url": graph.graph_url,
            "ca_pem_path": graph.ca_pem_path,
        }
    }


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)
    line = sys.stdin.buffer.readline()
    if not line:  # the parent went before saying anything
        return 0
    return serve(json.loads(line), sys.stdout, sys.stdin.buffer)


if __name__ == "__main__":
    sys.exit(main())

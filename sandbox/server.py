"""Run the sandbox with uvicorn in a background thread of this process.

Used by `steeple-assistant --sandbox` (its child process, `sandbox/child.py`), by the headless
commands and by every test (port 0, real HTTP on loopback). The socket is bound before the app
is built, so the app knows its own public URL.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING

import uvicorn

from assistant.steeple.contract import API_PREFIX, SCIM_PREFIX
from sandbox.access_log import redact_uvicorn_access_log
from sandbox.app import build_entra, compose_entra_later, create_app
from sandbox.config import SandboxConfig
from sandbox.http_protocol import FAST_HTTP_PROTOCOL

if TYPE_CHECKING:
    from sandbox.graph.mount import GraphEndpoints


class SandboxServer:
    """A started sandbox: `base_url`, `admin_url`, `scim_url`; stop with `stop()` or `with`.

    With `entra_later`, the simulated Microsoft side (`config.with_entra`) is not part of the app
    until `compose_entra` builds it once the admin API serves (`graph` is None until then).
    """

    def __init__(
        self,
        config: SandboxConfig,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        entra_later: bool = False,
    ) -> None:
        self.config = config
        # IPPROTO_TCP explicitly: with proto 0, asyncio does not set TCP_NODELAY on accepted
        # connections, and every response (headers, then body) waits ~40 ms for a delayed ACK.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        self.app = create_app(
            config, public_url=config.public_url or self.base_url, entra_later=entra_later
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self.app.state.startup_hooks.insert(0, self._note_loop)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                access_log=False,
                lifespan="on",
                timeout_graceful_shutdown=2,
                http=FAST_HTTP_PROTOCOL,  # C parser; one write per response: no ~40 ms ACK stall
            )
        )
        redact_uvicorn_access_log()  # after uvicorn.Config, which (re)configures its loggers
        self._thread: threading.Thread | None = None

    @property
    def admin_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def scim_url(self) -> str:
        return self.base_url + SCIM_PREFIX

    @property
    def graph(self) -> GraphEndpoints | None:
        """The Graph and login emulators (authority, Graph URL, CA) when `with_graph` is on."""
        endpoints: GraphEndpoints | None = getattr(self.app.state, "graph_endpoints", None)
        return endpoints

    async def _note_loop(self) -> None:
        self._loop = asyncio.get_running_loop()

    def compose_entra(self, timeout: float = 30.0) -> None:
        """Build the simulated Microsoft side here (this thread: CPU, not the server's loop),
        then compose it into the serving app on its loop; return once its emulators serve."""
        if not self.config.with_entra:
            return
        if self._loop is None:
            raise RuntimeError("the sandbox does not serve yet")
        parts = build_entra(self.config)
        done = asyncio.run_coroutine_threadsafe(compose_entra_later(self.app, parts), self._loop)
        done.result(timeout)

    def start(self, timeout: float = 10.0) -> SandboxServer:
        """Start serving in a daemon thread; return once the server accepts connections."""
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._sock]},
            daemon=True,
            name=f"sandbox-{self.port}",
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the sandbox server failed to start")
            if time.monotonic() > deadline:
                raise TimeoutError("the sandbox server did not start in time")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask uvicorn to shut down cleanly and wait for its thread."""
        self.request_stop()
        self.wait_stopped()

    def request_stop(self) -> None:
        """Ask uvicorn to shut down cleanly, without waiting (its shutdown takes ~0.2 s)."""
        self._server.should_exit = True

    def wait_stopped(self) -> None:
        """Wait for a shutdown asked by `request_stop` to finish, then release the socket."""
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

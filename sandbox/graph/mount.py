"""Serve the login and Graph emulators over TLS beside the sandbox, on the sandbox's own loop.

A second uvicorn server runs as a task on the sandbox's loop — started by the app's lifespan,
or once the sandbox already serves (`sandbox/app.py`, `compose_entra_later`) —
so the Graph handlers touch the hosted job on the very loop its cycle task lives on (no
cross-thread access). Its socket is bound when it is built, so its URLs are known at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette

from sandbox.entra.host import EntraHost
from sandbox.graph import directory, login, synchronization
from sandbox.graph.common import GRAPH_PREFIX
from sandbox.graph.emulator import GraphEmulator, Licence
from sandbox.graph.errors import (
    GraphProblem,
    graph_problem_handler,
    method_not_allowed_handler,
    not_found_handler,
    server_error_handler,
)
from sandbox.graph.tls import LocalTls
from sandbox.http_protocol import IDLE_KEEP_ALIVE_SECONDS


@dataclass
class GraphEndpoints:
    """Where MSAL and the Graph client are pointed, and the CA that makes them trust it."""

    base_url: str
    authority: str
    graph_url: str
    ca_pem_path: str
    emulator: GraphEmulator
    tls: LocalTls


def create_graph_app(emulator: GraphEmulator) -> Starlette:
    app = Starlette(
        routes=[*login.routes, *directory.routes, *synchronization.routes],
        exception_handlers={
            GraphProblem: graph_problem_handler,
            404: not_found_handler,
            405: method_not_allowed_handler,
            Exception: server_error_handler,
        },
    )
    app.state.graph = emulator
    return app


LOOPBACK = "127.0.0.1"


class GraphService:
    """The login and Graph emulators' TLS server, built and bound but not serving yet.

    Built in any thread (nothing here touches an event loop or the database); `start` and
    `stop` run on the sandbox's loop, so the Graph handlers touch the hosted job on the very
    loop its cycle task lives on. Its socket is bound here, so its URLs are known at once.

    On 127.0.0.1 whatever `sandbox serve --host` says: the login emulator hands a Graph token to
    whoever enters a device code on its page, so it is never offered to the network (Microsoft's
    page asks for the account's credentials too; this one only knows the sandbox's admin).
    The rest is the tenant's configuration, from whoever composes the sandbox: how long a new
    app takes to replicate, and the tenant's licence.
    """

    def __init__(
        self,
        host: EntraHost,
        port: int = 0,
        *,
        replication_delay: float = 0.0,
        licence: Licence = "p1",
    ) -> None:
        self.emulator = GraphEmulator(host, replication_delay=replication_delay, licence=licence)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:  # first: a port already taken leaves no CA directory behind
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((LOOPBACK, port))
            self._sock.listen(128)
        except OSError:
            self._sock.close()
            raise
        self._tls = LocalTls()
        bound_host, bound_port = self._sock.getsockname()[:2]
        base = f"https://{bound_host}:{bound_port}"
        self.endpoints = GraphEndpoints(
            base_url=base,
            authority=f"{base}/{self.emulator.tenant_id}",
            graph_url=base + GRAPH_PREFIX,
            ca_pem_path=str(self._tls.ca_pem_path),
            emulator=self.emulator,
            tls=self._tls,
        )
        config = uvicorn.Config(
            create_graph_app(self.emulator),
            log_level="warning",
            lifespan="off",
            access_log=False,  # device codes and tokens travel in bodies, but say nothing anyway
            timeout_keep_alive=IDLE_KEEP_ALIVE_SECONDS,  # longer than the Graph client's pool
        )
        config.load()
        config.ssl = self._tls.server_context()  # in memory: no key file written by us
        self._server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Serve from now on (on the running loop); return once the server accepts."""
        self._task = asyncio.create_task(
            self._server.serve(sockets=[self._sock]), name="graph-emulator"
        )
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        # force_exit: uvicorn would otherwise wait for each idle TLS connection's close_notify
        # from clients that keep a pool open (MSAL's requests session): ~5 s per stop.
        self._server.should_exit = True
        self._server.force_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._task, timeout=5)
        self._sock.close()
        self._tls.cleanup()


def attach_graph(app: FastAPI, service: GraphService, *, serving: bool = False) -> None:
    """Make `service` part of the sandbox app: stopped with it, found on `app.state`.

    Before the app serves, its startup starts the emulators; once it serves (`serving`), the
    caller starts them (`service.start()`, on the app's loop).
    """
    if not serving:
        app.state.startup_hooks.append(service.start)
    app.state.shutdown_hooks.append(service.stop)
    app.state.graph_endpoints = service.endpoints

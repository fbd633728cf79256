"""Serve the login and Graph emulators over TLS beside the sandbox, on the sandbox's own loop.

A second uvicorn server runs as a task started by the sandbox app's lifespan, so the Graph
handlers touch the hosted job on the very loop its cycle task lives on (no cross-thread access).
Its socket is bound when the app is built, so the URLs are known before anything serves.
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
from sandbox.graph.emulator import GraphEmulator, Licence, SsoApp
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


def mount_graph(
    app: FastAPI,
    host: EntraHost,
    port: int = 0,
    *,
    sso_app: SsoApp | None = None,
    replication_delay: float = 0.0,
    licence: Licence = "p1",
) -> GraphEndpoints:
    """Bind the TLS socket now; serve from the sandbox's startup until its shutdown.

    On 127.0.0.1 whatever `sandbox serve --host` says: the login emulator hands a Graph token to
    whoever enters a device code on its page, so it is never offered to the network (Microsoft's
    page asks for the account's credentials too; this one only knows the sandbox's admin).
    The rest is the tenant's configuration, from whoever composes the sandbox: the enterprise app
    an admin made for Steeple's SSO (`sso_app`, None when none was made), how long a new app
    takes to replicate, and the tenant's licence.
    """
    emulator = GraphEmulator(host, replication_delay=replication_delay, licence=licence)
    if sso_app is not None:
        emulator.seed_sso_app(sso_app)
    tls = LocalTls()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    sock.listen(128)
    bound_host, bound_port = sock.getsockname()[:2]
    base = f"https://{bound_host}:{bound_port}"
    endpoints = GraphEndpoints(
        base_url=base,
        authority=f"{base}/{emulator.tenant_id}",
        graph_url=base + GRAPH_PREFIX,
        ca_pem_path=str(tls.ca_pem_path),
        emulator=emulator,
        tls=tls,
    )
    config = uvicorn.Config(
        create_graph_app(emulator),
        log_level="warning",
        lifespan="off",
        access_log=False,  # device codes and tokens travel in bodies, but say nothing anyway
        timeout_keep_alive=IDLE_KEEP_ALIVE_SECONDS,  # longer than the Graph client's pool keeps one
    )
    config.load()
    config.ssl = tls.server_context()  # in memory: no key file written by us
    server = uvicorn.Server(config)
    task: asyncio.Task[None] | None = None

    async def start() -> None:
        nonlocal task
        task = asyncio.create_task(server.serve(sockets=[sock]), name="graph-emulator")
        while not server.started and not task.done():
            await asyncio.sleep(0.01)

    async def stop() -> None:
        # force_exit: uvicorn would otherwise wait for each idle TLS connection's close_notify
        # from clients that keep a pool open (MSAL's requests session): ~5 s per stop.
        server.should_exit = True
        server.force_exit = True
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout=5)
        sock.close()
        tls.cleanup()

    app.state.startup_hooks.append(start)
    app.state.shutdown_hooks.append(stop)
    app.state.graph_endpoints = endpoints
    return endpoints

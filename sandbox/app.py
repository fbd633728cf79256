"""The sandbox Steeple ASGI application: admin API + SCIM 2.0 endpoint (+ simulated Entra host)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from assistant.steeple.contract import API_PREFIX, SCIM_PREFIX
from sandbox.config import SandboxConfig
from sandbox.db import connect
from sandbox.state import SandboxState
from sandbox.throttle import FailureThrottle


def create_app(config: SandboxConfig, public_url: str = "") -> FastAPI:
    """Build the app around a freshly opened (and migrated, and seeded) database.

    `public_url` overrides `config.public_url`; the in-process server passes the address it
    bound when the config left it empty.
    """
    from sandbox.admin.routes import router as admin_router
    from sandbox.scim.routes import create_scim_app
    from sandbox.seed import seed_if_new

    conn = connect(config.db_path)
    state = SandboxState(config=config, conn=conn, public_url=public_url or config.public_url)
    seed_if_new(state)

    shutdown_hooks: list[Callable[[], Awaitable[None]]] = []
    startup_hooks: list[Callable[[], Awaitable[None]]] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for start in startup_hooks:
            await start()
        yield
        for hook in reversed(shutdown_hooks):
            await hook()
        conn.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Steeple admin API (sandbox)",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.sandbox = state
    app.state.admin_failures = FailureThrottle(
        config.admin_failure_refill_per_second, config.admin_failure_burst
    )
    app.state.shutdown_hooks = shutdown_hooks
    app.state.startup_hooks = startup_hooks
    # SCIM first: Entra's traffic is most requests, and routes are matched in order, so a SCIM
    # request no longer tries every admin route before reaching its mount.
    app.mount(SCIM_PREFIX, create_scim_app(state))
    app.include_router(admin_router)
    if config.with_entra:
        from sandbox.entra.host import mount_entra_host

        host = mount_entra_host(app, state)
        if config.with_graph:
            from sandbox.graph.mount import mount_graph

            mount_graph(app, host, config.graph_port)

    return app

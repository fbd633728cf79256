"""The sandbox Steeple ASGI application: admin API + SCIM 2.0 endpoint (+ simulated Entra host)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from assistant.steeple.contract import API_PREFIX, SCIM_PREFIX, SsoConfig
from sandbox.config import SandboxConfig
from sandbox.db import connect
from sandbox.state import SandboxState
from sandbox.throttle import FailureThrottle

if TYPE_CHECKING:
    from sandbox.graph.emulator import SsoApp


def create_app(config: SandboxConfig, public_url: str = "") -> FastAPI:
    """Build the app around a freshly opened (and migrated, and seeded) database.

    `public_url` overrides `config.public_url`; the in-process server passes the address it
    bound when the config left it empty.
    """
    from sandbox.admin.routes import admin_routes
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
    app.router.routes.extend(admin_routes())  # as declared: see sandbox/admin/router.py
    if config.with_entra:
        _compose_entra(app, state)
    return app


def _compose_entra(app: FastAPI, state: SandboxState) -> None:
    """Set the simulated tenant up beside this Steeple, as its customer's admin would have.

    The two sides meet over HTTP only (SCIM one way, the admin API never): what the tenant knows
    of Steeple is handed to it here, as its own configuration. Its directory holds the people of
    the company the Steeple instance was seeded with; its enterprise app for Steeple's single
    sign-on exists when SSO is set up (read once now, then told of each change the admin API
    saves).
    """
    from sandbox.entra.host import (
        HOST_TENANT_GROUPS,
        HOST_TENANT_SEED,
        HOST_TENANT_USERS,
        mount_entra_host,
    )
    from sandbox.entra.tenant import generate_tenant

    config = state.config
    if config.seed == "hostile":  # the hostile directory provisions hostile names
        from sandbox.hostile import hostile_tenant

        tenant = hostile_tenant()
    else:
        tenant = generate_tenant(HOST_TENANT_USERS, HOST_TENANT_GROUPS, HOST_TENANT_SEED)
    host = mount_entra_host(app, tenant, config.entra_cycle_interval, paced=config.entra_pace)
    if not config.with_graph:
        return
    from sandbox.domain.sso import get_sso
    from sandbox.graph.mount import mount_graph

    endpoints = mount_graph(
        app,
        host,
        config.graph_port,
        sso_app=_sso_app(get_sso(state.conn, state.public_url)),
        replication_delay=config.graph_replication_delay,
        licence=config.entra_licence,
    )

    def made_in_entra_too(sso: SsoConfig) -> None:
        app_in_entra = _sso_app(sso)
        if app_in_entra is not None:
            endpoints.emulator.seed_sso_app(app_in_entra)

    state.sso_listeners.append(made_in_entra_too)


def _sso_app(sso: SsoConfig) -> SsoApp | None:
    """Steeple's SSO as the enterprise app its admin made in Entra (None: none made yet)."""
    from sandbox.graph.emulator import SsoApp

    if not sso.configured or not sso.app_identifiers:
        return None
    return SsoApp(mode=sso.protocol, entity_id=sso.saml_entity_id, reply_url=sso.reply_url)

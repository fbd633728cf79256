"""The sandbox Steeple ASGI application: admin API + SCIM 2.0 endpoint (+ simulated Entra host).

The simulated Microsoft side (the tenant, its provisioning job, the Graph and login emulators)
is composed into the app before it serves (`create_app`), or once it serves (`build_entra`,
then `compose_entra_later` on its loop): the `--sandbox` child answers the admin API first, as
that is what the assistant's first step waits for (bench/sandbox_boot.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import FastAPI

from assistant.steeple.contract import API_PREFIX, SCIM_PREFIX, SsoConfig
from sandbox.config import SandboxConfig
from sandbox.db import connect
from sandbox.state import SandboxState
from sandbox.throttle import FailureThrottle

if TYPE_CHECKING:
    from sandbox.entra.host import EntraHost
    from sandbox.graph.emulator import SsoApp
    from sandbox.graph.mount import GraphService


def create_app(
    config: SandboxConfig, public_url: str = "", *, entra_later: bool = False
) -> FastAPI:
    """Build the app around a freshly opened (and migrated, and seeded) database.

    `public_url` overrides `config.public_url`; the in-process server passes the address it
    bound when the config left it empty. With `entra_later`, the simulated Microsoft side that
    `config.with_entra` asks for is left to `build_entra` and `compose_entra_later`.
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
    if config.with_entra and not entra_later:
        _compose_entra(app, state, build_entra(config))
    return app


@dataclass
class EntraParts:
    """The simulated Microsoft side, built but not yet part of an app."""

    host: EntraHost
    graph: GraphService | None
    """The login and Graph emulators (`with_graph`), bound to their port, not serving yet."""


def build_entra(config: SandboxConfig) -> EntraParts:
    """Build the simulated tenant, its provisioning job and (`with_graph`) its emulators.

    Nothing here reads Steeple's database or touches an event loop, so it runs in any thread:
    the `--sandbox` child builds it while its admin API already answers. The tenant's directory
    holds the people of the company the Steeple instance was seeded with.
    """
    from sandbox.entra.host import (
        HOST_TENANT_GROUPS,
        HOST_TENANT_SEED,
        HOST_TENANT_USERS,
        EntraHost,
    )
    from sandbox.entra.tenant import generate_tenant

    if config.seed == "hostile":  # the hostile directory provisions hostile names
        from sandbox.hostile import hostile_tenant

        tenant = hostile_tenant()
    else:
        tenant = generate_tenant(HOST_TENANT_USERS, HOST_TENANT_GROUPS, HOST_TENANT_SEED)
    host = EntraHost(tenant, config.entra_cycle_interval, paced=config.entra_pace)
    if not config.with_graph:
        return EntraParts(host, None)
    from sandbox.graph.mount import GraphService

    graph = GraphService(
        host,
        config.graph_port,
        replication_delay=config.graph_replication_delay,
        licence=config.entra_licence,
    )
    return EntraParts(host, graph)


async def compose_entra_later(app: FastAPI, parts: EntraParts) -> None:
    """On the loop of an app that already serves: compose `parts` into it, start the emulators,
    and return once they accept connections. Until then nothing knows their address."""
    _compose_entra(app, app.state.sandbox, parts, serving=True)
    if parts.graph is not None:
        await parts.graph.start()


def _compose_entra(
    app: FastAPI, state: SandboxState, parts: EntraParts, *, serving: bool = False
) -> None:
    """Set the simulated tenant up beside this Steeple, as its customer's admin would have.

    The two sides meet over HTTP only (SCIM one way, the admin API never): what the tenant knows
    of Steeple is handed to it here, as its own configuration. Its enterprise app for Steeple's
    single sign-on exists when SSO is set up (read now, then told of each change the admin API
    saves). Runs before the app serves, or on its loop (the only thread that uses the database),
    where no admin request can save SSO between the read and the listener.
    """
    from sandbox.entra.host import attach_entra_host

    attach_entra_host(app, parts.host)
    graph = parts.graph
    if graph is None:
        return
    from sandbox.domain.sso import get_sso
    from sandbox.graph.mount import attach_graph

    sso_app = _sso_app(get_sso(state.conn, state.public_url))
    if sso_app is not None:
        graph.emulator.seed_sso_app(sso_app)
    attach_graph(app, graph, serving=serving)

    def made_in_entra_too(sso: SsoConfig) -> None:
        app_in_entra = _sso_app(sso)
        if app_in_entra is not None:
            graph.emulator.seed_sso_app(app_in_entra)

    state.sso_listeners.append(made_in_entra_too)


def _sso_app(sso: SsoConfig) -> SsoApp | None:
    """Steeple's SSO as the enterprise app its admin made in Entra (None: none made yet)."""
    from sandbox.graph.emulator import SsoApp

    if not sso.configured or not sso.app_identifiers:
        return None
    return SsoApp(mode=sso.protocol, entity_id=sso.saml_entity_id, reply_url=sso.reply_url)

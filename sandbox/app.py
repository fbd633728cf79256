"""The sandbox Steeple ASGI application: admin API + SCIM 2.0 endpoint (+ simulated Entra host)."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.config import SandboxConfig
from sandbox.db import connect
from sandbox.state import SandboxState


def create_app(config: SandboxConfig, public_url: str = "") -> FastAPI:
    """Build the app around a freshly opened (and migrated, and seeded) database.

    `public_url` overrides `config.public_url`; the in-process server passes the address it
    bound when the config left it empty.
    """
    from sandbox.admin.routes import router as admin_router
    from sandbox.seed import seed_if_new
    from sandbox.scim.routes import create_scim_app

    conn = connect(config.db_path)
    state = SandboxState(config=config, conn=conn, public_url=public_url or config.public_url)
    seed_if_new(state)

    app = FastAPI(
        title="Steeple admin API (sandbox)",
        version="1",
        openapi_url="/api/admin/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.sandbox = state
    app.include_router(admin_router)
    app.mount("/scim/v2", create_scim_app(state))
    if config.with_entra:
        from sandbox.entra.host import mount_entra_host

        mount_entra_host(app, state)

    @app.on_event("shutdown")
    def _close_db() -> None:  # pragma: no cover - exercised by server shutdown
        conn.close()

    return app

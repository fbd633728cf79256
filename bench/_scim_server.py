"""Child process of `initial_cycle.py`: one SCIM server in its own process, so its CPU is its own.

    python bench/_scim_server.py sandbox DB_PATH ADMIN_KEY   # our sandbox on a SQLite file
    python bench/_scim_server.py scim2 TOKEN                 # scim2-server's ASGI app

Both are served by uvicorn on 127.0.0.1, port 0, with the same options; the bound port is printed
as `PORT <n>` once the server accepts connections. Ends on SIGTERM (uvicorn's clean shutdown).
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn


def sandbox_app(sock: socket.socket, db_path: str, admin_key: str) -> Any:
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig

    port = sock.getsockname()[1]
    config = SandboxConfig(admin_key=admin_key, db_path=Path(db_path), seed="empty")
    return create_app(config, public_url=f"http://127.0.0.1:{port}")


def scim2_app(token: str) -> Any:
    """scim2-server's ASGI app over its in-memory storage, with a static bearer token.

    The token check is the one of scim2-server's own test server (`BearerTokenApplication`).
    """
    from scim2_models import ScimProvider
    from scim2_server.applications.asgi import ASGIApplication
    from scim2_server.memory import AsyncInMemoryStorage
    from scim2_server.service import ScimService
    from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
    from scim2_server.utils import (
        load_default_resource_types,
        load_default_schemas,
        load_default_service_provider_config,
    )

    config = load_default_service_provider_config()
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )

    class BearerAsgi(ASGIApplication):
        bearer_tokens = {token}
        check_auth = BearerTokenApplication.check_auth

    return BearerAsgi(AsyncInMemoryStorage(), provider, service=ScimService(provider, secret="b"))


async def serve(app: Any, sock: socket.socket) -> None:
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            await task
            return
        await asyncio.sleep(0.01)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    await task


def main() -> None:
    # IPPROTO_TCP explicitly: with proto 0, asyncio does not set TCP_NODELAY on accepted
    # connections, and a response written in two parts waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    kind = sys.argv[1]
    app = (
        sandbox_app(sock, sys.argv[2], sys.argv[3]) if kind == "sandbox" else scim2_app(sys.argv[2])
    )
    asyncio.run(serve(app, sock))


if __name__ == "__main__":
    main()

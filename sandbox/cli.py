"""`steeple-assistant sandbox …` commands: `serve` here, `entra …` from `sandbox/entra/cli.py`.

Kept import-light: FastAPI and uvicorn are imported by the command that runs, not at parse time.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path
from typing import Any

ADMIN_KEY_ENV = "STEEPLE_SANDBOX_ADMIN_KEY"
DEFAULT_PORT = 8700
DEFAULT_REPLICATION_DELAY = 10.0
"""`sandbox serve`: a new app takes this long to answer in Graph (Microsoft: "It is not
instant"; the length is ours)."""
MIN_ADMIN_KEY_LENGTH = 16
"""A shorter key is guessable; the random default has 32 characters of entropy."""


def entra_env_lines(authority: str, graph_url: str, ca_pem_path: str) -> list[str]:
    """`export` lines a POSIX shell takes as they are (values quoted: a path may hold spaces);
    the variables are the ones `steeple-assistant` and its `entra` commands read."""
    import shlex

    return [
        f"export {name}={shlex.quote(value)}"
        for name, value in (
            ("STEEPLE_ENTRA_AUTHORITY", authority),
            ("STEEPLE_GRAPH_URL", graph_url),
            ("STEEPLE_ENTRA_CA_BUNDLE", ca_pem_path),
        )
    ]


def assistant_command(base_url: str, key: str, *, key_from_env: bool, entra: bool) -> str:
    """The command that opens the assistant on this sandbox, as a shell takes it: `uv run`, the
    key as the variable it came from (`$STEEPLE_SANDBOX_ADMIN_KEY`) or else quoted, and, with
    the simulated Entra, its sign-in first."""
    import shlex

    value = f'"${ADMIN_KEY_ENV}"' if key_from_env else shlex.quote(key)
    command = f"STEEPLE_API_KEY={value} uv run steeple-assistant --url {shlex.quote(base_url)}"
    signin = "uv run steeple-assistant entra signin --device-code"  # the emulator's page
    return f"{signin} && {command}" if entra else command


def default_db_path() -> Path:
    """Where `serve` keeps its database when `--db` is not given (survives restarts)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("steeple-assistant")) / "sandbox.sqlite3"


def register_sandbox_commands(commands: Any) -> None:
    """Add `sandbox` (with `serve` and `entra …`) to the top-level subcommand set."""
    sandbox = commands.add_parser("sandbox", help="the local Steeple sandbox and simulated Entra")
    sub = sandbox.add_subparsers(dest="sandbox_command", metavar="SANDBOX_COMMAND", required=True)
    serve = sub.add_parser("serve", help="serve the sandbox Steeple (admin API + SCIM)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port (default 8700; 0 = any free port)"
    )
    serve.add_argument("--db", help="database file, or :memory: (default: in the user data dir)")
    serve.add_argument(
        "--seed", choices=["demo", "empty", "hostile"], default="demo", help="for a new db"
    )
    serve.add_argument("--no-sso", action="store_true", help="leave SSO unconfigured")
    serve.add_argument("--public-url", default="", help="the address Entra would use")
    serve.add_argument("--admin-key", help=f"admin API key (else ${ADMIN_KEY_ENV}, else random)")
    serve.add_argument("--with-entra", action="store_true", help="also host the simulated Entra")
    serve.add_argument(
        "--entra-replication-delay",
        type=float,
        default=DEFAULT_REPLICATION_DELAY,
        help="seconds a new Entra app stays invisible to Graph after it is created, as in a real "
        f"tenant (default {DEFAULT_REPLICATION_DELAY:g}; 0 = at once)",
    )
    serve.add_argument(
        "--entra-licence",
        choices=["free", "p1"],
        default="p1",
        help="the simulated tenant's tier: free refuses group assignment and the provisioning "
        "logs as Graph does without Entra ID P1/P2 (default p1)",
    )
    serve.add_argument(
        "--pace",
        action="store_true",
        help="pace cycles as Entra does (0.01-0.08 min per object, scaled to the demo interval)",
    )
    serve.set_defaults(func=serve_command)
    try:
        from sandbox.entra.cli import register_entra_commands
    except ImportError:  # the simulator is being built
        return
    register_entra_commands(sub)


def serve_command(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; prints the real bound URL and the admin key for the operator."""
    import uvicorn

    from sandbox.app import create_app
    from sandbox.config import SandboxConfig

    key_from_env = not args.admin_key and bool(os.environ.get(ADMIN_KEY_ENV))
    admin_key = args.admin_key or os.environ.get(ADMIN_KEY_ENV) or _new_admin_key()
    if len(admin_key) < MIN_ADMIN_KEY_LENGTH:
        print(
            f"The admin key must be at least {MIN_ADMIN_KEY_LENGTH} characters "
            "(omit --admin-key to get a random one).",
            file=sys.stderr,
        )
        return 2
    db_path = args.db or str(default_db_path())
    try:
        # IPPROTO_TCP: with proto 0, asyncio leaves Nagle on (a ~40 ms stall per response).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(2048)  # connections queue from now on, so the printed URL works at once
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 3
    host, port = sock.getsockname()[:2]
    base_url = f"http://{host}:{port}"
    config = SandboxConfig(
        admin_key=admin_key,
        db_path=db_path,
        seed=args.seed,
        sso=not args.no_sso,
        public_url=args.public_url.rstrip("/"),
        with_entra=args.with_entra,
        with_graph=args.with_entra,
        graph_replication_delay=max(0.0, args.entra_replication_delay),
        entra_licence=args.entra_licence,
        entra_pace=args.pace,
    )
    app = create_app(config, public_url=config.public_url or base_url)
    public_url = config.public_url or base_url
    from assistant.steeple.contract import API_PREFIX, SCIM_PREFIX

    # The one place a secret is printed: to the operator's own terminal, on purpose.
    print("Steeple sandbox is serving.", flush=True)
    print(f"  Admin API:  {base_url}{API_PREFIX}", flush=True)
    print(f"  Admin key:  {admin_key}", flush=True)
    print(f"  SCIM URL:   {public_url}{SCIM_PREFIX}", flush=True)
    print(f"  Database:   {db_path}", flush=True)
    graph = getattr(app.state, "graph_endpoints", None)
    if graph is not None:  # the Entra side, spoken as Microsoft Graph (sandbox/graph/)
        print(f"  Entra authority: {graph.authority}", flush=True)
        print(f"  Graph URL:       {graph.graph_url}", flush=True)
        print(f"  Trust this CA:   {graph.ca_pem_path}", flush=True)
        print(
            f"  Device login:    {graph.base_url}/devicelogin (type the sign-in code there)",
            flush=True,
        )
        print("  For the assistant in another terminal (sign-in, then --url with the key):")
        for line in entra_env_lines(graph.authority, graph.graph_url, graph.ca_pem_path):
            print(f"    {line}", flush=True)
    else:
        print("  For the assistant in another terminal:", flush=True)
    command = assistant_command(
        base_url, admin_key, key_from_env=key_from_env, entra=graph is not None
    )
    print(f"    {command}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    from sandbox.http_protocol import FAST_HTTP_PROTOCOL

    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="info",
            lifespan="on",
            timeout_graceful_shutdown=5,
            http=FAST_HTTP_PROTOCOL,  # as in-process: C parser, one write per response
        )
    )
    from sandbox.access_log import redact_uvicorn_access_log

    redact_uvicorn_access_log()  # query-string secrets never reach the printed access log
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl-C after its graceful shutdown: that is a clean stop
    finally:
        sock.close()
    print("Stopped.", flush=True)
    return 0


def _new_admin_key() -> str:
    return "adm_" + secrets.token_urlsafe(24)

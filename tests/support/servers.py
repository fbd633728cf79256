"""Test peers served in-process: one server-in-a-thread helper for every ASGI app a test needs,
and the raw-TCP peers that are not HTTP at all.

These serve fault injectors and recording peers, never a stand-in for our API: the real admin
API and SCIM endpoint are always the in-process sandbox (`sandbox.server.SandboxServer`).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any, Protocol

import uvicorn

from sandbox.http_protocol import IDLE_KEEP_ALIVE_SECONDS

START_TIMEOUT_SECONDS = 10.0


class ThreadedServer:
    """uvicorn serving `app` in a daemon thread on 127.0.0.1, port 0 (SandboxServer's recipe).

    `graceful_seconds` bounds how long `stop()` waits for requests still running (a held or
    hanging request must not keep a test's teardown waiting).
    """

    def __init__(self, app: Any, graceful_seconds: int | None = None) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        # as the sandbox: idle connections outlive the clients' pools (a loaded machine's race)
        config.timeout_keep_alive = IDLE_KEEP_ALIVE_SECONDS
        if graceful_seconds is not None:
            config.timeout_graceful_shutdown = graceful_seconds
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> ThreadedServer:
        """Return once the server accepts connections (a state, not a sleep)."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise TimeoutError("the test peer did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.request_stop()
        self.wait_stopped()

    def request_stop(self) -> None:
        self._server.should_exit = True

    def wait_stopped(self) -> None:
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class TcpListener:
    """Accepts TCP connections on `host`, port 0, and hands each one to `answer` in a thread."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((host, 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.url = f"http://{host}:{self._sock.getsockname()[1]}"
        self.base_url = self.url
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def answer(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    self.answer(conn)

    def start(self) -> Any:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


class NotHttpServer(TcpListener):
    """Answers bytes that are not HTTP at all (an SSH banner)."""

    def answer(self, conn: socket.socket) -> None:
        conn.recv(4096)
        conn.sendall(b"SSH-2.0-OpenSSH_9.6 not http at all\r\n\r\n")


class HangUpServer(TcpListener):
    """Reads the request, then closes the connection: with no answer at all (`mid_body` False,
    what a proxy cutting an idle connection does), or half-way through a JSON body."""

    def __init__(self, mid_body: bool = False) -> None:
        super().__init__()
        self.mid_body = mid_body

    def answer(self, conn: socket.socket) -> None:
        conn.recv(4096)
        if self.mid_body:
            head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n"
            conn.sendall(head + b"\r\n" + b'{"configured": tr')


def closed_port_url() -> str:
    """A loopback URL nothing listens on: bind a port, then release it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class Stoppable(Protocol):
    def request_stop(self) -> None: ...

    def wait_stopped(self) -> None: ...


class Reaper:
    """Stops servers at the end of a test without making the test wait for their shutdown.

    uvicorn takes 0.2 s or more to shut down (a 0.1 s tick, a fixed 0.1 s pause, then a graceful
    wait for open connections); each server has its own port and database file, so nothing the
    next test does depends on that shutdown having finished. `reap()` (at the end of the session)
    waits for them all.
    """

    def __init__(self) -> None:
        self._stopping: list[Stoppable] = []

    def stop_soon(self, server: Stoppable) -> None:
        server.request_stop()
        self._stopping.append(server)
        if len(self._stopping) > 32:  # bound the threads still shutting down
            self._stopping.pop(0).wait_stopped()

    def reap(self) -> None:
        while self._stopping:
            self._stopping.pop(0).wait_stopped()

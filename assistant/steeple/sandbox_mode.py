"""`--sandbox`: a local Steeple with its simulated Entra, in a child process or in this one.

The only module of `assistant/` that imports `sandbox/` (besides the CLI wiring). The sandbox
listens on loopback and port 0, with a generated admin key that never leaves this process and
its child, and a temporary database unless `--db` names one to keep.

- `spawn_sandbox` (the TUI): a child process (`python -m sandbox.child`) started before the app,
  so FastAPI, uvicorn and the emulators load on another core instead of sharing the interpreter
  lock with the UI; it stops when its stdin closes, which the kernel does if this process dies.
- `start_sandbox` (headless commands, tests): on its own thread and event loop in this process.

Either way the caller holds a `SandboxSession`. httpx, pydantic and FastAPI load only when used:
importing this module to spawn the child costs nothing the first paint waits for.
"""

from __future__ import annotations

import collections
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSettings
    from assistant.steeple.client import SteepleClient

SANDBOX_CYCLE_INTERVAL = 20.0
"""Seconds between simulated Entra cycles in sandbox mode: real Entra's 40 minutes, compressed.

The sandbox's cycle detector is told that a quarter of that is a gap between cycles, so the
provisioning step's cycle clock sees each simulated cycle start.
"""


@dataclass
class SandboxSession:
    """A running sandbox and how to reach it: `server` is a `sandbox.server.SandboxServer` in
    this process or a `SandboxProcess` (its child-process stand-in, reached the same way)."""

    server: Any
    admin_key: str = field(repr=False)
    temp_dir: Path | None = None

    @property
    def base_url(self) -> str:
        return str(self.server.base_url)

    def client(self, **options: Any) -> SteepleClient:
        from assistant.steeple.client import SteepleClient

        return SteepleClient(self.base_url, self.admin_key, **options)

    def entra_settings(self) -> EntraSettings:
        """Where the sandbox's login and Graph emulators are, and the throwaway CA to trust.

        Off the UI's loop the first time with a child process: until the child has said where
        its emulators are, reading `server.graph` waits for it (`SandboxProcess.graph`).
        """
        from assistant.entra.signin import EntraSettings

        graph = self.server.graph
        if graph is None:
            raise SandboxStartError(getattr(self.server, "graph_error", "") or "no Graph emulator")
        return EntraSettings(
            authority=graph.authority, graph_url=graph.graph_url, ca_bundle=graph.ca_pem_path
        )

    async def open_entra_side(self, client: SteepleClient, lang: str = "en") -> EntraSide:
        """Sign in to the emulated tenant with MSAL's real device-code flow and open the Entra
        facade on it. The assistant knows the code it was given, so it enters it on the
        emulator's `/devicelogin` page itself, as the admin would in a browser (the emulator
        approves no code by time).

        The session stays in memory: the sandbox's throwaway tokens never reach a secret store.
        Raises `SignInError` or `GraphError` (the caller keeps the copy-paste path then).
        """
        import asyncio

        await asyncio.to_thread(self._ready_for_entra)
        from assistant.entra.side import open_entra_side
        from assistant.entra.signin import EntraSignIn, SignInError
        from assistant.i18n.translate import t

        settings = self.entra_settings()
        signin = EntraSignIn(settings, persistent=False, lang=lang)
        prompt, flow = await asyncio.to_thread(signin.start)
        await self.enter_device_code(prompt.user_code, lang)
        await asyncio.to_thread(signin.finish, flow)
        sso = await client.get_sso()
        side = await open_entra_side(
            settings, sso_identifiers=sso.app_identifiers, signin=signin, lang=lang
        )
        if side is None:  # signed in a moment ago: only a broken cache gets here
            raise SignInError(
                t("entra.sandbox.no_session", lang), t("entra.sandbox.no_session.fix", lang)
            )
        return side

    def _ready_for_entra(self) -> None:
        """Off the caller's loop (the UI's, whose first step may still be drawing): wait until
        the emulators serve — a child says so a moment after its admin API answers — and load
        MSAL, requests and the Graph facade meanwhile (~65 ms of imports that would otherwise
        stall that loop)."""
        _ = self.server.graph
        import assistant.entra.side
        import assistant.entra.signin  # noqa: F401

    async def enter_device_code(self, user_code: str, lang: str = "en") -> None:
        """Post the user code to the login emulator's `/devicelogin` page, over its TLS."""
        import httpx

        settings = self.entra_settings()
        async with httpx.AsyncClient(verify=settings.ssl_context(), timeout=10) as https:
            answer = await https.post(
                f"{self.server.graph.base_url}/devicelogin", data={"user_code": user_code}
            )
        if answer.status_code != 200:  # the page refused its own code: nothing to wait for
            from assistant.entra.signin import SignInError
            from assistant.i18n.translate import t

            raise SignInError(
                t("signin.failed", lang, code=f"devicelogin {answer.status_code}"),
                t("entra.sandbox.no_session.fix", lang),
            )

    def stop(self) -> None:
        self.server.stop()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None

    def __enter__(self) -> SandboxSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _config_fields(admin_key: str, db: str | Path | None, seed: str) -> dict[str, Any]:
    """The `SandboxConfig` of `--sandbox`, in this process or its child (as JSON there)."""
    return {
        "admin_key": admin_key,
        "db_path": None if db is None else str(db),
        "seed": seed,
        "with_entra": True,
        "with_graph": True,  # the Entra side through Microsoft Graph, as against a real tenant
        "entra_cycle_interval": SANDBOX_CYCLE_INTERVAL,
        "cycle_gap_seconds": SANDBOX_CYCLE_INTERVAL / 4,
    }


def start_sandbox(db: str | Path | None = None, *, seed: str = "demo") -> SandboxSession:
    """Start the sandbox with the simulated Entra host in this process; the caller stops it."""
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    temp_dir: Path | None = None
    if db is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="steeple-sandbox-"))
        db = temp_dir / "sandbox.sqlite3"
    admin_key = "adm_" + secrets.token_urlsafe(24)
    config = SandboxConfig(**_config_fields(admin_key, db, seed))
    try:
        server = SandboxServer(config).start()
    except BaseException:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return SandboxSession(server=server, admin_key=admin_key, temp_dir=temp_dir)


class SandboxStartError(RuntimeError):
    """The sandbox's child process did not come up; `reason` is its last words (admin key
    masked), said to the admin in their language by `text` (what screens/failures.py reads)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the sandbox did not start: {reason}")
        self.reason = reason

    def text(self, lang: str = "en") -> tuple[str, str]:
        from assistant.i18n.translate import t

        sentence = t("sandbox.start_failed", lang, reason=self.reason)
        return sentence, t("sandbox.start_failed.fix", lang)


@dataclass(frozen=True)
class RemoteGraph:
    """Where the child's login and Graph emulators listen, and the CA file that trusts them."""

    base_url: str
    authority: str
    graph_url: str
    ca_pem_path: str


class SandboxProcess:
    """The sandbox in a child process (`python -m sandbox.child`): `base_url`, `graph`, `stop()`,
    as `SandboxServer` offers them, so a `SandboxSession` reaches either the same way.

    Spawned at once (`spawn_sandbox`); `wait_ready` blocks (off the UI thread) until the child
    says where its admin API listens, which is all the first step needs; `graph` blocks until it
    says where its Graph and login emulators listen (its second line, a moment later). The child
    stops when its stdin closes: `stop()` closes it, and so does the kernel when this process
    ends in any way, so a killed assistant leaves no sandbox behind.
    """

    def __init__(self, fields: dict[str, Any]) -> None:
        self.base_url = ""
        self.db_path = ""
        """The child's database: a throwaway one in a directory it removes on its way out."""
        self.graph_error = ""
        """Why the child has no emulators (its second line said so, or it ended first)."""
        self._graph: RemoteGraph | None = None
        self._graph_said = threading.Event()
        self._graph_lock = threading.Lock()
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._admin_key = str(fields.get("admin_key", ""))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "sandbox.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # its own session: a terminal's Ctrl+C or hang-up reaches the assistant, which stops
            # it; the child never writes over the TUI (its stderr is kept for a failure message)
            start_new_session=True,
        )
        assert self._process.stdin is not None and self._process.stderr is not None
        self._process.stdin.write(json.dumps(fields).encode() + b"\n")
        self._process.stdin.flush()
        threading.Thread(
            target=self._keep_stderr, args=(self._process.stderr,), daemon=True
        ).start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def _keep_stderr(self, stream: IO[bytes]) -> None:
        """Drain the child's stderr (a full pipe would block it), keeping its last lines."""
        for line in stream:
            self._stderr.append(line.decode(errors="replace").rstrip())

    def wait_ready(self) -> SandboxProcess:
        """Block until the child serves (or raise `SandboxStartError` with its last words)."""
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        answer: dict[str, Any] = json.loads(line) if line.strip() else {}
        if "base_url" not in answer:
            self.stop()
            from assistant.text.redact import redact

            last_words = answer.get("error") or " / ".join(list(self._stderr)[-3:])
            raise SandboxStartError(redact(str(last_words or "?"), [self._admin_key]))
        self.base_url = str(answer["base_url"])
        self.db_path = str(answer.get("db_path", ""))
        if "graph" in answer:  # a child that says everything at once
            self._note_graph(answer)
        return self

    @property
    def graph(self) -> RemoteGraph | None:
        """Where the child's login and Graph emulators listen (None without them); the first
        reader waits for the child's second line (so: not on the UI's loop)."""
        if not self._graph_said.is_set():
            if not self.base_url:  # its first line is still unread: it would be taken for this
                raise RuntimeError("wait_ready() first: the child has not said it serves")
            with self._graph_lock:  # one reader of the pipe; the others wait for its answer
                if not self._graph_said.is_set():
                    self._read_graph()
        return self._graph

    def _read_graph(self) -> None:
        assert self._process.stdout is not None
        try:
            line = self._process.stdout.readline()
        except (OSError, ValueError):  # stopped meanwhile: the pipe is closed
            line = b""
        answer: dict[str, Any] = json.loads(line) if line.strip() else {}
        if "graph" not in answer:
            answer = {"graph": None, "error": answer.get("error") or "the sandbox ended"}
        self._note_graph(answer)

    def _note_graph(self, answer: dict[str, Any]) -> None:
        from assistant.text.redact import redact

        graph = answer.get("graph")
        self._graph = RemoteGraph(**graph) if graph else None
        if answer.get("error"):
            self.graph_error = redact(str(answer["error"]), [self._admin_key])
        self._graph_said.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Close the child's stdin (it stops and removes its throwaway database), then wait."""
        stdin = self._process.stdin
        if stdin is not None and not stdin.closed:
            stdin.close()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    @property
    def running(self) -> bool:
        return self._process.poll() is None


@dataclass
class PendingSandbox:
    """A sandbox child spawned, not yet serving: `wait()` (in a worker thread) → the session."""

    process: SandboxProcess
    admin_key: str = field(repr=False)

    def wait(self) -> SandboxSession:
        return SandboxSession(server=self.process.wait_ready(), admin_key=self.admin_key)

    def stop(self) -> None:
        self.process.stop()


def spawn_sandbox(db: str | Path | None = None, *, seed: str = "demo") -> PendingSandbox:
    """Start the sandbox's child process now and return at once; the caller stops it."""
    admin_key = "adm_" + secrets.token_urlsafe(24)
    process = SandboxProcess(_config_fields(admin_key, db, seed))
    return PendingSandbox(process, admin_key)

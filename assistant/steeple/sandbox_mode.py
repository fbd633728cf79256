"""`--sandbox`: a local Steeple (with the simulated Entra tenant) inside this process.

The only module of `assistant/` that imports `sandbox/` (besides the CLI wiring): the sandbox runs
on its own thread and event loop, on loopback and port 0, with a generated admin key that never
leaves this process, and a temporary database unless `--db` names one to keep.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from assistant.steeple.client import SteepleClient

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSettings

SANDBOX_CYCLE_INTERVAL = 20.0
"""Seconds between simulated Entra cycles in sandbox mode: real Entra's 40 minutes, compressed.

The sandbox's cycle detector is told that a quarter of that is a gap between cycles, so the
provisioning step's cycle clock sees each simulated cycle start.
"""


@dataclass
class SandboxSession:
    """A running in-process sandbox and how to reach it."""

    server: Any
    admin_key: str = field(repr=False)
    temp_dir: Path | None = None

    @property
    def base_url(self) -> str:
        return str(self.server.base_url)

    def client(self, **options: Any) -> SteepleClient:
        return SteepleClient(self.base_url, self.admin_key, **options)

    def entra_settings(self) -> EntraSettings:
        """Where the sandbox's login and Graph emulators are, and the throwaway CA to trust."""
        from assistant.entra.signin import EntraSettings

        graph = self.server.graph
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


def start_sandbox(db: str | Path | None = None, *, seed: str = "demo") -> SandboxSession:
    """Start the sandbox with the simulated Entra host; the caller stops it."""
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    temp_dir: Path | None = None
    if db is None:
        temp_dir = Path(tempfile.mkdtemp(prefix="steeple-sandbox-"))
        db = temp_dir / "sandbox.sqlite3"
    admin_key = "adm_" + secrets.token_urlsafe(24)
    config = SandboxConfig(
        admin_key=admin_key,
        db_path=db,
        seed=seed,  # type: ignore[arg-type]
        with_entra=True,
        with_graph=True,  # the Entra side through Microsoft Graph, as against a real tenant
        entra_cycle_interval=SANDBOX_CYCLE_INTERVAL,
        cycle_gap_seconds=SANDBOX_CYCLE_INTERVAL / 4,
    )
    try:
        server = SandboxServer(config).start()
    except BaseException:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    return SandboxSession(server=server, admin_key=admin_key, temp_dir=temp_dir)

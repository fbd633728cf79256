"""Deterministic apps for Pilot and snapshot tests: a frozen clock, a fixed public URL, fixed
token text, and an app configured the same way on every run.

Apps are started directly on a step with state prepared through the client (`prepare.py`) —
never by clicking through earlier steps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from screens.app import ProvisioningAssistant

FROZEN_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
"""Every clock the screens and the sandbox read during a test."""


PUBLIC_URL = "https://contoso.steeple.example"
"""Snapshot sandboxes announce this public URL, so the tenant URL does not show a random port."""


class LoopbackTransport(httpx.AsyncHTTPTransport):
    """Sends requests for the public URL to the server's real loopback address, so screens and
    error messages show `contoso.steeple.example` instead of a random port."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self._target = httpx.URL(target)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = self._target
        request.url = request.url.copy_with(
            scheme=target.scheme, host=target.host, port=target.port
        )
        return await super().handle_async_request(request)


def public_client(real_url: str, admin_key: str, **options: Any) -> Any:
    """A client for PUBLIC_URL whose requests reach `real_url` (a sandbox or a faulty peer)."""
    from assistant.steeple.client import SteepleClient

    options.setdefault("retries", 0)
    return SteepleClient(PUBLIC_URL, admin_key, transport=LoopbackTransport(real_url), **options)


def frozen_clock() -> datetime:
    return FROZEN_NOW


def configure_for_tests(app: ProvisioningAssistant) -> ProvisioningAssistant:
    app.animation_level = "none"
    app.theme = "textual-dark"
    return app


class CountingSecrets:
    """Stands in for the `secrets` module inside `sandbox.tokens`, so token text is the same
    on every run (snapshots show the hint and, once revealed, the token)."""

    def __init__(self) -> None:
        self.count = 0

    def token_urlsafe(self, nbytes: int = 32) -> str:
        self.count += 1
        return f"PLANTED-scim-secret-{self.count:02d}-0123456789abcdefghijkl"

    def token_hex(self, nbytes: int = 8) -> str:
        self.count += 1
        return f"{self.count:0{nbytes * 2}d}"

    @staticmethod
    def compare_digest(a: Any, b: Any) -> bool:
        import secrets

        return secrets.compare_digest(a, b)


GRAPH_CLIENT_ID = "11111111-2222-3333-4444-555555555555"
ENTRA_LEVELS = ("none", "configured", "started")


def emulator_settings(endpoints: Any) -> Any:
    """`EntraSettings` pointed at a sandbox's login and Graph emulators, trusting their CA."""
    from assistant.entra.signin import EntraSettings

    return EntraSettings(
        authority=endpoints.authority,
        graph_url=endpoints.graph_url,
        client_id=GRAPH_CLIENT_ID,
        ca_bundle=endpoints.ca_pem_path,
    )


def signed_in_side(server: Any, lang: str = "en") -> Any:
    """The Entra facade on the sandbox's Graph emulator, signed in through MSAL's real
    device-code flow (the code typed on the emulator's page at once), the session in memory
    only."""
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSignIn
    from tests.support.signin import sign_in

    endpoints = server.graph
    settings = emulator_settings(endpoints)
    signin = EntraSignIn(settings, persistent=False)
    sign_in(signin, endpoints)
    client = GraphClient(signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context())
    return EntraSide(client, lang=lang)


async def prepare_entra(server: Any, prepared: Any, level: str) -> None:
    """The Entra half up to `level`, through Graph (the facade), as the steps would do it:
    "configured" saves the tenant URL and token and assigns the first community's two groups;
    "started" starts the job too."""
    side = signed_in_side(server)
    try:
        await side.ensure_job()  # as Test Connection does on the Entra step
        # Entra must reach the SCIM endpoint where it really listens, not the fixed public URL.
        tenant_url = prepared.tenant_url.replace(PUBLIC_URL, server.base_url)
        await side.save_credentials(tenant_url, prepared.secret)
        groups = sorted(await side.groups(), key=lambda g: g.name)
        first = [g.id for g in groups if g.name.startswith("Steeple - Siège - ")]
        await side.assign_groups(first)
        if ENTRA_LEVELS.index(level) >= ENTRA_LEVELS.index("started"):
            await side.start()
    finally:
        await side.aclose()

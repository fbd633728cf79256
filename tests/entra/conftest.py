"""Fixtures for the Entra simulator tests: a recording SCIM peer and a small hand-made tenant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import EntraGroup, EntraUser, Tenant
from tests.entra.peers import TOKEN, AsgiPeer, RecordingScim


@pytest.fixture
def peer() -> Iterator[tuple[RecordingScim, str]]:
    """(the recording app, its SCIM base URL without the dialect flag)."""
    app = RecordingScim()
    server = AsgiPeer(app).start()
    yield app, server.base_url + "/scim"
    server.stop()


def small_tenant() -> Tenant:
    """Two users, a group with both, and an admins group that nests the first group."""
    tenant = Tenant(domain="contoso.onmicrosoft.com")
    for user in (
        EntraUser(
            object_id="u-ada",
            user_principal_name="ada@contoso.fr",
            mail_nickname="ada",
            display_name="Ada Lovelace",
            given_name="Ada",
            surname="Lovelace",
            mail="ada@contoso.fr",
            department="IT",
            employee_id="E1",
        ),
        EntraUser(
            object_id="u-bob",
            user_principal_name="bob@contoso.onmicrosoft.com",
            mail_nickname="bob",
            display_name="Bob Martin",
            given_name="Bob",
            surname="Martin",
        ),
    ):
        tenant.users[user.object_id] = user
    tenant.groups["g-users"] = EntraGroup("g-users", "Steeple - Siège - Users", ["u-ada", "u-bob"])
    tenant.groups["g-admins"] = EntraGroup(
        "g-admins", "Steeple - Siège - Admins", ["u-ada", "g-users"]
    )
    return tenant


def make_job(
    tenant: Tenant, url: str, *, token: str = TOKEN, **settings: object
) -> ProvisioningJob:
    """A job at concurrency 1 (deterministic order) on a manual clock, 5 s = 40 Entra minutes."""
    options: dict[str, object] = {"max_in_flight": 1, "seed": 1}
    options.update(settings)
    return ProvisioningJob(
        tenant,
        tenant_url=url,
        token=token,
        assigned=list(tenant.groups),
        clock=ManualClock(),
        scale=TimeScale(5.0),
        settings=JobSettings(**options),  # type: ignore[arg-type]
    )

"""The simulated tenant's last documented points (issue 19, point 11), against the recording SCIM
peer: Entra's pace per object only when asked, `roles: []` on a user create as Microsoft's
example shows, a disabled and unchanged user logged once — not again in every incremental cycle
— and a job NotConfigured until its credentials are saved.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.entra.clock import ENTRA_OBJECT_PACE
from sandbox.entra.job import ProvisioningJob
from sandbox.server import SandboxServer
from tests.support.entra import RecordingScim, make_job, small_tenant

SCIM_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
TIMING_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-when-will-provisioning-finish-specific-user"


async def test_a_user_create_ends_with_empty_roles(peer: tuple[RecordingScim, str]) -> None:
    """SCIM_PAGE, "Create User" request: the body ends with `"roles": []`."""
    app, url = peer
    job = make_job(small_tenant(), url)
    await job.run_cycle()
    creates = [r.body for r in app.requests if (r.method, r.path) == ("POST", "/Users")]
    assert creates and all(body["roles"] == [] for body in creates)
    assert all(list(body)[-1] == "roles" for body in creates)


async def test_a_disabled_unchanged_user_is_logged_once_not_every_cycle(
    peer: tuple[RecordingScim, str],
) -> None:
    """An incremental cycle reads only what changed: a user disabled before ever being
    provisioned is skipped (and logged) once, then silently until something changes."""
    _, url = peer
    tenant = small_tenant()
    tenant.users["u-bob"].account_enabled = False
    job = make_job(tenant, url)
    skipped_per_cycle = []
    for _ in range(3):
        report = await job.run_cycle()
        skipped_per_cycle.append(
            [e.source_id for e in report.entries if e.action == "Skip" and e.source_id == "u-bob"]
        )
    assert skipped_per_cycle == [["u-bob"], [], []]
    tenant.users["u-bob"].account_enabled = True  # a change: Bob is provisioned now
    report = await job.run_cycle()
    assert any(e.source_id == "u-bob" and e.action == "Create" for e in report.entries)
    tenant.users["u-bob"].account_enabled = False
    tenant.users["u-ada"].account_enabled = False
    quiet = await job.run_cycle()  # linked users: one Disable each, logged once too
    again = await job.run_cycle()
    assert sorted(e.source_id for e in quiet.entries if e.action == "Disable") == ["u-ada", "u-bob"]
    assert [e for e in again.entries if e.source_id in ("u-ada", "u-bob")] == []


def test_a_job_is_not_configured_until_it_has_credentials() -> None:
    """synchronizationStatus: NotConfigured — "No authorization was provided"; NotRun once
    configured; clearing the token takes it back."""
    job = ProvisioningJob(small_tenant())
    assert job.status.code == "NotConfigured"
    job.configure("https://scim.example/scim/v2", "a-token")
    assert job.status.code == "NotRun"
    job.configure("https://scim.example/scim/v2", "")
    assert job.status.code == "NotConfigured"
    job.configure("https://scim.example/scim/v2", "a-token")
    job.restart()
    assert job.status.code == "NotRun"


def test_the_hosted_job_paces_as_entra_only_with_pace(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """TIMING_PAGE: 0.01–0.08 minutes per object. `sandbox serve --pace` turns it on; tests and
    the default run a cycle as fast as its requests go."""
    quick = start_sandbox(with_entra=True, db_path=":memory:")
    paced = start_sandbox(with_entra=True, entra_pace=True, db_path=":memory:")
    assert quick.app.state.entra_host.job.settings.object_pace_minutes is None
    assert (
        paced.app.state.entra_host.job.settings.object_pace_minutes
        == ENTRA_OBJECT_PACE
        == (
            0.01,
            0.08,
        )
    )


def test_the_cli_switches_parse() -> None:
    import argparse

    from sandbox.cli import register_sandbox_commands

    parser = argparse.ArgumentParser()
    register_sandbox_commands(parser.add_subparsers(dest="command"))
    serve = parser.parse_args(
        ["sandbox", "serve", "--entra-licence", "free", "--entra-replication-delay", "20", "--pace"]
    )
    assert (serve.entra_licence, serve.entra_replication_delay, serve.pace) == ("free", 20.0, True)
    default = parser.parse_args(["sandbox", "serve"])
    assert (
        default.entra_licence == "p1" and not default.pace and default.entra_replication_delay > 0
    )
    run = parser.parse_args(
        [
            "sandbox",
            "entra",
            "provision",
            "--tenant-url",
            "https://x/scim",
            "--token",
            "t",
            "--pace",
        ]
    )
    assert run.pace is True

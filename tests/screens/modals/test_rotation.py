"""The credentials step's Rotate: the rotation modal, live, against a sandbox while a simulated
Entra (`ProvisioningJob`, cycling every second over real HTTP) keeps provisioning.

The test plays the admin: it pastes the token shown into Entra (the job's `configure`, what
Save does in the admin center), provisions one person on demand so Entra works with it, and
presses `s`. When Entra's traffic cannot tell which of two tokens it holds, "which token is
saved in Entra?" is asked (issue 20). Snapshots show the modal waiting for the paste, and the
question.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from textual.widgets import Button

from assistant.rotation.engine import Revoked, Stage, Stopped, StopReason
from assistant.steeple.client import SteepleClient
from sandbox.entra.clock import TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from screens.modals.rotation import RotationModal, WhichTokenModal
from screens.steps.credentials import CredentialsStep
from screens.widgets.secret_field import MASK
from tests.screens.scenes import SIZES
from tests.support.pilot import settle, wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.sandboxes import request_log

TOKENS = "/integrations/azure-ad/tokens"


@contextlib.asynccontextmanager
async def entra_cycling(server: Any, secret: str) -> AsyncIterator[ProvisioningJob]:
    tenant = generate_tenant(6, 2, seed=3)
    job = ProvisioningJob(
        tenant,
        tenant_url=server.scim_url,
        token=secret,
        assigned=list(tenant.groups),
        scale=TimeScale(1.0),
        settings=JobSettings(max_in_flight=2, seed=3),
    )
    task = asyncio.create_task(job.run())
    try:
        yield job
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _admin(app: Any, admin_key: str) -> httpx.Client:
    return httpx.Client(
        base_url=app.server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}
    )


async def _app_with_token(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> Any:
    """An app on the credentials step of a sandbox with one token (its secret in `prepared`)."""
    server = start_sandbox()
    prepared = await prepare(server.base_url, admin_key, "token")
    app = build_app(SteepleClient(server.base_url, admin_key), step="credentials")
    app.server, app.prepared = server, prepared
    return app


async def _open_and_start(pilot: Any) -> RotationModal:
    await wait_for_screen(pilot, CredentialsStep)
    await pilot.click("#rotate")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RotationModal), "the modal")
    modal: RotationModal = pilot.app.screen
    await wait_for(pilot, lambda: not modal.query_one("#start", Button).disabled, "the plan")
    await pilot.click("#start")
    await wait_for(pilot, lambda: modal.query_one("#paste").display, "the token to paste")
    return modal


async def _until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Like `wait_for`, with room for a few Entra cycles (on state, never a duration)."""
    for _ in range(6):
        with contextlib.suppress(AssertionError):
            await wait_for(pilot, condition, what)
            return
    await wait_for(pilot, condition, what)


async def test_rotate_without_graph_keeps_entra_provisioning(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    app = await _app_with_token(start_sandbox, admin_key, build_app)
    old_secret = app.prepared.secret
    async with entra_cycling(app.server, old_secret) as job, app.run_test(size=(120, 40)) as pilot:
        modal = await _open_and_start(pilot)
        new_secret = app.revealed_secret
        assert new_secret and new_secret != old_secret
        assert MASK in str(modal.query_one("#secret").render())  # masked until `v`
        assert new_secret not in str(modal.query_one("#secret").render())
        job.configure(app.server.scim_url, new_secret)  # the admin pastes it and saves
        await job.provision_on_demand(next(iter(job.tenant.users.values())).user_principal_name)
        await pilot.press("s")
        await _until(pilot, lambda: modal.outcome is not None, "the rotation to end")
        assert isinstance(modal.outcome, Revoked), modal.outcome
        stages = [e.stage for e in modal.events if e.stage is not Stage.WAITING]
        assert stages[-2:] == [Stage.VERIFIED, Stage.REVOKED]
        await pilot.press("escape")  # Close
        await wait_for_screen(pilot, CredentialsStep, ios=2)
    with _admin(app, admin_key) as admin:
        assert [t["hint"] for t in admin.get(TOKENS).json()["tokens"]] == [new_secret[-4:]]
        hints = {old_secret[-4:], new_secret[-4:]}
        entra = [e for e in request_log(admin) if e["token_hint"] in hints]
    assert {e["token_hint"] for e in entra} == hints and not [
        e for e in entra if e["status"] == 401
    ]


async def test_closing_while_waiting_revokes_nothing(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    app = await _app_with_token(start_sandbox, admin_key, build_app)
    old_secret = app.prepared.secret
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _open_and_start(pilot)
        await pilot.press("s")  # "saved" — but Entra never got it
        await wait_for(pilot, lambda: Stage.SAVED in [e.stage for e in modal.events], "saved")
        await pilot.press("escape")  # Cancel
        await wait_for_screen(pilot, CredentialsStep, ios=2)
        assert not isinstance(modal.outcome, Revoked)
    with _admin(app, admin_key) as admin:
        hints = {t["hint"] for t in admin.get(TOKENS).json()["tokens"]}
    assert hints == {old_secret[-4:], app.revealed_secret[-4:]}  # both live


async def _open_until_asked(pilot: Any) -> RotationModal:
    await wait_for_screen(pilot, CredentialsStep)
    await pilot.click("#rotate")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RotationModal), "the modal")
    modal: RotationModal = pilot.app.screen
    await wait_for(pilot, lambda: not modal.query_one("#start", Button).disabled, "the plan")
    await pilot.click("#start")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WhichTokenModal), "the question")
    return modal


async def test_two_live_tokens_the_traffic_cannot_tell_apart_ask_which_is_saved(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    """Neither token has borne Entra's provisioning: the person is asked; "I don't know"
    (Escape) stops the rotation with both tokens live."""
    app = await _app_with_token(start_sandbox, admin_key, build_app)
    with _admin(app, admin_key) as admin:
        spare = admin.post(TOKENS).json()
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _open_until_asked(pilot)
        labels = [str(b.label) for b in pilot.app.screen.query(".which-token").results(Button)]
        assert len(labels) == 2 and any(f"…{spare['hint']}" in label for label in labels)
        asked = pilot.app.screen  # no guess: "I don't know" has the focus (once it is given)
        await wait_for(pilot, lambda: asked.focused is asked.query_one("#unknown"), "the focus")
        await pilot.press("escape")  # I don't know
        await wait_for(pilot, lambda: modal.outcome is not None, "the rotation to stop")
    assert isinstance(modal.outcome, Stopped) and modal.outcome.reason is StopReason.UNDECIDED
    with _admin(app, admin_key) as admin:
        assert len(admin.get(TOKENS).json()["tokens"]) == 2


async def test_naming_the_token_in_entra_revokes_the_other_and_rotates_it(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    app = await _app_with_token(start_sandbox, admin_key, build_app)
    with _admin(app, admin_key) as admin:
        spare = admin.post(TOKENS).json()
    old_hint = app.prepared.secret[-4:]
    async with app.run_test(size=(120, 40)) as pilot:
        modal = await _open_until_asked(pilot)
        which = pilot.app.screen
        button = next(
            b for b in which.query(".which-token").results(Button) if f"…{old_hint}" in str(b.label)
        )
        button.press()
        await wait_for(pilot, lambda: modal.query_one("#paste").display, "the token to paste")
        await pilot.press("escape")  # cancel at the paste: the new token stays live, named
        await wait_for_screen(pilot, CredentialsStep, ios=2)
    with _admin(app, admin_key) as admin:
        hints = {t["hint"] for t in admin.get(TOKENS).json()["tokens"]}
    assert spare["hint"] not in hints and old_hint in hints  # the other one was revoked


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", SIZES)
def test_which_token_question(
    size: tuple[int, int],
    lang: str,
    snap_compare: Any,
    app_at: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Entra provisioned with …A; …B was created since and never worked: which is in Entra?"""
    import sandbox.tokens

    app = app_at("provisioned", "credentials", lang=lang)
    spare = "PLANTED-scim-secret-spare-0123456789abcdefWXYZ"  # the planted ones all end alike
    with monkeypatch.context() as patched, _admin(app, app.server.config.admin_key) as admin:
        patched.setattr(sandbox.tokens.secrets, "token_urlsafe", lambda nbytes=32: spare)
        admin.post(TOKENS)

    async def run_before(pilot: Any) -> None:
        await _open_until_asked(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_rotation_modal_waiting_for_the_paste(
    size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    app = app_at("token", "credentials")

    async def run_before(pilot: Any) -> None:
        await _open_and_start(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


# --- through Graph: the app's entra_side (set once signed in) does every stage itself --------


async def test_rotate_through_graph_needs_no_paste(
    graph_sandbox: Any,
    graph: Any,
    signed_in: Any,
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    from tests.support.graph_side import side_for, start_provisioning
    from tests.support.sandboxes import install

    with httpx.Client(
        base_url=graph_sandbox.admin_url, headers={"Authorization": f"Bearer {admin_key}"}
    ) as admin:
        tenant_url, old_secret = install(admin)
    await start_provisioning(signed_in, graph, tenant_url, old_secret)  # Entra running on it
    side = side_for(signed_in, graph)
    app = build_app(SteepleClient(graph_sandbox.base_url, admin_key), step="credentials")
    app.entra_side = side  # what signing in sets on the app
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, CredentialsStep)
            await pilot.click("#rotate")
            await wait_for(pilot, lambda: isinstance(app.screen, RotationModal), "the modal")
            modal: RotationModal = app.screen
            await wait_for(pilot, lambda: not modal.query_one("#start", Button).disabled, "plan")
            await pilot.click("#start")
            await _until(pilot, lambda: modal.outcome is not None, "the rotation to end")
            assert not modal.query_one("#paste").display  # never asked to paste
    finally:
        await side.aclose()
    assert isinstance(modal.outcome, Revoked), modal.outcome
    stages = [e.stage for e in modal.events if e.stage is not Stage.WAITING]
    assert stages[:4] == [Stage.CHECKED, Stage.CREATED, Stage.TESTED, Stage.SAVED]
    assert graph.emulator.host.job.secret()[-4:] == modal.outcome.new_hint

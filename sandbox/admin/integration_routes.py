"""`/integrations/azure-ad/…`: lifecycle, SCIM tokens, traffic, groups and activation.

Every endpoint below the integration itself needs it installed (409 `integration_not_installed`):
checking in one dependency keeps that rule from being forgotten on a new route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from assistant.steeple.contract import (
    ENTRA_COMPLIANT_FLAG,
    ActivationPreview,
    ActivationResult,
    CreatedToken,
    Credentials,
    DeactivationPreview,
    DeactivationResult,
    GroupMapping,
    GroupPage,
    InstallResult,
    IntegrationState,
    ProvisioningStatus,
    ReceivedGroup,
    ReceivedUserDetail,
    ReceivedUserPage,
    RemovalPreview,
    RemovalResult,
    RequestLogPage,
    TokenList,
)
from sandbox.admin.auth import State
from sandbox.admin.errors import NOT_FOUND_RESPONSE
from sandbox.admin.router import admin_router
from sandbox.db import transaction
from sandbox.domain import activation, integration, person, staging
from sandbox.domain.common import DomainError
from sandbox.state import SandboxState
from sandbox.tokens import MAX_LIVE_TOKENS, TooManyLiveTokens, create_token

MAX_LIMIT = 1000
INTEGRATION = "/integrations/azure-ad"

router = admin_router(tags=["Azure AD integration"])


async def installed_state(state: State) -> SandboxState:
    integration.require_installed(state.conn)
    return state


Installed = Annotated[SandboxState, Depends(installed_state)]
"""Like `State`, after checking that the integration is installed."""


@router.get(INTEGRATION, response_model=IntegrationState)
async def get_integration(state: State) -> IntegrationState:
    return integration.integration_state(state.conn)


@router.post(INTEGRATION, response_model=InstallResult)
async def install_integration(state: State) -> InstallResult:
    """Idempotent: a second install changes nothing and says so."""
    with transaction(state.conn):
        changed = integration.install(state.conn, state.now())
        current = integration.integration_state(state.conn)
    message = (
        "The Azure AD integration is installed."
        if changed
        else "The Azure AD integration was already installed; nothing changed."
    )
    return InstallResult(changed=changed, message=message, integration=current)


@router.delete(INTEGRATION, response_model=RemovalResult)
async def remove_integration(state: State) -> RemovalResult:
    with transaction(state.conn):
        return integration.remove(state.conn, state.now())


@router.get(f"{INTEGRATION}/credentials", response_model=Credentials)
async def get_credentials(state: Installed) -> Credentials:
    return Credentials(
        tenant_url=f"{state.scim_base_url}?{ENTRA_COMPLIANT_FLAG}",
        scim_base_url=state.scim_base_url,
        tokens=integration.list_tokens(state.conn),
    )


@router.post(f"{INTEGRATION}/tokens", response_model=CreatedToken, status_code=201)
async def post_token(state: Installed) -> CreatedToken:
    """The one answer that carries a SCIM secret; only its hash is stored."""
    now = state.now()
    try:
        with transaction(state.conn):
            token_id, secret, hint = create_token(state.conn, now)
    except TooManyLiveTokens:
        raise DomainError(
            409,
            "too_many_tokens",
            f"At most {MAX_LIVE_TOKENS} SCIM tokens can be live: revoke one first.",
        ) from None
    return CreatedToken(id=token_id, secret=secret, hint=hint, created_at=now)


@router.get(f"{INTEGRATION}/tokens", response_model=TokenList)
async def get_tokens(state: Installed) -> TokenList:
    return TokenList(tokens=integration.list_tokens(state.conn), max_live=MAX_LIVE_TOKENS)


@router.delete(f"{INTEGRATION}/tokens/{{token_id}}", status_code=204, responses=NOT_FOUND_RESPONSE)
async def delete_token(token_id: str, state: Installed) -> Response:
    with transaction(state.conn):
        integration.revoke_token(state.conn, token_id, state.now())
    return Response(status_code=204)


@router.get(f"{INTEGRATION}/provisioning", response_model=ProvisioningStatus)
async def get_provisioning(state: Installed) -> ProvisioningStatus:
    return staging.provisioning_status(state.conn)


@router.get(f"{INTEGRATION}/requests", response_model=RequestLogPage)
async def get_requests(
    state: State,  # the log is history, kept after a removal: Entra calling on is seen there
    after: str | None = Query(default=None, max_length=32),
    limit: int = Query(default=50, ge=1, le=MAX_LIMIT),
) -> RequestLogPage:
    return staging.list_requests(state.conn, after, limit)


@router.get(f"{INTEGRATION}/groups", response_model=GroupPage)
async def get_groups(
    state: Installed,
    query: str = Query(default="", max_length=200),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=100, ge=1, le=MAX_LIMIT),
) -> GroupPage:
    return staging.list_groups(state.conn, query, cursor, limit)


@router.put(
    f"{INTEGRATION}/groups/{{group_id}}/mapping",
    response_model=ReceivedGroup,
    responses=NOT_FOUND_RESPONSE,
)
async def put_mapping(group_id: str, mapping: GroupMapping, state: Installed) -> ReceivedGroup:
    with transaction(state.conn):
        return staging.set_mapping(state.conn, group_id, mapping)


@router.delete(
    f"{INTEGRATION}/groups/{{group_id}}/mapping", status_code=204, responses=NOT_FOUND_RESPONSE
)
async def delete_mapping(group_id: str, state: Installed) -> Response:
    with transaction(state.conn):
        staging.delete_mapping(state.conn, group_id)
    return Response(status_code=204)


@router.get(f"{INTEGRATION}/scim-users", response_model=ReceivedUserPage)
async def get_scim_users(
    state: Installed,
    query: str = Query(default="", max_length=200),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=100, ge=1, le=MAX_LIMIT),
) -> ReceivedUserPage:
    return staging.list_scim_users(state.conn, query, cursor, limit)


@router.get(
    f"{INTEGRATION}/scim-users/{{scim_user_id}}",
    response_model=ReceivedUserDetail,
    responses=NOT_FOUND_RESPONSE,
)
async def get_scim_user(scim_user_id: str, state: Installed) -> ReceivedUserDetail:
    """One received person: their received groups, what those map to, and their account."""
    return person.scim_user_detail(state.conn, scim_user_id)


@router.get(f"{INTEGRATION}/activation-preview", response_model=ActivationPreview)
async def get_activation_preview(
    state: Installed,
) -> ActivationPreview:
    return activation.preview(state.conn)


@router.post(f"{INTEGRATION}/activate", response_model=ActivationResult)
async def post_activate(state: Installed) -> ActivationResult:
    with transaction(state.conn):
        return activation.activate(state.conn, state.now())


@router.get(f"{INTEGRATION}/deactivation-preview", response_model=DeactivationPreview)
async def get_deactivation_preview(state: Installed) -> DeactivationPreview:
    return activation.deactivation_preview(state.conn)


@router.post(f"{INTEGRATION}/deactivate", response_model=DeactivationResult)
async def post_deactivate(state: Installed) -> DeactivationResult:
    with transaction(state.conn):
        return activation.deactivate(state.conn)


@router.get(f"{INTEGRATION}/removal-preview", response_model=RemovalPreview)
async def get_removal_preview(state: Installed) -> RemovalPreview:
    return integration.removal_preview(state.conn)

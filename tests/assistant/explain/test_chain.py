"""`assistant.explain.chain.explain` as a pure decision: links the sandbox runs do not reach cheaply
(a failed provisioning-log entry, a skipped one, a removed account, a duplicate e-mail, a Graph
failure mid-way) and the rule that the FIRST broken link is the one named."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.entra.facts import LogLine
from assistant.explain.chain import (
    EntraFacts,
    EntraJob,
    EntraPerson,
    LinkStatus,
    PersonFacts,
    SteepleFacts,
    explain,
)
from assistant.steeple.contract import (
    ReceivedUser,
    ReceivedUserDetail,
    ReceivedUserGroup,
    SteepleUser,
)

WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
PERSON = EntraPerson("oid-1", "ana@contoso.example", "Ana", "ana@contoso.example", True)


def _entra(**changes: object) -> EntraFacts:
    base: dict[str, object] = {
        "person": PERSON,
        "groups": ("Sales",),
        "app_found": True,
        "assigned_groups": ("Sales",),
        "job": EntraJob("Active"),
    }
    base.update(changes)
    return EntraFacts(**base)  # type: ignore[arg-type]


def _received(**changes: object) -> ReceivedUserDetail:
    account = SteepleUser(
        id="usr_1", email="ana@contoso.example", auth_method="sso", status="active"
    )
    base: dict[str, object] = {
        "user": ReceivedUser(
            id="s1", user_name="ana@contoso.example", email="ana@contoso.example", active=True
        ),
        "groups": [ReceivedUserGroup(id="g1", display_name="Sales")],
        "link": "linked_by_email",
        "account": account,
    }
    base.update(changes)
    return ReceivedUserDetail(**base)  # type: ignore[arg-type]


def _first(entra: EntraFacts | None, steeple: SteepleFacts) -> str | None:
    broken = explain(PersonFacts("ana@contoso.example", steeple, entra)).first_broken
    return broken.id if broken else None


def test_a_failed_log_entry_names_entras_error() -> None:
    entry = LogLine(
        WHEN,
        "create",
        "failure",
        "",
        "SystemForCrossDomainIdentityManagementBadResponse",
        "409 Conflict",
    )
    result = explain(
        PersonFacts("ana@contoso.example", SteepleFacts(installed=True), _entra(last_entry=entry))
    )
    assert result.first_broken is not None and result.first_broken.id == "entra.log"
    assert "409 Conflict" in result.first_broken.sentence
    assert "SystemForCrossDomainIdentityManagementBadResponse" in result.first_broken.sentence


def test_a_skipped_entry_breaks_the_scope_link() -> None:
    entry = LogLine(WHEN, "other", "skipped", "", "EntrySynchronizationSkipped", "Out of scope")
    steeple = SteepleFacts(installed=True)
    assert _first(_entra(last_entry=entry), steeple) == "entra.scope"


def test_the_first_broken_link_wins_over_later_ones() -> None:
    # Not mapped AND sync not active: mapping comes first in the chain.
    received = _received(account=None, link="none")
    steeple = SteepleFacts(installed=True, sync_active=False, received=received)
    assert _first(_entra(), steeple) == "steeple.mapped"


def test_removed_account_and_duplicate_email() -> None:
    removed = _received(
        account=SteepleUser(
            id="usr_1", email="ana@contoso.example", auth_method="sso", status="removed"
        )
    )
    received = removed.model_copy(
        update={
            "groups": [
                ReceivedUserGroup.model_validate(
                    {
                        "id": "g1",
                        "display_name": "Sales",
                        "mapping": {"community_id": "c1", "role": "user"},
                        "community_name": "HQ",
                    }
                )
            ]
        }
    )
    assert _first(_entra(), SteepleFacts(installed=True, sync_active=True, received=received)) == (
        "steeple.account"
    )
    duplicate = received.model_copy(update={"conflict": "duplicate_email", "account": None})
    steeple = SteepleFacts(installed=True, sync_active=True, received=duplicate)
    assert _first(_entra(), steeple) == "steeple.email"


def test_a_graph_failure_leaves_entra_unseen_and_says_why() -> None:
    failed = EntraFacts(error=("Graph refused: AuditLog.Read.All is missing.", "Grant consent."))
    result = explain(PersonFacts("ana@contoso.example", SteepleFacts(installed=False), failed))
    assert result.graph is False
    assert {link.status for link in result.links if link.side == "entra"} == {LinkStatus.UNKNOWN}
    assert "AuditLog.Read.All" in result.cannot_see[0]
    assert result.first_broken is not None and result.first_broken.id == "steeple.installed"


def test_french_sentences_exist_for_every_link() -> None:
    entry = LogLine(WHEN, "create", "success", "", "", "")
    received = _received()
    steeple = SteepleFacts(installed=True, sync_active=True, received=received)
    for lang in ("en", "fr"):
        result = explain(
            PersonFacts("ana@contoso.example", steeple, _entra(last_entry=entry)), lang
        )
        assert all(not link.sentence.startswith("explain.") for link in result.links)

"""Which live token Entra holds, as a decision on the tokens' dates (issue 20, point 1): only
Entra's provisioning at work names a token; a Test Connection with the other one after it, or a
token created after it, leaves the question to a person. The same reading over real HTTP, while
a simulated Entra provisions, is `test_engine.py`'s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.rotation.token_holder import latest_provisioning, read_holder
from assistant.steeple.contract import TokenInfo

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def token(
    token_id: str,
    created: int,
    used: int | None = None,
    provisioned: int | None = None,
) -> TokenInfo:
    """A token created, last used and last provisioned with `n` minutes after T0."""

    def at(minutes: int | None) -> datetime | None:
        return None if minutes is None else T0 + timedelta(minutes=minutes)

    return TokenInfo(
        id=token_id,
        hint=token_id[-4:],
        created_at=T0 + timedelta(minutes=created),
        last_used_at=at(used),
        last_provisioned_at=at(provisioned),
    )


def test_no_token_and_a_single_token() -> None:
    assert not read_holder([]).certain and read_holder([]).entras is None
    only = token("tok_only", 0)
    holder = read_holder([only])
    assert holder.certain and holder.entras == only and holder.other is None


def test_without_any_provisioning_the_newest_is_only_a_candidate() -> None:
    old, new = token("tok_old", 0, used=5), token("tok_new", 10, used=11)
    holder = read_holder([old, new])
    assert (holder.entras, holder.other, holder.certain) == (None, new, False)
    assert latest_provisioning([old, new]) is None


def test_provisioning_after_everything_known_of_the_other_is_certain() -> None:
    entras = token("tok_entra", 0, used=30, provisioned=30)
    other = token("tok_other", 10, used=12)  # created and tested before Entra's last cycle
    holder = read_holder([other, entras])
    assert (holder.entras, holder.other, holder.certain) == (entras, other, True)
    assert holder.since == entras.last_provisioned_at
    assert latest_provisioning([other, entras]) == entras


def test_a_later_test_connection_or_a_newer_token_leaves_it_to_a_person() -> None:
    entras = token("tok_entra", 0, used=30, provisioned=30)
    tested_after = token("tok_other", 10, used=40)  # may have been saved in Entra since
    assert not read_holder([entras, tested_after]).certain
    created_after = token("tok_newer", 45)
    holder = read_holder([entras, created_after])
    assert holder.entras == entras and not holder.certain
    assert latest_provisioning([entras, created_after]) == entras  # never to be revoked

"""Mapping groups to a community: choosing is the confirmation, so nothing is answered before a
community is picked (the admin is told to pick one); the role defaults to members."""

from __future__ import annotations

from textual.widgets import Select

from assistant.steeple.contract import Community, GroupMapping
from screens.modals.mapping import MappingModal
from tests.support.modal_host import ModalHost
from tests.support.pilot import wait_for

COMMUNITIES = [
    Community(id="c1", name="Siège", admin_count=0),
    Community(id="c2", name="Usine de Lyon", admin_count=1),
]


async def test_apply_without_a_community_answers_nothing_and_says_why() -> None:
    host = ModalHost(lambda: MappingModal(2, COMMUNITIES))
    async with host.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, MappingModal), "the modal")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: bool(host._notifications), "the notice")
        assert not host.results


async def test_the_community_picked_and_the_role_chosen_are_the_answer() -> None:
    host = ModalHost(lambda: MappingModal(1, COMMUNITIES))
    async with host.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, MappingModal), "the modal")
        modal = host.screen
        modal.query_one("#community", Select).value = "c2"
        await pilot.click("#admin")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: bool(host.results), "the answer")
    assert host.results == [GroupMapping(community_id="c2", role="admin")]

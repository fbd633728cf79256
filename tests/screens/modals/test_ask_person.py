"""Provision on demand's question: Provision is offered only once a name is typed, the answer is
the name trimmed, Escape answers nothing."""

from __future__ import annotations

from textual.widgets import Button

from screens.modals.ask_person import AskPersonModal
from tests.support.modal_host import ModalHost
from tests.support.pilot import wait_for


async def test_the_typed_name_trimmed_is_the_answer() -> None:
    host = ModalHost(AskPersonModal)
    async with host.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, AskPersonModal), "the modal")
        confirm = host.screen.query_one("#confirm", Button)
        assert confirm.disabled
        await pilot.press("space", "enter")  # blank: nothing to provision, nothing answered
        await pilot.pause()
        assert confirm.disabled and not host.results
        await pilot.press(*"ada@contoso.com", "space", "enter")
        await wait_for(pilot, lambda: bool(host.results), "the answer")
    assert host.results == ["ada@contoso.com"]


async def test_escape_answers_nothing() -> None:
    host = ModalHost(AskPersonModal)
    async with host.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, AskPersonModal), "the modal")
        await pilot.press(*"ada", "escape")
        await wait_for(pilot, lambda: bool(host.results), "the answer")
    assert host.results == [None]

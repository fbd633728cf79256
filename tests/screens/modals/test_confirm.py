"""The confirmations every instance-changing action asks: Enter answers what has focus (Cancel
when the change must be read first), `y` and Escape answer yes and no, foreign text in the body
stays text; the typed confirmation of what cannot be undone opens only on the word."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Static

from screens.modals.confirm import ConfirmModal, TypedConfirmModal
from tests.support.modal_host import ModalHost
from tests.support.pilot import wait_for


@pytest.mark.parametrize(
    ("safe_default", "key", "answer"),
    [
        (False, "enter", True),  # a plain confirmation: Confirm has focus
        (True, "enter", False),  # a careful one (activation): a blind Enter cancels
        (True, "y", True),
        (False, "escape", False),
    ],
)
async def test_each_key_gives_its_answer(safe_default: bool, key: str, answer: bool) -> None:
    host = ModalHost(lambda: ConfirmModal("Install?", "body", safe_default=safe_default))
    async with host.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, ConfirmModal), "the modal")
        await pilot.press(key)
        await wait_for(pilot, lambda: bool(host.results), "the answer")
    assert host.results == [answer]


async def test_the_body_is_shown_as_text_never_as_markup() -> None:
    body = "Group [b]Sales[/b] [@click=app.quit]x[/]"
    host = ModalHost(lambda: ConfirmModal("Map?", body, "Map"))
    async with host.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, ConfirmModal), "the modal")
        shown = str(host.screen.query_one(".modal-body", Static).render())
        assert shown == body
        assert str(host.screen.query_one("#confirm", Button).label) == "Map (y)"


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_typed_confirmation_opens_only_on_the_word(lang: str) -> None:
    host = ModalHost(lambda: TypedConfirmModal("Remove?", "body", ("REMOVE", "SUPPRIMER")), lang)
    async with host.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(host.screen, TypedConfirmModal), "the modal")
        confirm = host.screen.query_one("#confirm", Button)
        await pilot.press(*"REMOV", "enter")  # a stray Enter on a word half typed: nothing
        await pilot.pause()
        assert confirm.disabled and not host.results
        await pilot.press("E")
        await wait_for(pilot, lambda: not confirm.disabled, "the button enabled")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(host.results), "the answer")
    assert host.results == [True]

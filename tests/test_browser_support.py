"""The shared Chromium fixture drives Debian's browser against a page served on loopback."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import served_page

pytestmark = pytest.mark.slow


def test_chromium_clicks_a_button_on_a_loopback_page(chromium: Any) -> None:
    button = "<!doctype html><button id=b onclick=\"this.textContent='clicked'\">go</button>"
    with served_page(button) as address:
        page = chromium.new_page()
        page.goto(address)
        page.click("#b")
        assert page.inner_text("#b") == "clicked"
        page.close()

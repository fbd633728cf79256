"""The SCIM token on screen: masked with its hint by default, shown only on request, masked again
when a new one replaces it; Copy sends the secret itself, and says when there is none to send."""

from __future__ import annotations

import pytest

from assistant.i18n.translate import t
from screens.widgets.secret_field import MASK, SecretField
from tests.support.modal_host import WidgetHost

SECRET = "stp_planted-secret-for-the-field-1234"


def shown(field: SecretField) -> str:
    return str(field.render())


async def test_masked_until_revealed_and_masked_again_when_replaced() -> None:
    host = WidgetHost(lambda: SecretField(SECRET, "1234"))
    async with host.run_test(size=(80, 24)) as pilot:
        field = host.query_one(SecretField)
        assert shown(field) == f"{MASK}1234" and SECRET not in shown(field)
        field.revealed = True
        await pilot.pause()
        assert shown(field) == SECRET and field.has_class("-revealed")
        field.set_secret("stp_another-one-5678", "5678")
        await pilot.pause()
        assert shown(field) == f"{MASK}5678" and not field.revealed
        assert field.copy() and host.clipboard == "stp_another-one-5678"


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_without_the_secret_in_memory_only_its_hint_and_no_copy(lang: str) -> None:
    host = WidgetHost(lambda: SecretField("", "1234"), lang)
    async with host.run_test(size=(80, 24)):
        field = host.query_one(SecretField)
        assert shown(field) == t("secret.hint_only", lang, hint="1234")
        assert not field.copy() and host.clipboard == ""

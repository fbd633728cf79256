"""The login emulator's HTML pages: enter a device code, consent, the form_post answer, errors.

Small, script-free forms (but the form_post page's one line that submits it, as Entra's has), in
the words Microsoft's pages use. Every value is escaped: a client id or a state comes from
whoever made the request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

WRONG_CODE = "That code didn't work. Check the code and try again. (AADSTS70018)"
EXPIRED_CODE = "That code has expired. Go back to the app and get a new one. (AADSTS70019)"
USED_CODE = "That code was already used. Go back to the app and get a new one. (AADSTS90120)"

_STYLE = (
    "body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
    "label,input,button{display:block;margin:.5rem 0}.error{color:#a80000}"
)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def device_login_form(signed_in_as: str, error: str = "") -> str:
    problem = f"<p class='error' id='error'>{escape(error)}</p>" if error else ""
    return _page(
        "Enter code",
        f"<p>Signed in as <b id='account'>{escape(signed_in_as)}</b> (Steeple sandbox).</p>"
        f"{problem}"
        "<form method='post' action='/devicelogin'>"
        "<label for='user_code'>Enter the code displayed on your app or device.</label>"
        "<input id='user_code' name='user_code' autocomplete='off' autofocus required>"
        "<button type='submit' id='next' name='action' value='approve'>Next</button>"
        "<button type='submit' id='cancel' name='action' value='decline'>Cancel</button>"
        "</form>",
    )


def device_login_done(client_id: str) -> str:
    return _page(
        "You're signed in",
        f"<p id='done'>You have signed in to the <b>{escape(client_id)}</b> application on your "
        "device. You may now close this window.</p>",
    )


def device_login_declined() -> str:
    return _page("Sign-in cancelled", "<p id='done'>You can close this window.</p>")


def consent(
    action: str, request_id: str, signed_in_as: str, client_id: str, scopes: Iterable[str]
) -> str:
    asked = "".join(f"<li>{escape(scope)}</li>" for scope in sorted(scopes))
    return _page(
        "Permissions requested",
        f"<p>Signed in as <b id='account'>{escape(signed_in_as)}</b> (Steeple sandbox).</p>"
        f"<p>The application <b id='client'>{escape(client_id)}</b> would like to:</p>"
        f"<ul id='scopes'>{asked}</ul>"
        f"<form method='post' action='{escape(action)}'>"
        f"<input type='hidden' name='request' value='{escape(request_id)}'>"
        "<button type='submit' id='accept' name='action' value='accept'>Accept</button>"
        "<button type='submit' id='cancel' name='action' value='cancel'>Cancel</button>"
        "</form>",
    )


def form_post(redirect_uri: str, fields: Mapping[str, str]) -> str:
    """OAuth 2.0 Form Post Response Mode: the answer posted to the client's redirect URI."""
    inputs = "".join(
        f"<input type='hidden' name='{escape(name)}' value='{escape(value)}'>"
        for name, value in fields.items()
    )
    return _page(
        "Working...",
        f"<form method='post' action='{escape(redirect_uri)}' id='answer'>{inputs}"
        "<noscript><button type='submit'>Continue</button></noscript></form>"
        "<script>document.getElementById('answer').submit()</script>",
    )


def error(message: str) -> str:
    return _page("Sign in", f"<p class='error' id='error'>{escape(message)}</p>")


__all__ = [
    "EXPIRED_CODE",
    "USED_CODE",
    "WRONG_CODE",
    "consent",
    "device_login_declined",
    "device_login_done",
    "device_login_form",
    "error",
    "form_post",
]

"""The browser sign-in's two ends on this machine: the page opened in the system browser, and
Entra's answer received on MSAL's loopback redirect (`http://localhost:<port>`).

MSAL's receiver would open the page itself with `webbrowser`, whatever the address the sign-in
service's configuration names — and, over SSH, in a browser nobody sees, or in a text browser
that takes over the terminal. Here the assistant opens it: only an https page (http only for a
sign-in service on this machine), only on the authority's own host, and it can cancel the wait
by answering the redirect itself, as Entra does when the person cancels.
"""

from __future__ import annotations

import http.client
import os
import sys
import webbrowser
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from msal.oauth2cli.authcode import (  # type: ignore[import-untyped]  # no stubs
    AuthCodeReceiver,
    is_wsl,
)

TEXT_BROWSERS = frozenset({"www-browser", "lynx", "links", "elinks", "w3m"})
"""Browsers that would draw in this very terminal, over the assistant."""

OpenPage = Callable[[str], bool]
"""Opens the sign-in page (called once, from the signing-in thread, and must not block until
the sign-in ends); False when no browser could open it."""


def browser_unavailable(environ: Mapping[str, str] | None = None) -> str | None:
    """Why no browser can show a page to the person here — "ssh", "display", "text" or "none" —
    or None when one can (Azure CLI and Graph PowerShell choose their flow the same way)."""
    env = os.environ if environ is None else environ
    display = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    if any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")) and not display:
        return "ssh"
    unix_desktop = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    if unix_desktop and not display and not env.get("BROWSER") and not is_wsl():
        return "display"
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "none"
    if getattr(browser, "name", "") in TEXT_BROWSERS:
        return "text"
    return None


def open_in_system_browser(url: str) -> bool:
    """The system's graphical browser, never a text one (it would draw over the assistant)."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if getattr(browser, "name", "") in TEXT_BROWSERS:
        return False
    return bool(browser.open(url))


class UnsafePage(Exception):
    """The sign-in service named a page the assistant will not open (not https, another host)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class NoBrowser(Exception):
    """No browser could open the sign-in page."""


class LoopbackReceiver(AuthCodeReceiver):  # type: ignore[misc]
    """MSAL's loopback receiver (form_post answer, state checked), with the page opened by the
    assistant after `is_safe(url)` and a `cancel()` that ends the wait at once."""

    def __init__(self, open_page: OpenPage, is_safe: Callable[[str], bool]) -> None:
        super().__init__(port=0)
        self._open_page = open_page
        self._is_safe = is_safe
        self.page_url: str | None = None
        self.cancelled = False
        self._state: str | None = None

    def get_auth_response(self, timeout: float | None = None, **kwargs: Any) -> Any:
        url = kwargs.pop("auth_uri", None) or ""
        self._state = kwargs.get("state")
        if self.cancelled:
            return None
        if not self._is_safe(url):
            raise UnsafePage(url)
        self.page_url = url
        if not self._open_page(url):
            raise NoBrowser()
        # auth_uri=None: MSAL's receiver only waits; the page is open already.
        return super().get_auth_response(timeout=timeout, auth_uri=None, **kwargs)

    def cancel(self) -> None:
        """Answer the redirect with `access_denied`, as Entra does when the person cancels:
        the receiver's wait ends and MSAL returns that error."""
        self.cancelled = True
        if self._state is None:
            return  # not waiting yet: `get_auth_response` sees the flag
        body = urlencode(
            {"error": "access_denied", "error_description": "cancelled", "state": self._state}
        )
        connection = http.client.HTTPConnection("127.0.0.1", self.get_port(), timeout=5)
        try:
            connection.request(
                "POST", "/", body, {"Content-Type": "application/x-www-form-urlencoded"}
            )
            connection.getresponse().read()
        except OSError:
            pass  # the receiver already stopped: nothing is waiting
        finally:
            connection.close()


__all__ = [
    "TEXT_BROWSERS",
    "LoopbackReceiver",
    "NoBrowser",
    "OpenPage",
    "UnsafePage",
    "browser_unavailable",
    "open_in_system_browser",
]

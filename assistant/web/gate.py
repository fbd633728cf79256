"""Who may reach the browser window: the one-time secret, then the session cookie it buys.

The address printed by `steeple-assistant web` carries a random secret. The first request that
presents it is answered with a session cookie (HttpOnly, SameSite=Strict) and a redirect to the
bare address, so the secret leaves the address bar and the history; the secret is then spent,
and every later request needs the cookie. A reload of the page therefore works in the browser
that redeemed the link, while the printed link, copied anywhere else, is refused. Requests must
also name this server in `Host` (a DNS-rebinding page names its own) and, when a browser sends
an `Origin` (always for a websocket), come from this server's own page. Secrets are compared in
constant time.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

LOOPBACK = "127.0.0.1"
"""The only address served: other machines cannot even connect."""

SECRET_PARAMETER = "secret"
COOKIE_NAME = "steeple_web_session"


class Refusal(StrEnum):
    """Why a request is turned away; the value is the catalogue key's last part."""

    WRONG_HOST = "wrong_host"
    FOREIGN_ORIGIN = "foreign_origin"
    NO_SECRET = "no_secret"
    WRONG_SECRET = "wrong_secret"
    SECRET_SPENT = "secret_spent"
    BUSY = "busy"


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison (bytes: `compare_digest` refuses non-ASCII text)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


@dataclass
class WebGate:
    """The secret and the cookie of one server run, for the port it listens on."""

    port: int
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    cookie: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    spent: bool = False
    """True once the secret has bought the cookie: it opens nothing any more."""

    @property
    def address(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/"

    @property
    def one_time_url(self) -> str:
        return f"{self.address}?{SECRET_PARAMETER}={self.secret}"

    @property
    def hosts(self) -> frozenset[str]:
        """`Host` values naming this server (a browser may have been given `localhost`)."""
        return frozenset({f"{LOOPBACK}:{self.port}", f"localhost:{self.port}"})

    def check_host(self, host: str | None) -> Refusal | None:
        return None if host is not None and host.lower() in self.hosts else Refusal.WRONG_HOST

    def check_origin(self, origin: str | None, *, required: bool) -> Refusal | None:
        """A foreign page may not drive the wizard; a websocket must say where it comes from."""
        if origin is None:
            return Refusal.FOREIGN_ORIGIN if required else None
        allowed = {f"http://{host}" for host in self.hosts}
        return None if origin.lower() in allowed else Refusal.FOREIGN_ORIGIN

    def admits(self, cookie: str | None) -> bool:
        """Whether the request holds this run's session cookie."""
        return cookie is not None and _same(cookie, self.cookie)

    def redeem(self, given: str | None) -> Refusal | None:
        """Spend the secret: None when `given` is it and it was not spent yet."""
        if not given:
            return Refusal.NO_SECRET
        if not _same(given, self.secret):
            return Refusal.WRONG_SECRET
        if self.spent:
            return Refusal.SECRET_SPENT
        self.spent = True
        return None

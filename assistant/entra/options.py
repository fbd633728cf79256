"""Where the admin said Entra is, as given: `--entra-authority`, `--graph-url`, `--client-id`,
`--entra-ca-bundle`, `--token-cache`.

The command line builds this once and hands it to the headless commands and to the TUI alike, so
the screens read the admin's choice without importing a CLI module. Options win over the
environment (`STEEPLE_ENTRA_*`, `STEEPLE_GRAPH_URL`), which wins over Microsoft's public cloud:
`settings()` resolves that order (`EntraSettings.from_env`); whether a token may go there is
`EntraSettings.check`'s to say, before any token is read.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # location.py pulls in the Graph client (httpx): only when settings are read
    from assistant.entra.location import EntraSettings

ENTRA_ENV = (
    "STEEPLE_ENTRA_AUTHORITY",
    "STEEPLE_GRAPH_URL",
    "STEEPLE_ENTRA_CLIENT_ID",
    "STEEPLE_ENTRA_CA_BUNDLE",
    "STEEPLE_ENTRA_TOKEN_CACHE",
)
"""The environment variables that point the assistant at an Entra (as `location.py` reads them)."""


@dataclass(frozen=True)
class EntraOptions:
    """The Entra location options as given (None: not given); field names are `EntraSettings`'."""

    authority: str | None = None
    graph_url: str | None = None
    client_id: str | None = None
    ca_bundle: str | None = None
    token_cache: str | None = None

    def configured(self) -> bool:
        """Whether the admin pointed the assistant at an Entra (an option or the environment)."""
        return any(asdict(self).values()) or any(os.environ.get(name) for name in ENTRA_ENV)

    def settings(self) -> EntraSettings:
        """These options over the environment over Microsoft's public cloud — not checked."""
        from assistant.entra.location import EntraSettings

        return EntraSettings.from_env(**asdict(self))

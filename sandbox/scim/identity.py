"""The key under which a `userName` is unique: what a person would call "the same name".

Why not `casefold()` alone: Entra (or a hand-written client) may send `Alice@contoso.com ` with
a trailing space, or `é` as `e` + U+0301 where another system sent the precomposed `é`; those
read as the same account to every admin, so they must collide (409 uniqueness) rather than
create a second account. Canonical caseless matching (Unicode §3.13) applies NFC before and
after case folding, since folding can produce sequences that are no longer composed.
"""

from __future__ import annotations

import unicodedata


def user_name_key(user_name: str) -> str:
    """Trimmed, NFC-normalised, case-folded `userName`, as stored in `user_name_norm`."""
    composed = unicodedata.normalize("NFC", user_name.strip())
    return unicodedata.normalize("NFC", composed.casefold())

"""The key under which a `userName` is unique: one person, one userName.

Why not `casefold()` alone: Entra (or a hand-written client) may send `Alice@contoso.com ` with
a trailing space, `é` as `e` + U+0301 where another system sent the precomposed `é`, a
full-width `ａｌｉｃｅ`, or the same name with a zero-width space, a soft hyphen or a bidi mark
inside it (`dup\\u200b@x.fr` beside `dup@x.fr`). Every admin reads those as the same account, and
most of them cannot even see the difference, so they must collide (409 uniqueness) rather than
open a second account for one person.

The key is Unicode's NFKC_Casefold (UAX #15 / Unicode §5.18, `toNFKC_Casefold`), which is exactly
"NFKC, case-folded, default-ignorable code points removed", after trimming the ends:

| step | what it merges | example |
|---|---|---|
| trim | leading/trailing white space | `alice@x.fr ` → `alice@x.fr` |
| NFKC | canonical and compatibility forms | `e` + U+0301 → `é`; `ｆｕｌｌ` → `full`; `ﬁ` → `fi` |
| drop default-ignorables | invisible ones | U+200B, U+200D, U+FEFF, U+00AD, U+200E → nothing |
| case fold (then NFKC again) | case | `ALICE`, `Alice` → `alice`; `ß` → `ss` |

Control characters are not folded away: `resources.py` refuses them outright (400).
"""

from __future__ import annotations

import re
import unicodedata

# Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (stable since 6.x; the
# unassigned parts of these blocks are reserved as default-ignorable too).
_DEFAULT_IGNORABLE = re.compile(
    "["
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "]"
)


def without_default_ignorables(text: str) -> str:
    """`text` with every default-ignorable code point (zero-width, BOM, soft hyphen…) removed."""
    return _DEFAULT_IGNORABLE.sub("", text)


def user_name_key(user_name: str) -> str:
    """The `userName` as compared for uniqueness and `eq` filters (stored in `user_name_norm`)."""
    trimmed = user_name.strip()
    if trimmed.isascii():  # Entra's UPNs: NFKC and the ignorables change nothing in ASCII
        return trimmed.lower()
    compatible = without_default_ignorables(unicodedata.normalize("NFKC", trimmed))
    folded = unicodedata.normalize("NFKC", compatible.casefold())
    return without_default_ignorables(folded).strip()

"""Read a compiled gettext catalogue (`.mo`) into texts by key: what `t` looks up.

The catalogues put the stable key in `msgctxt` and the English in `msgid`. The standard library's
`gettext.GNUTranslations` looks a text up by context *and* English, while the code names only the
key, so this reads the documented layout (GNU gettext manual, "The Format of GNU MO Files") into
key → texts once; the plural rule is the catalogue's own `Plural-Forms`, evaluated by
`gettext.c2py` as `GNUTranslations` does.

Plain classes, no dataclasses: `t` is imported before the first paint, and `dataclasses` brings
`inspect` with it (tens of milliseconds); `gettext` is imported only when a count is said.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

LITTLE_ENDIAN_MAGIC = 0x950412DE
BIG_ENDIAN_MAGIC = 0xDE120495
CONTEXT_SEPARATOR = "\x04"
PLURAL_SEPARATOR = "\x00"


class Entry:
    """One text: the English it was written or translated from, and its forms in this language.

    `forms` has one text, or one per plural form of the catalogue's `Plural-Forms`.
    """

    __slots__ = ("source", "forms")

    def __init__(self, source: str, forms: tuple[str, ...]) -> None:
        self.source = source
        self.forms = forms


class Compiled:
    """One language's texts by key, and its plural rule (from the catalogue's header)."""

    __slots__ = ("entries", "plural_forms", "_rule")

    def __init__(self, entries: dict[str, Entry], plural_forms: str) -> None:
        self.entries = entries
        self.plural_forms = plural_forms
        self._rule: Callable[[int], int] | None = None

    def plural_index(self, count: int) -> int:
        """Which of an entry's forms says `count`, by the catalogue's `Plural-Forms`."""
        if self._rule is None:
            self._rule = plural_rule(self.plural_forms)
        return self._rule(count)


def plural_rule(plural_forms: str) -> Callable[[int], int]:
    """The `plural=` expression of a `Plural-Forms` header as a function (English's when none)."""
    from gettext import c2py

    for part in plural_forms.split(";"):
        name, _, expression = part.strip().partition("=")
        if name.strip() == "plural" and expression.strip():
            return c2py(expression.strip())
    return c2py("n != 1")


def read_mo(data: bytes) -> Compiled:
    """The texts of a `.mo` file's bytes; entries without a context (no key) are not ours."""
    (magic,) = struct.unpack_from("<I", data)
    if magic == LITTLE_ENDIAN_MAGIC:
        order = "<"
    elif magic == BIG_ENDIAN_MAGIC:
        order = ">"
    else:
        raise ValueError("not a compiled gettext catalogue (.mo)")
    _version, count, originals, translations = struct.unpack_from(order + "4I", data, 4)
    entries: dict[str, Entry] = {}
    plural_forms = ""
    for index in range(count):
        length, offset = struct.unpack_from(order + "2I", data, originals + 8 * index)
        original = data[offset : offset + length].decode("utf-8")
        length, offset = struct.unpack_from(order + "2I", data, translations + 8 * index)
        translation = data[offset : offset + length].decode("utf-8")
        if not original:  # the header entry
            for line in translation.splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() == "plural-forms":
                    plural_forms = value.strip()
            continue
        key, separator, source = original.partition(CONTEXT_SEPARATOR)
        if separator:
            entries[key] = Entry(source, tuple(translation.split(PLURAL_SEPARATOR)))
    return Compiled(entries, plural_forms)

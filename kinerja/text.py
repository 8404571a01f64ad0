"""Characters a clerk cannot see: removed before a value is read, shown when it still fails.

Text pasted from a web page, a PDF, WhatsApp or an e-mail brings characters
that look like nothing (a zero-width space, a byte-order mark, a soft hyphen,
a word joiner) or like a space (a no-break space). In a NIP or a number they
make a cell that looks right fail; they are dropped (or made ordinary
spaces) before anything is compared or parsed. When a value still fails,
:func:`visible` writes what is left unseen as ``<U+200B>`` so the message
points at it.
"""

from __future__ import annotations

import unicodedata

# dropped: zero-width space/non-joiner/joiner, LRM, RLM, word joiner, BOM, soft hyphen
_DROPPED = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
# made an ordinary space: no-break, narrow no-break, figure space, ideographic space
_SPACES = "\u00a0\u202f\u2007\u3000"
_TABLE = {**{ord(c): None for c in _DROPPED}, **{ord(c): " " for c in _SPACES}}
_UNSEEN = ("Cc", "Cf", "Co", "Cn", "Zl", "Zp", "Zs")


def clean(text: str) -> str:
    """``text`` without invisible characters (no-break spaces become spaces).

    ASCII text is returned as it is, at the cost of one check.
    """
    return text if text.isascii() else text.translate(_TABLE)


def visible(text: str) -> str:
    """``text`` with each character one cannot see written as ``<U+XXXX>``."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(c):04X}>" if c != " " and unicodedata.category(c) in _UNSEEN
                   else c for c in text)

"""What a redacted passage matches, in a file's text and in a copy's.

Staff type a passage as they read it; a file holds it broken across lines and runs, in
another case. A passage therefore matches across any run of white space, whatever the
case, and the verification compares whitespace-normalized, case-folded text.
"""

import re
from collections.abc import Iterable


def pattern(passage: str) -> re.Pattern | None:
    """The regular expression finding `passage` in text: between its words any white
    space, or none (a line break in a PDF may leave none); None for a blank passage."""
    words = passage.split()
    if not words:
        return None
    return re.compile(r"\s*".join(re.escape(word) for word in words), re.IGNORECASE)


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def contains(text: str, passage: str) -> bool:
    """Whether `text` holds `passage`, ignoring case and white space (even none between
    words: a layout may glue two words where a line broke)."""
    needle = _squeezed(passage)
    return bool(needle) and needle in _squeezed(text)


def found(text: str, passages: Iterable[str]) -> list[str]:
    """The passages `text` still holds."""
    return [passage for passage in passages if contains(text, passage)]

"""Names made from text (file names, heading ids): a word's combining marks belong to the word.

Python's `\\w` holds letters and digits but not combining marks (Unicode's Mn, Mc,
Me), so `[\\W_]+` cut an Arabic word at its shadda (مرّره → مر-ره), a Hindi word
at its vowel signs, a Hebrew one at its points. GitHub's heading ids keep them too.
"""

from __future__ import annotations

import unicodedata


def hyphenated(text: str) -> str:
    """`text`'s runs of letters, digits and marks, in lower case, joined by hyphens; a mark that follows no
    letter (an emoji's variation selector, U+FE0F) starts no word.

    >>> hyphenated("Stop the War!"), hyphenated("مرّره!"), hyphenated("Нет_войне"), hyphenated("🕊\ufe0f")
    ('stop-the-war', 'مرّره', 'нет-войне', '')
    """
    kept = (c if c.isalnum() or _mark(c) else " " for c in text.lower())
    words = ("".join(kept).split())
    return "-".join(word for word in (_without_leading_marks(word) for word in words) if word)


def _mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _without_leading_marks(word: str) -> str:
    while word and _mark(word[0]):
        word = word[1:]
    return word

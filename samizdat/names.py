"""Names made from text (file names, heading ids): a word's combining marks belong to the word.

Python's `\\w` holds letters and digits but not combining marks (Unicode's Mn, Mc,
Me), so `[\\W_]+` cut an Arabic word at its shadda (مرّره → مر-ره), a Hindi word
at its vowel signs, a Hebrew one at its points. GitHub's heading ids keep them too.
"""

from __future__ import annotations

import unicodedata


def hyphenated(text: str) -> str:
    """`text`'s runs of letters, digits and marks, in lower case, joined by hyphens.

    >>> hyphenated("Stop the War!"), hyphenated("مرّره!"), hyphenated("Нет_войне")
    ('stop-the-war', 'مرّره', 'нет-войне')
    """
    kept = (c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text.lower())
    return "-".join("".join(kept).split())

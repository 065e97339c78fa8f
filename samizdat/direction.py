"""Which way a document's language is written, and so which edge its booklets and impositions bind on.

One small table read through one function, so that every stage asks the same
question the same way (the impositions here; the layouts' dir="rtl" through
samizdat.bidi). It imports nothing, so the build's plan can ask before anything renders.

>>> binding("ar"), binding("he-IL"), binding("fa"), binding("en"), binding("ru")
('right', 'right', 'right', 'left', 'left')
"""

from __future__ import annotations

#: The primary language codes written right to left: Arabic, Persian, Hebrew (and its old code iw), Urdu,
#: Yiddish, Pashto, Sindhi, Kurdish Sorani, Uyghur, Dhivehi (samizdat.bidi gives them dir="rtl").
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "iw", "ur", "yi", "ps", "sd", "ckb", "ug", "dv"})


def is_right_to_left(lang: str) -> bool:
    """Whether `lang` (a BCP 47 tag: "ar", "fa-IR") is written right to left."""
    return lang.split("-")[0].lower() in RIGHT_TO_LEFT


def binding(lang: str) -> str:
    """The edge a booklet in `lang` is bound on: "right" for a right-to-left language, else "left"."""
    return "right" if is_right_to_left(lang) else "left"


def direction(lang: str) -> str:
    """The value of HTML's `dir` for `lang`: "rtl" or "ltr". The table holds the languages samizdat has fonts
    for and those it has not yet (Urdu, Yiddish, Pashto…), which get the direction and the mirrored layouts.

    >>> direction("ar-EG"), direction("fa"), direction("en"), direction("ru")
    ('rtl', 'rtl', 'ltr', 'ltr')
    """
    return "rtl" if is_right_to_left(lang) else "ltr"

"""Each language's typographic rules, as data: dashes, no-break spaces, quotation marks, hyphenation limits.

These conventions change spacing and punctuation, never the author's words.
The reference is the npm package typograf 7.8 (https://github.com/typograf/typograf,
`src/data/*.ts` and `src/rules/`): its quotation marks, its Russian rules
`ru/dash/main` (a spaced hyphen or dash becomes U+00A0 + em dash + space),
`ru/dash/directSpeech`, `ru/dash/years`, `ru/nbsp/beforeParticle`,
`ru/nbsp/initials`, `ru/nbsp/afterNumberSign`, its list `ru/shortWord`, and
`common/nbsp/afterShortWord` narrowed to one-letter words (typograf binds every
word of up to two letters, pronouns too: more no-break spaces than a justified
line can bear). Where typograf has no rule for a language (the
dash in uk, be, de, fr, pl; French high punctuation, which typograf removes
the space before) the row follows the language's own house rules, named in
the row's comment. samizdat.punctuation applies a row; the line breaker asks
`rules_for` and `may_hyphenate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"  # NO-BREAK SPACE
NNBSP = "\u202f"  # NARROW NO-BREAK SPACE, French "espace fine insécable"

#: Units and signs bound to the number before them ("10 km", "5 %"), in every language.
COMMON_UNITS = (
    "%", "‰", "°", "°C", "°F", "€", "$", "£", "¥", "₴", "₽", "zł",
    "mm", "cm", "m", "km", "m²", "km²", "ha", "g", "kg", "t", "l", "ml", "s", "min", "h", "kW", "MW", "GW",
)  # fmt: skip

#: Russian, Ukrainian and Belarusian units and abbreviations written after a number ("2012 г.", "5 тыс.").
CYRILLIC_UNITS = (
    "мм", "см", "м", "км", "га", "г", "кг", "т", "л", "мл", "с", "мин", "ч", "год", "года", "лет", "гг", "рр", "р",
    "руб", "коп", "грн", "тыс", "тис", "млн", "млрд", "трлн", "чел", "осіб", "чал",
)  # fmt: skip


@dataclass(frozen=True)
class LanguageRules:
    """One language's conventions; `quotes` is primary open, primary close, secondary open, secondary close."""

    code: str
    quotes: str = "“”‘’"
    #: What a dash written between spaces becomes, and the dashes it replaces there (after markdown-it has made
    #: `--` an en dash and `---` an em dash); the space before it becomes U+00A0, the space after stays.
    dash: str = "–"
    replaced_dashes: str = "-‒–"
    #: Dialogue (ru, uk, be): a dash that opens a paragraph or follows a sentence's end is bound to the next word.
    speech_dash: bool = False
    #: Words of two letters or more bound to the next word, like every one-letter word (lower case).
    short_words: frozenset[str] = frozenset()
    #: Particles bound to the word before them ("сказал бы").
    particles: frozenset[str] = frozenset()
    units: tuple[str, ...] = COMMON_UNITS
    #: The space after № and § ("№ 5").
    sign_space: str = NBSP
    #: Four-digit year ranges before "г." become en dashes (1914–1918 гг.), as typograf's ru/dash/years.
    year_ranges: bool = False
    #: French: the space inside guillemets, and before ; ! ? and before : (none elsewhere).
    quote_space: str = ""
    before_high_punctuation: str = ""
    before_colon: str = ""
    #: The fewest letters a hyphenated word keeps before and after the break, and the shortest word broken.
    hyphenate_left: int = 2
    hyphenate_right: int = 2
    hyphenate_word: int = 5


#: Two-letter prepositions, conjunctions and particles, from typograf's `ru/shortWord` (its words of up to two
#: letters; "ли" is bound to the word before instead, as typograf's ru/nbsp/beforeParticle does).
RU_SHORT = frozenset(["во", "да", "до", "за", "из", "ко", "на", "но", "не", "ни", "об", "от", "по", "со", "то"])
#: The same for Ukrainian and Belarusian, which typograf has no list for (their grammars' short words).
UK_SHORT = frozenset(["на", "до", "за", "із", "зі", "зо", "од", "по", "не", "ні", "та", "чи", "як", "бо", "аж", "ну"])
BE_SHORT = frozenset(["на", "да", "за", "са", "ад", "аб", "па", "не", "ні", "ці", "ды", "бо", "як", "ля", "аж", "ну"])

#: What Russian, Ukrainian and Belarusian share: their units, the narrow space after №, 3 letters each side.
CYRILLIC: dict = {
    "units": COMMON_UNITS + CYRILLIC_UNITS,
    "sign_space": NNBSP,
    "hyphenate_left": 3,
    "hyphenate_right": 3,
    "hyphenate_word": 6,
}

LANGUAGES = {
    # typograf en-US: “…‘…’…”, a spaced hyphen or dash becomes U+00A0 + em dash + space (Chicago closes the em
    # dash up, which would join two words into one; typograf's spaced form keeps the words apart). TeX's
    # English limits: 2 letters before a break, 3 after.
    "en": LanguageRules("en", "“”‘’", "—", "-‒–", hyphenate_left=2, hyphenate_right=3),
    # typograf ru: «…„…“…», ru/dash/main, ru/dash/directSpeech, ru/dash/years, ru/nbsp/*.
    "ru": LanguageRules(
        "ru",
        "«»„“",
        "—",
        "-‒–—",
        speech_dash=True,
        short_words=RU_SHORT,
        particles=frozenset(["ли", "ль", "же", "ж", "бы", "б"]),
        year_ranges=True,
        **CYRILLIC,
    ),  # fmt: skip
    # typograf uk: «…„…“…»; the dash (тире) as in Russian, Ukrainian orthography § 161.
    "uk": LanguageRules(
        "uk",
        "«»„“",
        "—",
        "-‒–—",
        speech_dash=True,
        short_words=UK_SHORT,
        particles=frozenset(["б", "би", "ж", "же"]),
        **CYRILLIC,
    ),  # fmt: skip
    # Belarusian: «…„…“…» (typograf has «…“…”…», the Belarusian academic rules „…“ inside), the dash as in Russian.
    "be": LanguageRules(
        "be",
        "«»„“",
        "—",
        "-‒–—",
        speech_dash=True,
        short_words=BE_SHORT,
        particles=frozenset(["б", "бы", "ж", "жа"]),
        **CYRILLIC,
    ),  # fmt: skip
    # typograf de: „…‚…‘…“; Duden: the Gedankenstrich is a spaced en dash.
    "de": LanguageRules("de", "„“‚‘", "–", "-‒", hyphenate_left=2, hyphenate_right=2),
    # Imprimerie nationale: « … “…” … » (typograf: ‹…› inside) with U+00A0 inside the guillemets (typograf:
    # U+202F), U+202F before ; ! ?, U+00A0 before :, the incise a spaced en dash. TeX French limits 2 and 3.
    "fr": LanguageRules(
        "fr",
        "«»“”",
        "–",
        "-‒",
        quote_space=NBSP,
        before_high_punctuation=NNBSP,
        before_colon=NBSP,
        hyphenate_left=2,
        hyphenate_right=3,
    ),  # fmt: skip
    # typograf pl: „…«…»…”; Polish house style: the myślnik a spaced en dash (półpauza).
    "pl": LanguageRules("pl", "„”«»", "–", "-‒", hyphenate_left=2, hyphenate_right=2),
}

#: Any other language: English quotes, a spaced en dash, one-letter words bound, 3 letters each side of a break
#: (base.css's own limits for p and li).
DEFAULT = LanguageRules("default", "“”‘’", "–", "-‒", hyphenate_left=3, hyphenate_right=3, hyphenate_word=6)

#: A word samizdat never hyphenates: with a digit (numbers, dates), an address (@, /, :, www.) or a dotted name.
UNBREAKABLE = re.compile(r"[\d@/:\\]|www\.|\w\.\w")


def rules_for(lang: str) -> LanguageRules:
    """The row of a language code such as `ru`, `en-GB` or `de-CH` (its primary subtag), else DEFAULT."""
    return LANGUAGES.get(lang.split("-")[0].lower(), DEFAULT)


def may_hyphenate(word: str) -> bool:
    """Whether a line breaker may break `word` with a hyphen: never words in capitals (acronyms, shouted
    headlines: NATO, ООН), numbers, web or e-mail addresses, file names.

    >>> [may_hyphenate(w) for w in ("solidarity", "NATO", "2026-05-01", "www.example.org", "a@b.org", "МВФ")]
    [True, False, False, False, False, False]
    """
    letters = [char for char in word if char.isalpha()]
    if not letters or UNBREAKABLE.search(word):
        return False
    return not (len(letters) > 1 and all(char.isupper() for char in letters))

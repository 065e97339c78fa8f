"""The editions of one text in several languages: what each is called in its own language, and its direction.

Data only (no import of the content stage), so that samizdat.content can give
every `Document` the other editions of its text, and the back cover and the
download page can name them. A language is named as its readers write it
(Русский, not "Russian"): the list is for people looking for their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from samizdat.direction import direction

#: Each language's name in that language, as the back cover and the download page's switcher print it.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "az": "Azərbaycanca",
    "be": "Беларуская",
    "cs": "Čeština",
    "de": "Deutsch",
    "en": "English",
    "es": "Español",
    "fa": "فارسی",
    "fr": "Français",
    "he": "עברית",
    "hy": "Հայերեն",
    "it": "Italiano",
    "ka": "ქართული",
    "kk": "Қазақша",
    "lt": "Lietuvių",
    "lv": "Latviešu",
    "pl": "Polski",
    "pt": "Português",
    "ro": "Română",
    "ru": "Русский",
    "sv": "Svenska",
    "uk": "Українська",
    "uz": "Oʻzbekcha",
}

def language_name(lang: str) -> str:
    """A language's own name; the code itself for a language samizdat has no name for.

    >>> language_name("uk"), language_name("ru-RU"), language_name("xx")
    ('Українська', 'Русский', 'xx')
    """
    return LANGUAGE_NAMES.get(lang.split("-")[0], lang)


@dataclass(frozen=True)
class Edition:
    """One edition of a text, as another edition's back cover and the download page name it."""

    lang: str
    name: str  # the language's own name: Українська
    dir: str  # "rtl" or "ltr"
    original: bool = False  # the edition the others translate

    @classmethod
    def of(cls, lang: str, original: bool = False) -> Edition:
        return cls(lang, language_name(lang), direction(lang), original)

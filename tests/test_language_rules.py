"""Each language's typographic rules, case by case, and in real PDFs: dashes, no-break spaces, nested quotes.

In the tables `~` stands for a no-break space U+00A0 and `^` for a narrow one U+202F.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO

from samizdat.body import markdown_for, smarten
from samizdat.content import load_document
from samizdat.typography import DEFAULT, LANGUAGES, may_hyphenate, rules_for


def spaces(text: str) -> str:
    return text.replace("~", "\u00a0").replace("^", "\u202f")


UNCHANGED = [
    "well-trained из-за всё-таки",
    "2026-05-01 and 12-15",
    "NATO—it was",
    "don’t п’ять пʼять",
    "see https://example.org/a--b?x=1 now",
    "mail me@example.org or www.example.org/a--b",
    "the file report-2026--final.pdf",
]

CASES = [
    # Russian: typograf's ru/dash/main, directSpeech, years, nbsp rules and ru/shortWord.
    ("ru", "Он сказал -- мы", "Он сказал~— мы"),
    ("ru", "война - это мир", "война~— это мир"),
    ("ru", "война — это мир", "война~— это мир"),
    ("ru", "война~— это мир", "война~— это мир"),
    ("ru", "война --- это мир", "война~— это мир"),
    ("ru", "-- Привет, -- сказал он. -- Пойдём.", "—~Привет,~— сказал он. —~Пойдём."),
    ("ru", "отнять у Городка", "отнять у~Городка"),
    ("ru", "и в доме, а не во дворе", "и~в~доме, а~не~во~дворе"),
    ("ru", "Я знаю", "Я~знаю"),
    ("ru", "сказал бы, что пришёл ли он", "сказал~бы, что пришёл~ли он"),
    ("ru", "Если б я знал", "Если~б~я~знал"),
    ("ru", "А. С. Пушкин", "А.~С.~Пушкин"),
    ("ru", "Пушкин А. С. писал", "Пушкин А.~С. писал"),
    ("ru", "10 км, 5 % и 20 000 человек", "10~км, 5~% и~20~000 человек"),
    ("ru", "2 млн руб. в 2012 г.", "2~млн руб. в~2012~г."),
    ("ru", "№ 5 и § 3, №7", "№^5 и~§^3, №^7"),
    ("ru", "в 1914-1918 гг.", "в~1914–1918~гг."),
    ("ru", "1918-1914 гг.", "1918-1914~гг."),
    ("ru", '"мы "не" пойдём"', "«мы „не“ пойдём»"),
    ("ru", '«мы "не" пойдём»', "«мы „не“ пойдём»"),
    ("ru", "«мы „не“ пойдём»", "«мы „не“ пойдём»"),
    ("ru", "'так'", "„так“"),
    ("ru", "Он ушёл...", "Он ушёл…"),
    ("ru", "Москва--Петербург", "Москва–Петербург"),
    # Ukrainian: the dash and quotes as in Russian, its own short words.
    ("uk", "Він сказав - так", "Він сказав~— так"),
    ("uk", "Він сказав -- так", "Він сказав~— так"),
    ("uk", "і в домі, й у полі", "і~в~домі, й~у~полі"),
    ("uk", "чи не так, та й годі", "чи~не~так, та~й~годі"),
    ("uk", "п'ять і м'ята", "п’ять і~м’ята"),
    ("uk", '"так "ні" може"', "«так „ні“ може»"),
    ("uk", "Т. Г. Шевченко", "Т.~Г.~Шевченко"),
    ("uk", "5 тис. осіб", "5~тис. осіб"),
    ("uk", "-- Ходімо, -- сказала вона.", "—~Ходімо,~— сказала вона."),
    # Belarusian.
    ("be", "Ён сказаў - так", "Ён сказаў~— так"),
    ("be", "і ў хаце, а не на полі", "і~ў~хаце, а~не~на~полі"),
    ("be", '"так "не" можа"', "«так „не“ можа»"),
    ("be", "Я. Купала", "Я.~Купала"),
    # English: typograf's en-US/dash/main; one-letter words ("a", "I") held to the next word.
    ("en", "war - peace", "war~— peace"),
    ("en", "war -- peace", "war~— peace"),
    ("en", "war --- peace", "war~— peace"),
    ("en", "war – peace", "war~— peace"),
    ("en", "1914--1918", "1914–1918"),
    ("en", "a dog and I think", "a~dog and I~think"),
    ("en", "A victory for us", "A~victory for us"),
    ("en", "J. R. Smith and T. Paine", "J.~R.~Smith and T.~Paine"),
    ("en", '"yes "no" maybe"', "“yes ‘no’ maybe”"),
    ("en", "“Already” right", "“Already” right"),
    ("en", "don't, the '90s, the students' books", "don’t, the ’90s, the students’ books"),
    ("en", "10 km, 5 % and 20 000 people", "10~km, 5~% and 20~000 people"),
    ("en", "go... (c) 2026", "go… © 2026"),
    ("en", "e.g. a plan", "e.g. a~plan"),
    # German: Duden's spaced en dash, typograf's „…‚…‘…“.
    ("de", "Er kam - und ging", "Er kam~– und ging"),
    ("de", "Er kam -- und ging", "Er kam~– und ging"),
    ("de", '"ja "nein" vielleicht"', "„ja ‚nein‘ vielleicht“"),
    ("de", "A. Merkel", "A.~Merkel"),
    # French: Imprimerie nationale's spaces.
    ("fr", 'Il dit "oui "non" peut-être"', "Il dit «~oui “non” peut-être~»"),
    ("fr", "« déjà »", "«~déjà~»"),
    ("fr", "Quoi ? Voilà : fin !", "Quoi^? Voilà~: fin^!"),
    ("fr", "Quoi?! Non;", "Quoi^?! Non^;"),
    ("fr", "À 10:30, article 2 : fin", "À~10:30, article 2~: fin"),
    ("fr", "guerre - paix", "guerre~– paix"),
    # Polish: typograf's „…«…»…”, the spaced półpauza, the one-letter words.
    ("pl", "On mówi - tak", "On mówi~– tak"),
    ("pl", '"tak "nie" może"', "„tak «nie» może”"),
    ("pl", "i w domu, a z nami", "i~w~domu, a~z~nami"),
    # Any other language: English quotes, one-letter words.
    ("es", '"sí" a la casa', "“sí” a~la casa"),
    *[(lang, text, text) for lang in ("en", "ru", "uk", "de", "fr") for text in UNCHANGED],
]


@pytest.mark.parametrize(("lang", "source", "expected"), CASES)
def test_front_matter_and_body_get_the_same_rules(tmp_path: Path, lang: str, source: str, expected: str):
    markdown = markdown_for(lang)
    assert smarten(markdown, spaces(source)) == spaces(expected)
    html = markdown.render(spaces(source)).strip()
    assert html == f"<p>{spaces(expected)}</p>".replace('"', "&quot;")


#: A code block as samizdat.blocks sets it: a span per line, the language's rules left out.
CODE_LINE = '<pre><code><span class="line" data-indent="0">&quot;x&quot; -- в доме</span></code></pre>'

BODY_CASES = [
    ("ru", '"Он *сказал "нет"*"', "<p>«Он <em>сказал „нет“</em>»</p>"),
    ("ru", '**"Нет** войне"', "<p><strong>«Нет</strong> войне»</p>"),
    ("ru", "отнять у\nГородка", "<p>отнять у~Городка</p>"),
    ("ru", "отнять *у* Городка", "<p>отнять <em>у</em>~Городка</p>"),
    ("ru", "слово\n-- это", "<p>слово~— это</p>"),
    ("ru", "слово\n*— это*", "<p>слово~<em>— это</em></p>"),
    ("ru", "А.\nС. Пушкин", "<p>А.~С.~Пушкин</p>"),
    ("ru", 'и `a -- "b"`', "<p>и~<code>a -- &quot;b&quot;</code></p>"),
    ("ru", '```\n"x" -- в доме\n```', CODE_LINE),
    ("ru", '    "x" -- в доме', CODE_LINE),
    (
        "ru",
        "<https://example.org/a--b>",
        '<p><a href="https://example.org/a--b" class="address">https://example.org/a--b</a></p>',
    ),
    ("ru", '[и "да"](https://example.org/a--b)', '<p><a href="https://example.org/a--b">и~«да»</a></p>'),
    ("ru", "## А и Б", '<h2 id="а-и-б" data-bookmark="А и Б" data-running-head="А~и~Б">А~и~Б</h2>'),
    ("fr", "«*mot* » et *Note*: *quoi* ?", "<p>«~<em>mot</em>~» et <em>Note</em>~: <em>quoi</em>^?</p>"),
    ("en", "- I said - no", "<ul>\n<li>I~said~— no</li>\n</ul>"),
    ("en", '> "a "b" c"', "<blockquote>\n<p>“a~‘b’ c”</p>\n</blockquote>"),
]


@pytest.mark.parametrize(("lang", "source", "expected"), BODY_CASES)
def test_rules_cross_emphasis_and_leave_code_and_addresses_alone(lang: str, source: str, expected: str):
    assert markdown_for(lang).render(source).strip() == spaces(expected)


def test_front_matter_fields_are_typeset_like_the_body(tmp_path: Path):
    path = tmp_path / "leaflet.md"
    path.write_text(
        "---\ntitle: 'Нет войне -- \"мы \"не\" сдадимся\"'\nsubtitle: 'О войне и мире'\nauthor: 'А. С. Иванов'\n"
        "lang: ru\nslogans:\n  - 'Свободу и мир!'\nimprint: 'Тираж 5 000 экз.'\n---\n\nТекст.\n",
        encoding="utf-8",
    )
    document = load_document(path)
    assert document.title == spaces("Нет войне~— «мы „не“ сдадимся»")
    assert document.subtitle == spaces("О~войне и~мире")
    assert document.author == spaces("А.~С.~Иванов")
    assert document.slogans == (spaces("Свободу и~мир!"),)
    assert document.imprint == spaces("Тираж 5~000 экз.")


@pytest.mark.parametrize(
    ("lang", "left", "right"),
    [("ru", 3, 3), ("uk", 3, 3), ("be", 3, 3), ("en", 2, 3), ("en-GB", 2, 3), ("de-CH", 2, 2), ("xx", 3, 3)],
)
def test_hyphenation_limits(lang: str, left: int, right: int):
    rules = rules_for(lang)
    assert (rules.hyphenate_left, rules.hyphenate_right) == (left, right)


@pytest.mark.parametrize(
    ("word", "allowed"),
    [
        ("solidarity", True),
        ("солидарность", True),
        ("Ukraine’s", True),
        ("well-trained", True),
        ("NATO", False),
        ("ООН", False),
        ("OVD-Info", True),
        ("2026-05-01", False),
        ("18,500", False),
        ("https://example.org", False),
        ("www.example.org", False),
        ("me@example.org", False),
        ("report.pdf", False),
    ],
)
def test_may_hyphenate(word: str, allowed: bool):
    assert may_hyphenate(word) is allowed


def test_the_stylesheet_carries_each_languages_hyphenation_limits():
    css = (REPO / "layouts" / "base" / "base.css").read_text()
    for code, rules in LANGUAGES.items():
        limits = f"{rules.hyphenate_word} {rules.hyphenate_left} {rules.hyphenate_right}"
        assert re.search(rf":lang\({code}\)[^{{]*\{{[^}}]*hyphenate-limit-chars: {limits};", css), code
    default = f"{DEFAULT.hyphenate_word} {DEFAULT.hyphenate_left} {DEFAULT.hyphenate_right}"
    assert re.search(rf"\np, li \{{[^}}]*hyphenate-limit-chars: {default};", css)


RENDERED = {
    "ru": (
        "Мы пришли в город и увидели, что у людей нет ни воды, ни света, а к зиме не будет и тепла. "
        "Солидарность -- это не лозунг, а работа: {q}. Я знаю, что в беде и с бедой к нам придут, "
        "и у каждого из нас есть долг. О нас скажут, что мы были с ними и в горе, и в радости. ",
        '"мы "не" сдадимся"',
        "«мы „не“ сдадимся»",
        [
            "Вода и свет в каждый дом, и тепло к зиме в каждой школе, а не обещания о воде и свете",
            "Помощь у нас и у них, в городе и в селе, с нами и с ними, к весне и к лету",
            "Я с вами, и вы с нами: о мире и о хлебе, о труде и о праве, а не о войне",
        ],
    ),
    "uk": (
        "Ми прийшли в місто й побачили, що у людей немає ні води, ні світла, а до зими не буде й тепла. "
        "Солідарність -- це не гасло, а праця: {q}. Я знаю, що в біді і з бідою до нас прийдуть, "
        "і в кожного з нас є обов'язок. Про нас скажуть, що ми були з ними і в горі, і в радості. ",
        '"ми "не" здамося"',
        "«ми „не“ здамося»",
        [
            "Вода і світло в кожен дім, і тепло до зими в кожній школі, а не обіцянки про воду й світло",
            "Допомога у нас і в них, у місті й у селі, з нами і з ними, до весни й до літа",
            "Я з вами, і ви з нами: о мирі й о хлібі, про працю і про право, а не про війну",
        ],
    ),
}


@pytest.mark.parametrize("lang", RENDERED)
def test_rendered_pdf_has_spaced_dashes_nested_quotes_and_no_one_letter_word_at_a_line_end(workspace, lang):
    sentence, source_quote, printed_quote, demands = RENDERED[lang]
    body = "\n\n".join((sentence * 4).format(q=source_quote) for _ in range(6))
    body += "\n\n::: demands\n" + "".join(f"- {demand}\n" for demand in demands * 3) + ":::\n"
    front = f"---\ntitle: Проверка и ещё раз\nauthor: Коллектив\nlang: {lang}\n---\n\n"
    workspace.write(f"{lang}-rules.md", front + body)
    assert workspace.build().code == 0
    with pdfplumber.open(workspace.pdf(f"{lang}-rules")) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines(strip=True)]
    text = re.sub(r"\s+", " ", " ".join(lines))
    assert printed_quote in text and '"' not in text
    assert re.search(r"\w\s— \w", text) and " – " not in text and " - " not in text
    assert not [line for line in lines if re.search(r"(^|\s)[^\W\d_]$", line)]
    assert len(lines) > 60  # enough lines that one-letter words would otherwise end some of them


POSTER_SLOGANS = ["Хлеб и мир, а не война и страх", "Свобода и труд, к нам и к вам", "Я с вами, и вы с нами"]


def test_posters_keep_one_letter_words_with_the_next_word(workspace):
    slogans = "".join(f"  - '{slogan}'\n" for slogan in POSTER_SLOGANS)
    front = f"---\ntitle: Лозунги\nauthor: Коллектив\nlang: ru\nslogans:\n{slogans}---\n"
    workspace.write("posters.md", front + "\nТекст.\n")
    assert workspace.build().code == 0
    ends, paths = [], sorted((workspace.output / "posters" / "posters").glob("*-a3.pdf"))
    assert len(paths) == len(POSTER_SLOGANS)
    for path in paths:
        with pdfplumber.open(path) as pdf:
            lines = [line["text"] for line in pdf.pages[0].extract_text_lines(strip=True) if line["x0"] >= 0]
        ends += [line for line in lines if re.search(r"(^|\s)[^\W\d_]$", line)]
        assert len(lines) >= 3, lines  # broken into lines at all
    assert ends == []


def test_weasyprint_never_hyphenates_a_web_address(workspace):
    body = " ".join(["See <https://internationalisationsolidarity.example.org> now;"] * 40)
    workspace.write("addresses.md", f"---\ntitle: Addresses\nauthor: Collective\nlang: en\n---\n\n{body}\n")
    assert workspace.build().code == 0
    with pdfplumber.open(workspace.pdf("addresses")) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines(strip=True)]
    assert sum("example" in line for line in lines) > 10
    assert [line for line in lines if line.endswith("\u2010")] == []


@pytest.mark.parametrize(
    "body",
    ["a" * 100_000, "a." * 50_000, "*" * 50_000 + "a" + "*" * 50_000, "[](x)" * 20_000, "в " * 50_000, '"' * 100_000],
    ids=["long word", "dotted", "nested emphasis", "empty links", "one-letter words", "quotes"],
)
def test_the_rules_take_linear_time_on_hostile_text(body: str):
    """A regex that backtracks over a long word would take minutes here (the limit is 1 MB of text)."""
    started = time.monotonic()
    markdown_for("ru").render(body)
    assert time.monotonic() - started < 10

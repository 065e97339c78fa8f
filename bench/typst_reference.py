"""The reference: a samizdat document's body set by Typst in the A5 pamphlet's type, measure and text block.

Typst breaks paragraphs as a whole (Knuth–Plass) and hyphenates with its own
patterns for the language. It gets the same words as samizdat, through the
same Markdown parser with samizdat's quotes and dashes (samizdat.body), as
string literals (so no character of the text is read as Typst markup), with
no-break spaces and soft hyphens turned back into what the author typed: the
figures compare the line breaking, and where Typst has no rule (one-letter
words at line ends) it should show. The page follows layouts/base/tokens.css
and layouts/pamphlet/pamphlet.css: A5, margins 17/19 mm top and bottom, 18 mm
inner and 14 mm outer (a 116 mm measure), Charis SIL 10 pt on a 13.6 pt
baseline grid, justified and hyphenated, a 1.2em first-line indent except
after a heading or a block, Noto Sans bold 12 pt headings, the demands in a
ragged panel indented as samizdat's is. Typst's own defaults stay (its
penalties for runts, widows and orphans, its hanging punctuation). Line boxes
are given the CSS line box's height (10.6 pt above the baseline, 3 pt below;
15 pt for a heading), so that the baselines fall where WeasyPrint puts them:
the first 10.6 pt below the margin, a heading 32 pt below the line before it
and 19.4 pt above the line after (checked on the A5 PDFs), and pages end on
the same lines when the lines are the same.
"""

from __future__ import annotations

from pathlib import Path

import typst
import yaml

from samizdat.body import markdown_for

REPO = Path(__file__).resolve().parents[1]
FONTS = [REPO / "fonts" / "charis-sil", REPO / "fonts" / "noto-sans"]

PREAMBLE = """\
#set page(width: 148mm, height: 210mm, binding: left,
  margin: (inside: 18mm, outside: 14mm, top: 17mm, bottom: 19mm))
#set text(font: "Charis SIL", size: 10pt, lang: "{lang}", hyphenate: true,
  top-edge: 10.6pt, bottom-edge: -3pt)
#set par(justify: true, leading: 0pt, spacing: 0pt, first-line-indent: (amount: 1.2em, all: false))
#show heading: it => block(above: 16.8pt, below: 6pt, sticky: true, {{
  set text(font: "Noto Sans", size: 12pt, weight: "bold", hyphenate: false, top-edge: 12.2pt, bottom-edge: -2.8pt)
  set par(justify: false, leading: 0pt)
  it.body
}})
#let demands(body) = block(inset: (left: 8.5pt, right: 8pt, top: 5pt, bottom: 5pt), above: 8pt, below: 8pt, {{
  set par(justify: false)
  set list(indent: 0pt, body-indent: 6pt)
  body
}})

"""


#: Whether Typst gets samizdat's no-break spaces (the language's rules) or ordinary spaces (its own defaults).
KEEP_NO_BREAK_SPACES = False


def literal(text: str) -> str:
    """Text as a Typst string literal, no-break spaces as spaces (unless kept) and soft hyphens left out."""
    if not KEEP_NO_BREAK_SPACES:
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u00ad", "")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inline(children: list) -> str:
    """A paragraph's or heading's inline tokens as Typst code: strings, emph() and strong() around them."""
    pieces, closing = [], []
    for token in children:
        if token.type in ("text", "code_inline"):
            pieces.append(literal(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append('" "')
        elif token.type in ("em_open", "strong_open"):
            pieces.append(("emph" if token.type == "em_open" else "strong") + "({")
            closing.append("})")
        elif token.type in ("em_close", "strong_close") and closing:
            pieces.append(closing.pop())
    return "#{" + "; ".join(pieces).replace("({; ", "({").replace("; })", "})") + "}"


def typst_source(markdown_text: str) -> str:
    """A samizdat document (front matter + Markdown) as a Typst document of its body."""
    _, front, body = markdown_text.split("---\n", 2)
    lang = yaml.safe_load(front)["lang"]
    lines = [PREAMBLE.format(lang=lang)]
    tokens = markdown_for(lang).parse(body)
    in_item = False
    for index, token in enumerate(tokens):
        if token.type.startswith("container_") and token.type.endswith("_open"):
            lines.append("#demands[")
        elif token.type.startswith("container_") and token.type.endswith("_close"):
            lines.append("]\n")
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "list_item_close":
            in_item = False
        elif token.type == "inline":
            opener = tokens[index - 1]
            text = inline(token.children or [])
            if opener.type == "heading_open":
                lines.append(f"#heading(level: {int(opener.tag[1])}, {text[1:]})\n")
            else:
                lines.append(("- " if in_item else "") + text + ("" if in_item else "\n"))
    return "\n".join(lines) + "\n"


def typeset(markdown_text: str, pdf: Path, keep_no_break_spaces: bool = False) -> Path:
    """Set the document with Typst into `pdf`, with only the shipped fonts; with `keep_no_break_spaces`, bound
    by the same no-break spaces as samizdat (one- and two-letter words held to the next)."""
    global KEEP_NO_BREAK_SPACES
    source = pdf.with_suffix(".typ")
    KEEP_NO_BREAK_SPACES = keep_no_break_spaces
    try:
        source.write_text(typst_source(markdown_text), encoding="utf-8")
    finally:
        KEEP_NO_BREAK_SPACES = False
    typst.compile(str(source), output=str(pdf), font_paths=[str(path) for path in FONTS], ignore_system_fonts=True)
    return pdf

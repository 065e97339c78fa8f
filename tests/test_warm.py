"""A warm worker's renders share one FontConfiguration per set of stylesheets and fonts (samizdat.warm): what
one render declares never reaches another, a font replaced is loaded again, and the bytes are a cold render's."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from samizdat import fonts as samizdat_fonts
from samizdat import warm
from samizdat.pdf import lay_out, write_pdf

CHARIS = "charis-sil/CharisSIL-Regular.ttf"
NOTO = "noto-sans/NotoSans-Regular.ttf"


def page(font_file: str, text: str = "Warm workers") -> str:
    """A page whose only font is `font_file`, declared in the page itself under the family name Body."""
    return (
        '<html lang="en"><head><style>@font-face { font-family: Body; src: url(../fonts/' + font_file + "); }"
        "body { font-family: Body; }</style></head><body><p>" + text + "</p></body></html>"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project with two fonts, laid out in a warm process (as a build's worker is); cold again afterwards."""
    for name in (CHARIS, NOTO):
        (tmp_path / "fonts" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(samizdat_fonts.__file__).parent / "fonts" / name, tmp_path / "fonts" / name)
    (tmp_path / "content").mkdir()
    monkeypatch.setattr(samizdat_fonts, "_WARM", [True])
    monkeypatch.setattr(warm, "_FONT_CONFIGURATIONS", {})
    return tmp_path


def families(path: Path) -> list[str]:
    """The family each embedded font file names itself by (WeasyPrint names them all "Body" in the PDF)."""
    found = []
    for font in PdfReader(path).pages[0]["/Resources"]["/Font"].values():
        for descendant in font.get_object().get("/DescendantFonts", []):
            data = descendant.get_object()["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            found.append(TTFont(io.BytesIO(data))["name"].getDebugName(1))
    return found


def render(project: Path, html: str, into: Path) -> Path:
    layout = lay_out(html, base_url=(project / "content" / "x.md").as_uri(), allowed_dirs=[project],
                     fonts_dir=project / "fonts")  # fmt: skip
    into.write_bytes(write_pdf(layout))
    return into


@pytest.mark.parametrize(
    ("first", "second", "embedded"),
    [
        (CHARIS, NOTO, "Noto Sans"),  # the same family declared again, from another file: never the first's
        (NOTO, CHARIS, "Charis SIL"),
        (CHARIS, CHARIS, "Charis SIL"),  # the same declaration: the shared configuration serves it
    ],
)
def test_what_one_render_declares_never_reaches_another(project: Path, first: str, second: str, embedded: str):
    render(project, page(first), project / "first.pdf")
    assert families(render(project, page(second), project / "second.pdf")) == [embedded]
    assert len(warm._FONT_CONFIGURATIONS) == (1 if first == second else 2)


def test_a_shared_configuration_gives_a_cold_renders_bytes(project: Path, monkeypatch):
    shared = [render(project, page(CHARIS, text), project / f"warm-{number}.pdf").read_bytes()
            for number, text in enumerate(["Warm workers", "Warm workers", "Other words"])]  # fmt: skip
    assert len(warm._FONT_CONFIGURATIONS) == 1
    monkeypatch.setattr(samizdat_fonts, "_WARM", [])
    cold = [render(project, page(CHARIS, text), project / f"cold-{number}.pdf").read_bytes()
            for number, text in enumerate(["Warm workers", "Other words"])]  # fmt: skip
    assert shared[0] == shared[1] == cold[0] and shared[2] == cold[1]


def test_a_font_replaced_is_loaded_again(project: Path):
    render(project, page(CHARIS), project / "before.pdf")
    shutil.copy2(project / "fonts" / NOTO, project / "fonts" / CHARIS)  # another font under the same name
    assert families(render(project, page(CHARIS), project / "after.pdf")) == ["Noto Sans"]
    assert len(warm._FONT_CONFIGURATIONS) == 2


def linking(project: Path, *sheets: str, text: str = "Warm workers") -> str:
    """A page that links `sheets` of the project's layouts/ (as the pamphlet links base/fonts.css and its own)."""
    links = "".join(f'<link rel="stylesheet" href="{(project / "layouts").resolve().as_uri()}/{sheet}">'
                    for sheet in sheets)  # fmt: skip
    return f'<html lang="en"><head>{links}</head><body><p>{text}</p></body></html>'


def sheets(project: Path, **texts: str) -> None:
    for name, text in texts.items():
        path = project / "layouts" / f"{name}.css"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def face(font_file: str) -> str:
    return "@font-face { font-family: Body; src: url(../fonts/" + font_file + "); } body { font-family: Body; }"


def test_an_edition_that_adds_a_stylesheet_of_sizes_shares_the_pamphlets_faces(project: Path, monkeypatch):
    """A stylesheet with no face (large print's sizes, the copier's colours) leaves the configuration shared,
    and the bytes are a cold render's."""
    sheets(project, faces=face(CHARIS), sizes="p { font-size: 20pt; color: #333; }")
    render(project, linking(project, "faces.css"), project / "pamphlet.pdf")
    warm_bytes = render(project, linking(project, "faces.css", "sizes.css"), project / "edition.pdf").read_bytes()
    assert len(warm._FONT_CONFIGURATIONS) == 1
    monkeypatch.setattr(samizdat_fonts, "_WARM", [])
    cold = render(project, linking(project, "faces.css", "sizes.css"), project / "cold.pdf").read_bytes()
    assert warm_bytes == cold


EXTRA = "@font-face { font-family: Extra; src: url(../fonts/" + NOTO + "); } p { font-family: Extra, Body; }"


@pytest.mark.parametrize(
    "other",
    [
        EXTRA,
        "@import url(extra.css);",  # a face imported
        EXTRA.replace("@font-face", "@f\\6f nt-face"),  # the rule's name escaped is the rule
    ],
)
def test_a_stylesheet_that_may_declare_a_face_gets_a_configuration_of_its_own(project: Path, other: str):
    """Had `other` shared the first render's configuration, Extra would be undeclared and Body (Charis) used."""
    sheets(project, faces=face(CHARIS), colours="p { color: #333; }", other=other, extra=EXTRA)
    assert families(render(project, linking(project, "faces.css", "colours.css"), project / "a.pdf")) == ["Charis SIL"]
    assert families(render(project, linking(project, "faces.css", "other.css"), project / "b.pdf")) == ["Noto Sans"]
    assert len(warm._FONT_CONFIGURATIONS) == 2

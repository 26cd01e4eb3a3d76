"""Round trip through LibreOffice (issue 6, part 4): every document kind, rendered from the
bundled examples and from the nastiest proposals the property tests know, opens in
LibreOffice and becomes a PDF (one soffice process for all of them), and the PDF's text holds
the proposal titles.

pdftotext reads a Title-styled line of Arabic glyph by glyph (",م,,ل,..." around bidi marks,
though LibreOffice draws it joined, as it should); the case paper also quotes the title in
its Indstilling, which is read in logical order, so the whole PDF text is searched.

Comparing PDF text: pdftotext reads what LibreOffice laid out, so both sides are compared as
`pdf_words`: NFKC (pdftotext may give composed or presentation forms), without whitespace,
hyphens and soft hyphens (lines wrap, LibreOffice may hyphenate), and without the characters
no installed font can draw (emoji and other symbols, category So/Sk) or that are invisible
(format characters such as ZWJ and the bidi marks pdftotext adds around RTL runs, Cf). That
those survive into the .docx is what tests/test_properties.py checks. The case paper's Title
paragraph and the catalogue's headings span the page and are compared whole; in the narrow
table columns of the action plan, the follow-up overview and the committee case a title
wraps, so there its first 12 characters are compared.
"""

from __future__ import annotations

import shutil
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest

from sagsgenerator.documents import render_documents
from sagsgenerator.documents import udvalgssag
from sagsgenerator.render import office
from sagsgenerator.render.context import batch_items
from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.validation.validate import validate_paths

import strategies as s
from conftest import proposal, write_intake

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "input" / "boern-og-unge.xlsx", ROOT / "input" / "kronisk-sygdom.xlsx"]

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None,
                       reason="LibreOffice (soffice) er ikke installeret: ingen PDF-rundtur"),
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="pdftotext (poppler-utils) er ikke installeret: PDF'ens tekst "
                              "kan ikke læses"),
]

LONG_WORD = "Sundhedsfremmeforebyggelsesindsatsevalueringsrapport" * 6   # 312 letters
NASTY_GROUP = {
    "Arbejdsgruppe": s.excel_text("Sundt arbejdsliv ✨ & <Ærø> {{ gruppe }} עברית"),
    "Fokusområde": "Sundt arbejdsliv",
    "Tovholder": s.excel_text("Zoë Ñúñez-Ødegård 👩‍⚕️"),
    "E-mail": None,
    "Udvalg": "Byrådet",
    "Dato": None,
}
NASTY = [  # (changes to the valid conftest row, by header) typed as a user would
    {"Titel": "Sund kost 🍎🥦 for alle 👩\u200d👩\u200d👧 – også i 🇩🇰",
     "Resumé (ca. ½ side)": "Emoji i resuméet 😀 og i listen.",
     "Målindikatorer": "Andel 👍\nAntal 🏃\u200d♀️"},
    {"Titel": "Sundhed مرحبا بالعالم og שלום for alle \u200f(RTL)\u200e",
     "Formål og forventet effekt": "عربي في سطر\nעברית בשורה\nDansk linje \u202eomvendt\u202c"},
    {"Titel": "Cafe\u0301 og Ærø – a\u0308\u0304 Z\u0351\u0360 med kombinerende tegn",
     "Målgruppe": "Zalgo: Z\u0351\u0360\u0322a\u0308l\u0301g\u0300o"},
    {"Titel": 'Mad & motion <for> "alle" \'unge\' ]]> &amp; <w:t>',
     "Indhold og rammer": "<![CDATA[ x ]]> & < > \" ' &#0; <?xml ?>"},
    {"Titel": "Plan {{ p.title }} {% if x %} {_{ y }_} {# note #}",
     "Mål": "{%p for x in y %}{{ x }}{%p endfor %}",
     "Monitorering og evaluering": "{%tr for r in rows %} {{ 7*7 }} {_% z %_}"},
    {"Titel": "=SUM(A1:A3) er ikke en formel, =1+1 heller ikke",
     "Formål og forventet effekt": "=HYPERLINK(\"http://x\";\"klik\")",
     "Projektejer": "+45 12 34 56 78"},
    {"Titel": "Lang titel " + "Sundhedsfremme for børn og unge i hele kommunen " * 2
     + "med lange ord",
     "Resumé (ca. ½ side)": ("Et langt resumé med mange sætninger om indsatsen. " * 36).strip(),
     "Formål og forventet effekt": (LONG_WORD + "\n") + ("Formålet er beskrevet grundigt. " * 200),
     "Indhold og rammer": "\n".join(f"Linje {n}: indhold\tmed tabulator" for n in range(1, 40)),
     "Målindikatorer": "\n".join(f"Indikator {n}" for n in range(1, 25)),
     "Udførende og samarbejdspartnere": LONG_WORD},
    {"Titel": "Linjeskift\ni titlen og\r\nstyretegn\x07 fjernes",
     "Formål og forventet effekt": "Første afsnit\n\nAndet afsnit\r\nTredje\x0blinje\x01",
     "Målgruppe": "  \u00a0indrykket med blanktegn\u3000  "},
    {"Titel": "Udviklingsforslag uden valgfrie felter",
     "Forslagstype": "Udviklingsforslag", "Forebyggelsespakke": None, "Tema": None,
     "Udførende og samarbejdspartnere": None, "Projektejer": None, "Opstart": None,
     "Opfølgning": None, "Prioritet": None, "Status": None,
     "Ressourcer opstart (kr.)": 0, "Ressourcer drift pr. år (kr.)": "0 kr."},
]


def pdf_words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and c not in "-\u00ad\u2010\u2011"
                   and unicodedata.category(c) not in ("So", "Sk", "Cf", "Cc"))


def pdf_text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, text=True, check=True)
    return pdf_words(result.stdout)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """The examples and the nasty workbook as one batch: every kind rendered, then every .docx
    converted to PDF by one soffice process."""
    folder = tmp_path_factory.mktemp("rundtur")
    rows = []
    for n, changes in enumerate(NASTY, start=1):
        row = proposal(n, **{h: s.excel_text(v) if isinstance(v, str) else v
                             for h, v in changes.items()})
        rows.append({h: v for h, v in row.items() if v is not None})
    nasty = write_intake(folder / "svaere-tilfaelde.xlsx", rows, NASTY_GROUP)
    report, intakes = validate_paths([*EXAMPLES, nasty], workers=1)
    written = render_documents(intakes, folder / "ud", workers=1)

    calls = []
    popen = subprocess.Popen

    class Counting(popen):
        def __init__(self, command, *args, **kwargs):
            if any("soffice" in str(part) for part in command) and "probe" not in command:
                calls.append(command)
            super().__init__(command, *args, **kwargs)

    documents = [p for p in written if p.suffix == ".docx"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(office.subprocess, "Popen", Counting)
        pdfs = office.convert_to_pdf(documents, folder / "pdf")
    return report, intakes, documents, pdfs, calls


def test_every_document_becomes_a_pdf_in_one_libreoffice_run(round_trip):
    report, intakes, documents, pdfs, calls = round_trip
    # The pool: at most one LibreOffice per core for the whole batch, not one per document.
    assert 1 <= len(calls) <= (os.cpu_count() or 1), calls
    assert report.rows_read == report.rows_valid  # nothing lost on the way
    assert [len(i.proposals) for i in intakes][-1] == len(NASTY)
    kinds = {p.name.split("-")[0].removesuffix(".docx") for p in documents}
    assert kinds == {"sagsfremstilling", "idekatalog", "handleplan", "opfoelgning", "udvalgssag"}
    assert [p.stem for p in pdfs] == [p.stem for p in documents]
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF"), pdf.name
        assert "Side1af" in pdf_text(pdf), pdf.name  # the footer's page field was laid out


def test_nasty_titles_are_read_as_typed(round_trip):
    report, intakes, *_ = round_trip
    nasty = next(i for i in intakes if i.path.name == "svaere-tilfaelde.xlsx")
    assert [p.title for p in nasty.proposals] == [s.normalise(c["Titel"])[0] for c in NASTY]
    assert {f.code for f in report.findings if f.location.file == str(nasty.path)} <= {
        "control-removed", "proposal-count", "proposal-too-long", "summary-too-long",
        "theme-missing", "followup-undated", "start-missing-prioritised"}
    assert nasty.group.name == s.normalise(NASTY_GROUP["Arbejdsgruppe"])[0]


def test_pdfs_hold_every_title(round_trip):
    _, intakes, documents, pdfs, _ = round_trip
    text = {pdf.stem: pdf_text(pdf) for pdf in pdfs}
    items = batch_items(intakes, DEFAULT_CONFIG)
    cases = [p.stem for p in documents if p.name.startswith("sagsfremstilling-")]
    for item, case in zip(items, cases, strict=True):  # one case paper per item, in order
        title = pdf_words(item.proposal.title)
        assert title, item.proposal.title
        assert title in text[case], (case, item.proposal.title)
        # The catalogue numbers proposals uniquely across groups (BU-1 ...).
        assert pdf_words(item.display_number) in text["idekatalog"], item.display_number
        assert title[:12] in text["idekatalog"], item.proposal.title
        assert title[:12] in text["opfoelgning"], item.proposal.title
        assert title[:12] in text["handleplan"], item.proposal.title
    for committee, members in udvalgssag.committees(items, DEFAULT_CONFIG):
        paper = text[Path(udvalgssag.file_name(committee)).stem]
        prioritised = [i for i in members if i.prioritised]   # by status, not a priority alone
        for item in prioritised or members:
            assert pdf_words(item.proposal.title)[:12] in paper, (committee, item.proposal.title)

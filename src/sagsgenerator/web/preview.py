"""A preview of a document's first page: a PNG through LibreOffice and pdftoppm when both
are installed, else an HTML rendering of the same content read back with python-docx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from markupsafe import Markup, escape

from ..render.office import find_soffice

PNG_RESOLUTION = 50
LINES_PER_PAGE = 46          # A4 in 11 pt with the templates' margins, roughly
CHARS_PER_LINE = 90


def png_tools() -> bool:
    """True when a PNG preview can be made (LibreOffice and poppler's pdftoppm)."""
    return find_soffice() is not None and shutil.which("pdftoppm") is not None


def first_page_png(pdf: Path, target: Path, timeout: float = 60) -> Path | None:
    """The first page of `pdf` as a PNG at `target`; None when pdftoppm fails."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    stem = target.with_suffix("")
    try:
        subprocess.run([pdftoppm, "-png", "-f", "1", "-l", "1", "-r", str(PNG_RESOLUTION),
                        "-singlefile", str(pdf), str(stem)],
                       capture_output=True, timeout=timeout, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    made = stem.with_suffix(".png")
    return made if made.is_file() and made.stat().st_size else None


HEADINGS = {"Title": ("p", "doc-title"), "Heading 1": ("p", "doc-h1"),
            "Heading 2": ("p", "doc-h2"), "Heading 3": ("p", "doc-h3"),
            "Heading 4": ("p", "doc-h3")}


def _page_break(paragraph: Paragraph) -> tuple[bool, bool]:
    """(break before, break after) this paragraph."""
    element = paragraph._p
    before = element.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    after = any(br.get(qn("w:type")) == "page" for br in element.iter(qn("w:br")))
    section = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    return before, after or section


def _lines(text: str) -> int:
    return max(1, sum(-(-max(len(part), 1) // CHARS_PER_LINE) for part in text.split("\n")))


def _text(text: str) -> Markup:
    """Paragraph text; 'Label:<tab>value' lines (the case paper's head) keep their columns."""
    if not text:
        return Markup("&nbsp;")
    label, tab, rest = text.partition("\t")
    if tab and len(label) <= 30:
        return Markup('<span class="doc-label">{}</span><span class="doc-value">{}</span>').format(
            label, rest)
    return escape(text)


def first_page_html(path: Path) -> Markup:
    """The document's first page (up to a page break, or about a page of text) as HTML."""
    document = docx.Document(str(path))
    parts: list[str] = []
    used = 0
    in_list = False
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            if in_list:
                parts.append("</ul>")
                in_list = False
            rows = []
            for row in Table(element, document).rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if id(cell._tc) in seen:     # a merged cell is returned once per grid column
                        continue
                    seen.add(id(cell._tc))
                    cells.append(f"<td>{escape(cell.text)}</td>")
                rows.append(f"<tr>{''.join(cells)}</tr>")
                used += 1
            parts.append(f'<table class="doc-table">{"".join(rows)}</table>')
        elif element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            before, after = _page_break(paragraph)
            if before and parts:
                break
            text = paragraph.text
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.startswith("List"):
                if not in_list:
                    parts.append('<ul class="doc-list">')
                    in_list = True
                parts.append(f"<li>{escape(text)}</li>")
            else:
                if in_list:
                    parts.append("</ul>")
                    in_list = False
                tag, css = HEADINGS.get(style, ("p", "doc-p"))
                parts.append(f'<{tag} class="{css}">{_text(text)}</{tag}>')
            used += _lines(text) + (1 if style in HEADINGS else 0)
            if after:
                break
        if used >= LINES_PER_PAGE:
            break
    if in_list:
        parts.append("</ul>")
    return Markup("".join(parts))

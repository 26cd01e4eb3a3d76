"""A document accessibility check for generated .docx files (issue 14 C: published papers,
WCAG 2.1 AA through EN 301 549): every picture has alt text, every table a repeating header
row, language and title set in the core properties, heading levels never skip."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
DC = "{http://purl.org/dc/elements/1.1/}"


def _heading_levels(document: etree._Element, styles: etree._Element) -> list[int]:
    """The outline level of every heading paragraph in order (Title = 0, Heading n = n)."""
    names = {s.get(f"{W}styleId"): (s.find(f"{W}name").get(f"{W}val")
                                   if s.find(f"{W}name") is not None else "")
             for s in styles.iter(f"{W}style")}
    levels = []
    for paragraph in document.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        name = names.get(style.get(f"{W}val"), "") if style is not None else ""
        if name == "Title":
            levels.append(0)
        elif m := re.fullmatch(r"heading (\d)", name.lower()):
            levels.append(int(m.group(1)))
    return levels


def accessibility_problems(path: Path) -> list[str]:
    """What keeps the document from being accessible; [] when nothing does."""
    problems = []
    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
        core = etree.fromstring(package.read("docProps/core.xml"))
    for doc_pr in document.iter(f"{WP}docPr"):
        if not (doc_pr.get("descr") or "").strip():
            problems.append(f"billede uden alternativ tekst: {doc_pr.get('name')}")
    for number, table in enumerate(document.iter(f"{W}tbl"), start=1):
        first = table.find(f"{W}tr")
        if first is None or first.find(f"{W}trPr/{W}tblHeader") is None:
            problems.append(f"tabel {number} uden gentaget overskriftsrække")
    title = core.find(f"{DC}title")
    if title is None or not (title.text or "").strip():
        problems.append("ingen titel i dokumentegenskaberne")
    language = core.find(f"{DC}language")
    if language is None or language.text != "da-DK":
        problems.append("sproget er ikke da-DK i dokumentegenskaberne")
    previous = 0
    for level in _heading_levels(document, styles):
        if level > previous + 1:
            problems.append(f"overskriftsniveau springer fra {previous} til {level}")
        previous = level
    return problems

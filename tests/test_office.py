"""PDF through the LibreOffice pool: every generated document converts; tagged PDF and
PDF/A-2b; tables of contents updated in the same LibreOffice; hung conversions stopped
naming the file; no LibreOffice outlives its run; profiles removed."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from sagsgenerator.errors import SagsgeneratorError
from sagsgenerator.render import office
from sagsgenerator.render.office import (ConversionTimedOut, LibreOfficeMissing, OfficePool,
                                         PdfConversionFailed, convert_to_pdf)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input"
SOFFICE = office.find_soffice()
UNO = office.find_uno_python(SOFFICE) if SOFFICE else None

needs_soffice = pytest.mark.skipif(SOFFICE is None,
                                   reason="LibreOffice (soffice) er ikke installeret")
needs_uno = pytest.mark.skipif(UNO is None, reason="LibreOffice's uno-modul (python3-uno) "
                                                   "er ikke installeret")
ENGINES = [pytest.param("uno", marks=needs_uno), "cli"]


def words(text: str) -> str:
    """Text without spaces and hyphens: pdftotext joins lines wrapped at a hyphen without it."""
    return re.sub(r"[\s\-]", "", text)


def pdf_text(pdf: Path, last: int | None = None) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")
    pages = ["-l", str(last)] if last else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def png(width: int = 40, height: int = 30) -> bytes:
    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def danish(document) -> None:
    """Danish as the document language (docDefaults), as the bundled templates have it."""
    from docx.oxml.ns import qn
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "da-DK")


def picture_docx(path: Path, title: str = "Udgifter til forebyggelse") -> Path:
    import docx
    document = docx.Document()
    danish(document)
    document.core_properties.title = title
    document.add_heading("Økonomi", level=1)
    document.add_paragraph("Diagrammet viser udgifterne pr. år.")
    document.add_picture(io.BytesIO(png()))
    document.inline_shapes[0]._inline.docPr.set("descr", "Søjlediagram over udgifter pr. år")
    document.save(str(path))
    return path


HEADINGS = ["Første indsats", "Anden indsats", "Tredje indsats"]


def toc_docx(path: Path) -> Path:
    """A TOC field (as Word writes it: w:sdt around fldChar TOC \\o "1-3" \\h) and three
    Heading 1 paragraphs on pages 2, 3 and 4."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    danish(document)
    document.core_properties.title = "Idékatalog"
    document.core_properties.author = "Sundhedsstaben"
    body = document.element.body
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        '</w:sdtPr><w:sdtContent><w:p>'
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>Højreklik og vælg Opdater felt.</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '</w:p></w:sdtContent></w:sdt>')
    body.insert(0, sdt)
    for heading in HEADINGS:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(heading, level=1)
        document.add_paragraph("Indsatsen beskrives her. " * 30)
    document.save(str(path))
    return path


def structure(pdf) -> list[tuple[str, str | None]]:
    """(role, alt text) of every element in the PDF's structure tree."""
    import pikepdf
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                alt = node.get("/Alt")
                found.append((str(node.S), str(alt) if alt is not None else None))
            if "/K" in node:
                walk(node.K)
    walk(pdf.Root.StructTreeRoot)
    return found


def live_in_groups(groups: set[int]) -> list[int]:
    """Processes (not zombies) in these process groups."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp in groups and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


@pytest.fixture
def spawned(monkeypatch) -> list[subprocess.Popen]:
    """Every worker process the pool starts (each leads its own process group)."""
    started = []
    popen = subprocess.Popen

    def recording(*args, **kwargs):
        process = popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(office.subprocess, "Popen", recording)
    return started


@needs_soffice
def test_pdfs_without_indexes_take_one_convert_call_per_process(tmp_path, spawned):
    """Case papers alone (no table of contents to update): each LibreOffice converts its
    share in one `--convert-to` call, the cheaper way; with indexes, uno when it is there."""
    from sagsgenerator.documents import render_documents
    from sagsgenerator.validation.validate import validate_paths

    _, intakes = validate_paths([EXAMPLES])
    written = render_documents(intakes, tmp_path, kinds=["sagsfremstilling"], pdf=True)
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert len(pdfs) == len([p for p in written if p.suffix == ".docx"]) >= 2
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    commands = [" ".join(map(str, process.args)) for process in spawned]
    assert commands and all(" cli " in c and " uno " not in c for c in commands)
    chosen = []
    real = office.OfficePool.__init__

    def recording(self, *args, **kwargs):
        chosen.append(kwargs.get("engine"))
        real(self, *args, **kwargs)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(office.OfficePool, "__init__", recording)
        office.convert_to_pdf([written[0]], tmp_path / "med", update_indexes=True)
        office.convert_to_pdf([written[0]], tmp_path / "uden")
    assert chosen == ["auto", "cli"]


@needs_soffice
def test_every_document_converts_to_pdf(tmp_path, spawned):
    from sagsgenerator.documents import render_documents
    from sagsgenerator.validation.validate import validate_paths

    _, intakes = validate_paths([EXAMPLES])
    written = render_documents(intakes, tmp_path, pdf=True)
    # One LibreOffice per core for the whole batch, not one per document.
    assert 1 <= len(spawned) <= (os.cpu_count() or 1)

    documents = [p for p in written if p.suffix == ".docx"]
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert [p.stem for p in pdfs] == [p.stem for p in documents]
    assert all(p.parent == tmp_path and p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no staging left

    def text(pdf: Path) -> str:
        return words(pdf_text(pdf))

    titles = [p.title for intake in intakes for p in intake.proposals]
    catalogue = text(tmp_path / "idekatalog.pdf")
    plan = text(tmp_path / "handleplan.pdf")
    follow_up = text(tmp_path / "opfoelgning.pdf")
    for title in titles:
        assert words(title) in catalogue, title
        # In the tables of the action plan and the follow-up overview a title wraps in its
        # column (and a row may break across pages), and pdftotext then reads it in pieces.
        assert words(title)[:12] in plan and words(title)[:12] in follow_up, title
    for pdf in pdfs:
        if pdf.name.startswith("sagsfremstilling-"):
            content = text(pdf)
            assert any(words(t) in content for t in titles), pdf.name
            assert "Side1af" in content and "Resumé" in content


def test_missing_libreoffice_is_a_clear_danish_error(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    document = tmp_path / "a.docx"
    document.write_bytes(b"")
    with pytest.raises(LibreOfficeMissing) as error:
        office.convert_to_pdf([document], tmp_path)
    assert isinstance(error.value, SagsgeneratorError)
    assert "LibreOffice" in error.value.danish and "--pdf" in error.value.danish
    assert office.convert_to_pdf([], tmp_path) == []      # nothing to do needs no LibreOffice


@needs_soffice
@pytest.mark.parametrize("engine", ENGINES)
def test_tagged_pdf_has_structure_language_title_and_alt_text(tmp_path, engine):
    import pikepdf
    source = picture_docx(tmp_path / "billede.docx")
    with OfficePool(1, engine=engine) as pool:
        [pdf_path] = convert_to_pdf([source], tmp_path / "pdf", tagged=True, pool=pool)
    assert pdf_path == tmp_path / "pdf" / "billede.pdf"
    with pikepdf.open(pdf_path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "da-DK"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == "Udgifter til forebyggelse"
        elements = structure(pdf)
        assert ("/Figure", "Søjlediagram over udgifter pr. år") in elements
        assert any(role == "/H1" for role, _ in elements)


@needs_soffice
@pytest.mark.parametrize("engine", ENGINES)
def test_pdfa_2b(tmp_path, engine):
    import pikepdf
    source = picture_docx(tmp_path / "arkiv.docx")
    with OfficePool(1, engine=engine) as pool:
        [pdf_path] = convert_to_pdf([source], tmp_path, pdfa=True, pool=pool)
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "2"
        assert meta.get("pdfaid:conformance") == "B"
        assert "/OutputIntents" in pdf.Root
        assert "/StructTreeRoot" in pdf.Root          # still tagged


@needs_soffice
def test_untagged_pdf_when_asked(tmp_path):
    import pikepdf
    [pdf_path] = convert_to_pdf([picture_docx(tmp_path / "a.docx")], tmp_path, tagged=False)
    with pikepdf.open(pdf_path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root


def toc_entries(path: Path) -> list[tuple[str, str | None]]:
    """(text, hyperlink anchor) of each paragraph inside the TOC content control."""
    import docx
    from docx.oxml.ns import qn
    body = docx.Document(str(path)).element.body
    sdt = next(e for e in body.iter(qn("w:sdt"))
               if e.find(f".//{qn('w:docPartGallery')}") is not None)
    entries = []
    for p in sdt.iter(qn("w:p")):
        text = "".join(t.text or "" if t.tag == qn("w:t") else "\t"
                       for t in p.iter(qn("w:t"), qn("w:tab")))
        link = p.find(f".//{qn('w:hyperlink')}")
        entries.append((text, link.get(qn("w:anchor")) if link is not None else None))
    return entries


@needs_uno
def test_table_of_contents_updated_with_page_numbers_and_links(tmp_path):
    import docx
    source = toc_docx(tmp_path / "idekatalog.docx")
    original = source.read_bytes()
    assert toc_entries(source) == [("Højreklik og vælg Opdater felt.", None)]
    [pdf_path] = convert_to_pdf([source], tmp_path / "pdf", update_indexes=True)

    entries = toc_entries(source)
    assert [text for text, _ in entries] == [f"{h}\t{page}" for h, page in
                                             zip(HEADINGS, (2, 3, 4))]
    assert all(anchor for _, anchor in entries)
    # Each link points at a bookmark on its heading.
    document = docx.Document(str(source))
    from docx.oxml.ns import qn
    marks = {b.get(qn("w:name")): "".join(t.text for t in b.getparent().iter(qn("w:t")))
             for b in document.element.body.iter(qn("w:bookmarkStart"))}
    assert [marks[a] for _, a in entries] == HEADINGS
    # Still a TOC field Word can update again.
    xml = zipfile.ZipFile(source).read("word/document.xml").decode()
    assert 'TOC \\' in xml and 'w:fldCharType="begin"' in xml
    # Our core properties stay (LibreOffice would stamp its own save time).
    assert document.core_properties.title == "Idékatalog"
    assert document.core_properties.author == "Sundhedsstaben"
    # A rerun gives the same bytes (LibreOffice's save time and random bookmark names go).
    again = tmp_path / "igen" / "idekatalog.docx"
    again.parent.mkdir()
    again.write_bytes(original)
    office.update_indexes([again])
    assert again.read_bytes() == source.read_bytes()
    # The PDF made from the updated document shows the page numbers.
    first = pdf_text(pdf_path, last=1)
    for heading, page in zip(HEADINGS, (2, 3, 4)):
        assert re.search(rf"{heading}\W*\.+\W*{page}\b", first), first


@needs_uno
def test_update_indexes_without_pdf(tmp_path):
    catalogue = toc_docx(tmp_path / "idekatalog.docx")
    paper = picture_docx(tmp_path / "sag.docx")
    before = paper.read_bytes()
    assert office.update_indexes([catalogue, paper]) == [catalogue]
    assert [t for t, _ in toc_entries(catalogue)] == [f"{h}\t{p}" for h, p in
                                                      zip(HEADINGS, (2, 3, 4))]
    assert paper.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idekatalog.docx", "sag.docx"]


@needs_soffice
def test_documents_untouched_without_update_indexes(tmp_path):
    source = toc_docx(tmp_path / "idekatalog.docx")
    paper = picture_docx(tmp_path / "sag.docx")
    before = source.read_bytes(), paper.read_bytes()
    convert_to_pdf([source], tmp_path / "pdf")
    assert source.read_bytes() == before[0]
    if UNO:     # update_indexes leaves a document without indexes alone too
        convert_to_pdf([paper], tmp_path / "pdf", update_indexes=True)
        assert paper.read_bytes() == before[1]


def test_request_field_update_for_word(tmp_path):
    import docx
    source = toc_docx(tmp_path / "idekatalog.docx")
    assert office.request_field_update(source) is True
    settings = zipfile.ZipFile(source).read("word/settings.xml").decode()
    assert settings.count("updateFields") == 1 and 'w:val="true"' in settings
    # Before w:compat, where the schema has it (Word refuses elements out of order).
    assert settings.index("updateFields") < settings.index("<w:compat")
    assert office.request_field_update(source) is False        # once
    assert toc_entries(source) == [("Højreklik og vælg Opdater felt.", None)]
    docx.Document(str(source))


@needs_soffice
@pytest.mark.parametrize("engine", ENGINES)
def test_a_hung_libreoffice_is_stopped_naming_the_file(tmp_path, engine, spawned):
    sources = [picture_docx(tmp_path / f"sag-{n}.docx") for n in range(3)]
    with OfficePool(1, engine=engine, timeout=0.01, start_timeout=120) as pool:
        with pytest.raises(ConversionTimedOut) as error:
            convert_to_pdf(sources, tmp_path / "pdf", pool=pool)
        assert "'sag-0.docx'" in error.value.danish and "stoppet" in error.value.danish
        groups = {p.pid for p in spawned}
        deadline = time.monotonic() + 10
        while live_in_groups(groups) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert live_in_groups(groups) == []
    assert not list((tmp_path / "pdf").glob("*.pdf"))     # nothing half-written


@needs_soffice
def test_a_file_libreoffice_cannot_read_is_named(tmp_path):
    good = picture_docx(tmp_path / "god.docx")
    broken = tmp_path / "ødelagt.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(PdfConversionFailed) as error:
        convert_to_pdf([good, broken], tmp_path / "pdf")
    assert "'ødelagt.docx'" in error.value.danish


@needs_soffice
def test_profiles_are_fresh_and_removed(tmp_path):
    with OfficePool(2) as pool:
        convert_to_pdf([picture_docx(tmp_path / f"{n}.docx") for n in range(4)], tmp_path,
                       pool=pool)
        assert pool.tmp.is_dir()
        folder = pool.tmp
    assert not folder.exists()


CHILD = """
import json, sys
from pathlib import Path
from sagsgenerator.render.office import OfficePool, convert_to_pdf
docs = [Path(p) for p in sys.argv[2:]]
with OfficePool(2) as pool:
    def progress(done, total, path):
        print(json.dumps([str(pool.tmp)] + [p.pid for p in pool.processes]), flush=True)
        import time; time.sleep(600)
    convert_to_pdf(docs, Path(sys.argv[1]), pool=pool, progress=progress)
"""


@needs_soffice
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_libreoffice_dies_with_its_parent(tmp_path, how):
    sources = [picture_docx(tmp_path / f"{n}.docx") for n in range(4)]
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "pdf"),
                              *map(str, sources)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        folder, *pids = json.loads(child.stdout.readline())
        groups = set(pids)
        assert groups and live_in_groups(groups) and Path(folder).is_dir()
        child.send_signal(how)
        child.wait(timeout=30)
        deadline = time.monotonic() + 15
        while live_in_groups(groups) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert live_in_groups(groups) == []
        assert not Path(folder).exists()      # the profiles went with them
    finally:
        child.kill()


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for soffice")
def test_libreoffice_keeps_its_large_blocks_in_the_heap(tmp_path, monkeypatch):
    """glibc's malloc settings go to every soffice the pool starts (a conversion starts in
    half the time); the rest of the environment is passed on, HOME inside the profile."""
    from sagsgenerator.render import uno_convert

    seen = tmp_path / "miljoe.txt"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nenv > '{seen}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SAGSGENERATOR_PROEVE", "ja")
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "1")          # ours wins: it is the point
    monkeypatch.setattr(uno_convert, "PROFILE", str(tmp_path / "profil"))
    assert uno_convert.start_soffice(str(fake), (tmp_path / "profil").as_uri(), []).wait() == 0
    env = dict(line.split("=", 1) for line in seen.read_text().splitlines() if "=" in line)
    assert env["MALLOC_MMAP_THRESHOLD_"] == env["MALLOC_TRIM_THRESHOLD_"] == str(256 << 20)
    assert env["SAGSGENERATOR_PROEVE"] == "ja" and env["HOME"] == str(tmp_path / "profil")


@needs_soffice
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_pools_libreoffice_runs_with_the_heap_settings(tmp_path):
    with OfficePool(1, engine="cli") as pool:
        started = []

        def progress(done, total, path):
            for process in pool.processes:
                started.extend(_environ_of_children(process.pid))
        convert_to_pdf([picture_docx(tmp_path / f"{n}.docx") for n in range(2)], tmp_path,
                       pool=pool, progress=progress)
    assert started and all(env.get("MALLOC_TRIM_THRESHOLD_") == str(256 << 20)
                           for env in started)


def _environ_of_children(pid: int) -> list[dict[str, str]]:
    """The environment of every process below `pid` still running (soffice and its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(pid):
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid and int(fields[2]) != pid:   # parent, or process group
                continue
            raw = (entry / "environ").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        found.append(dict(item.split("=", 1) for item in raw.decode(errors="replace")
                          .split("\0") if "=" in item))
    return found

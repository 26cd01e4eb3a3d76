"""Previews of documents' first pages for the web page.

PNGs (a small one for the list, a large one, 1200 px wide, for "open large") through the
LibreOffice pool and poppler's pdftoppm when both are installed, else an HTML rendering of
the same content read back with python-docx. Previews are made after the documents are
written and downloadable: `PreviewJob` runs in a background thread with a progress
callback, a few LibreOffice conversions in parallel.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from markupsafe import Markup, escape

from ..errors import SagsgeneratorError
from ..render.office import Job, OfficePool, find_soffice

log = logging.getLogger(__name__)

PNG_RESOLUTION = 50
SMALL_WIDTH = 420            # px: the preview in the documents list
LARGE_WIDTH = 1200           # px: "open large"
PREVIEW_WORKERS = 2          # LibreOffice conversions in parallel
LINES_PER_PAGE = 46          # A4 in 11 pt with the templates' margins, roughly
CHARS_PER_LINE = 90


def png_tools() -> bool:
    """True when a PNG preview can be made (LibreOffice and poppler's pdftoppm)."""
    return find_soffice() is not None and shutil.which("pdftoppm") is not None


def first_page_png(pdf: Path, target: Path, timeout: float = 60,
                   width: int | None = None) -> Path | None:
    """The first page of `pdf` as a PNG at `target` (`width` px wide, else at 50 dpi);
    None when pdftoppm fails."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    stem = target.with_suffix("")
    size = (["-scale-to-x", str(width), "-scale-to-y", "-1"] if width
            else ["-r", str(PNG_RESOLUTION)])
    try:
        subprocess.run([pdftoppm, "-png", "-f", "1", "-l", "1", *size,
                        "-singlefile", str(pdf), str(stem)],
                       capture_output=True, timeout=timeout, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    made = stem.with_suffix(".png")
    return made if made.is_file() and made.stat().st_size else None


@dataclass
class Preview:
    """One document's preview: PNGs when they could be made, else HTML; `error` (Danish)
    says why there is no picture."""

    document: Path
    small: Path | None = None
    large: Path | None = None
    html: Markup | None = None
    error: str | None = None


PreviewProgress = Callable[[int, int, Preview], None]   # (done, total, the preview made)


def _html(preview: Preview) -> Preview:
    try:
        preview.html = first_page_html(preview.document)
    except Exception:               # a preview must never cost the documents
        log.exception("Forhåndsvisning af %s mislykkedes", preview.document.name)
    return preview


def make_previews(documents: list[Path], folder: Path, *,
                  workers: int = PREVIEW_WORKERS, progress: PreviewProgress | None = None,
                  pdfs: dict[Path, Path] | None = None, pool: OfficePool | None = None,
                  cancel: threading.Event | None = None) -> list[Preview]:
    """First-page previews of the written .docx files, in order: `folder`/<n>.png (small)
    and <n>-stor.png (LARGE_WIDTH px), through LibreOffice (`workers` in parallel; PDFs
    already made can be given in `pdfs`) and pdftoppm; HTML when either is missing or a
    document fails. progress(done, total, preview) is called as each one is ready."""
    previews = [Preview(d) for d in documents]
    total, count = len(previews), 0
    lock = threading.Lock()

    def finish(preview: Preview) -> None:
        nonlocal count
        if preview.small is None and preview.html is None:
            _html(preview)
        with lock:
            count += 1
            if progress is not None:
                try:
                    progress(count, total, preview)
                except Exception:
                    log.exception("progress callback failed")

    def pictures(preview: Preview, pdf: Path, n: int) -> None:
        preview.small = first_page_png(pdf, folder / f"{n}.png", width=SMALL_WIDTH)
        preview.large = first_page_png(pdf, folder / f"{n}-stor.png", width=LARGE_WIDTH)
        if preview.small is None:
            preview.error = "Billedet af første side kunne ikke laves (pdftoppm fejlede)."

    if not previews:
        return previews
    folder.mkdir(parents=True, exist_ok=True)
    if not png_tools():
        for preview in previews:
            preview.error = ("Forhåndsvisning som billede kræver LibreOffice og pdftoppm; "
                             "viser teksten i stedet.")
            finish(preview)
        return previews
    pdfs = pdfs or {}
    jobs: list[Job] = []
    job_index: dict[int, int] = {}
    for n, preview in enumerate(previews):
        given = pdfs.get(preview.document)
        if given is not None and given.is_file():
            pictures(preview, given, n)
            finish(preview)
        else:
            job_index[len(jobs)] = n
            jobs.append(Job(preview.document, folder / "pdf" / f"{n}.pdf", tagged=False))
    if not jobs:
        return previews
    (folder / "pdf").mkdir(exist_ok=True)
    by_source = {id(job): job_index[i] for i, job in enumerate(jobs)}

    def converted(done: int, all_: int, source: Path) -> None:
        # Called in the pool's worker threads: pdftoppm runs in parallel too.
        job = next(j for j in jobs if j.source == source and id(j) not in seen)
        seen.add(id(job))
        preview = previews[by_source[id(job)]]
        if job.ok and job.pdf is not None:
            pictures(preview, job.pdf, by_source[id(job)])
        else:
            preview.error = job.error.danish if job.error else None
        finish(preview)

    seen: set[int] = set()
    own = pool is None
    try:
        pool = pool or OfficePool(min(workers, len(jobs)), timeout=60)
    except SagsgeneratorError as exc:
        for job in jobs:
            preview = previews[by_source[id(job)]]
            preview.error = exc.danish
            finish(preview)
        return previews
    over = threading.Event()
    if cancel is not None:
        def watch() -> None:
            while not over.wait(0.2):
                if cancel.is_set():
                    pool.close(kill=True)    # ends the conversions under way
                    return
        threading.Thread(target=watch, daemon=True).start()
    try:
        pool.run(jobs, converted, stop_on_error=False)
    except SagsgeneratorError as exc:       # LibreOffice would not start: text previews
        for job in jobs:
            if id(job) not in seen:
                preview = previews[by_source[id(job)]]
                preview.error = exc.danish
                seen.add(id(job))
                finish(preview)
    finally:
        over.set()
        if own:
            pool.close()
    return previews


class PreviewJob:
    """make_previews in a background thread: start() returns at once; `previews` fill in
    (each Preview is complete when progress reports it), `finished` is set at the end."""

    def __init__(self, documents: list[Path], folder: Path, *,
                 workers: int = PREVIEW_WORKERS, progress: PreviewProgress | None = None,
                 pdfs: dict[Path, Path] | None = None):
        self.documents, self.folder, self.workers = list(documents), folder, workers
        self.pdfs, self.user_progress = pdfs, progress
        self.done, self.total = 0, len(self.documents)
        self.previews: list[Preview] = []
        self.ready: dict[Path, Preview] = {}
        self.finished = threading.Event()
        self.cancelled = threading.Event()
        self.thread: threading.Thread | None = None

    def _progress(self, done: int, total: int, preview: Preview) -> None:
        self.done, self.total = done, total
        self.ready[preview.document] = preview
        if self.user_progress is not None:
            self.user_progress(done, total, preview)

    def _run(self) -> None:
        try:
            self.previews = make_previews(self.documents, self.folder, workers=self.workers,
                                          progress=self._progress, pdfs=self.pdfs,
                                          cancel=self.cancelled)
        except Exception:
            log.exception("Forhåndsvisningerne kunne ikke laves")
        finally:
            self.finished.set()

    def start(self) -> PreviewJob:
        """Start in a daemon thread; returns self."""
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       name="sagsgenerator-previews")
        self.thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """True when every preview is made (within timeout seconds)."""
        return self.finished.wait(timeout)

    def cancel(self) -> None:
        """Stop: LibreOffice is ended; the previews not yet made stay missing."""
        self.cancelled.set()


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

"""PDF through LibreOffice: a pool of headless soffice processes fed the whole batch.

One LibreOffice per core, each with its own fresh profile in a temporary folder, started
once per run; the documents are shared out as the workers become free. Each worker is a
small guardian script (`uno_convert.py`) leading its own process group with one soffice
beside it: a hung conversion is killed after a timeout (naming the file), and nothing
outlives the run (killpg on close, on Ctrl+C and SIGTERM; PR_SET_PDEATHSIG on Linux when
the parent is killed outright).

With a Python that can import LibreOffice's `uno` (Debian: python3-uno; bundled with
LibreOffice on Windows and macOS) every document is loaded once and, in the same process,
its indexes (table of contents) are updated and the .docx saved back, then the PDF is
exported (tagged, PDF/A-2b). Without it each worker makes one `soffice --convert-to` call
for its share of the files (PDF options as JSON filter options, LibreOffice 7.4+); the
indexes are then left for Word to fill on open.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import SagsgeneratorError

log = logging.getLogger(__name__)

# Where LibreOffice lives when it is not on PATH.
KNOWN_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
SCRIPT = Path(__file__).with_name("uno_convert.py")
FILE_TIMEOUT = 120.0      # seconds for one document (a case paper takes 0.2 s)
START_TIMEOUT = 180.0     # seconds for a fresh LibreOffice to start (first start is slow)

Progress = Callable[[int, int, Path], None]     # (done, total, the document just done)


class LibreOfficeMissing(SagsgeneratorError):
    """Raised when --pdf is asked for and LibreOffice (soffice) cannot be found or started."""


class PdfConversionFailed(SagsgeneratorError):
    """Raised when LibreOffice runs but does not produce a PDF for a document (named)."""


class ConversionTimedOut(PdfConversionFailed):
    """Raised when LibreOffice hangs on a document: it is stopped and the file named."""


def find_soffice() -> str | None:
    """The LibreOffice program (soffice), or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in KNOWN_LOCATIONS if Path(p).is_file()), None)


@functools.lru_cache(maxsize=4)
def find_uno_python(soffice: str) -> str | None:
    """A Python that can import LibreOffice's `uno` module, or None."""
    program = Path(soffice).resolve().parent
    candidates = [program / "python", program / "python.exe",
                  program.parent / "Resources" / "python",          # macOS app bundle
                  Path("/usr/bin/python3"), Path(sys.executable)]
    for candidate in dict.fromkeys(candidates):
        if not candidate.is_file():
            continue
        try:
            probe = subprocess.run([str(candidate), str(SCRIPT), "probe"], timeout=60,
                                   capture_output=True)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


def _missing() -> LibreOfficeMissing:
    return LibreOfficeMissing(
        "PDF kræver LibreOffice, men programmet 'soffice' blev ikke fundet. Installér "
        "LibreOffice (https://da.libreoffice.org), eller kør uden --pdf og gem som PDF "
        "fra Word.")


def _timed_out(name: str, seconds: float) -> ConversionTimedOut:
    return ConversionTimedOut(
        f"LibreOffice gik i stå med '{name}' og blev stoppet efter {int(seconds)} sekunder. "
        f"Prøv igen; sker det igen, så åbn filen i Word og gem den som PDF derfra.")


def _failed(name: str, detail: str = "") -> PdfConversionFailed:
    return PdfConversionFailed(
        f"LibreOffice kunne ikke lave '{name}' om til PDF"
        + (f" (LibreOffice siger: {detail})." if detail else ". Åbn filen i Word for at se, "
           "om den er i orden, og prøv igen."))


@dataclass
class Job:
    """One document for a worker: where its PDF (and updated .docx) go, what to do."""

    source: Path
    pdf: Path | None
    docx: Path | None = None
    tagged: bool = True
    pdfa: bool = False
    update_indexes: bool = False
    # Filled in by the pool:
    ok: bool = False
    error: SagsgeneratorError | None = None
    indexes: int = 0


def _kill(process: subprocess.Popen) -> None:
    """Kill a worker and its soffice (its whole process group)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


class _Worker:
    """One guardian process with its own LibreOffice and profile."""

    def __init__(self, pool: OfficePool, number: int):
        self.pool, self.number = pool, number
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.profile: Path | None = None

    def _spawn(self, argv: list[str]) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix=f"profil-{self.number}-", dir=self.pool.tmp))
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
        else:
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        try:
            self.process = self.pool.spawn(
                argv(self.profile) if callable(argv) else argv,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", bufsize=1, **kwargs)
        except OSError as exc:
            raise LibreOfficeMissing(f"LibreOffice ('{self.pool.soffice}') kunne ikke "
                                     f"startes: {exc.strerror or exc}.") from exc
        self.pool.processes.add(self.process)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.lines), daemon=True,
                         name=f"sagsgenerator-office-{self.number}").start()

    @staticmethod
    def _read(process: subprocess.Popen, lines: queue.Queue) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def _message(self, timeout: float) -> dict | None:
        """The worker's next message; None when it ended; TimeoutError when it is silent."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError from None
            if line is None:
                return None
            try:
                return json.loads(line)
            except ValueError:
                continue            # stray output from LibreOffice's own libraries

    # uno mode ---------------------------------------------------------------------------

    def start_uno(self) -> None:
        pipe = f"sagsgenerator-{os.getpid()}-{id(self):x}"
        self._spawn(lambda profile: [
            self.pool.uno_python, str(SCRIPT), "uno", self.pool.soffice, profile.as_uri(),
            pipe, str(os.getpid())])
        try:
            ready = self._message(self.pool.start_timeout)
        except TimeoutError:
            ready = {"error": f"ikke startet inden for {int(self.pool.start_timeout)} sekunder"}
        if not ready or not ready.get("ready"):
            self.stop(kill=True)
            detail = (ready or {}).get("error", "programmet stoppede under opstart")
            raise LibreOfficeMissing(f"LibreOffice kunne ikke startes ({detail}). Prøv igen; "
                                     f"sker det igen, så kør uden PDF og gem som PDF fra Word.")

    def run_uno(self, job: Job) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start_uno()
        assert self.process is not None and self.process.stdin is not None
        request = {"src": str(job.source), "pdf": str(job.pdf) if job.pdf else None,
                   "docx": str(job.docx) if job.docx else None, "tagged": job.tagged,
                   "pdfa": job.pdfa, "update_indexes": job.update_indexes}
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = self._message(self.pool.timeout)
        except TimeoutError:
            self.stop(kill=True)
            job.error = _timed_out(job.source.name, self.pool.timeout)
            return
        except OSError:
            answer = None
        if answer is None:
            self.stop(kill=True)
            job.error = _failed(job.source.name, "LibreOffice stoppede uventet")
        elif not answer.get("ok"):
            job.error = _failed(job.source.name, answer.get("error", ""))
        elif job.pdf is not None and not (job.pdf.is_file() and job.pdf.stat().st_size):
            job.error = _failed(job.source.name)
        else:
            job.ok, job.indexes = True, int(answer.get("indexes", 0))

    # cli mode: one soffice --convert-to call for this worker's share ----------------------

    def run_cli(self, jobs: list[Job], done: Callable[[Job], None]) -> None:
        outdir = Path(tempfile.mkdtemp(prefix=f"pdf-{self.number}-", dir=self.pool.tmp))
        options = {"UseTaggedPDF": any(j.tagged or j.pdfa for j in jobs),
                   "DisplayPDFDocumentTitle": True, "ExportBookmarks": True}
        if any(j.pdfa for j in jobs):
            options["SelectPdfVersion"] = 2
        typed = {k: {"type": "boolean" if isinstance(v, bool) else "long",
                     "value": str(v).lower() if isinstance(v, bool) else str(v)}
                 for k, v in options.items()}
        filter_ = "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))
        self._spawn(lambda profile: [
            sys.executable, str(SCRIPT), "cli", self.pool.soffice, profile.as_uri(),
            str(outdir), filter_, str(os.getpid()), *[str(j.source.resolve()) for j in jobs]])
        by_source = {str(j.source.resolve()): j for j in jobs}
        current: Job | None = None
        finished: set[int] = set()

        def collect(upto: Job | None) -> None:
            """Jobs before `upto` (all when None) whose PDF exists are done."""
            for job in jobs:
                if job is upto:
                    return
                if id(job) in finished:
                    continue
                made = outdir / f"{job.source.stem}.pdf"
                if made.is_file() and made.stat().st_size:
                    assert job.pdf is not None
                    os.replace(made, job.pdf)
                    job.ok = True
                else:
                    job.error = _failed(job.source.name)
                finished.add(id(job))
                done(job)

        # The first start with a fresh profile takes longer than one document.
        limit = self.pool.start_timeout + self.pool.timeout
        while True:
            try:
                message = self._message(limit)
            except TimeoutError:
                self.stop(kill=True)
                # soffice announces a file after loading it, before writing its PDF.
                hung = current
                if hung is None or (outdir / f"{hung.source.stem}.pdf").is_file():
                    rest = [j for j in jobs if id(j) not in finished and j is not hung]
                    hung = rest[0] if rest else hung
                if hung is not None:
                    collect(hung)
                    hung.error = _timed_out(hung.source.name, self.pool.timeout)
                    finished.add(id(hung))
                    done(hung)
                return
            if message is None:
                break
            if "converting" in message:
                current = by_source.get(message["converting"], current)
                collect(current)
                limit = self.pool.timeout
        assert self.process is not None
        self.process.wait()
        collect(None)

    def stop(self, kill: bool = False) -> None:
        process, self.process = self.process, None
        if process is not None:
            if not kill and process.poll() is None and process.stdin is not None:
                try:
                    process.stdin.write(json.dumps({"quit": True}) + "\n")
                    process.stdin.close()
                    process.wait(timeout=30)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            _kill(process)      # the group: soffice too, whatever the guardian managed
            self.pool.processes.discard(process)
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


_POOLS: weakref.WeakSet[OfficePool] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for pool in list(_POOLS):
        pool.close()


@contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """In the main thread, let SIGTERM unwind (and so close the pool) like Ctrl+C does."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class OfficePool:
    """LibreOffice processes for one run: one per core (or `workers`), started on first use.

    Use as a context manager (or call close()): every process is ended and every profile
    removed. `engine` is "auto" (uno when a Python with `uno` is found, else "cli")."""

    def __init__(self, workers: int | None = None, *, timeout: float = FILE_TIMEOUT,
                 start_timeout: float = START_TIMEOUT, engine: str = "auto"):
        soffice = find_soffice()
        if soffice is None:
            raise _missing()
        self.soffice = soffice
        self.size = max(1, workers or os.cpu_count() or 1)
        self.timeout, self.start_timeout = timeout, start_timeout
        self.uno_python = find_uno_python(soffice) if engine in ("auto", "uno") else None
        if engine == "uno" and self.uno_python is None:
            raise LibreOfficeMissing("LibreOffice's Python-modul 'uno' blev ikke fundet "
                                     "(på Debian og Ubuntu: pakken python3-uno).")
        self.engine = "uno" if self.uno_python else "cli"
        self.tmp = Path(tempfile.mkdtemp(prefix="sagsgenerator-office-"))
        self.processes: set[subprocess.Popen] = set()
        self.workers = [_Worker(self, n) for n in range(self.size)]
        self.lock = threading.Lock()
        self.closed = False
        # Workers are started from one thread that lives as long as the pool: Linux sends
        # PR_SET_PDEATHSIG when the *thread* that started a process ends, and a worker
        # must outlive the thread that first needed it.
        self.requests: queue.Queue = queue.Queue()
        threading.Thread(target=self._spawner, args=(self.requests,), daemon=True,
                         name="sagsgenerator-office-spawner").start()
        _POOLS.add(self)

    @staticmethod
    def _spawner(requests: queue.Queue) -> None:
        while True:
            request = requests.get()
            if request is None:
                return
            args, kwargs, answer = request
            try:
                answer.put(subprocess.Popen(*args, **kwargs))
            except BaseException as exc:
                answer.put(exc)

    def spawn(self, *args: object, **kwargs: object) -> subprocess.Popen:
        """subprocess.Popen, run in the pool's spawner thread."""
        if self.closed:
            raise LibreOfficeMissing("LibreOffice er stoppet (kørslen blev afbrudt).")
        answer: queue.Queue = queue.Queue()
        self.requests.put((args, kwargs, answer))
        result = answer.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def __enter__(self) -> OfficePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def updates_indexes(self) -> bool:
        """True when this pool can update tables of contents (the uno engine)."""
        return self.engine == "uno"

    def run(self, jobs: list[Job], progress: Progress | None = None,
            stop_on_error: bool = True) -> list[Job]:
        """Do every job (results in the jobs themselves); stops early on a failure when
        stop_on_error, else goes on with the rest (a hung worker is replaced)."""
        if not jobs:
            return jobs
        count = 0
        stop = threading.Event()

        def done(job: Job) -> None:
            nonlocal count
            with self.lock:
                count += 1
                now = count
                if job.error is not None and stop_on_error:
                    stop.set()
            if progress is not None and not self.closed:
                try:
                    progress(now, len(jobs), job.source)
                except Exception:       # a progress bar must not cost the documents
                    log.exception("progress callback failed")

        workers = self.workers[:min(self.size, len(jobs))]
        errors: list[BaseException] = []
        if self.engine == "uno":
            pending: queue.Queue[Job] = queue.Queue()
            for job in jobs:
                pending.put(job)

            def serve(worker: _Worker) -> None:
                try:
                    while not stop.is_set() and not self.closed:
                        try:
                            job = pending.get_nowait()
                        except queue.Empty:
                            return
                        try:
                            worker.run_uno(job)
                        except BaseException:
                            pending.put(job)        # for a worker that did start
                            raise
                        done(job)
                except BaseException as exc:        # start failure: the others go on
                    errors.append(exc)
            targets = [(serve, (w,)) for w in workers]
        else:
            # One share per worker, one soffice call each (many files in one call is what
            # makes soffice fast); interleaved, as a batch's kinds come in runs.
            shares = [jobs[i::len(workers)] for i in range(len(workers))]

            def serve_cli(worker: _Worker, share: list[Job]) -> None:
                try:
                    worker.run_cli(share, done)
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    worker.stop(kill=True)
            targets = [(serve_cli, (w, s)) for w, s in zip(workers, shares)]

        with _sigterm_as_exit():
            threads = [threading.Thread(target=f, args=a, daemon=True) for f, a in targets]
            try:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    while thread.is_alive():
                        thread.join(0.2)    # short joins: Ctrl+C and SIGTERM get through
            except BaseException:
                self.close(kill=True)
                raise
        if errors and not any(j.ok for j in jobs) and all(j.error is None for j in jobs):
            raise errors[0]
        for job in jobs:
            if not job.ok and job.error is None:
                if errors and isinstance(errors[0], SagsgeneratorError) and not stop.is_set():
                    job.error = errors[0]
                elif not stop.is_set():
                    job.error = _failed(job.source.name)
        return jobs

    def close(self, kill: bool = False) -> None:
        """End every LibreOffice of this pool and remove the profiles (kill: at once,
        not after the document under way)."""
        self.closed = True
        for worker in self.workers:
            worker.stop(kill=kill or self.engine != "uno")
        for process in list(self.processes):
            _kill(process)
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.requests.put(None)
        _POOLS.discard(self)


def convert_to_pdf(documents: list[Path], out_dir: Path, *, tagged: bool = True,
                   pdfa: bool = False, workers: int | None = None,
                   update_indexes: bool = False, timeout: float | None = None,
                   progress: Progress | None = None,
                   pool: OfficePool | None = None) -> list[Path]:
    """Convert every .docx to a PDF in out_dir; the PDFs, in order.

    tagged: a tagged PDF (structure tree, alt text, language, title shown); pdfa: PDF/A-2b.
    update_indexes: update each document's tables of contents (page numbers, links) and save
    the .docx back, in the same LibreOffice (needs the uno engine; otherwise the .docx is
    left for Word to update on open). Each PDF is written to a temporary folder in out_dir
    and moved into place; a document that fails or hangs raises a Danish error naming it."""
    if not documents:
        return []
    own = pool is None
    if pool is None:
        # Without indexes to update, one `--convert-to` call per process: it converts the
        # same documents with a fifth less work than loading each through uno
        # (benchmarks/pdf_pool.py).
        pool = OfficePool(workers or min(os.cpu_count() or 1, len(documents)),
                          timeout=timeout or FILE_TIMEOUT,
                          engine="auto" if update_indexes else "cli")
    if update_indexes and not pool.updates_indexes:
        log.warning("LibreOffice's uno module is missing: tables of contents are left for Word")
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sagsgenerator-pdf-", dir=out_dir))
    try:
        jobs = []
        for n, document in enumerate(documents):
            docx = None
            if update_indexes and pool.updates_indexes and document.suffix.lower() == ".docx":
                docx = staging / f"{n}-{document.name}"
            jobs.append(Job(document, staging / f"{n}-{document.stem}.pdf", docx,
                            tagged=tagged, pdfa=pdfa, update_indexes=docx is not None))
        pool.run(jobs, progress)
        failed = next((j for j in jobs if j.error is not None), None)
        if failed is not None:
            assert failed.error is not None
            raise failed.error
        written = []
        for job in jobs:
            assert job.pdf is not None
            target = out_dir / f"{job.source.stem}.pdf"
            os.replace(job.pdf, target)
            if job.indexes and job.docx is not None and job.docx.is_file():
                _keep_package_facts(job.source, job.docx)
                _replace(job.docx, job.source)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if own:
            pool.close()


def update_indexes(documents: list[Path], *, workers: int | None = None,
                   timeout: float | None = None, pool: OfficePool | None = None) -> list[Path]:
    """Update the tables of contents (page numbers, links) of these .docx files in place,
    in LibreOffice, without making PDFs; the documents that had indexes. Needs the uno
    engine: without it nothing changes and [] is returned (request_field_update then
    leaves the update to Word). Raises LibreOfficeMissing when LibreOffice is absent."""
    documents = [d for d in documents if d.suffix.lower() == ".docx"]
    if not documents:
        return []
    own = pool is None
    if pool is None:
        pool = OfficePool(workers or min(os.cpu_count() or 1, len(documents)),
                          timeout=timeout or FILE_TIMEOUT)
    try:
        if not pool.updates_indexes:
            log.warning("LibreOffice's uno module is missing: tables of contents are left "
                        "for Word")
            return []
        stagings = {parent: Path(tempfile.mkdtemp(prefix=".sagsgenerator-toc-", dir=parent))
                    for parent in dict.fromkeys(d.parent for d in documents)}
        try:
            jobs = [Job(d, None, stagings[d.parent] / f"{n}-{d.name}", update_indexes=True)
                    for n, d in enumerate(documents)]
            pool.run(jobs)
            failed = next((j for j in jobs if j.error is not None), None)
            if failed is not None and isinstance(failed.error, ConversionTimedOut):
                raise failed.error
            if failed is not None:
                raise PdfConversionFailed(
                    f"LibreOffice kunne ikke opdatere indholdsfortegnelsen i "
                    f"'{failed.source.name}'. Åbn filen i Word, højreklik på "
                    f"indholdsfortegnelsen, og vælg Opdater felt.") from failed.error
            changed = []
            for job in jobs:
                if job.indexes and job.docx is not None and job.docx.is_file():
                    _keep_package_facts(job.source, job.docx)
                    _replace(job.docx, job.source)
                    changed.append(job.source)
            return changed
        finally:
            for staging in stagings.values():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        if own:
            pool.close()


def _replace(new: Path, target: Path) -> None:
    """Move `new` onto `target`, atomically when both are on one file system."""
    try:
        os.replace(new, target)
    except OSError:
        tmp = target.with_name(f".{target.stem}-{os.getpid()}{target.suffix}")
        shutil.copyfile(new, tmp)
        os.replace(tmp, target)


RANDOM_BOOKMARK = re.compile(rb"__RefHeading___Toc(\d+)_\d+")


def _keep_package_facts(original: Path, saved: Path) -> None:
    """LibreOffice stamps its own save time and random bookmark names: keep the original's
    core properties (title, author, created/modified from --dato) and zip entry dates, and
    number the bookmarks as LibreOffice does without the random part, so reruns agree."""
    with zipfile.ZipFile(original) as source:
        names = source.namelist()
        core = source.read("docProps/core.xml") if "docProps/core.xml" in names else None
        stamp = source.infolist()[0].date_time if names else (1980, 1, 1, 0, 0, 0)
    tmp = saved.with_name(f".{saved.stem}-facts{saved.suffix}")
    with zipfile.ZipFile(saved) as package, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "docProps/core.xml" and core is not None:
                data = core
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                # LibreOffice names the headings' bookmarks with a random number per run.
                data = RANDOM_BOOKMARK.sub(rb"_RefHeading_\1", data)
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, data)
    os.replace(tmp, saved)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# CT_Settings' children that come after w:updateFields (Word keeps to the schema's order).
AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator"}


def request_field_update(document: Path) -> bool:
    """Ask Word to update the fields (the table of contents) when it opens `document`:
    w:updateFields in settings.xml, the fallback without LibreOffice. True when added."""
    from lxml import etree

    with zipfile.ZipFile(document) as package:
        if "word/settings.xml" not in package.namelist():
            return False
        root = etree.fromstring(package.read("word/settings.xml"))
        if root.find(f"{{{W}}}updateFields") is not None:
            return False
        entries = [(info, package.read(info)) for info in package.infolist()]
    element = etree.Element(f"{{{W}}}updateFields")
    element.set(f"{{{W}}}val", "true")
    later = next((c for c in root if isinstance(c.tag, str)
                  and etree.QName(c).localname in AFTER_UPDATE_FIELDS), None)
    if later is None:
        root.append(element)
    else:
        later.addprevious(element)
    settings = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    tmp = document.with_name(f".{document.stem}-fields{document.suffix}")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            out.writestr(info, settings if info.filename == "word/settings.xml" else data)
    os.replace(tmp, document)
    return True

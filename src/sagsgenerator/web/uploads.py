"""Saving and checking uploads: the batch of one user grows file by file.

Each file is judged on its own: an empty, oversized or wrong file is refused with its own
Danish line, and every other file of the batch is still read by the library. A file sent
again under the same name (or as the marked copy of an earlier file) replaces that file.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from starlette.datastructures import UploadFile

from ..batch import BatchResult, validate_batch
from ..intake.xlsx import MARKED_SUFFIX
from ..errors import IntakeUnusable
from ..findings import Finding, Report
from ..intake.reader import check_file, unusable
from .app import Limits, Settings, mb
from .sessions import Session, Upload, safe_name

WORD_DOCUMENT = ("Filen er et Word-dokument, ikke en Excel-projektmappe. Forslagene skal "
                 "afleveres i indtagsarket (Excel): hent den tomme skabelon på forsiden, eller "
                 "bed arbejdsgruppen sende projektmappen i stedet for dokumentet.")


def _stem(name: str) -> str:
    stem = Path(name).stem.casefold()
    return stem[: -len(MARKED_SUFFIX)] if stem.endswith(MARKED_SUFFIX) else stem


def replaces(new: str, old: str) -> bool:
    """A new upload takes the place of an old one with the same name, or whose marked copy
    (`gruppe-markeret.xlsx`) it is: the working group sent its corrected file back."""
    return new.casefold() == old.casefold() or _stem(new) == _stem(old)


async def save(session: Session, parts: list[UploadFile], limits: Limits) -> list[Upload]:
    """Store the parts in the session's folder (never overwriting a file); a part larger than
    the limit is cut off and refused. Returns the new uploads, which replace earlier ones."""
    added = []
    for part in parts:
        index = session.next_index
        session.next_index += 1
        name = safe_name(part.filename) or f"fil-{index}"
        folder = session.folder / "indsendt" / str(index)
        folder.mkdir(parents=True)
        path = folder / name
        item = Upload(index=index, name=name, path=path)
        size = 0
        with path.open("xb") as handle:     # "x": never overwrite anything
            while chunk := await part.read(256 * 1024):
                size += len(chunk)
                if size > limits.max_file_bytes:
                    _refuse(item, unusable(name, "file-too-large", reason=(
                        f"over {mb(limits.max_file_bytes)}; der kan højst uploades "
                        f"{mb(limits.max_file_bytes)} pr. fil")).finding, 413)
                    break
                handle.write(chunk)
        if item.refused is not None:
            path.unlink()
        for old in [u for u in session.uploads if replaces(name, u.name)]:
            session.uploads.remove(old)
            shutil.rmtree(old.path.parent, ignore_errors=True)
        session.uploads.append(item)
        added.append(item)
    return added


def remove(session: Session, index: int) -> Upload | None:
    """Take one file out of the batch."""
    item = next((u for u in session.uploads if u.index == index), None)
    if item is not None:
        session.uploads.remove(item)
        shutil.rmtree(item.path.parent, ignore_errors=True)
    return item


def _refuse(item: Upload, finding: Finding, status: int, text: str | None = None) -> None:
    item.refused, item.refused_status = finding, status
    item.refused_text = text or finding.message


def check(item: Upload, limits: Limits) -> None:
    """Refuse what is not an .xlsx file, an empty file, a Word document, or one that inflates
    past the limit; the rest is for the library to judge."""
    if item.refused is not None:
        return
    if item.path.stat().st_size == 0 or not item.name.lower().endswith(".xlsx"):
        try:
            check_file(item.path, item.name)
        except IntakeUnusable as exc:
            if isinstance(exc.finding, Finding):
                status = 400 if exc.finding.code == "file-empty" else 415
                if _is_word(item.path):
                    return _refuse(item, exc.finding, 415, WORD_DOCUMENT)
                return _refuse(item, exc.finding, status)
        finding = unusable(item.name, "file-not-workbook").finding
        if _is_word(item.path):
            return _refuse(item, finding, 415, WORD_DOCUMENT)
        return _refuse(item, finding, 415, "Kun Excel-projektmapper (.xlsx) kan uploades. Gem "
                       "filen i Excel som 'Excel-projektmappe (*.xlsx)'.")
    try:
        with zipfile.ZipFile(item.path) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return                              # the library says what it is
    if "word/document.xml" in names and "xl/workbook.xml" not in names:
        # TODO(library): the reader should know a Word document (a code of its own in
        # messages.py); until then the page says it, and the CLI says "not a workbook".
        return _refuse(item, unusable(item.name, "file-not-workbook").finding, 415, WORD_DOCUMENT)
    if inflated > limits.max_inflated_bytes:
        _refuse(item, unusable(item.name, "file-too-large", reason=(
            f"{mb(inflated)} udpakket; højst {mb(limits.max_inflated_bytes)}")).finding, 413)


def _is_word(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def validate(session: Session, settings: Settings) -> None:
    """Check every usable file of the batch again with the library (as `valider` would) and
    write the marked copies; the refused files are added to the report's unusable files."""
    for item in session.uploads:
        check(item, settings.limits)
    marks = session.folder / "markeret"
    shutil.rmtree(marks, ignore_errors=True)
    marks.mkdir(parents=True)
    usable = session.usable
    if usable:
        result = validate_batch([u.path for u in usable], config=settings.config,
                                strict=session.strict, marks_dir=marks,
                                display_names=session.display_names, workers=1)
    else:
        result = BatchResult(report=Report(strict=session.strict), intakes=[])
    refused = [u.refused.model_copy(update={"location": u.refused.location.model_copy(
        update={"file": u.name})}) for u in session.uploads if u.refused is not None]
    result.report.unusable[:0] = refused
    session.report, session.intakes, session.annotated = \
        result.report, result.intakes, result.annotated
    by_path = {u.path: u for u in session.uploads}
    for upload in session.uploads:
        upload.annotated = None
    for intake_path, marked in result.annotated.items():
        if intake_path in by_path:
            by_path[intake_path].annotated = marked

"""PDF through LibreOffice: one headless soffice process for the whole batch."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SagsgeneratorError
from ..output import atomic_write

# Where LibreOffice lives when it is not on PATH.
KNOWN_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class LibreOfficeMissing(SagsgeneratorError):
    """Raised when --pdf is asked for and LibreOffice (soffice) cannot be found."""


class PdfConversionFailed(SagsgeneratorError):
    """Raised when LibreOffice runs but does not produce a PDF for every document."""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in KNOWN_LOCATIONS if Path(p).is_file()), None)


def convert_to_pdf(documents: list[Path], out_dir: Path,
                   timeout: float | None = None) -> list[Path]:
    """Convert every .docx to a PDF in out_dir (written atomically); the PDFs, in order."""
    if not documents:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing(
            "PDF kræver LibreOffice, men programmet 'soffice' blev ikke fundet. Installér "
            "LibreOffice (https://da.libreoffice.org), eller kør uden --pdf og gem som PDF "
            "fra Word.")
    timeout = timeout or 120 + 20 * len(documents)
    with tempfile.TemporaryDirectory(prefix="sagsgenerator-pdf-") as tmp:
        tmp_dir = Path(tmp)
        # A fresh profile: works while the user has LibreOffice open, and leaves theirs alone.
        profile = (tmp_dir / "profil").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(tmp_dir / "pdf"),
                   *[str(d.resolve()) for d in documents]]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionFailed(f"LibreOffice blev ikke færdig med at lave PDF inden for "
                                      f"{int(timeout)} sekunder.") from exc
        except OSError as exc:
            raise LibreOfficeMissing(f"LibreOffice ('{soffice}') kunne ikke startes: "
                                     f"{exc.strerror or exc}.") from exc
        written = []
        for document in documents:
            pdf = tmp_dir / "pdf" / f"{document.stem}.pdf"
            if not pdf.is_file() or pdf.stat().st_size == 0:
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise PdfConversionFailed(
                    f"LibreOffice kunne ikke lave '{document.name}' om til PDF"
                    + (f": {detail[-1]}" if detail else "."))
            written.append(atomic_write(out_dir / pdf.name,
                                        lambda target, src=pdf: shutil.copyfile(src, target)))
    return written

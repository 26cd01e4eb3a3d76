"""Every generated document opens in LibreOffice and becomes a PDF (one soffice run)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sagsgenerator.documents import render_documents
from sagsgenerator.errors import SagsgeneratorError
from sagsgenerator.render import office
from sagsgenerator.render.office import LibreOfficeMissing
from sagsgenerator.validation.validate import validate_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input"


def words(text: str) -> str:
    """Text without spaces and hyphens: pdftotext joins lines wrapped at a hyphen without it."""
    return re.sub(r"[\s\-]", "", text)


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) er ikke installeret")
def test_every_document_converts_to_pdf(tmp_path, monkeypatch):
    calls = []
    run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return run(command, *args, **kwargs)

    monkeypatch.setattr(office.subprocess, "run", counting_run)
    _, intakes = validate_paths([EXAMPLES])
    written = render_documents(intakes, tmp_path, pdf=True)
    assert len(calls) == 1  # one soffice process for the whole batch

    documents = [p for p in written if p.suffix == ".docx"]
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert [p.stem for p in pdfs] == [p.stem for p in documents]
    assert all(p.parent == tmp_path and p.read_bytes().startswith(b"%PDF") for p in pdfs)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) er ikke installeret")

    def text(pdf: Path) -> str:
        return words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                    text=True, check=True).stdout)

    titles = [p.title for intake in intakes for p in intake.proposals]
    catalogue = text(tmp_path / "idekatalog.pdf")
    plan = text(tmp_path / "handleplan.pdf")
    follow_up = text(tmp_path / "opfoelgning.pdf")
    for title in titles:
        assert words(title) in catalogue and words(title) in follow_up, title
        # Table rows of the action plan may break across pages (a long Formål must be able
        # to), and pdftotext then reads the title in two pieces.
        assert words(title)[:20] in plan, title
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

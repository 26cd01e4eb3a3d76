"""Previews after the documents (issue 15.3): first-page PNGs, small and 1200 px wide,
through the LibreOffice pool in a background thread with progress; HTML without LibreOffice."""

from __future__ import annotations

import struct
import threading
from pathlib import Path

import pytest

from sagsgenerator.render import office
from sagsgenerator.web import preview
from sagsgenerator.web.preview import LARGE_WIDTH, SMALL_WIDTH, PreviewJob, make_previews

from test_office import picture_docx, toc_docx

needs_tools = pytest.mark.skipif(not preview.png_tools(),
                                 reason="LibreOffice og pdftoppm er ikke installeret")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG")
    return struct.unpack(">II", data[16:24])


@needs_tools
def test_previews_in_the_background_with_progress(tmp_path):
    documents = [picture_docx(tmp_path / f"sag-{n}.docx", title=f"Sag {n}") for n in range(3)]
    documents.append(toc_docx(tmp_path / "idekatalog.docx"))
    before = [d.read_bytes() for d in documents]
    calls = []
    job = PreviewJob(documents, tmp_path / "vis", progress=lambda *a: calls.append(a))
    assert job.start() is job        # returns at once; the work is in a daemon thread
    assert job.thread is not None and job.thread.daemon
    assert job.wait(300)
    assert [c[0] for c in calls] == [1, 2, 3, 4] and {c[1] for c in calls} == {4}
    assert [p.document for p in job.previews] == documents
    for n, made in enumerate(job.previews):
        assert made.error is None and made.html is None
        assert made.small == tmp_path / "vis" / f"{n}.png"
        assert made.large == tmp_path / "vis" / f"{n}-stor.png"
        assert png_size(made.small)[0] == SMALL_WIDTH
        width, height = png_size(made.large)
        assert width == LARGE_WIDTH and 1.25 < height / width < 1.5     # portrait (Letter, A4)
    assert [d.read_bytes() for d in documents] == before     # previews change no document


@needs_tools
def test_given_pdfs_are_not_converted_again(tmp_path, monkeypatch):
    document = picture_docx(tmp_path / "sag.docx")
    [pdf] = office.convert_to_pdf([document], tmp_path)
    monkeypatch.setattr(preview, "OfficePool", None)     # would fail if LibreOffice were used
    [made] = make_previews([document], tmp_path / "vis", pdfs={document: pdf})
    assert made.small is not None and made.large is not None


@needs_tools
def test_a_document_that_fails_gets_an_html_preview(tmp_path):
    good = picture_docx(tmp_path / "god.docx")
    broken = tmp_path / "ødelagt.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    good_preview, broken_preview = make_previews([good, broken], tmp_path / "vis")
    assert good_preview.small is not None
    assert broken_preview.small is None and "ødelagt.docx" in broken_preview.error


@needs_tools
def test_cancel_ends_libreoffice(tmp_path):
    documents = [picture_docx(tmp_path / f"{n}.docx") for n in range(6)]
    started = threading.Event()
    job = PreviewJob(documents, tmp_path / "vis", workers=1,
                     progress=lambda *a: started.set())
    job.start()
    assert started.wait(300)
    job.cancel()
    assert job.wait(60)
    assert len(job.ready) < len(documents) or job.done == len(documents)


def test_html_previews_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "find_soffice", lambda: None)
    monkeypatch.setattr(preview, "find_soffice", lambda: None)
    document = picture_docx(tmp_path / "sag.docx")
    calls = []
    [made] = make_previews([document], tmp_path / "vis", progress=lambda *a: calls.append(a))
    assert made.small is None and "Økonomi" in made.html
    assert "LibreOffice" in made.error and calls == [(1, 1, made)]

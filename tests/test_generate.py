"""`sagsgenerator generer`: valid rows rendered, the rest reported, the same bytes on every
run and however many processes share the work."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from docx import Document

from sagsgenerator.cli import cli
from sagsgenerator.documents import render_documents
from sagsgenerator.validation.validate import validate_paths

from conftest import GROUP, proposal

INPUT = Path(__file__).resolve().parents[1] / "input"


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix in (".docx", ".xlsx")}


def test_generer_renders_valid_rows_and_reports_the_rest(runner, tmp_path):
    out = tmp_path / "ud"
    before = digests(INPUT)
    result = runner.invoke(cli, ["generer", str(INPUT), "--ud", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1].startswith("3 filer læst; 16 rækker læst: 11 gyldige, 5 med fejl "
                                "(5 fejl, 1 advarsel); 17 filer skrevet på ")
    assert sum(line.startswith("Skrev ") for line in lines) == 17
    assert f"Markeret kopi: {out / 'med-fejl-markeret.xlsx'}" in lines
    assert digests(INPUT) == before                     # inputs never change
    papers = sorted(out.glob("sagsfremstilling-*.docx"))
    assert len(papers) == 11                            # every valid row, no invalid one
    titles = {Document(p).core_properties.title for p in papers}
    report, intakes = validate_paths([INPUT])
    assert titles == {p.title for i in intakes for p in i.proposals}
    # Rows read = rows rendered + rows reported.
    reported = {(f.location.file, f.row) for f in report.errors if f.row}
    assert report.rows_read == len(papers) + len(reported)


def test_only_chosen_kinds(runner, tmp_path):
    result = runner.invoke(cli, ["generer", str(INPUT / "boern-og-unge.xlsx"), "--ud",
                                 str(tmp_path), "--dokumenter", "idekatalog",
                                 "--dokumenter", "handleplan"])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "handleplan.docx", "handleplan.xlsx", "idekatalog.docx", "sagsgenerator.db"]


def test_no_valid_rows_writes_nothing(runner, make_intake, tmp_path):
    path = make_intake([proposal(1, Titel=None)], name="tom.xlsx")
    result = runner.invoke(cli, ["generer", str(path), "--ud", str(tmp_path / "ud")])
    assert result.exit_code == 1
    assert "Ingen gyldige forslag: der er ikke skrevet nogen dokumenter." in result.output
    assert not list((tmp_path / "ud").glob("*.docx"))


def test_parallel_and_serial_give_the_same_bytes(make_intake, tmp_path):
    paths = [make_intake([proposal(n, Titel=f"Indsats {g}-{n}") for n in range(1, 9)],
                         group={**GROUP, "Arbejdsgruppe": f"Gruppe {g}"}, name=f"g{g}.xlsx")
             for g in range(8)]
    _, intakes = validate_paths(paths, workers=2)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    written = render_documents(intakes, serial, workers=1)
    assert len(written) == 64 + 5       # + catalogue, plan (.docx, .xlsx), follow-up, 1 committee
    render_documents(intakes, parallel, workers=2)
    assert digests(serial) == digests(parallel)
    render_documents(intakes, serial, workers=2)            # a second run: byte-identical
    assert digests(serial) == digests(parallel)


def test_unwritable_output_folder_is_a_danish_error(runner, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("ikke en mappe")
    result = runner.invoke(cli, ["generer", str(INPUT / "boern-og-unge.xlsx"), "--ud",
                                 str(blocker / "ud")])
    assert result.exit_code == 2
    assert result.output.startswith("Fejl: Mappen ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("date", ["2026-12-02", "2099-03-01"], ids=["past", "after-the-clock"])
def test_documents_carry_the_run_date_and_reruns_are_identical(runner, make_intake, tmp_path,
                                                               monkeypatch, date):
    """Issue 14 B11: created/modified are the run's date (--dato, else SOURCE_DATE_EPOCH),
    not 2000-01-01 nor the computer's clock (also when --dato lies after it), and a rerun
    with the same date gives the same bytes."""
    import re
    import zipfile

    path = make_intake()
    for out in ("a", "b"):
        result = runner.invoke(cli, ["generer", str(path), "--ud", str(tmp_path / out),
                                     "--dato", date, "--uden-register"])
        assert result.exit_code == 0, result.output
    stamp = f"{date}T00:00:00Z"
    for document in (tmp_path / "a").iterdir():
        core = zipfile.ZipFile(document).read("docProps/core.xml").decode()
        stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
        assert stamps == [("created", stamp), ("modified", stamp)], (document.name, stamps)
        assert (tmp_path / "b" / document.name).read_bytes() == document.read_bytes(), document.name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")          # 1 January 2026
    assert runner.invoke(cli, ["generer", str(path), "--ud", str(tmp_path / "c"),
                               "--uden-register"]).exit_code == 0
    core = zipfile.ZipFile(tmp_path / "c" / "idekatalog.docx").read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core


# --- a small run on two cores: a helper renders, this process reads and writes the workbook ---

HELPER_SCRIPT = """\
import datetime as dt, sys
from pathlib import Path
from sagsgenerator.batch import run_batch
paths = [Path(p) for p in sys.argv[3:]]
today = dt.date(2026, 12, 2)
result = run_batch(paths, Path(sys.argv[1]), today=today, workers=2, register=None)
print(sorted(m for m in ('docx', 'docxtpl', 'jinja2') if m in sys.modules))
run_batch(paths, Path(sys.argv[2]), today=today, workers=1, register=None)
print(len(result.documents))
"""


def test_a_small_run_renders_in_a_helper_with_the_same_bytes(tmp_path):
    """Issue 16: a small batch on two cores is rendered by one worker started before the
    workbooks are read (it loads docx, docxtpl and Jinja and prepares the templates
    meanwhile); this process never loads them. The documents are those of one process."""
    import os
    import subprocess
    import sys

    import sagsgenerator
    source = str(Path(sagsgenerator.__file__).parents[1])
    helped, alone = tmp_path / "to", tmp_path / "en"
    inputs = [str(INPUT / "boern-og-unge.xlsx"), str(INPUT / "kronisk-sygdom.xlsx")]
    done = subprocess.run([sys.executable, "-c", HELPER_SCRIPT, str(helped), str(alone), *inputs],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": source})
    assert done.returncode == 0, done.stderr
    loaded, count = done.stdout.splitlines()
    assert loaded == "[]"
    assert int(count) == 15                     # 14 Word documents and handleplan.xlsx
    assert digests(helped) == digests(alone)
    assert len(digests(helped)) == 16           # and the marked copy of kronisk-sygdom.xlsx


def test_the_helper_never_replaces_an_input(tmp_path):
    """The helper was started before the inputs were known: it guards them all the same. A
    document given as input (by mistake) is reported, and not overwritten by its namesake."""
    from sagsgenerator.batch import run_batch
    from sagsgenerator.errors import InputWouldBeOverwritten

    out = tmp_path / "ud"
    out.mkdir()
    catalogue = out / "idekatalog.docx"
    catalogue.write_bytes(b"not a document of ours")
    with pytest.raises(InputWouldBeOverwritten) as info:
        run_batch([INPUT / "boern-og-unge.xlsx", catalogue], out, workers=2)
    assert str(catalogue) in info.value.danish
    assert catalogue.read_bytes() == b"not a document of ours"


EARLY_SCRIPT = """\
import contextlib, json, sys
from sagsgenerator import config_file, processes
events = []
real_helper, real_load = processes.early_helper, config_file.load_config

def loaded(names):
    return [name for name in names if name in sys.modules]

@contextlib.contextmanager
def helper_spy(inputs, workers):
    with real_helper(inputs, workers) as helper:
        events.append(["helper", helper.submit(loaded, processes.HELPER_MODULES).result()
                       if helper else None])
        yield helper

def load_spy(*args, **kwargs):
    events.append(["config"])
    return real_load(*args, **kwargs)

processes.early_helper, config_file.load_config = helper_spy, load_spy
from sagsgenerator.cli import cli
try:
    cli.main(sys.argv[1:])
except SystemExit as exc:
    events.append(["exit", exc.code])
print(json.dumps([events, sorted(m for m in ("docx", "docxtpl", "jinja2") if m in sys.modules)]))
"""


def test_generer_starts_its_helper_before_it_reads_the_configuration(tmp_path):
    """Issue 16: `generer` of a few workbooks forks the helper first, so that it loads
    pydantic, the engine and python-docx while this process loads what reading needs. The
    documents are byte for byte those of one process, which never loads docx or Jinja."""
    import json
    import os
    import subprocess
    import sys

    import sagsgenerator
    source = str(Path(sagsgenerator.__file__).parents[1])
    inputs = [str(INPUT / "boern-og-unge.xlsx"), str(INPUT / "kronisk-sygdom.xlsx")]
    runs = {}
    for name, extra in (("to", []), ("en", ["--processer", "1"])):
        argv = ["generer", *inputs, "--ud", str(tmp_path / name), "--uden-register",
                "--dato", "2026-12-02", *extra]
        done = subprocess.run([sys.executable, "-c", EARLY_SCRIPT, *argv], capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": source})
        assert done.returncode == 0, done.stderr
        runs[name] = json.loads(done.stdout.splitlines()[-1])
    from sagsgenerator.processes import HELPER_MODULES
    assert runs["to"] == [[["helper", list(HELPER_MODULES)], ["config"], ["exit", 0]], []]
    assert runs["en"][0] == [["helper", None], ["config"], ["exit", 0]]
    assert digests(tmp_path / "to") == digests(tmp_path / "en")
    assert len(digests(tmp_path / "to")) == 16


def test_no_early_helper_for_a_large_run_or_one_core(tmp_path):
    from sagsgenerator.processes import POOL_FROM_FILES, _workbooks, early_helper

    folder = tmp_path / "ind"
    folder.mkdir()
    for n in range(POOL_FROM_FILES - 1):
        (folder / f"gruppe-{n}.xlsx").write_bytes(b"")
    (folder / "~$gruppe-0.xlsx").write_bytes(b"")             # Excel's lock file
    (folder / "noter.txt").write_bytes(b"")
    assert _workbooks([folder], 100) == POOL_FROM_FILES - 1
    with early_helper([folder], 2) as helper:
        assert helper is not None
    with early_helper([folder], 1) as helper:
        assert helper is None
    (folder / "sendt-igen.xlsm").write_bytes(b"")
    assert _workbooks([folder, tmp_path / "enkelt.xlsx"], 100) == POOL_FROM_FILES + 1
    with early_helper([folder], 2) as helper:
        assert helper is None

"""Every bad input of scripts/make_corpus.py through the CLI: the exit status and the exact
lines, no traceback, the inputs' bytes untouched, no hang, and every row read either valid
or reported."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from sagsgenerator.cli import cli
from sagsgenerator.errors import IntakeUnusable
from sagsgenerator.intake import reader
from sagsgenerator.validation.validate import validate_paths

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from make_corpus import Case, build_corpus  # noqa: E402

PLAN = build_corpus(Path("korpus"), write=False)  # names and expectations; writes nothing
NAMES = [case.name for case in PLAN]
OS_ERRORS = [os.strerror(code) for code in errno.errorcode if code]  # English, never shown
READING = [case.name for case in PLAN   # the cases where rows are read
           if case.argv[0] == "valider" and case.exit != 2 and not (case.skip or case.pending)]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    """The corpus, built once for the session."""
    cases = {case.name: case for case in build_corpus(tmp_path_factory.mktemp("korpus"))}
    yield cases
    for case in cases.values():                 # let pytest clean up after us
        for path in case.files:
            if path.exists() and not path.is_symlink():
                path.chmod(0o644)


@contextmanager
def time_limit(seconds: float, name: str):
    """Fail (not hang) when a case runs longer than its limit."""
    def expired(signum, frame):
        pytest.fail(f"{name}: mere end {seconds} sekunder", pytrace=False)
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def locked(path: Path | None):
    """The file made immutable (chattr +i): it cannot be replaced, like a file open in Excel."""
    if path is None:
        yield
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip(f"chattr +i virker ikke på {path.parent}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def fingerprint(path: Path) -> str:
    if not os.access(path, os.R_OK):            # chmod 000 as a normal user
        stat = path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(runner, case: Case, *extra: str):
    with time_limit(case.limit, case.name), locked(case.lock):
        before = {path: fingerprint(path) for path in case.files}
        result = runner.invoke(cli, [*case.argv, *extra])
        after = {path: fingerprint(path) for path in case.files}
    assert after == before, "en inputfil er ændret"
    assert "Traceback" not in result.output
    english = [text for text in OS_ERRORS if text in result.output]
    assert not english, f"engelsk fejltekst fra systemet: {english}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{case.name}: undtagelse {result.exception!r}")
    return result


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, corpus: dict[str, Case], runner, request) -> None:
    case = corpus[name]
    if case.skip:
        pytest.skip(case.skip)
    if case.pending:
        request.applymarker(pytest.mark.xfail(reason=case.pending, strict=True))
    result = run(runner, case)
    lines = result.output.splitlines()
    assert result.exit_code == case.exit, result.output
    if case.lines is not None:
        assert lines == case.lines
    for text in case.contains:
        assert any(text in line for line in lines), f"{text!r} mangler i:\n{result.output}"


@pytest.mark.parametrize("name", READING)
def test_rows_reconcile(name: str, corpus: dict[str, Case], runner) -> None:
    """Nothing lost: rows read = valid + with errors, and no row is both valid and in error."""
    case = corpus[name]
    report = json.loads(run(runner, case, "--json").output)
    assert report["rækker_læst"] == report["gyldige"] + report["med_fejl"]
    error_rows = {(f["fil"], f["række"]) for f in report["fund"]
                  if f["alvor"] == "fejl" and f["række"] is not None}
    assert len(error_rows) == report["med_fejl"]
    _, intakes = validate_paths(case.files)
    valid_rows = {(intake.name, p.source.row) for intake in intakes for p in intake.proposals}
    assert len(valid_rows) == report["gyldige"] and not valid_rows & error_rows


def test_corpus_is_large_enough() -> None:
    assert len(NAMES) >= 40 and len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("name", ["billion-laughs-sharedstrings", "billion-laughs-ark",
                                  "ekstern-entitet"])
def test_parser_refuses_entities_without_the_prescan(name, corpus, monkeypatch) -> None:
    """Behind check_file's DOCTYPE scan, openpyxl parses with defusedxml: still refused, fast."""
    monkeypatch.setattr(reader, "check_file", lambda path, name: None)
    with time_limit(2, name), pytest.raises(IntakeUnusable) as info:
        reader.read_intake(corpus[name].files[0])
    assert info.value.finding.code == "file-unsafe"

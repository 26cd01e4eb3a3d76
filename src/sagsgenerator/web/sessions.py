"""Per-upload sessions: a temporary folder, what was read from it, and the documents made.

A session id is a random token in the URL (nothing else identifies a user of a local
tool); the folder is removed when the session has not been used for `ttl` seconds, when
the user asks, and when the server stops.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Report
from ..model import Intake

ROOT_PREFIX = "sagsgenerator-web-"
MARKER = ".sagsgenerator-web"          # only folders holding this file are ever swept
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
MAX_NAME = 100


def safe_name(filename: str | None) -> str:
    """A display and file name made from what the browser sent, never trusted: the last
    path component only (either slash), no control characters, no leading dots, bounded.
    Returns "" when nothing usable is left."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    # Keep letters (æ, ø, å too), digits and a few harmless marks; Windows forbids <>:"|?*.
    name = re.sub(r"[^\w .()+,-]", "_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + "." + suffix) if dot and len(suffix) <= 10 \
            else name[:MAX_NAME]
    return name


@dataclass
class Upload:
    """One uploaded workbook: the name the user sees and where it lies in the session."""

    index: int
    name: str
    path: Path
    annotated: Path | None = None
    refused: Finding | None = None       # turned away before the library read it
    refused_text: str = ""               # ... and what the user is told
    refused_status: int = 422

    @property
    def usable(self) -> bool:
        return self.refused is None


@dataclass
class Document:
    """One written document; `kind` is the document kind it was rendered as."""

    index: int
    kind: str
    path: Path
    preview_png: Path | None = None
    preview_html: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Job:
    """Generating documents in the background: state, progress and the result."""

    kinds: list[str]
    pdf: bool
    state: str = "venter"              # venter, koerer, faerdig, fejl
    step: str = "Venter på tur ..."
    done: int = 0
    total: int = 1
    documents: list[Document] = field(default_factory=list)
    zip_path: Path | None = None
    error: str | None = None
    previews: str = "venter"           # venter, koerer, faerdig: after the documents
    started: float = 0.0
    seconds: float = 0.0               # from the click to the documents being ready
    report: Report | None = None       # the findings of the run that made the documents
    strict: bool = False

    @property
    def finished(self) -> bool:
        return self.state in ("faerdig", "fejl")


@dataclass
class Session:
    """Everything one upload produced; lives in `folder` until it expires."""

    id: str
    folder: Path
    touched: float
    strict: bool = False
    uploads: list[Upload] = field(default_factory=list)
    report: Report | None = None
    intakes: list[Intake] = field(default_factory=list)
    annotated: dict[Path, Path] = field(default_factory=dict)
    job: Job | None = None
    next_index: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def display(self, text: str) -> str:
        """Text with the session's file paths replaced by the names the user gave."""
        for upload in self.uploads:
            text = text.replace(str(upload.path), upload.name)
        return text

    def upload_named(self, path_text: str) -> Upload | None:
        return next((u for u in self.uploads if str(u.path) == path_text
                     or u.name == path_text), None)

    @property
    def usable(self) -> list[Upload]:
        return [u for u in self.uploads if u.usable]

    @property
    def display_names(self) -> dict[Path, str]:
        return {u.path: u.name for u in self.uploads}


class SessionStore:
    """Sessions by id, their folders under one temporary root; thread-safe."""

    def __init__(self, ttl: float, max_sessions: int = 500, root: Path | None = None):
        self.ttl = ttl
        self.max_sessions = max_sessions
        self.root = root or Path(tempfile.mkdtemp(prefix=ROOT_PREFIX))
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / MARKER).touch()
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def create(self) -> Session | None:
        """A new, empty session; None when there are too many already."""
        self.sweep()
        with self._lock:
            if len(self._sessions) >= self.max_sessions:
                return None
            session_id = secrets.token_urlsafe(24)
            folder = self.root / session_id
            folder.mkdir()
            session = Session(id=session_id, folder=folder, touched=time.monotonic())
            self._sessions[session_id] = session
            return session

    def get(self, session_id: str) -> Session | None:
        """The session, touched; None when unknown or expired."""
        if not SESSION_ID.fullmatch(session_id):
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if self._expired(session, time.monotonic()):
                self._drop(session)
                return None
            session.touched = time.monotonic()
            return session

    def remove(self, session_id: str) -> None:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                self._drop(session)

    def sweep(self) -> int:
        """Remove expired sessions (never one whose documents are being made); how many."""
        now = time.monotonic()
        with self._lock:
            expired = [s for s in self._sessions.values() if self._expired(s, now)]
            for session in expired:
                self._drop(session)
        return len(expired)

    def close(self, wait: float = 10.0) -> None:
        """Remove every session and the root folder. A job still writing (documents or
        previews) is given `wait` seconds to finish, so that it cannot create the folder
        again after it was removed."""
        with self._lock:
            sessions = list(self._sessions.values())
            self._sessions.clear()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(
                s.job is not None and (not s.job.finished or s.job.previews == "koerer")
                for s in sessions):
            time.sleep(0.05)
        for _ in range(3):
            shutil.rmtree(self.root, ignore_errors=True)
            if not self.root.exists():
                break
            time.sleep(0.2)

    def _expired(self, session: Session, now: float) -> bool:
        busy = session.job is not None and not session.job.finished
        return not busy and now - session.touched > self.ttl

    def _drop(self, session: Session) -> None:
        self._sessions.pop(session.id, None)
        shutil.rmtree(session.folder, ignore_errors=True)


def remove_stale_roots(ttl: float, keep: Path | None = None) -> int:
    """Remove roots left behind by servers that were killed (a closed console window on
    Windows), once older than ttl. Only folders carrying our marker file are touched."""
    removed = 0
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{ROOT_PREFIX}*"):
        try:
            if folder == keep or not (folder / MARKER).is_file():
                continue
            if now - folder.stat().st_mtime > ttl and now - (folder / MARKER).stat().st_mtime > ttl:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed

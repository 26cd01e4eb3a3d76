"""A bounded load test: 20 concurrent uploads to the real server on 127.0.0.1.

Every upload must be answered with its own session and the right row reconciliation; none
lost. Time and peak memory are printed (run with -s) and written to /tmp/web-load.txt.

    .venv/bin/pytest -q -s tests/test_web_load.py
"""

from __future__ import annotations

import html
import re
import resource
import socket
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sagsgenerator.validation.validate import validate_paths  # noqa: E402
from sagsgenerator.web import create_app  # noqa: E402

INPUT = Path(__file__).resolve().parents[1] / "input"
EXAMPLES = ["boern-og-unge.xlsx", "kronisk-sygdom.xlsx", "med-fejl.xlsx"]
UPLOADS = 20
TIME_LIMIT = 30.0


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"filer\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(base: str, name: str) -> tuple[str, int, str, float]:
    body, content_type = _multipart(name, (INPUT / name).read_bytes())
    request = urllib.request.Request(base + "/upload", data=body, method="POST",
                                     headers={"Content-Type": content_type, "Origin": base})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:   # follows the 303
        page = response.read().decode("utf-8")
        status, url = response.status, response.url
    summary = re.search(r"<span data-summary>([^<]*)</span>", page)
    return url, status, html.unescape(summary.group(1)) if summary else "", \
        time.perf_counter() - started


@pytest.fixture(scope="module")
def server():
    sock = socket.create_server(("127.0.0.1", 0))
    app = create_app(port=sock.getsockname()[1])
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", app
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_twenty_concurrent_uploads(server):
    base, app = server
    expected = {name: validate_paths([INPUT / name])[0].summary() for name in EXAMPLES}
    names = [EXAMPLES[i % len(EXAMPLES)] for i in range(UPLOADS)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
        results = list(pool.map(lambda name: _upload(base, name), names))
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    assert [r[1] for r in results] == [200] * UPLOADS
    assert [r[2] for r in results] == [expected[n] for n in names]
    sessions = {r[0] for r in results}
    assert len(sessions) == UPLOADS, "every upload gets its own session"
    assert len(app.state.store) == UPLOADS
    assert elapsed < TIME_LIMIT

    slowest = max(r[3] for r in results)
    report = (f"{UPLOADS} samtidige uploads besvaret korrekt på {elapsed:.2f} s "
              f"(langsomste {slowest:.2f} s, gennemsnit {sum(r[3] for r in results) / UPLOADS:.2f} s); "
              f"største hukommelsesforbrug (ru_maxrss, hele testprocessen med server) "
              f"{peak / 1024:.0f} MB (før: {before / 1024:.0f} MB)")
    Path("/tmp/web-load.txt").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)

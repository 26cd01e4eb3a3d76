"""One LibreOffice worker: started by office.py, never imported by sagsgenerator.

Runs as the leader of its own process group and starts one headless soffice beside it,
so the parent ends both with one killpg. It dies with its parent (PR_SET_PDEATHSIG on
Linux) and takes soffice along. Only the standard library (and `uno`) is used: the script
is run by whichever Python can import LibreOffice's `uno` module (Debian's python3-uno, or
the Python bundled with LibreOffice on Windows and macOS), or, for the "cli" mode, by any
Python.

uno mode: `uno_convert.py uno SOFFICE PROFILE_URL PIPE PARENT_PID`. It answers
{"ready": true} once connected, then reads one JSON job a line on stdin:
    {"src": path, "pdf": path|null, "docx": path|null, "tagged": bool, "pdfa": bool,
     "update_indexes": bool}
and answers one JSON line each: {"ok": true, "indexes": n} or {"ok": false, "error": text}.
The document is loaded once: its indexes are updated (when asked), it is stored as .docx
(when asked and it has indexes) and exported as PDF, all in this one LibreOffice.

cli mode: `uno_convert.py cli SOFFICE PROFILE_URL OUTDIR FILTER PARENT_PID FILE...` runs
one `soffice --convert-to FILTER` call for all the files and passes on its "convert" lines
as {"converting": path}; the exit status is soffice's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int) -> None:
    """Ask Linux to send `sig` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        pass


PROFILE: str | None = None      # this worker's profile folder, removed when it is killed


def group_members() -> list[int]:
    """The other live processes (not zombies) in this process group (Linux: /proc)."""
    me, found = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == me and fields[0] != "Z":
            found.append(int(name))
    return found


def kill_group(*_: object) -> None:
    """Kill soffice and this process (everything in our process group); on Linux remove
    the profile first, as a parent killed outright cannot."""
    try:
        if os.getpgid(0) == os.getpid():
            if sys.platform.startswith("linux") and PROFILE:
                for pid in group_members():
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                import shutil
                deadline = time.monotonic() + 5
                while group_members() and time.monotonic() < deadline:
                    time.sleep(0.05)        # soffice.bin has many threads to end
                for _ in range(3):
                    shutil.rmtree(PROFILE, ignore_errors=True)
                    if not os.path.exists(PROFILE):
                        break
                    time.sleep(0.1)
                try:
                    os.rmdir(os.path.dirname(PROFILE))      # the pool's folder, when empty
                except OSError:
                    pass
            os.killpg(os.getpid(), signal.SIGKILL)
    except (AttributeError, OSError):
        pass
    os._exit(1)


# glibc's malloc, for soffice: it allocates and frees blocks of some 100 MB again and again;
# by default each is a fresh mmap, faulted in page by page when used (300,000 faults, a
# second in the kernel for one document). Kept in the heap, a conversion starts in half the
# time (0.8 s against 1.6-1.9 s), for 50 MB more at most. Other C libraries ignore these.
MALLOC_SETTINGS = {"MALLOC_MMAP_THRESHOLD_": str(256 << 20),
                   "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}


def start_soffice(soffice: str, profile: str, extra: list[str],
                  stdout: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    env = dict(os.environ)
    # LibreOffice writes under $HOME (.cache, .config) even with its own profile: keep
    # that inside the profile folder, which goes when the worker does.
    if PROFILE:
        env["HOME"] = PROFILE
    env.pop("SAL_USE_VCLPLUGIN", None)
    env.update(MALLOC_SETTINGS)
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
               "--nologo", "--norestore", "--nolockcheck", *extra]
    kwargs: dict = {}
    if sys.platform.startswith("linux"):
        kwargs["preexec_fn"] = lambda: die_with_parent(signal.SIGKILL)   # single-threaded here
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stdout,
                            stderr=subprocess.STDOUT if stdout == subprocess.PIPE
                            else subprocess.DEVNULL, env=env, **kwargs)


def send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def guard(parent: int, profile: str) -> None:
    global PROFILE
    if profile.startswith("file://"):
        from urllib.parse import unquote, urlparse
        PROFILE = unquote(urlparse(profile).path)
    die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:          # the parent died before prctl took effect
        kill_group()
    signal.signal(signal.SIGTERM, kill_group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides on Ctrl+C


def run_cli(soffice: str, profile: str, outdir: str, filter_: str, files: list[str]) -> int:
    office = start_soffice(soffice, profile, ["--convert-to", filter_, "--outdir", outdir,
                                              *files], stdout=subprocess.PIPE)
    assert office.stdout is not None
    for raw in office.stdout:
        line = raw.decode("utf-8", "replace").strip()
        if line.startswith("convert "):
            source = line[len("convert "):].split(" -> ", 1)[0]
            send({"converting": source})
        elif line.startswith("Error"):
            send({"message": line})
    return office.wait()


def run_uno(soffice: str, profile: str, pipe: str) -> int:
    import uno
    from com.sun.star.beans import PropertyValue

    def props(**values: object) -> tuple:
        out = []
        for name, value in values.items():
            p = PropertyValue()
            p.Name, p.Value = name, value
            out.append(p)
        return tuple(out)

    office = start_soffice(soffice, profile, [
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"])
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 240
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception as exc:        # NoConnectException until the listener is up
            # A fresh profile makes soffice restart once (oosplash handles it), so an
            # exited soffice is only an error when it exited with something else.
            if office.poll() is not None and office.returncode not in (0, 81):
                send({"ready": False, "error": f"soffice exited with {office.returncode}"})
                return 1
            if time.monotonic() > deadline:
                send({"ready": False, "error": f"no connection: {exc}"})
                return 1
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    send({"ready": True})

    for line in sys.stdin:
        job = json.loads(line)
        if job.get("quit"):
            break
        doc = None
        try:
            url = uno.systemPathToFileUrl(os.path.abspath(job["src"]))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, props(
                Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0))
            if doc is None:
                raise RuntimeError("the document could not be loaded")
            indexes = 0
            if job.get("update_indexes") and hasattr(doc, "getDocumentIndexes"):
                found = doc.getDocumentIndexes()
                indexes = found.getCount()
                # Twice: the first update may change the index's length and so the pages
                # the headings fall on.
                for _ in range(2 if indexes else 0):
                    for i in range(indexes):
                        found.getByIndex(i).update()
                if indexes and hasattr(doc, "getTextFields"):
                    doc.getTextFields().refresh()
                if indexes and job.get("docx"):
                    doc.storeToURL(uno.systemPathToFileUrl(job["docx"]),
                                   props(FilterName="MS Word 2007 XML"))
            if job.get("pdf"):
                data = {"ExportBookmarks": True, "ExportNotes": False,
                        "DisplayPDFDocumentTitle": True,
                        "UseTaggedPDF": bool(job.get("tagged") or job.get("pdfa"))}
                if job.get("pdfa"):
                    data["SelectPdfVersion"] = 2
                filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", props(**data))
                kind = "calc_pdf_Export" if job["src"].lower().endswith(
                    (".xlsx", ".xls", ".ods")) else "writer_pdf_Export"
                uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(job["pdf"]),
                                               props(FilterName=kind, FilterData=filter_data)))
            send({"ok": True, "indexes": indexes})
        except Exception as exc:
            send({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        finally:
            if doc is not None:
                try:
                    doc.close(True)
                except Exception:
                    pass
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=20)
    except subprocess.TimeoutExpired:
        office.kill()
    return 0


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "uno":
        soffice, profile, pipe, parent = argv[1:5]
        guard(int(parent), profile)
        return run_uno(soffice, profile, pipe)
    if mode == "cli":
        soffice, profile, outdir, filter_, parent, *files = argv[1:]
        guard(int(parent), profile)
        return run_cli(soffice, profile, outdir, filter_, files)
    if mode == "probe":
        import uno  # noqa: F401
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

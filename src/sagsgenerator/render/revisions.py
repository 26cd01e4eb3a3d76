"""Word tracked changes between two renderings of the same template.

`track_changes(old, new, date=...)` returns `new` in which every difference from `old` is
a real Word revision (`w:ins`/`w:del`, word-level, with author and date), so the
secretary can accept or reject each change in Word. Tracking mode itself
(`w:trackRevisions` in settings.xml) is left off: only the revisions are shown.

How it aligns (all in the body of each part, recursively):

* a container (the body, a table cell, a block content control) is a sequence of
  blocks (paragraphs, tables, content controls); old and new blocks are matched by a
  sequence match over their texts. Equal blocks are left exactly as in `new`;
  in a changed stretch, paragraphs are paired with paragraphs and tables with tables
  (by position when the stretch has as many old as new blocks, else by similarity);
  unpaired new blocks are marked inserted, unpaired old blocks are copied in, marked
  deleted, where they stood;
* a pair of tables with the same number of columns is aligned row by row (rows
  added by a docxtpl loop become inserted rows, `w:trPr/w:ins`), cell by cell; tables
  whose columns differ are treated as the old table deleted and the new one inserted;
* a pair of paragraphs gets a word-level diff: tokens are words, punctuation marks and
  whitespace runs, plus tabs, breaks and field characters as tokens of their own;
  each run keeps the formatting (`w:rPr`) of the run its text came from.

Hyperlinks, simple fields, inline content controls and other wrappers inside a
paragraph are compared as one unit each: changed means the old one deleted and the new
one inserted (the new one keeps its link; deleted text keeps its words, not its link,
since the old link's relationship does not exist in the new document).

Deleted old content is copied in without what belongs to the old document only:
bookmarks, comment and footnote references, a section break in its paragraph mark, and
drawings or links whose relationship the new document lacks; its remaining ids (content
controls, drawings) are renumbered. Revision ids start above every w:id in the document.

Not tracked: formatting-only changes (same text, new bold/style: the new formatting is
shown without a `w:rPrChange`), changes in headers/footers unless their part names are
passed in `parts`, footnotes, comments and text boxes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree

from ..errors import SagsgeneratorError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


P, TBL, TR, TC, SDT, R_ = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("r")
PPR, RPR, TRPR, T, DELTEXT = _w("pPr"), _w("rPr"), _w("trPr"), _w("t"), _w("delText")
INS, DEL = _w("ins"), _w("del")
INSTR, DELINSTR = _w("instrText"), _w("delInstrText")
SDT_CONTENT, BODY, SECTPR = _w("sdtContent"), _w("body"), _w("sectPr")
WID = _w("id")
DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"

# Zero-width marks inside a paragraph: kept where they are in the new document,
# dropped from deleted old text (their ids belong to the old document).
MARKERS = {_w(n) for n in (
    "bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart", "commentRangeEnd",
    "permStart", "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
    "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd")}
# Run content that points into the old document's other parts: not copied into deleted text.
OLD_REFERENCES = {_w(n) for n in ("commentReference", "footnoteReference", "endnoteReference")}
BLOCKS = {P, TBL, SDT}
REVISION_TAGS = {INS, DEL, _w("moveFrom"), _w("moveTo")}
# Parts whose root holds blocks directly; the main document holds them in w:body.
SUPPORTED_ROOTS = {_w("document"), _w("hdr"), _w("ftr")}

_TOKEN = re.compile(r"\s+|\w+(?:[.,]\w+)*|[^\w\s]", re.UNICODE)  # "75.000", "1,5" one word
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)

# Replace stretches bigger than this (old x new blocks) are paired by position, not by
# a quadratic similarity search.
_PAIRING_LIMIT = 400
_PARAGRAPH_SIMILARITY = 0.3


# --- public API --------------------------------------------------------------------


def track_changes(old: bytes, new: bytes, *, author: str = "sagsgenerator",
                  date: dt.datetime | dt.date,
                  parts: Iterable[str] = ("word/document.xml",)) -> bytes:
    """`new` with every difference from `old` as a Word revision (w:ins/w:del) by `author`."""
    old_zip = _open_docx(old, "Den tidligere version")
    new_zip = _open_docx(new, "Den nye version")
    with old_zip, new_zip:
        new_names = set(new_zip.namelist())
        old_names = set(old_zip.namelist())
        ids = _Ids(_max_id(new_zip))
        changed: dict[str, bytes] = {}
        for part in parts:
            if part not in new_names or part not in old_names:
                continue
            old_root = _parse(old_zip, part, "Den tidligere version")
            new_root = _parse(new_zip, part, "Den nye version")
            if old_root.tag not in SUPPORTED_ROOTS or new_root.tag != old_root.tag:
                raise ValueError(f"track_changes cannot diff the part {part!r}")
            ctx = _Context(author=author, date=_iso(date), ids=ids,
                           rel_ok=_rel_checker(old_zip, new_zip, part))
            old_box = old_root.find(BODY) if old_root.tag == _w("document") else old_root
            new_box = new_root.find(BODY) if new_root.tag == _w("document") else new_root
            if old_box is None or new_box is None:
                raise SagsgeneratorError(
                    f"Word-dokumentet har ingen brødtekst i {part}; er det en .docx-fil?")
            _align_container(old_box, new_box, ctx)
            if ctx.revisions:
                changed[part] = _serialize(new_root)
        return _rewrite(new_zip, changed)


def accept_all(docx: bytes) -> bytes:
    """The document with every revision accepted: insertions kept, deletions gone."""
    return _resolve(docx, accept=True)


def reject_all(docx: bytes) -> bytes:
    """The document with every revision rejected: deletions back, insertions gone."""
    return _resolve(docx, accept=False)


# --- package level -----------------------------------------------------------------


def _open_docx(data: bytes, which: str) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, TypeError, ValueError) as exc:
        raise SagsgeneratorError(
            f"{which} er ikke et Word-dokument (.docx): filen kan ikke åbnes som zip.") from exc
    if "word/document.xml" not in z.namelist():
        z.close()
        raise SagsgeneratorError(
            f"{which} er ikke et Word-dokument (.docx): word/document.xml mangler.")
    return z


def _parse(z: zipfile.ZipFile, part: str, which: str) -> etree._Element:
    try:
        return etree.fromstring(z.read(part), _PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SagsgeneratorError(
            f"{which} er ikke et gyldigt Word-dokument: {part} kan ikke læses ({exc}).") from exc


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(src: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    """Every member of `src` in its order and compression, `changed` ones replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = changed.get(info.filename)
            dst.writestr(info, src.read(info) if data is None else data)
    return out.getvalue()


def _max_id(z: zipfile.ZipFile) -> int:
    """The highest numeric w:id anywhere in the document (bookmarks, comments, revisions)."""
    highest = 0
    pattern = re.compile(rb'w:id="(-?\d+)"')
    for name in z.namelist():
        if name.startswith("word/") and name.endswith(".xml"):
            for m in pattern.finditer(z.read(name)):
                highest = max(highest, int(m.group(1)))
    return highest


def _iso(date: dt.datetime | dt.date) -> str:
    if not isinstance(date, dt.datetime):
        date = dt.datetime(date.year, date.month, date.day)
    if date.tzinfo is not None:
        date = date.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return date.replace(microsecond=0).isoformat() + "Z"


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, _, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels"
    if rels_name not in z.namelist():
        return {}
    root = etree.fromstring(z.read(rels_name), _PARSER)
    return {r.get("Id"): (r.get("Type", ""), r.get("Target", ""))
            for r in root.iter(f"{{{PKG_REL}}}Relationship")}


def _rel_checker(old_zip: zipfile.ZipFile, new_zip: zipfile.ZipFile,
                 part: str) -> Callable[[str], bool]:
    """Whether an old relationship id means the same thing in the new document."""
    old_rels, new_rels = _rels(old_zip, part), _rels(new_zip, part)
    return lambda rid: rid in new_rels and old_rels.get(rid) == new_rels[rid]


# --- revision marks ----------------------------------------------------------------


class _Ids:
    def __init__(self, highest: int):
        self.next = highest + 1

    def take(self) -> str:
        self.next += 1
        return str(self.next - 1)


@dataclass
class _Context:
    author: str
    date: str
    ids: _Ids
    rel_ok: Callable[[str], bool]
    revisions: int = 0

    def mark(self, parent: etree._Element, kind: str) -> etree._Element:
        """A new w:ins/w:del (kind) element, not yet placed, for children of `parent`."""
        self.revisions += 1
        return parent.makeelement(_w(kind), {WID: self.ids.take(), _w("author"): self.author,
                                             _w("date"): self.date})


def _walk(el: etree._Element) -> Iterator[etree._Element]:
    """`el` and its descendants, not descending into runs (text boxes live inside runs)."""
    yield el
    if el.tag != R_:
        for child in el:
            if isinstance(child.tag, str):
                yield from _walk(child)


def _mark_paragraph(p: etree._Element, kind: str, ctx: _Context) -> None:
    """Mark the paragraph mark (pPr/rPr/w:ins or w:del)."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = p.makeelement(PPR, {})
        p.insert(0, ppr)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = ppr.makeelement(RPR, {})
        after = [c for c in ppr if c.tag in (SECTPR, _w("pPrChange"))]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    if rpr.find(INS) is None and rpr.find(DEL) is None:
        rpr.insert(0, ctx.mark(rpr, kind))


def _mark_row(tr: etree._Element, kind: str, ctx: _Context) -> None:
    trpr = tr.find(TRPR)
    if trpr is None:
        trpr = tr.makeelement(TRPR, {})
        prex = tr.find(_w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    if trpr.find(INS) is None and trpr.find(DEL) is None:
        change = trpr.find(_w("trPrChange"))
        mark = ctx.mark(trpr, kind)
        if change is not None:
            change.addprevious(mark)
        else:
            trpr.append(mark)


def _wrap_runs(el: etree._Element, kind: str, ctx: _Context) -> None:
    """Wrap every top-level run under `el` in w:ins/w:del, adjacent runs sharing one."""
    runs = [r for r in _walk(el) if r.tag == R_ and r.getparent() is not None
            and r.getparent().tag not in REVISION_TAGS]
    previous: etree._Element | None = None
    wrapper: etree._Element | None = None
    for run in runs:
        if kind == "del":
            _to_deleted_run(run)
        if wrapper is not None and previous is not None and previous.getnext() is run:
            wrapper.append(run)   # moves run into the wrapper that now sits in its place
        else:
            wrapper = ctx.mark(run.getparent(), kind)
            run.addprevious(wrapper)
            wrapper.append(run)
        previous = wrapper


def _to_deleted_run(run: etree._Element) -> None:
    for child in run:
        if child.tag == T:
            child.tag = DELTEXT
            child.set(XML_SPACE, "preserve")
        elif child.tag == INSTR:
            child.tag = DELINSTR


def _mark_inserted_block(block: etree._Element, ctx: _Context) -> None:
    """Every run, paragraph mark and table row in a new block marked inserted."""
    for el in list(_walk(block)):
        if el.tag == P:
            _mark_paragraph(el, "ins", ctx)
        elif el.tag == TR:
            _mark_row(el, "ins", ctx)
    _wrap_runs(block, "ins", ctx)


def _deleted_copy(block: etree._Element, ctx: _Context) -> list[etree._Element]:
    """Copies of an old block, sanitised for the new document and marked deleted."""
    if block.tag == SDT:   # content controls carry ids of their own: keep their content
        content = block.find(SDT_CONTENT)
        blocks = [c for c in content if c.tag in BLOCKS] if content is not None else []
        return [copy_ for b in blocks for copy_ in _deleted_copy(b, ctx)]
    clone = copy.deepcopy(block)
    _sanitize_old(clone, ctx)
    for el in list(_walk(clone)):
        if el.tag == P:
            _mark_paragraph(el, "del", ctx)
        elif el.tag == TR:
            _mark_row(el, "del", ctx)
    _wrap_runs(clone, "del", ctx)
    return [clone]


def _bad_refs(el: etree._Element, ctx: _Context) -> bool:
    """Whether `el` itself names a relationship the new document does not have."""
    return any(k.startswith(f"{{{R}}}") and not ctx.rel_ok(v) for k, v in el.attrib.items())


def _sanitize_old(el: etree._Element, ctx: _Context) -> bool:
    """Drop what in old content points into the old document (ids, relationships).
    True when `el` itself cannot be kept (a drawing whose image the new one lacks)."""
    nodes = [n for n in el.iter() if isinstance(n.tag, str)]
    if el.tag in OLD_REFERENCES or el.tag in MARKERS:
        return True
    for node in nodes:
        if node is not el and (node.tag in MARKERS or node.tag in OLD_REFERENCES):
            _remove(node)
        elif node.tag == SECTPR and node.getparent() is not None \
                and node.getparent().tag == PPR:
            _remove(node)    # a deleted paragraph must not bring the old section break
        elif node.tag == WID and node.getparent() is not None \
                and node.getparent().tag == _w("sdtPr"):
            node.set(_w("val"), ctx.ids.take())   # content control id: w:id/@w:val
        elif node.get(WID) is not None:
            node.set(WID, ctx.ids.take())   # content control or old revision ids
        elif node.tag == DOCPR:
            node.set("id", ctx.ids.take())  # drawing ids are unique in a document too
    for node in nodes:
        if not _bad_refs(node, ctx):
            continue
        if node.tag == _w("hyperlink") and node is not el:
            _unwrap(node)
            continue
        # Remove the whole piece of run content holding it (the drawing, not the blip).
        piece = node
        while piece is not el and piece.getparent() is not None \
                and piece.getparent().tag != R_:
            piece = piece.getparent()
        if piece is el:
            return el.tag != _w("hyperlink")
        _remove(piece)
    return False


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    """Replace `el` by its children."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for i, child in enumerate(list(el)):
        parent.insert(index + i, child)
    parent.remove(el)


# --- text and keys -----------------------------------------------------------------


def _text(el: etree._Element) -> str:
    """Visible text of a block: w:t, tabs and breaks, paragraphs joined by newlines."""
    out: list[str] = []

    def visit(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in (DEL, _w("moveFrom")):
                continue
            if tag == T:
                out.append(child.text or "")
            elif tag == _w("tab"):
                out.append("\t")
            elif tag in (_w("br"), _w("cr")):
                out.append("\n")
            elif tag in (P, TR, TC):
                visit(child)
                out.append("\n" if tag == P else "\x1f")
            else:
                visit(child)

    visit(el)
    return "".join(out)


def _block_key(block: etree._Element) -> tuple[str, str]:
    return (etree.QName(block).localname, _text(block))


def _blocks(container: etree._Element) -> list[etree._Element]:
    return [c for c in container if c.tag in BLOCKS]


def _similarity(a: etree._Element, b: etree._Element) -> float:
    ta, tb = _TOKEN.findall(_text(a)), _TOKEN.findall(_text(b))
    if not ta and not tb:
        return 1.0
    return SequenceMatcher(None, ta, tb, autojunk=False).ratio()


def _columns(tbl: etree._Element) -> int:
    grid = tbl.find(_w("tblGrid"))
    return len(grid) if grid is not None else -1


def _compatible(a: etree._Element, b: etree._Element) -> bool:
    if a.tag != b.tag:
        return False
    if a.tag == TBL:
        return _columns(a) == _columns(b)
    if a.tag == TR:
        return len(a.findall(TC)) == len(b.findall(TC))
    return True


def _pair(old: list[etree._Element], new: list[etree._Element]) -> list[tuple[int | None, int | None]]:
    """Pairs (i, j) in order for a changed stretch; (i, None) deleted, (None, j) inserted."""
    m, n = len(old), len(new)
    if m == n and all(_compatible(a, b) for a, b in zip(old, new)):
        return list(zip(range(m), range(n)))
    if m * n > _PAIRING_LIMIT:
        pairs: list[tuple[int | None, int | None]] = []
        for k in range(min(m, n)):
            if _compatible(old[k], new[k]):
                pairs.append((k, k))
            else:
                pairs += [(k, None), (None, k)]
        pairs += [(k, None) for k in range(n, m)] + [(None, k) for k in range(m, n)]
        return pairs
    # Best ordered pairing by total similarity (an LCS with weights).
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if _compatible(old[i], new[j]):
                s = _similarity(old[i], new[j])
                if s >= _PARAGRAPH_SIMILARITY:
                    best = max(best, score[i + 1][j + 1] + s)
            score[i][j] = best
    pairs = []
    i = j = 0
    while i < m and j < n:
        if score[i][j] == score[i + 1][j]:
            pairs.append((i, None))
            i += 1
        elif score[i][j] == score[i][j + 1]:
            pairs.append((None, j))
            j += 1
        else:
            pairs.append((i, j))
            i += 1
            j += 1
    pairs += [(k, None) for k in range(i, m)] + [(None, k) for k in range(j, n)]
    return pairs


# --- containers, tables ------------------------------------------------------------


def _align_container(old_box: etree._Element, new_box: etree._Element, ctx: _Context) -> None:
    """Align the blocks of two containers (body, cell, content control) and mark changes."""
    old_blocks, new_blocks = _blocks(old_box), _blocks(new_box)
    _align_sequence(old_blocks, new_blocks, [_block_key(b) for b in old_blocks],
                    [_block_key(b) for b in new_blocks], new_box, ctx, _diff_block)


def _align_sequence(old: list[etree._Element], new: list[etree._Element], old_keys: list,
                    new_keys: list, new_parent: etree._Element, ctx: _Context,
                    diff_pair: Callable[[etree._Element, etree._Element, _Context], None]) -> None:
    """Match two sequences of siblings by key; diff pairs, mark the rest inserted/deleted."""
    pending: list[tuple[int, list[etree._Element]]] = []   # (before new[j], deleted copies)
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        waiting: list[etree._Element] = []
        for pi, pj in _pair(old[i1:i2], new[j1:j2]):
            if pj is None:
                waiting += _deleted_copy(old[i1 + pi], ctx)
                continue
            if waiting:   # deletions go before the next new block of the stretch
                pending.append((j1 + pj, waiting))
                waiting = []
            if pi is None:
                _mark_inserted_block(new[j1 + pj], ctx)
            else:
                diff_pair(old[i1 + pi], new[j1 + pj], ctx)
        if waiting:
            pending.append((j2, waiting))
    _place(new_parent, new, pending)


def _place(parent: etree._Element, new: list[etree._Element],
           pending: list[tuple[int, list[etree._Element]]]) -> None:
    """Insert deleted copies before new[j], in order, or after the last new sibling."""
    tail = new[-1] if new else None
    sectpr = parent.find(SECTPR) if parent.tag == BODY else None
    for j, elements in pending:
        for el in elements:
            if j < len(new):
                new[j].addprevious(el)
            elif sectpr is not None:
                sectpr.addprevious(el)
            elif tail is not None:
                tail.addnext(el)
                tail = el
            else:
                parent.append(el)


def _diff_block(old: etree._Element, new: etree._Element, ctx: _Context) -> None:
    if old.tag == P:
        _diff_paragraph(old, new, ctx)
    elif old.tag == TBL:
        _diff_table(old, new, ctx)
    else:   # content controls: align what they contain
        old_content, new_content = old.find(SDT_CONTENT), new.find(SDT_CONTENT)
        if old_content is not None and new_content is not None:
            _align_container(old_content, new_content, ctx)


def _diff_table(old: etree._Element, new: etree._Element, ctx: _Context) -> None:
    old_rows, new_rows = old.findall(TR), new.findall(TR)
    _align_sequence(old_rows, new_rows, [_text(r) for r in old_rows],
                    [_text(r) for r in new_rows], new, ctx, _diff_row)


def _diff_row(old: etree._Element, new: etree._Element, ctx: _Context) -> None:
    for old_cell, new_cell in zip(old.findall(TC), new.findall(TC)):
        _align_container(old_cell, new_cell, ctx)


# --- paragraphs: word-level --------------------------------------------------------


@dataclass
class _Token:
    key: object
    run: etree._Element | None      # the run the token came from (None for a unit)
    text: str | None = None         # text token
    atom: etree._Element | None = None   # tab, br, fldChar, drawing ...
    unit: etree._Element | None = None   # hyperlink, fldSimple, sdt ...


@dataclass
class _Marker:
    element: etree._Element


@dataclass
class _Line:
    """A paragraph's content as tokens, markers in between; tokens per run counted."""
    items: list[_Token | _Marker] = field(default_factory=list)
    per_run: dict[int, int] = field(default_factory=dict)

    @property
    def tokens(self) -> list[_Token]:
        return [t for t in self.items if isinstance(t, _Token)]


def _line(p: etree._Element) -> _Line:
    line = _Line()
    for child in p:
        if not isinstance(child.tag, str) or child.tag == PPR:
            continue
        if child.tag == R_:
            before = len(line.items)
            for sub in child:
                if not isinstance(sub.tag, str) or sub.tag in (RPR, _w("lastRenderedPageBreak")):
                    continue
                if sub.tag == T:
                    for word in _TOKEN.findall(sub.text or ""):
                        line.items.append(_Token(word, child, text=word))
                else:
                    key = (etree.QName(sub).localname, sub.get(_w("fldCharType"), ""),
                           sub.get(_w("type"), ""), "".join(sub.itertext()))
                    line.items.append(_Token(key, child, atom=sub))
            count = len(line.items) - before
            if count == 0:   # a run without content (only rPr): keep it as it is
                line.items.append(_Marker(child))
            line.per_run[id(child)] = count
        elif child.tag in MARKERS:
            line.items.append(_Marker(child))
        else:
            key = ("unit", etree.QName(child).localname, _text(child),
                   child.get(_w("instr"), ""), child.get(_w("anchor"), ""))
            line.items.append(_Token(key, None, unit=child))
    return line


def _segments(old: list[_Token], new: list[_Token]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes of a token diff, with whitespace-only matches between changes absorbed."""
    ops = SequenceMatcher(None, [t.key for t in old], [t.key for t in new],
                          autojunk=False).get_opcodes()
    # An equal stretch of only spaces between two changes splits one change into many.
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        if tag == "equal" and all(isinstance(t.key, str) and t.key.isspace()
                                  for t in new[j1:j2]):
            ops[k] = ("replace", i1, i2, j1, j2)
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            _, i1, _, j1, _ = merged[-1]
            merged[-1] = ("replace", i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


def _diff_paragraph(old_p: etree._Element, new_p: etree._Element, ctx: _Context) -> None:
    """Rebuild the new paragraph's content with deleted old words and inserted new ones."""
    old_line, new_line = _line(old_p), _line(new_p)
    old_tokens = old_line.tokens
    new_items = new_line.items
    new_tokens = new_line.tokens
    # Status of each new token, and where deleted old tokens go (before new token j).
    status = ["equal"] * len(new_tokens)
    deleted_before: dict[int, list[_Token]] = {}
    for tag, i1, i2, j1, j2 in _segments(old_tokens, new_tokens):
        if tag == "equal":
            continue
        for j in range(j1, j2):
            status[j] = "ins"
        if i2 > i1:
            deleted_before.setdefault(j1, []).extend(old_tokens[i1:i2])
    if not deleted_before and all(s == "equal" for s in status):
        return
    builder = _Builder(ctx, new_line.per_run)
    j = 0
    for item in new_items:
        if isinstance(item, _Marker):
            builder.marker(item.element)
            continue
        for gone in deleted_before.get(j, []):
            builder.token(gone, "del")
        builder.token(item, status[j])
        j += 1
    for gone in deleted_before.get(j, []):
        builder.token(gone, "del")
    content = builder.finish()
    ppr = new_p.find(PPR)
    for child in list(new_p):
        if child is not ppr:
            new_p.remove(child)
    for el in content:
        new_p.append(el)


class _Builder:
    """Collects paragraph content: runs rebuilt per (status, source run), wrapped in
    w:ins/w:del, runs left whole when all their tokens are unchanged."""

    def __init__(self, ctx: _Context, per_run: dict[int, int]):
        self.ctx = ctx
        self.per_run = per_run
        self.out: list[etree._Element] = []
        self.group: list[_Token] = []
        self.group_status = ""
        self._open: etree._Element | None = None

    def marker(self, el: etree._Element) -> None:
        self._flush()
        self.out.append(el)

    def token(self, tok: _Token, status: str) -> None:
        if tok.unit is not None:
            self._flush()
            self._unit(tok.unit, status)
            return
        if self.group and (self.group[0].run is not tok.run or self.group_status != status):
            self._flush()
        self.group.append(tok)
        self.group_status = status

    def finish(self) -> list[etree._Element]:
        self._flush()
        return self.out

    def _wrapper(self, kind: str, like: etree._Element) -> etree._Element:
        """The open w:ins/w:del at the end of the output, or a new one."""
        if self.out and self.out[-1] is self._open and self._open.tag == _w(kind):
            return self.out[-1]
        wrapper = self.ctx.mark(like, kind)
        self.out.append(wrapper)
        self._open = wrapper
        return wrapper

    def _unit(self, unit: etree._Element, status: str) -> None:
        if status == "equal":
            self.out.append(unit)
        elif status == "ins":
            _wrap_runs(unit, "ins", self.ctx)
            self.out.append(unit)
        else:
            clone = copy.deepcopy(unit)
            _sanitize_old(clone, self.ctx)
            runs = [r for r in _walk(clone) if r.tag == R_]
            if runs:
                wrapper = self._wrapper("del", clone)
                for run in runs:
                    _to_deleted_run(run)
                    wrapper.append(run)

    def _flush(self) -> None:
        if not self.group:
            return
        group, status = self.group, self.group_status
        self.group = []
        source = group[0].run
        assert source is not None
        if status == "equal" and len(group) == self.per_run.get(id(source), -1):
            self.out.append(source)     # a run untouched: as it was
            self._open = None
            return
        run = source.makeelement(R_, dict(source.attrib))
        rpr = source.find(RPR)
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        deleted = status == "del"
        text_el: etree._Element | None = None
        for tok in group:
            if tok.text is not None:
                if text_el is None:
                    text_el = run.makeelement(DELTEXT if deleted else T, {})
                    text_el.set(XML_SPACE, "preserve")
                    text_el.text = ""
                    run.append(text_el)
                text_el.text += tok.text
            else:
                text_el = None
                atom = copy.deepcopy(tok.atom)
                if deleted:
                    if atom.tag in MARKERS or _sanitize_old(atom, self.ctx):
                        continue
                    if atom.tag == INSTR:
                        atom.tag = DELINSTR
                run.append(atom)
        if status == "equal":
            self.out.append(run)
            self._open = None
        else:
            self._wrapper(status, run).append(run)


# --- accept / reject ---------------------------------------------------------------


def _resolve(docx: bytes, *, accept: bool) -> bytes:
    z = _open_docx(docx, "Dokumentet")
    with z:
        changed: dict[str, bytes] = {}
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            data = z.read(name)
            if b"w:ins" not in data and b"w:del" not in data and b"PrChange" not in data \
                    and b"w:move" not in data:
                continue
            root = _parse(z, name, "Dokumentet")
            if _resolve_tree(root, accept):
                changed[name] = _serialize(root)
        return _rewrite(z, changed)


def _resolve_tree(root: etree._Element, accept: bool) -> bool:
    keep = {INS, _w("moveTo")} if accept else {DEL, _w("moveFrom")}
    drop = {DEL, _w("moveFrom")} if accept else {INS, _w("moveTo")}
    touched = False
    # 1. Run-level revisions (not the marks inside rPr/trPr).
    for el in list(root.iter(*(keep | drop))):
        parent = el.getparent()
        if parent is None or parent.tag in (RPR, TRPR):
            continue
        touched = True
        if el.tag in drop:
            parent.remove(el)
        else:
            if not accept:
                for node in el.iter(DELTEXT, DELINSTR):
                    node.tag = T if node.tag == DELTEXT else INSTR
            _unwrap(el)
    # 2. Rows.
    for mark in list(root.iter(INS, DEL)):
        parent = mark.getparent()
        if parent is None or parent.tag != TRPR:
            continue
        touched = True
        row = parent.getparent()
        if mark.tag in drop and row is not None and row.getparent() is not None:
            row.getparent().remove(row)
        else:
            parent.remove(mark)
    for tbl in list(root.iter(TBL)):
        if tbl.find(TR) is None and tbl.getparent() is not None:
            tbl.getparent().remove(tbl)
    # 3. Paragraph marks: a removed mark joins the paragraph with the next one.
    for p in list(root.iter(P)):
        ppr = p.find(PPR)
        rpr = ppr.find(RPR) if ppr is not None else None
        if rpr is None:
            continue
        marks = [m for m in rpr if m.tag in keep or m.tag in drop]
        if not marks:
            continue
        touched = True
        for m in marks:
            rpr.remove(m)
        if not any(m.tag in drop for m in marks):
            continue
        parent = p.getparent()
        if parent is None:
            continue
        content = [c for c in p if c.tag != PPR]
        has_text = any(el.tag == R_ for c in content for el in _walk(c))
        nxt = p.getnext()
        if has_text:
            if nxt is not None and nxt.tag == P:
                at = 1 if nxt.find(PPR) is not None else 0
                for k, c in enumerate(content):
                    nxt.insert(at + k, c)
                parent.remove(p)
            continue
        if parent.tag == TC and len([c for c in parent if c.tag in (P, TBL)]) == 1:
            continue   # a cell keeps its last paragraph
        parent.remove(p)
    # 4. Formatting changes and move ranges.
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local.endswith("PrChange") or local.endswith("RangeStart") and local.startswith("move") \
                or local.endswith("RangeEnd") and local.startswith("move"):
            touched = True
            parent = el.getparent()
            if parent is None:
                continue
            if local.endswith("PrChange") and not accept:
                previous = el[0] if len(el) else None
                kept = {RPR, SECTPR} if parent.tag == PPR else set()
                for c in list(parent):
                    if c.tag not in kept:
                        parent.remove(c)
                if previous is not None:
                    for k, c in enumerate(list(previous)):
                        parent.insert(k, c)
            else:
                parent.remove(el)
    return touched

"""The one place that talks to docxtpl.

Two renderers of the same templates, which give the same documents:

- `PreparedTemplate(path, kind).render(context, properties) -> bytes`: the template is
  prepared once per run (docxtpl's `patch_xml` and Jinja's compilation of every part it
  renders, the unchanged parts compressed once); per document only the compiled parts run,
  with only the post-processing of docxtpl that can change them.
- `render(template, context, properties, kind) -> bytes`: docxtpl's documented use (load +
  render + save per document), the reference the fidelity tests compare against.

Both run Jinja in a sandbox (`make_env`): templates travel between municipalities by e-mail
and are data, not code. Contexts are plain data (str, int, list, dict, and `Image` for
pictures), so the same context can be rendered by either renderer.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import io
from itertools import islice
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.image.image import Image as DocxImage
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import CT_Relationships, serialize_part_xml
from docx.opc.oxml import parse_xml as parse_rels
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.bccache import FileSystemBytecodeCache
from jinja2 import nodes
from jinja2.filters import FILTERS
from jinja2.runtime import markup_join, str_join
from jinja2.visitor import NodeTransformer
from jinja2.sandbox import SecurityError, SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from lxml import etree
from markupsafe import Markup, escape

from ..errors import TemplateError
from .values import FIXED_TIME, Image, Properties

LANGUAGE = "da-DK"
# Zip entries get a fixed time, as core properties get FIXED_TIME: same input, same bytes.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
# How every part we write is deflated: level 1 compresses an XML part about twice as fast as
# zlib's default (6), for parts about 15 % larger; a 16 KB window and memLevel 7 keep each
# compressor's memory below what glibc hands back to the system on every free (zipfile's
# defaults cost about 50 µs a part in page faults).
COMPRESS_LEVEL = 1
COMPRESS_WBITS = -14
COMPRESS_MEMLEVEL = 7
# Parts smaller than this are stored: setting up a compressor costs more than the bytes saved.
STORED_BELOW = 2048

__all__ = ["FIXED_TIME", "LANGUAGE", "ZIP_TIME", "Image", "PreparedTemplate", "Properties",
           "fixed_zip", "make_env", "render"]


# --- Values: user text is data ---------------------------------------------------------------

# Characters XML 1.0 cannot hold (lxml refuses them). Tab, line feed and carriage return are
# kept: docxtpl turns tab and line feed into Word's tab and line break.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns "{_{", "}_}", "{_%" and "%_}" in its output into "{{", "}}", "{%" and "%}"
# (its way to print template syntax). In user text they must stay as typed: every underscore
# next to a brace or percent sign goes out as a character reference, which that
# replacement does not see (all of them, as the sequences may overlap: "{_{_%").
DOCXTPL_ESCAPES = re.compile(r"[{}%]_|_[{}%]")


SUSPECT = re.compile(ILLEGAL_XML.pattern + "|" + DOCXTPL_ESCAPES.pattern)


def clean(text: str) -> str:
    """The text without characters an XML document cannot hold (\\x00, \\x0b ...)."""
    if not ILLEGAL_XML.search(text):
        return text
    stripped = ILLEGAL_XML.sub("", text)
    return Markup(stripped) if isinstance(text, Markup) else stripped


@functools.lru_cache(maxsize=16384, typed=True)     # typed: Markup("&amp;") is not "&amp;"
def protect(text: str) -> str | Markup:
    """User text as data: escaped here when it holds one of docxtpl's escape sequences.
    Cached: the documents of a batch output the same labels, names, amounts and dates."""
    if not SUSPECT.search(text):
        return text
    text = clean(text)
    if isinstance(text, Markup) or not DOCXTPL_ESCAPES.search(text):
        return text  # Jinja's autoescape does the rest
    return Markup(str(escape(text)).replace("_", "&#95;"))


class _DescribedImage(InlineImage):
    """docxtpl's InlineImage plus alt text: the `descr` attribute of `wp:docPr`."""

    def __init__(self, tpl: Any, image: Image):
        super().__init__(tpl, io.BytesIO(image.png), width=Mm(image.width_mm))
        self.descr = clean(image.descr)

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height)
        for doc_pr in inline.xpath(".//wp:docPr"):
            doc_pr.set("descr", self.descr)
        return ("</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">' % inline.xml)


# The template whose pictures the document being rendered gets: set by `images_for` around
# each rendering (a context variable, never a template variable a template could reach).
_IMAGES_FOR: contextvars.ContextVar[Any] = contextvars.ContextVar("images_for")


@contextlib.contextmanager
def images_for(tpl: Any) -> Iterator[None]:
    """Render with pictures bound to `tpl` (docxtpl's DocxTemplate, or the prepared
    renderer's stand-in)."""
    token = _IMAGES_FOR.set(tpl)
    try:
        yield
    finally:
        _IMAGES_FOR.reset(token)


def _finalize(value: Any) -> Any:
    """Every value a template outputs with {{ }}, before autoescape: user text protected
    from docxtpl's post-processing (and cleaned of XML-illegal characters), a picture bound
    to the template. Done on output, not on the whole context beforehand: a document shows
    a few of its context's values, and filters see the text as typed."""
    if isinstance(value, str):
        return protect(value)
    if isinstance(value, Image):
        return _DescribedImage(_IMAGES_FOR.get(), value)
    return value


def _raw(value: Any) -> Any:
    """The context for the core properties: plain cleaned text (no XML is made there)."""
    if isinstance(value, str):
        return clean(str(value))
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_raw(v) for v in value]
    return value


# --- Jinja in a sandbox ----------------------------------------------------------------------

MAX_RANGE = 10_000           # items range() may make
MAX_ITERATIONS = 1_000_000   # loop iterations in one document
MAX_LENGTH = 1_000_000       # characters or items one * may make
MAX_EXPONENT = 100           # ** beyond this is refused
MAX_MADE = 10_000_000        # characters *, ~ and replace may make in one document

# The filters a template may use: Jinja's, without those that format, pad or serialise
# (format, center, indent, wordwrap, pprint, tojson, xmlattr, urlize, attr, safe ...).
ALLOWED_FILTERS = ("abs", "batch", "capitalize", "count", "d", "default", "dictsort", "e",
                   "escape", "first", "float", "groupby", "int", "join", "last", "length",
                   "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace",
                   "reverse", "round", "select", "selectattr", "slice", "sort", "string",
                   "striptags", "sum", "title", "trim", "truncate", "unique", "upper",
                   "wordcount")
_BUDGET: contextvars.ContextVar[list[int]] = contextvars.ContextVar("loop_budget")
LOOP_GUARD = "_sagsgenerator_loop"
CONCAT_GUARD = "_sagsgenerator_concat"


class LimitExceeded(SecurityError):
    """A template asked for more work than a document can need (a huge range or loop)."""


def _reset_budget() -> None:
    _BUDGET.set([MAX_ITERATIONS, MAX_MADE])


def _budget() -> list[int]:
    budget = _BUDGET.get(None)
    if budget is None:
        budget = [MAX_ITERATIONS, MAX_MADE]
        _BUDGET.set(budget)
    return budget


def _charge(n: int) -> None:
    budget = _budget()
    budget[0] -= n
    if budget[0] < 0:
        raise LimitExceeded(f"loops:{MAX_ITERATIONS}")


def _charge_made(n: int) -> None:
    """Characters a template makes itself (with *, ~ or replace), per document."""
    budget = _budget()
    budget[1] -= n
    if budget[1] < 0:
        raise LimitExceeded(f"made:{MAX_MADE}")


def _guarded_loop(iterable: Any) -> Any:
    """What every {% for %} iterates: the same object, charged against the budget."""
    try:
        size = len(iterable)
    except TypeError:
        return _counted(iterable)
    _charge(size)
    return iterable


def _counted(iterable: Iterable) -> Iterable:
    for item in iterable:
        _charge(1)
        yield item


def _bounded_replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> str:
    """Jinja's replace filter, refusing a result longer than MAX_LENGTH."""
    text = str(s)
    if new and old and len(new) > len(old):
        size = text.count(old) * (len(new) - len(old)) + len(text)
        if size > MAX_LENGTH:
            raise LimitExceeded(f"length:{MAX_LENGTH}")
        _charge_made(size)
    return FILTERS["replace"](eval_ctx, s, old, new, count)


_bounded_replace.jinja_pass_arg = FILTERS["replace"].jinja_pass_arg  # type: ignore[attr-defined]


def _safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise LimitExceeded(f"range:{MAX_RANGE}")
    return rng


def _safe_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > 20 or max > 200:
        raise LimitExceeded("lipsum:20")
    return generate_lorem_ipsum(n, html, min, max)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox with bounded ranges, loops and * / **, and the allowed filters only."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, autoescape: bool):
        # finalize: see `_finalize`; the properties are plain text (`_raw`).
        super().__init__(autoescape=autoescape, finalize=_finalize if autoescape else None)
        self.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS}
        self.filters["replace"] = _bounded_replace
        self.globals = {"range": _safe_range, "dict": dict, "lipsum": _safe_lipsum,
                        "cycler": Cycler, "joiner": Joiner, "namespace": Namespace,
                        LOOP_GUARD: _guarded_loop, CONCAT_GUARD: self._concat}

    def compiled(self, source: str) -> Any:
        """`from_string(source)`, with the compiled code kept between runs in Jinja's bytecode
        cache (see `bytecode_cache`). docxtpl's own use (`render`) compiles every time."""
        cache = bytecode_cache()
        if cache is None:
            return self.from_string(source)
        # Jinja keeps one file per name (and checks the source's checksum in it).
        digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        name = f"sagsgenerator:{_engine_fingerprint()}:{int(bool(self.autoescape))}:{digest}"
        try:
            bucket = cache.get_bucket(self, name, None, source)
        except Exception:   # unreadable or damaged (Jinja unpickles a checksum): compile anew
            return self.from_string(source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            try:
                cache.set_bucket(bucket)
            except OSError:                        # a full disk costs only the next run
                pass
        return self.template_class.from_code(self, bucket.code, self.make_globals(None))

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        # Jinja returns an Undefined that fails only when used further; refuse at once.
        raise SecurityError(f"access to attribute {attribute!r} of "
                            f"{type(obj).__name__!r} object is unsafe.")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise LimitExceeded(f"power:{MAX_EXPONENT}")
            return left ** right
        for seq, times in ((left, right), (right, left)):
            if isinstance(times, int) and hasattr(seq, "__len__") \
                    and not isinstance(seq, (int, float)):
                if len(seq) * times > MAX_LENGTH:
                    raise LimitExceeded(f"length:{MAX_LENGTH}")
                _charge_made(len(seq) * max(times, 0))
        return left * right

    def _concat(self, *items: Any) -> Any:
        """Jinja's ~, charged against the characters a document may make."""
        joined = (markup_join if self.autoescape else str_join)(items)
        _charge_made(len(joined))
        return joined

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            guard = nodes.Call(nodes.Name(LOOP_GUARD, "load"), [loop.iter], [], None, None)
            loop.iter = guard.set_lineno(loop.iter.lineno or loop.lineno or 1) \
                .set_environment(self)
        return _ConcatGuard(self).visit(tree)


class _ConcatGuard(NodeTransformer):
    """Every ~ becomes a call of the environment's charged concatenation."""

    def __init__(self, env: SandboxedEnvironment):
        self.env = env

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        call = nodes.Call(nodes.Name(CONCAT_GUARD, "load"), list(node.nodes), [], None, None)
        return call.set_lineno(node.lineno or 1).set_environment(self.env)


@functools.cache
def bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's own cache of compiled templates: a folder of this user's only, in the temporary
    folder (Jinja creates it with mode 0700 and refuses one someone else owns). Preparing the
    built-in templates compiles about 15 parts, most of a small run's preparation.
    SAGSGENERATOR_INGEN_CACHE=1 turns it off."""
    if os.environ.get("SAGSGENERATOR_INGEN_CACHE"):
        return None
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):                # no usable temporary folder
        return None


def _patched(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's patch_xml of a part, one paragraph a line: kept beside Jinja's compiled code
    in the same cache folder (patching is half of preparing a template; a part's patched
    text depends only on its XML and docxtpl's code)."""
    cache = bytecode_cache()
    if cache is None:
        return PARAGRAPH_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(xml))
    digest = hashlib.sha256(xml.encode("utf-8", "surrogatepass")).hexdigest()
    path = Path(cache.directory) / f"sagsgenerator-patched-{_patch_fingerprint()}-{digest}.xml"
    try:
        return path.read_text(encoding="utf-8", errors="surrogatepass")
    except (OSError, UnicodeDecodeError):
        pass
    source = PARAGRAPH_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(xml))
    try:
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(source, encoding="utf-8", errors="surrogatepass")
        os.replace(temporary, path)                  # whole or not at all
    except OSError:                                  # a full disk costs only the next run
        pass
    return source


@functools.cache
def _patch_fingerprint() -> str:
    """docxtpl's version and this file: a patched text made by other code is never used."""
    import docxtpl

    return hashlib.sha256(f"{docxtpl.__version__}".encode() + _engine_fingerprint().encode()
                          ).hexdigest()[:20]


@functools.cache
def _engine_fingerprint() -> str:
    """Part of every cache key: the sandbox's rules are in this file (the loop and ~ guards
    are compiled into the code), so code compiled by another version is never used."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:20]


def make_env(autoescape: bool = True) -> SandboxedEnvironment:
    """The Jinja environment of every template: sandboxed, bounded, autoescaping user text."""
    return _Sandbox(autoescape)


FORBIDDEN = re.compile(r"attribute '([^']*)'|(\S+) is not safely callable|"
                       r"access to (?:attribute|key) '?([^' ]*)")


def _template_line(exc: BaseException) -> int | None:
    """The template line a runtime error happened on (Jinja puts it in the traceback)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def template_error(exc: Exception, template: Path | str, kind: str,
                   source: str | None = None) -> TemplateError:
    """Our Danish TemplateError for what went wrong while rendering a template."""
    name = Path(str(template)).name
    near = ""
    lineno = getattr(exc, "lineno", None) or _template_line(exc)
    if source and lineno and 0 < lineno <= len(source.splitlines()):
        near = re.sub(r"<[^>]+>", "", source.splitlines()[lineno - 1]).strip()
    if not near:
        near = " ".join(line.strip() for line in getattr(exc, "docx_context", [])
                        if line.strip())
    where = f" (nær »{near[:120]}«)" if near else ""
    if isinstance(exc, LimitExceeded):
        what, _, limit = str(exc).partition(":")
        limit = f"{int(limit):,}".replace(",", ".")
        text = {"range": f"range() må højst give {limit} tal",
                "loops": f"løkkerne må højst gå {limit} gange i ét dokument",
                "power": f"en potens (**) må højst være {limit}",
                "length": f"en tekst, skabelonen laver (med * eller replace), må højst have "
                          f"{limit} tegn",
                "lipsum": "lipsum() må højst give 20 afsnit",
                "made": f"tekst, skabelonen selv laver (med *, ~ eller replace), må højst "
                        f"fylde {limit} tegn i ét dokument"}.get(what, str(exc))
        return TemplateError(f"Skabelonen '{name}' til {kind} beder om mere arbejde, end et "
                             f"dokument kan kræve: {text}{where}. Ret skabelonen.")
    if isinstance(exc, SecurityError):
        match = FORBIDDEN.search(str(exc))
        forbidden = next((g for g in match.groups() if g), "") if match else ""
        what = f"»{forbidden}«" if forbidden else "noget"
        return TemplateError(f"Skabelonen '{name}' til {kind} bruger {what}, som ikke er "
                             f"tilladt i en skabelon{where}: en skabelon må vise data, men ikke "
                             "nå Pythons indre dele eller køre kode. Fjern mærket.")
    if isinstance(exc, JinjaTemplateError):
        return TemplateError(f"Skabelonen '{name}' til {kind} kunne ikke bruges: "
                             f"{exc.message or exc}{where}.")
    if isinstance(exc, RecursionError):
        return TemplateError(f"Skabelonen '{name}' til {kind} kalder en makro, der kalder sig "
                             f"selv uden ende{where}. Ret skabelonen.")
    if isinstance(exc, etree.XMLSyntaxError):
        return TemplateError(f"Skabelonen '{name}' til {kind} gav et ugyldigt Word-dokument "
                             f"({exc}){where}. Tjek at skabelonmærkerne står inde i teksten.")
    return TemplateError(f"Skabelonen '{name}' til {kind} kunne ikke bruges: "
                         f"{type(exc).__name__}: {exc}.")


# --- Document properties and language --------------------------------------------------------

# The core properties docxtpl renders as templates (DocxTemplate.render_properties).
TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
TAG_START = re.compile(r"\{[{%#]")


def _set_properties(document: Any, properties: Properties, templated: set[str]) -> None:
    """Ours, except a property the template fills itself with a tag ({{ }} in its title)."""
    core = document.core_properties
    ours = {"title": properties.title, "subject": properties.subject,
            "author": properties.author, "comments": ""}
    for name, value in ours.items():
        if name not in templated:
            setattr(core, name, clean(value))
    core.keywords = clean(properties.keywords)
    core.language = LANGUAGE
    core.last_modified_by = clean(properties.author)
    core.revision = 1
    core.created = properties.when
    core.modified = properties.when
    core.last_printed = FIXED_TIME


_FIXED_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def _dated(core: bytes, when: dt.datetime) -> bytes:
    """core.xml with `when` as created and modified (the template is prepared with the
    fixed time; last printed stays fixed)."""
    if when == FIXED_TIME:
        return core
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    for tag in (b"created", b"modified"):
        start = core.find(b"<dcterms:" + tag)
        if start >= 0:
            end = core.find(b"</dcterms:" + tag, start)
            core = core[:start] + core[start:end].replace(_FIXED_STAMP, stamp) + core[end:]
    return core


def _set_default_language(document: Any) -> None:
    """Danish as the default run language in styles.xml (spelling and hyphenation in Word)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml('<w:lang xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                         '2006/main"/>')
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


# --- The reference: docxtpl's documented use --------------------------------------------------



def _package_entries(package: Any) -> dict[str, bytes]:
    """The zip entries python-docx's PackageWriter would write, in its order, unzipped."""
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    entries = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob,
               "_rels/.rels": package.rels.xml}
    for part in parts:
        entries[part.partname.lstrip("/")] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.lstrip("/")] = part.rels.xml
    return entries


def _marker(name: str) -> bytes:
    return f"\ue000{name}\ue000".encode()


def _xml_text(value: str) -> bytes:
    """Text as lxml writes it in an element (quotes stay, \\r is a reference)."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;").encode("utf-8"))


def _rendered_notes(part: Any) -> bool:
    """Footnotes (docxtpl renders them) and endnotes with a tag (docxtpl does not; we do,
    and leave endnotes without one as they are, as docxtpl does)."""
    if part.content_type == CT.WML_FOOTNOTES:
        return True
    return part.content_type == CT.WML_ENDNOTES and bool(TAG_START.search(part.blob.decode(
        "utf-8", errors="replace")))


def _next_id(xml: bytes | Any) -> int:
    """python-docx's StoryPart.next_id: one more than the largest numeric id in the part."""
    element = etree.fromstring(xml) if isinstance(xml, bytes) else xml
    ids = [int(v) for v in element.xpath("//@id") if v.isdigit()]
    return max(ids) + 1 if ids else 1


class _NotesPart:
    """A footnotes or endnotes part as a story part: python-docx loads them as plain parts,
    which cannot take a picture."""

    def __init__(self, part: Any):
        self.part = part
        self.next_id = _next_id(part.blob)

    def new_pic_inline(self, descriptor: Any, width: Any = None, height: Any = None) -> CT_Inline:
        image_part = self.part.package.get_or_add_image_part(descriptor)
        rid = self.part.relate_to(image_part, RT.IMAGE)
        image = image_part.image
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(self.next_id, rid, image.filename, cx, cy)


class _Reference(DocxTemplate):
    """docxtpl, with three corrections that the prepared renderer makes too: endnotes are
    rendered like footnotes; notes are rendered once (docxtpl renders them once per
    section, so user text with template syntax in a two-section document was rendered as
    a template); core properties are rendered without autoescape, from the plain context."""

    raw_context: dict[str, Any] = {}
    templated: set[str] = set()
    source: str | None = None        # the part being rendered, for error messages

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        self.source = PARAGRAPH_OPEN.sub(r"\n<w:p\1", src_xml)
        return super().render_xml_part(src_xml, part, context, jinja_env)

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        core = self.docx.core_properties
        env = make_env(autoescape=False)
        self.templated = set()
        for name in TEMPLATED_PROPERTIES:
            initial = getattr(core, name)
            if TAG_START.search(initial):
                self.templated.add(name)
            setattr(core, name, clean(env.from_string(initial).render(self.raw_context)))

    def render_footnotes(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        for part in self.docx.part.package.iter_parts():
            if _rendered_notes(part):
                xml = self.patch_xml(part.blob.decode("utf-8"))
                xml = self.render_xml_part(xml, _NotesPart(part), context, jinja_env)
                part._blob = xml.encode("utf-8")


def render(template: Path, context: dict[str, Any], properties: Properties, kind: str) -> bytes:
    """Render one document with docxtpl as documented: reproducible .docx bytes."""
    if not template.is_file():
        raise TemplateError(f"Skabelonen til {kind} findes ikke: '{template}'.")
    tpl = _Reference(str(template))
    try:
        tpl.raw_context = _raw(context)
        _reset_budget()
        with images_for(tpl):
            tpl.render(context, jinja_env=make_env())
        document = tpl.docx
        _set_properties(document, properties, tpl.templated)
        _set_default_language(document)
        buffer = io.BytesIO()
        document.save(buffer)
    except Exception as exc:  # a broken or foreign .docx fails in many ways inside docxtpl
        raise template_error(exc, template, kind, tpl.source) from exc
    return fixed_zip(buffer.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps (Office files are zips; python-docx and
    openpyxl stamp every entry with the current time), written as the prepared renderer
    writes its documents (`write_zip`)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return write_zip([_Entry.of(info.filename, source.read(info.filename))
                          for info in source.infolist()])


# --- The prepared renderer -------------------------------------------------------------------

PARAGRAPH_OPEN = re.compile(r"<w:p([ >])")
NS_DECL = re.compile(rb"xmlns:(\w+)=\"([^\"]*)\"")
NS_DECL_SPACED = re.compile(rb"\s+xmlns:(\w+)=\"([^\"]*)\"")
RECOVERING = etree.XMLParser(recover=True)       # as fix_tables parses
TABLE_CHANGERS = re.compile(r"\{%-?\s*(?:tc|colspan|cellbg|hm|vm)\b|\{\{-?\s*tc\s")


def resolve_listing(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's resolve_listing, run only on the paragraphs it would change: those with a
    tab, line feed, \\a or \\f (it turns them into Word's tabs, breaks and paragraphs).
    Paragraphs are found exactly as its regular expression `<w:p(?: [^>]*)?>.*?</w:p>`
    finds them, with str.find."""
    marks: list[int] = []
    for mark in "\t\a\n\f":
        at = xml.find(mark)
        while at >= 0:
            marks.append(at)
            at = xml.find(mark, at + 1)
    if not marks:
        return xml
    marks.sort()
    find = xml.find
    out: list[str] = []
    done = position = i = 0
    while i < len(marks):
        start = find("<w:p", position)
        if start < 0:
            break
        after = xml[start + 4:start + 5]
        if after == ">":
            opened = start + 5
        elif after == " ":
            opened = find(">", start) + 1
            if opened == 0:
                break
        else:                                   # <w:pPr>, <w:proofErr> ...
            position = start + 4
            continue
        end = find("</w:p>", opened)
        if end < 0:
            break
        end += len("</w:p>")
        while i < len(marks) and marks[i] < start:
            i += 1
        if i < len(marks) and marks[i] < end:
            out += [xml[done:start], _resolve_paragraph(xml[start:end])]
            done = end
            while i < len(marks) and marks[i] < end:
                i += 1
        position = end
    out.append(xml[done:])
    return "".join(out)


# docxtpl's resolve_listing on one paragraph (DocxTemplate.resolve_listing's inner
# functions, with the same regular expressions, compiled once); the fidelity tests compare
# it with docxtpl's own.
_LISTING_PPR = re.compile(r"<w:pPr>.*?</w:pPr>")
_LISTING_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.S)
_LISTING_RPR = re.compile(r"<w:rPr>.*?</w:rPr>")
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.S)


def _resolve_paragraph(paragraph: str) -> str:
    found = _LISTING_PPR.search(paragraph)
    p_pr = found.group(0) if found else ""

    def run(m: re.Match) -> str:
        found = _LISTING_RPR.search(m.group(0))
        r_pr = found.group(0) if found else ""

        def text(t: re.Match) -> str:
            xml = t.group(0)
            if "\t" in xml:
                xml = xml.replace("\t", "</w:t></w:r><w:r>%s<w:tab/></w:r><w:r>%s"
                                  '<w:t xml:space="preserve">' % (r_pr, r_pr))
            if "\a" in xml:
                xml = xml.replace("\a", '</w:t></w:r></w:p><w:p>%s<w:r>%s<w:t xml:space="preserve">'
                                  % (p_pr, r_pr))
            if "\n" in xml:
                xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            if "\f" in xml:
                xml = xml.replace("\f", '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r>'
                                  '</w:p><w:p>%s<w:r>%s<w:t xml:space="preserve">' % (p_pr, r_pr))
            return xml

        return _LISTING_TEXT.sub(text, m.group(0))

    # The paragraph is one match of docxtpl's outer expression, so its sub is this call.
    return _LISTING_RUN.sub(run, paragraph)


def _post(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's steps after Jinja (render_xml_part), in the same order."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in xml or "_}" in xml:
        xml = (xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
               .replace("%_}", "%}"))
    return resolve_listing(tpl, xml)


TABLE = re.compile(r"<w:tbl[ >].*?</w:tbl>", re.S)
TABLE_OPEN = re.compile(r"<w:tbl[ >]")
GRID = re.compile(r"<w:tblGrid[ >].*?</w:tblGrid>|<w:tblGrid/>", re.S)
GRID_COL = re.compile(r"<w:gridCol[ />]")
ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
CELL = re.compile(r"<w:tc[ >].*?</w:tc>", re.S)
SPAN = re.compile(r'<w:gridSpan w:val="([^"]*)"')
BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)([^%]*)")
OPENERS = {"for", "if", "with", "macro", "call", "filter", "block", "raw", "autoescape"}


def _block_depth(text: str) -> int | None:
    """Jinja block nesting a text opens (> 0) or closes (< 0); None for {% set x %} blocks."""
    depth = 0
    for keyword, rest in BLOCK_TAG.findall(text):
        if keyword in OPENERS:
            depth += 1
        elif keyword.startswith("end"):
            depth -= 1
        elif keyword == "set" and "=" not in rest:
            return None
    return depth


def tables_need_fixing(source: str) -> bool:
    """Whether docxtpl's fix_tables can change a rendering of this (patched) body.

    It changes a table's grid only when a row has more cells than grid columns or no row
    spans all of them. With no cell-level tags ({%tc, colspan, cellbg, hm, vm), every block
    closed in the cell that opens it, and no nested table, rendered rows are copies of the
    template's rows; then the grid stays when every row fits it and one row spanning it
    all stands outside every row loop and condition."""
    if TABLE_CHANGERS.search(source):
        return True
    tables = TABLE.findall(source)
    if len(tables) != len(TABLE_OPEN.findall(source)):
        return True                                     # nested tables
    for table in tables:
        grid = GRID.search(table)
        if grid is None:
            return True
        columns = len(GRID_COL.findall(grid.group(0)))
        depth, fixed_full_row, position = 0, False, grid.end()
        for row in ROW.finditer(table, grid.end()):
            gap = _block_depth(table[position:row.start()])
            if gap is None:
                return True
            depth += gap
            position = row.end()
            cells = CELL.findall(row.group(0))
            outside = CELL.sub("", row.group(0))
            if "{%" in outside or "{{" in outside or len(cells) > columns:
                return True
            spans = 0
            for cell in cells:
                if _block_depth(cell) != 0:
                    return True
                span = SPAN.search(cell)
                if span is not None and not span.group(1).isdigit():
                    return True
                spans += int(span.group(1)) if span else 1
            if depth == 0 and spans >= columns:
                fixed_full_row = True
        if depth + (_block_depth(table[position:]) or 0) != 0 or not fixed_full_row:
            return True
    return False


# --- Text instead of lxml where the result is the same ------------------------------------
#
# docxtpl parses every rendered body with lxml (fix_tables) and python-docx serialises it
# again. For well-formed XML that round trip changes only what lxml writes differently from
# Jinja: an empty element as <a/>, the quotes and underscore Jinja and `protect` escape as
# character references (&#34; &#39; &#95;) written as characters, and a carriage return
# read as a line feed. Where a template's blocks can only repeat or leave out whole elements
# and its values stand only in text (`keeps_structure`), every rendering is well-formed, and
# `as_lxml_writes` gives the same bytes without the parse (tests/test_fast_render.py
# compares both ways on arbitrary text).

_SOURCE_TOKEN = re.compile(r"\{%-?\s*(\w*)(.*?)-?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^>]*>", re.S)
_OPEN_BLOCKS = {"for", "if"}
_BRANCHES = {"elif", "else"}
_CLOSE_BLOCKS = {"endfor", "endif"}
# <a ...></a>; possessive, as it is tried at every tag of a 16 KB body.
WP_URI = b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DOCPR_TAG = re.compile(rb"<wp:docPr(?=[\s/>])[^>]*>")
DOCPR_ID = re.compile(rb'\sid="([^"]*)"')
_XML_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))
_EMPTY_ELEMENT = re.compile(rb"<([^\s<>/!?]++)([^<>]*+)(?<!/)></\1>")


def keeps_structure(source: str) -> bool:
    """Whether every rendering of this (patched) part is well-formed XML with the elements
    of the template: values only in a run's text (`<w:r><w:t>`, where a picture's XML, a tab
    or a line break closes and reopens the run), and only {% for %}, {% if %} and
    {% set x = ... %} blocks, each branch of which closes exactly the elements it reopens (a
    whole paragraph or row, or `</w:t></w:r><w:r><w:t>`), so leaving it out or repeating it
    keeps the XML balanced."""
    if "<!" in source or "<?" in source:
        return False
    path: list[str] = []                                     # the open elements
    branches: list[tuple[list[str], list[str], int]] = []   # opened, closed, depth at start
    opened: list[str] = []
    closed: list[str] = []
    for token in _SOURCE_TOKEN.finditer(source):
        text = token.group(0)
        if text.startswith("<"):
            if "{{" in text or "{%" in text or "{#" in text:
                return False                          # a value or block inside a tag
            if text.endswith("/>"):
                continue
            if text.startswith("</"):
                name = text[2:-1].strip()
                if not path or path.pop() != name:
                    return False
                if opened:
                    opened.pop()
                else:
                    closed.append(name)
            else:
                name = text[1:-1].split(None, 1)[0]
                path.append(name)
                opened.append(name)
        elif text.startswith("{{"):
            if path[-2:] != ["w:r", "w:t"]:
                return False
        elif text.startswith("{%"):
            keyword, rest = token.group(1), token.group(2)
            if keyword in _OPEN_BLOCKS:
                branches.append((opened, closed, len(path)))
                opened, closed = [], []
            elif keyword in _BRANCHES or keyword in _CLOSE_BLOCKS:
                if not branches or opened != closed[::-1] or len(path) != branches[-1][2]:
                    return False
                if keyword in _BRANCHES:
                    opened, closed = [], []
                else:
                    opened, closed, _ = branches.pop()
            elif not (keyword == "set" and "=" in rest):
                return False                          # macro, call, raw, autoescape ...
    return not branches and not path and not opened and not closed


def as_lxml_writes(xml: str) -> bytes | None:
    """Rendered XML as lxml would write it after parsing it (UTF-8), or None when it holds a
    character lxml refuses (then it must be parsed)."""
    try:
        data = xml.encode("utf-8")
    except UnicodeEncodeError:                         # a lone surrogate
        return None
    # ILLEGAL_XML, on the bytes (a regular expression costs 0.1 ms a body; this 0.02 ms).
    if len(data.translate(None, _XML_CONTROLS)) != len(data) \
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        return None
    if b"&#" in data:
        data = data.replace(b"&#34;", b'"').replace(b"&#39;", b"'").replace(b"&#95;", b"_")
    if b"\r" in data:                              # XML's end-of-line handling
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return _EMPTY_ELEMENT.sub(rb"<\1\2/>", data)


@dataclass
class _Story:
    """One part docxtpl renders with Jinja: the body, a header, footer, footnotes or endnotes.

    mode: "body" (spliced into document.xml after fix_tables), "xml" (headers and footers:
    parsed and serialised by python-docx), "raw" (notes: the rendered text as it is)."""

    name: str                     # zip name, "word/header1.xml"
    partname: PackURI
    mode: str
    source: str                   # the Jinja source (patched XML, one paragraph a line)
    template: Any                 # compiled; None when the part has no tag
    encoding: str
    next_id: int                  # python-docx's shape id for a picture in this part
    rids: frozenset[str]          # relationship ids the part has
    image_rids: dict[str, str]    # image partname -> rId the part already has
    keeps_structure: bool = False  # every rendering well-formed: no lxml parse (body only)


class _Rendering:
    """The pictures of one document: what python-docx's image parts and relationships would
    be after docxtpl, without a python-docx package (names and rIds allocated the same way)."""

    def __init__(self, prepared: "PreparedTemplate"):
        self.prepared = prepared
        self.media = list(prepared.media)          # (idx, sha1, partname, blob) per image part
        self.images: dict[str, DocxImage] = {}     # partname -> Image
        self.new_media: list[tuple[str, DocxImage]] = []
        self.new_rels: dict[str, list[tuple[str, str]]] = {}   # story name -> (rId, partname)

    def image_part(self, descriptor: Any) -> tuple[str, DocxImage]:
        image = DocxImage.from_file(descriptor)
        for _, sha1, partname, blob in self.media:
            if sha1 == image.sha1:
                if partname not in self.images:
                    self.images[partname] = DocxImage.from_blob(blob)
                return partname, self.images[partname]
        used = [idx for idx, *_ in self.media]
        n = next((n for n in range(1, len(self.media) + 1) if n not in used),
                 len(self.media) + 1)
        partname = f"/word/media/image{n}.{image.ext}"
        self.media.append((n, image.sha1, partname, image.blob))
        self.images[partname] = image
        self.new_media.append((partname, image))
        return partname, image

    def relate(self, story: _Story, partname: str) -> str:
        if partname in story.image_rids:
            return story.image_rids[partname]
        added = self.new_rels.setdefault(story.name, [])
        for rid, target in added:
            if target == partname:
                return rid
        taken = story.rids | {rid for rid, _ in added}
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        added.append((rid, partname))
        return rid


class _Part:
    """Stands in for python-docx's story part while a part renders (InlineImage asks its
    `tpl.current_rendering_part` for a picture)."""

    def __init__(self, rendering: _Rendering, story: _Story):
        self.rendering, self.story = rendering, story

    def new_pic_inline(self, descriptor: Any, width: Any = None, height: Any = None) -> CT_Inline:
        partname, image = self.rendering.image_part(descriptor)
        rid = self.rendering.relate(self.story, partname)
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(self.story.next_id, rid, image.filename, cx, cy)


class _Tpl:
    """What InlineImage needs of a DocxTemplate: `current_rendering_part`."""

    current_rendering_part: Any = None


@dataclass(frozen=True)
class _PartInfo:
    """What python-docx's content-types writer needs of a part."""

    partname: PackURI
    content_type: str


def _rendered(template: Any, context: Any) -> str:
    """`template.render(context)`, joined a few thousand pieces at a time: Jinja's render
    keeps every piece of the output until the end, and a catalogue of 5,000 proposals is
    millions of small strings (about 100 MB more than the text they make)."""
    pieces = template.generate(context)
    chunks = []
    while batch := list(islice(pieces, 4096)):
        chunks.append("".join(batch))
    return "".join(chunks)


class PreparedTemplate:
    """One template, prepared once: `render(context, properties) -> bytes`."""

    def __init__(self, path: Path, kind: str):
        if not path.is_file():
            raise TemplateError(f"Skabelonen til {kind} findes ikke: '{path}'.")
        self.path, self.kind = path, kind
        self.env = make_env()
        self.properties_env = make_env(autoescape=False)
        self.story_cache: dict[str, dict[str, _Entry]] = {}
        try:
            self._prepare()
        except Exception as exc:  # a broken or foreign .docx fails in many ways
            raise template_error(exc, path, kind) from exc

    # Preparing ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        tpl = DocxTemplate(str(self.path))
        tpl.render_init()
        self.tpl = tpl
        document = tpl.docx
        package = document.part.package
        self.stories: list[_Story] = []
        self._add_story("body", document.part, tpl.get_xml(), "utf-8")
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                self._add_story("xml", part, xml, tpl.get_headers_footers_encoding(xml))
        for part in package.iter_parts():
            if _rendered_notes(part):
                self._add_story("raw", part, part.blob.decode("utf-8"), "utf-8")
        # Pictures python-docx would reuse (same SHA1) or number around.
        self.media = [(p.partname.idx, p.sha1, str(p.partname), p.blob)
                      for p in package.image_parts]
        # The core properties docxtpl renders: compiled when they hold a tag.
        core = document.core_properties
        self.core = core
        self.templated = {name: self.properties_env.compiled(getattr(core, name))
                          for name in TEMPLATED_PROPERTIES if TAG_START.search(getattr(core, name))}
        for name in TEMPLATED_PROPERTIES:
            value = getattr(core, name)
            if name not in self.templated and ("\n" in value or "\r" in value):
                # Jinja normalises line ends and drops a last newline even without tags.
                setattr(core, name, clean(self.properties_env.from_string(value).render({})))
            elif name not in self.templated:
                setattr(core, name, clean(value))
        # Everything else is the same in every document, as `render` leaves it.
        _set_default_language(document)
        _set_properties(document, Properties(title="", subject=""), set(self.templated))
        self.entries = _package_entries(package)
        self.document_name = document.part.partname.lstrip("/")
        self.root = parse_xml(self.entries[self.document_name])
        whole = serialize_part_xml(self.root)
        self.head = self.tail = None
        if b"</w:body>" in whole:
            self.head = whole[:whole.index(b"<w:body")]
            self.tail = whole[whole.rindex(b"</w:body>") + len(b"</w:body>"):]
        self.root_ns = {(k or "").encode(): v.encode() for k, v in self.root.nsmap.items()}
        self.root_uris = {v: k for k, v in self.root_ns.items()}
        # docxtpl's fix_tables, when it can change anything (else only its parse).
        self.fix_tables = tables_need_fixing(self.stories[0].source)
        # A part without a tag comes out the same in every document.
        for story in self.stories:
            if story.template is None:
                self.entries[story.name] = self._render_story(story, {})
        # Unchanged parts are compressed once, not once per document.
        self.packed = {name: _Entry.of(name, data) for name, data in self.entries.items()}
        self.core_part = package.part_related_by(RT.CORE_PROPERTIES)
        self.core_name = self.core_part.partname.lstrip("/")
        self._prepare_core()
        # The package's graph, for the order python-docx writes parts in when pictures are
        # added, and the content types it declares.
        self.graph: dict[str, list[str]] = {"/": [str(r.target_part.partname)
                                                  for r in package.rels.values()
                                                  if not r.is_external]}
        self.parts: dict[str, _PartInfo] = {}
        self.with_rels = {str(p.partname) for p in package.iter_parts() if len(p.rels)}
        for part in package.iter_parts():
            self.graph[str(part.partname)] = [str(r.target_part.partname)
                                              for r in part.rels.values() if not r.is_external]
            self.parts[str(part.partname)] = _PartInfo(part.partname, part.content_type)

    def _add_story(self, mode: str, part: Any, xml: str, encoding: str) -> None:
        tpl = self.tpl
        source = _patched(tpl, xml)
        template = self.env.compiled(source) if TAG_START.search(source) else None
        rels = [r for r in part.rels.values()]
        element = part._element if hasattr(part, "_element") else part.blob
        self.stories.append(_Story(
            name=part.partname.lstrip("/"), partname=part.partname, mode=mode, source=source,
            template=template, encoding=encoding, next_id=_next_id(element),
            rids=frozenset(r.rId for r in rels),
            image_rids={str(r.target_part.partname): r.rId for r in reversed(rels)
                        if r.reltype == RT.IMAGE and not r.is_external},
            keeps_structure=mode == "body" and keeps_structure(source)))

    # Rendering ------------------------------------------------------------------------------

    def render(self, context: dict[str, Any], properties: Properties) -> bytes:
        """The .docx bytes of one document."""
        rendering = _Rendering(self)
        tpl = _Tpl()
        _reset_budget()
        replaced: dict[str, bytes] = {}
        source = None
        try:
            for story in self.stories:
                if story.template is not None:
                    source = story.source
                    tpl.current_rendering_part = _Part(rendering, story)
                    with images_for(tpl):
                        if story.mode == "body":
                            replaced[story.name] = self._render_story(story, context)
                        else:
                            replaced[story.name] = self._render_cached(story, context)
            replaced[self.core_name] = self._core_xml(context, properties)
        except Exception as exc:
            raise template_error(exc, self.path, self.kind, source) from exc
        if rendering.new_rels or rendering.new_media:
            replaced.update(self._image_parts(rendering))
        return self._zip(replaced, rendering)

    def _render_cached(self, story: _Story, context: Any) -> _Entry:
        """A header, footer or notes part: most documents of a batch share their text
        (municipality, committee), so the finished zip entry is kept by rendered text (the
        part's bytes depend on nothing else; its pictures' relationships are written apart)."""
        xml = _post(self.tpl, story.template.render(context))
        cache = self.story_cache.setdefault(story.name, {})
        entry = cache.get(xml)
        if entry is None:
            entry = _Entry.of(story.name, self._finish_story(story, xml))
            if len(cache) >= 64:
                cache.clear()
            cache[xml] = entry
        return entry

    def _render_story(self, story: _Story, context: Any) -> bytes:
        source = story.template or self.env.compiled(story.source)
        if story.keeps_structure and not self.fix_tables:
            return self._render_body_as_text(story, source, context)
        return self._finish_story(story, _post(self.tpl, _rendered(source, context)))

    def _render_body_as_text(self, story: _Story, source: Any, context: Any) -> bytes:
        """The document part of a body that keeps its structure, as lxml would write it
        (`as_lxml_writes`), without parsing it, a stretch of whole paragraphs at a time:
        docxtpl's post-processing and every text change stay inside a paragraph, so a
        5,000-proposal catalogue is never held as text, pieces and bytes at once. A stretch
        lxml must parse (a character it refuses, a picture under an unusual prefix) sends
        the whole body through docxtpl's parse."""
        written: list[bytes] = []
        parse: list[str] = []                     # the rest, once a stretch needs the parse
        pictures = [1000]                         # docxtpl numbers pictures from 1001
        pieces = source.generate(context)
        pending = ""
        while True:
            batch = list(islice(pieces, 4096))
            pending += "".join(batch)
            if batch:
                cut = pending.rfind("</w:p>")
                if cut < 0:
                    continue
                cut += len("</w:p>")
            else:
                cut = len(pending)
            stretch, pending = _post(self.tpl, pending[:cut]), pending[cut:]
            data = None if parse else as_lxml_writes(stretch)
            if data is not None and b"docPr" in data:
                data = self._number_pictures(data, pictures)
            if data is None:
                parse.append(stretch)
            else:
                written.append(data)
            if not batch:
                break
        if parse:
            text = b"".join(written).decode("utf-8") + "".join(parse)
            del written, parse
            return self._finish_story(story, text)
        return self._document_xml_text(b"".join(written), None)

    def _number_pictures(self, data: bytes, counter: list[int]) -> bytes | None:
        """docxtpl's fix_docpr_ids on text: every wp:docPr numbered from 1001 in document
        order (an existing id replaced where it stands, a missing one added last, as lxml
        sets an attribute). None where `wp` might not be the drawing namespace."""
        if self.root_ns.get(b"wp") != WP_URI or b'xmlns="' in data:
            return None
        for prefix, uri in NS_DECL.findall(data):
            if (prefix == b"wp") != (uri == WP_URI):
                return None

        def number(match: re.Match) -> bytes:
            counter[0] += 1
            tag, number = match.group(0), b"%d" % counter[0]
            found = DOCPR_ID.search(tag)
            if found:
                return tag[:found.start(1)] + number + tag[found.end(1):]
            end = len(tag) - (2 if tag.endswith(b"/>") else 1)
            return tag[:end] + b' id="' + number + b'"' + tag[end:]

        return DOCPR_TAG.sub(number, data)

    def _finish_story(self, story: _Story, xml: str) -> bytes:
        """The part's bytes from its rendered text, as docxtpl and python-docx write it."""
        if story.mode == "raw":
            return xml.encode("utf-8")
        if story.mode == "xml":
            return serialize_part_xml(parse_xml(xml.encode(story.encoding)))
        if self.fix_tables:
            tree = self.tpl.fix_tables(xml)
        else:  # fix_tables only parses when there is no table
            tree = etree.fromstring(xml.encode("utf-8"), parser=RECOVERING)
        if "docPr" in xml:
            self.tpl.docx_ids_index = 1000
            self.tpl.fix_docpr_ids(tree)
        return self._document_xml(tree)

    def _document_xml(self, body: Any) -> bytes:
        """The document part with the rendered body: spliced in as text. Moving a large
        lxml tree into the template's document (as docxtpl does) re-reconciles every
        namespace and takes seconds for a 1,000-proposal catalogue. The text is the same
        once the namespace declarations the move drops are dropped: lxml removes each
        declaration whose URI is already declared above it (a picture's xmlns:wp, xmlns:r).
        Anything less simple (a URI under another prefix, declared twice) is moved."""
        return self._document_xml_text(etree.tostring(body, encoding="utf-8"), body)

    def _document_xml_text(self, text: bytes, body: Any) -> bytes:
        """The document part from the body's text (as lxml writes it); `body` is its tree,
        or None when the body was not parsed (then parsed here if it must be moved)."""
        if self.head is None or not text.startswith(b"<w:body"):
            return self._document_xml_moved(body if body is not None else
                                            etree.fromstring(text, parser=RECOVERING))
        start_end = text.index(b">") + 1
        start, rest = text[:start_end], memoryview(text)[start_end:]
        if text.find(b"xmlns:", start_end) >= 0:
            start, rest = text, b""
        redundant = False
        kept: set[bytes] = set()
        for prefix, uri in NS_DECL.findall(start):
            if self.root_ns.get(prefix) == uri:
                redundant = True
            elif uri in self.root_uris or uri in kept:
                return self._document_xml_moved(body if body is not None else
                                                etree.fromstring(text, parser=RECOVERING))
            else:
                kept.add(uri)
        if redundant:
            start = NS_DECL_SPACED.sub(
                lambda m: b"" if self.root_ns.get(m.group(1)) == m.group(2) else m.group(0),
                start)
        return b"".join((self.head, start, rest, self.tail))

    def _document_xml_moved(self, body: Any) -> bytes:
        root = self.root
        old = root.body
        root.replace(old, body)
        try:
            return serialize_part_xml(root)
        finally:
            root.replace(body, old)

    def _core_values(self, context: dict[str, Any], properties: Properties) -> dict[str, str]:
        """Every core property that changes per document, as `render` sets it."""
        values: dict[str, str] = {}
        if self.templated:
            raw = _raw(context)
            values.update({name: clean(template.render(raw))
                           for name, template in self.templated.items()})
        ours = {"title": properties.title, "subject": properties.subject,
                "author": properties.author, "comments": ""}
        values.update({name: clean(value) for name, value in ours.items()
                       if name not in self.templated})
        values["keywords"] = clean(properties.keywords)
        values["last_modified_by"] = clean(properties.author)
        values.pop("language", None)                # always da-DK
        return values

    def _core_xml(self, context: dict[str, Any], properties: Properties) -> bytes:
        values = self._core_values(context, properties)
        if self.core_template is None or any(len(v) > 255 for v in values.values()):
            xml = self._core_xml_docx(values)      # python-docx refuses > 255 characters
        else:
            xml = self.core_template
            for name, value in values.items():
                xml = xml.replace(_marker(name), _xml_text(value))
        return _dated(xml, properties.when)

    def _core_xml_docx(self, values: dict[str, str]) -> bytes:
        for name, value in values.items():
            setattr(self.core, name, value)
        return serialize_part_xml(self.core_part._element)

    def _prepare_core(self) -> None:
        """core.xml with a marker where each changing value goes, checked against python-docx
        on awkward values (else python-docx writes it every time)."""
        sample = Properties(title="a & b < c > d \"e\" 'f' ø 😀\r", subject="", author="x")
        names = self._core_values({}, sample)
        expected = self._core_xml_docx(names)
        self.core_template = self._core_xml_docx({name: _marker(name).decode() for name in names})
        if self._core_xml({}, sample) != expected:
            self.core_template = None

    def _image_parts(self, rendering: _Rendering) -> dict[str, bytes]:
        """The new pictures, the relationships of the parts that show them, and the
        content types, as python-docx writes them."""
        parts: dict[str, bytes] = {}
        for partname, image in rendering.new_media:
            parts[partname.lstrip("/")] = image.blob
        stories = {s.name: s for s in self.stories}
        for name, added in rendering.new_rels.items():
            story = stories[name]
            rels_name = story.partname.rels_uri.lstrip("/")
            rels = (parse_rels(self.entries[rels_name]) if rels_name in self.entries
                    else CT_Relationships.new())
            for rid, target in added:
                rels.add_rel(rid, RT.IMAGE, PackURI(target).relative_ref(story.partname.baseURI))
            parts[rels_name] = serialize_part_xml(rels)
        infos = list(self.parts.values()) + [_PartInfo(PackURI(partname), image.content_type)
                                             for partname, image in rendering.new_media]
        parts["[Content_Types].xml"] = _ContentTypesItem.from_parts(infos).blob
        return parts

    def _order(self, rendering: _Rendering) -> list[str]:
        """The zip names in python-docx's order: a depth-first walk of the relationships."""
        graph = dict(self.graph)
        for name, added in rendering.new_rels.items():
            source = "/" + name
            graph[source] = graph[source] + [target for _, target in added]
        visited: set[str] = set()
        with_new = {"/" + name for name in rendering.new_rels}
        names = ["[Content_Types].xml", "_rels/.rels"]

        def walk(source: str) -> None:
            for target in graph.get(source, ()):
                if target in visited:
                    continue
                visited.add(target)
                names.append(target.lstrip("/"))
                if target in self.with_rels or "/" + target.lstrip("/") in with_new:
                    names.append(PackURI(target).rels_uri.lstrip("/"))
                walk(target)

        walk("/")
        return names

    def _zip(self, replaced: dict[str, bytes | _Entry], rendering: _Rendering) -> bytes:
        names = (self._order(rendering) if rendering.new_rels or rendering.new_media
                 else list(self.entries))
        entries = []
        for name in names:
            data = replaced.get(name)
            if data is None:
                entries.append(self.packed[name])
            else:
                entries.append(data if isinstance(data, _Entry) else _Entry.of(name, data))
        return write_zip(entries)


# The zip container, written as zipfile writes it (same headers), by both renderers; the
# prepared one compresses each part only when it changes.
_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_MADE_BY = (0 if sys.platform == "win32" else 3) << 8 | 20
_EXTERNAL_ATTR = 0o600 << 16


class _Entry:
    """One zip entry (deflated, or stored when small) with its local header, ready to be
    written."""

    __slots__ = ("name", "crc", "size", "data", "method", "local")

    def __init__(self, name: bytes, crc: int, size: int, data: bytes, method: int):
        self.name, self.crc, self.size, self.data, self.method = name, crc, size, data, method
        self.local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, _DOS_TIME,
                                 _DOS_DATE, crc, len(data), size, len(name), 0) + name + data

    @classmethod
    def of(cls, name: str, data: bytes) -> "_Entry":
        if len(data) < STORED_BELOW:
            return cls(name.encode("ascii"), zlib.crc32(data), len(data), data,
                       zipfile.ZIP_STORED)
        packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, COMPRESS_WBITS,
                                  COMPRESS_MEMLEVEL)
        return cls(name.encode("ascii"), zlib.crc32(data), len(data),
                   packer.compress(data) + packer.flush(), zipfile.ZIP_DEFLATED)


_CENTRAL = struct.Struct("<4s6H3L5H2L")


def write_zip(entries: Sequence[_Entry]) -> bytes:
    """A zip of already compressed entries, with the headers zipfile writes."""
    locals_: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        locals_.append(entry.local)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _MADE_BY, 20, 0, entry.method,
                                     _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data),
                                     entry.size, len(entry.name), 0, 0, 0, 0, _EXTERNAL_ATTR,
                                     offset))
        central.append(entry.name)
        offset += len(entry.local)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), offset, 0)
    return b"".join(locals_) + directory + end

"""A docxtpl template prepared once and rendered many times.

docxtpl's documented use (load + render + save per document) re-reads the package, re-patches
and re-compiles the template's XML for every document; most of its time goes there. Here a
template is prepared once per run: docxtpl's own `patch_xml` cleans the body, headers and
footers, Jinja compiles them, and the parts that never change (styles, numbering, settings,
fonts ...) are kept as bytes. Rendering then only runs the compiled templates, docxtpl's own
post-processing (`resolve_listing`, `fix_tables`, `fix_docpr_ids`), and writes a new zip.

The output equals `engine.render` for the same template and context (tests compare every part
of every template); templates stay plain docxtpl templates.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.shape import CT_Inline
from docxtpl import DocxTemplate
from jinja2 import Environment
from jinja2 import TemplateError as JinjaTemplateError
from lxml import etree

from ..errors import TemplateError
from . import engine
from .engine import ZIP_TIME, Image, Properties

PARAGRAPH_OPEN = re.compile(r"<w:p([ >])")
BODY_START = re.compile(rb"<w:body((?:\s+xmlns:\w+=\"[^\"]*\")*)(\s*/?>)")
NS_DECL = re.compile(rb"xmlns:(\w+)=\"([^\"]*)\"")
PARAGRAPH_OPEN_NL = re.compile(r"\n<w:p([ >])")
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _post(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's steps after Jinja (render_xml_part), in the same order."""
    xml = PARAGRAPH_OPEN_NL.sub(r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return tpl.resolve_listing(xml)


@dataclass
class _Images:
    """The pictures of one rendering: what python-docx's image parts and relationships would
    be, without a python-docx package (rIds and media names allocated the same way)."""

    used_rids: set[str]
    used_media: set[int]
    added: list[tuple[str, str, bytes]] = field(default_factory=list)   # rId, partname, blob
    by_sha1: dict[str, tuple[str, DocxImage]] = field(default_factory=dict)

    def get_or_add(self, descriptor: Any) -> tuple[str, DocxImage]:
        image = DocxImage.from_file(descriptor)
        if image.sha1 in self.by_sha1:
            return self.by_sha1[image.sha1]
        n = next(n for n in range(1, len(self.used_media) + 2) if n not in self.used_media)
        self.used_media.add(n)
        rid = next(f"rId{n}" for n in range(1, len(self.used_rids) + 2)
                   if f"rId{n}" not in self.used_rids)
        self.used_rids.add(rid)
        self.added.append((rid, f"word/media/image{n}.{image.ext}", image.blob))
        self.by_sha1[image.sha1] = (rid, image)
        return rid, image


class _Part:
    """Stands in for python-docx's story part while a template renders (InlineImage asks its
    `tpl.current_rendering_part` for a picture)."""

    def __init__(self, images: _Images):
        self.images = images

    def new_pic_inline(self, descriptor: Any, width: Any = None, height: Any = None) -> CT_Inline:
        rid, image = self.images.get_or_add(descriptor)
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(1, rid, image.filename, cx, cy)


class _Tpl:
    """What InlineImage needs of a DocxTemplate: `current_rendering_part`."""

    def __init__(self, part: _Part):
        self.current_rendering_part = part


class PreparedTemplate:
    """One template, prepared once: `render(context, properties) -> bytes`."""

    def __init__(self, path: Path, kind: str):
        if not path.is_file():
            raise TemplateError(f"Skabelonen til {kind} findes ikke: '{path}'.")
        self.path, self.kind = path, kind
        self.env = Environment(autoescape=True)
        try:
            self._prepare()
        except JinjaTemplateError as exc:
            raise TemplateError(f"Skabelonen '{path}' til {kind} kunne ikke bruges: "
                                f"{exc.message or exc}.") from exc
        except Exception as exc:  # a broken or foreign .docx fails in many ways
            raise TemplateError(f"Skabelonen '{path}' til {kind} kunne ikke bruges: "
                                f"{type(exc).__name__}: {exc}.") from exc

    def _prepare(self) -> None:
        tpl = DocxTemplate(str(self.path))
        tpl.render_init()
        self.tpl = tpl
        document = tpl.docx
        body = PARAGRAPH_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
        self.body = self.env.from_string(body)
        self.stories: list[tuple[str, Any, str]] = []   # zip name, compiled, encoding
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                source = PARAGRAPH_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(xml))
                self.stories.append((part.partname.lstrip("/"), self.env.from_string(source),
                                     encoding))
        # Everything that is the same in every document, as engine.render leaves it. Our
        # templates' core properties hold no Jinja, so docxtpl's render_properties is the
        # same for every context.
        tpl.render_properties({}, Environment())
        engine._set_default_language(document)
        engine._set_properties(document, Properties(title="", subject=""))
        saved = io.BytesIO()
        document.save(saved)
        with zipfile.ZipFile(saved) as archive:
            self.entries = {name: archive.read(name) for name in archive.namelist()}
        # Unchanged parts are compressed once, not once per document.
        self.packed = {name: _Entry.of(name, data) for name, data in self.entries.items()}
        self.document_name = document.part.partname.lstrip("/")
        self.rels_name = "word/_rels/document.xml.rels"
        self.root = parse_xml(self.entries[self.document_name])
        whole = serialize_part_xml(self.root)
        self.head = self.tail = None
        if b"</w:body>" in whole:
            self.head = whole[:whole.index(b"<w:body")]
            self.tail = whole[whole.rindex(b"</w:body>") + len(b"</w:body>"):]
        self.root_ns = {(k or "").encode(): v.encode() for k, v in self.root.nsmap.items()}
        self.core = document.core_properties
        self.core_name = document.part.package.part_related_by(RT.CORE_PROPERTIES) \
            .partname.lstrip("/")
        self.core_part = document.part.package.part_related_by(RT.CORE_PROPERTIES)
        # New pictures go where python-docx puts them: after the document's own parts, before
        # the next part the package relates to directly (such as the thumbnail).
        names = list(self.entries)
        package_targets = {rel.get("Target").lstrip("/")
                           for rel in etree.fromstring(self.entries["_rels/.rels"])}
        after_document = names[names.index(self.document_name) + 1:]
        self.insert_before = next((n for n in after_document if n in package_targets), None)
        rels = etree.fromstring(self.entries[self.rels_name])
        self.used_rids = {rel.get("Id") for rel in rels}
        self.used_media = {int(m.group(1)) for name in self.entries
                           for m in [re.match(r"word/media/image(\d+)\.", name)] if m}

    def render(self, context: dict[str, Any], properties: Properties) -> bytes:
        """The .docx bytes of one document."""
        images = _Images(set(self.used_rids), set(self.used_media))
        fake = _Tpl(_Part(images))
        context = engine.bind(context, fake)
        tpl = self.tpl
        try:
            body_xml = _post(tpl, self.body.render(context))
            stories = [(name, _post(tpl, compiled.render(context)).encode(encoding))
                       for name, compiled, encoding in self.stories]
        except JinjaTemplateError as exc:
            raise TemplateError(f"Skabelonen '{self.path}' til {self.kind} kunne ikke bruges: "
                                f"{exc.message or exc}.") from exc
        tree = tpl.fix_tables(body_xml)
        tpl.docx_ids_index = 1000
        tpl.fix_docpr_ids(tree)
        replaced = {self.document_name: self._document_xml(tree),
                    self.core_name: self._core_xml(properties)}
        for name, xml in stories:
            replaced[name] = serialize_part_xml(parse_xml(xml))
        if images.added:
            replaced.update(self._image_parts(images))
        return self._zip(replaced)

    def _document_xml(self, body: Any) -> bytes:
        """The document part with the rendered body: spliced in as text. Moving a large
        lxml tree into the template's document (as docxtpl does) re-reconciles every
        namespace and takes seconds for a 1,000-proposal catalogue; the text is the same,
        except that namespace declarations nested inside the body (pictures) are kept."""
        text = etree.tostring(body, encoding="utf-8")
        start = BODY_START.match(text)
        declared = dict(NS_DECL.findall(start.group(1))) if start else None
        if (declared is None or self.head is None
                or any(self.root_ns.get(k) != v for k, v in declared.items())):
            return self._document_xml_moved(body)
        return self.head + b"<w:body" + start.group(2) + text[start.end():] + self.tail

    def _document_xml_moved(self, body: Any) -> bytes:
        root = self.root
        old = root.body
        root.replace(old, body)
        try:
            return serialize_part_xml(root)
        finally:
            root.replace(body, old)

    def _core_xml(self, properties: Properties) -> bytes:
        core = self.core
        core.title, core.subject = properties.title, properties.subject
        core.author, core.keywords = properties.author, properties.keywords
        core.last_modified_by = properties.author
        return serialize_part_xml(self.core_part._element)

    def _image_parts(self, images: _Images) -> dict[str, bytes]:
        parts: dict[str, bytes] = {}
        rels = etree.fromstring(self.entries[self.rels_name])
        types = etree.fromstring(self.entries["[Content_Types].xml"])
        defaults = {d.get("Extension") for d in types if d.tag == f"{{{TYPES_NS}}}Default"}
        for rid, name, blob in images.added:
            parts[name] = blob
            rel = etree.SubElement(rels, f"{{{RELS_NS}}}Relationship")
            rel.set("Id", rid)
            rel.set("Type", RT.IMAGE)
            rel.set("Target", name.removeprefix("word/"))
            ext = name.rsplit(".", 1)[1]
            if ext not in defaults:
                # python-docx writes Default elements sorted by extension.
                default = etree.Element(f"{{{TYPES_NS}}}Default")
                default.set("Extension", ext)
                default.set("ContentType", f"image/{'jpeg' if ext == 'jpg' else ext}")
                later = [i for i, d in enumerate(types) if d.tag == default.tag
                         and d.get("Extension") > ext]
                before = [i for i, d in enumerate(types) if d.tag == default.tag]
                types.insert(later[0] if later else (before[-1] + 1 if before else 0), default)
                defaults.add(ext)
        parts[self.rels_name] = serialize_part_xml(rels)
        parts["[Content_Types].xml"] = serialize_part_xml(types)
        return parts

    def _zip(self, replaced: dict[str, bytes]) -> bytes:
        names = list(self.entries)
        new = [n for n in replaced if n not in self.entries]
        at = names.index(self.insert_before) if self.insert_before else len(names)
        names[at:at] = new
        return write_zip([_Entry.of(name, replaced[name]) if name in replaced
                          else self.packed[name] for name in names])


# The zip container, written as zipfile writes it (same headers, same deflate), so that
# the bytes equal engine.fixed_zip's, but with each part compressed only when it changes.
_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_MADE_BY = (0 if sys.platform == "win32" else 3) << 8 | 20
_EXTERNAL_ATTR = 0o600 << 16


@dataclass(frozen=True)
class _Entry:
    name: bytes
    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> "_Entry":
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        return cls(name.encode("ascii"), zlib.crc32(data), len(data),
                   packer.compress(data) + packer.flush())


def write_zip(entries: list[_Entry]) -> bytes:
    out = bytearray()
    central = bytearray()
    for entry in entries:
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, zipfile.ZIP_DEFLATED, _DOS_TIME,
                           _DOS_DATE, entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        out += entry.name
        out += entry.data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_BY, 20, 0,
                               zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, entry.crc,
                               len(entry.data), entry.size, len(entry.name), 0, 0, 0, 0,
                               _EXTERNAL_ATTR, offset)
        central += entry.name
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                       len(central), start, 0)
    return bytes(out)

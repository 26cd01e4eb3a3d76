"""The one place that talks to docxtpl: render a template with a context, set the document
properties and save reproducible bytes.

Contexts are plain data (str, int, list, dict, and `Image` for pictures), so the same context
can be rendered again, or by a renderer that prepares its template once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.oxml import OxmlElement, parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment
from markupsafe import Markup, escape
from jinja2 import TemplateError as JinjaTemplateError

from ..errors import TemplateError

LANGUAGE = "da-DK"
# Fixed timestamps make the same input give the same bytes (zip entries and core properties).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Image:
    """A PNG picture for the context; the engine turns it into an inline image with alt text."""

    png: bytes
    width_mm: float
    descr: str


@dataclass(frozen=True)
class Properties:
    """The document's core properties (File > Info in Word)."""

    title: str
    subject: str
    author: str = ""
    keywords: str = ""


class _DescribedImage(InlineImage):
    """docxtpl's InlineImage plus alt text: the `descr` attribute of `wp:docPr`."""

    def __init__(self, tpl: DocxTemplate, image: Image):
        super().__init__(tpl, io.BytesIO(image.png), width=Mm(image.width_mm))
        self.descr = image.descr

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height)
        for doc_pr in inline.xpath(".//wp:docPr"):
            doc_pr.set("descr", self.descr)
        return ("</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">' % inline.xml)


# docxtpl turns "{_{", "}_}", "{_%" and "%_}" in its output into "{{", "}}", "{%" and "%}"
# (its way to print template syntax). In user text they must stay as typed: every underscore
# next to a brace or percent sign goes out as a character reference, which that
# replacement does not see (all of them, as the sequences may overlap: "{_{_%").
DOCXTPL_ESCAPES = re.compile(r"[{}%]_|_[{}%]")


def protect(text: str) -> str | Markup:
    """User text as data: escaped here when it holds one of docxtpl's escape sequences."""
    if not DOCXTPL_ESCAPES.search(text):
        return text  # Jinja's autoescape does the rest
    return Markup(str(escape(text)).replace("_", "&#95;"))


def bind(value: Any, tpl: Any) -> Any:
    """A copy of the context with every Image bound to this template and user text
    protected from docxtpl's post-processing."""
    if isinstance(value, Image):
        return _DescribedImage(tpl, value)
    if isinstance(value, str):
        return protect(value)
    if isinstance(value, dict):
        return {k: bind(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [bind(v, tpl) for v in value]
    return value


def render(template: Path, context: dict[str, Any], properties: Properties, kind: str) -> bytes:
    """Render one document: the .docx bytes, reproducible for the same template and context."""
    if not template.is_file():
        raise TemplateError(f"Skabelonen til {kind} findes ikke: '{template}'.")
    try:
        tpl = DocxTemplate(str(template))
        # autoescape: user text is data; &, <, > are escaped and {{ }} typed by a user stays text.
        tpl.render(bind(context, tpl), jinja_env=Environment(autoescape=True))
    except JinjaTemplateError as exc:
        near = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        where = f" nær »{near[:120]}«" if near else ""
        raise TemplateError(f"Skabelonen '{template}' til {kind} kunne ikke bruges: "
                            f"{exc.message or exc}{where}.") from exc
    except Exception as exc:  # a broken or foreign .docx fails in many ways inside docxtpl
        raise TemplateError(f"Skabelonen '{template}' til {kind} kunne ikke bruges: "
                            f"{type(exc).__name__}: {exc}.") from exc
    document = tpl.docx
    _set_properties(document, properties)
    _set_default_language(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())


def _set_properties(document: Any, properties: Properties) -> None:
    core = document.core_properties
    core.title = properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.keywords = properties.keywords
    core.language = LANGUAGE
    core.last_modified_by = properties.author
    core.comments = ""
    core.revision = 1
    core.created = FIXED_TIME
    core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME


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


def fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps (Office files are zips; python-docx and
    openpyxl stamp every entry with the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

"""Check templates a municipality has edited in Word, before they are used.

Every trouble is a `Finding` (codes in messages.py) with the template and the paragraph
where it stands:
- Jinja syntax errors (after docxtpl's own cleaning of Word's XML);
- what the sandbox forbids: attributes starting with "_" (`__globals__`, `__class__` ...),
  Python internals (`mro`, `os`, `popen`, `system` ...), filters the renderer does not
  offer, ranges larger than it allows;
- variables the documents do not provide, with the nearest valid name;
- tags that Word split: across paragraphs or table cells (an error: docxtpl cannot join
  them), or across runs of different formatting (a warning: docxtpl joins them, but the
  formatting of the tag's text is lost), and row/cell/paragraph tags in the wrong place.

What a template may use is taken from a real sample context per document kind, built by
the caller (documents), so that the checker and the Danish variable reference
(`variable_reference`) cannot drift from the code.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, nodes
from lxml import etree

from ..findings import Finding, Location, Severity
from ..model import PROPOSAL_COLUMNS
from .engine import ALLOWED_FILTERS, CONCAT_GUARD, LOOP_GUARD, MAX_RANGE, TAG_START, make_env

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
OPENING = re.compile(r"\{[{%#]")
CLOSING = re.compile(r"[}%#]\}")
ANY = object()          # a value whose shape the checker does not know: anything goes
FORBIDDEN = object()    # what a forbidden access gives (reported once per expression)
JINJA_NAMES = (set(make_env().globals) - {LOOP_GUARD, CONCAT_GUARD}) | {
    "loop", "true", "false", "none", "True", "False", "None", "self", "varargs", "kwargs",
    "caller"}
# Attribute names the sandbox refuses or that only reach Python internals.
INTERNALS = {"mro", "os", "popen", "system", "subclasses", "globals", "builtins", "import",
             "eval", "exec", "compile", "getattr", "setattr", "delattr", "open", "func_globals",
             "func_code", "f_globals", "f_locals", "f_back", "gi_frame", "gi_code", "cr_frame",
             "cr_code", "ag_frame", "ag_code", "tb_frame", "im_func",
             "im_self", "im_class", "func_closure", "co_code", "modules", "environ", "spawn",
             "subprocess", "call_macro", "load"}


def _finding(code: str, template: str, place: str, error: bool = True, **params: str) -> Finding:
    return Finding(code=code, severity=Severity.ERROR if error else Severity.WARNING,
                   location=Location(file=template, place=place), params=params)


def shape(value: Any) -> Any:
    """dict -> {key: shape}; list -> [shape of an element] (or ANY when empty); else a leaf."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0]) if value else ANY]
    return type(value).__name__


# --- Checking a template -------------------------------------------------------------------

def _paragraphs(xml: str) -> list[tuple[str, list[str], Any]]:
    """(text, the texts of its runs, element) of every paragraph of a part."""
    root = etree.fromstring(xml.encode("utf-8"))
    result = []
    for paragraph in root.iter(f"{W}p"):
        runs = ["".join(t.text or "" for t in run.iter(f"{W}t"))
                for run in paragraph.iter(f"{W}r")]
        result.append(("".join(runs), runs, paragraph))
    return result


def _short(text: str) -> str:
    text = " ".join(text.split())
    return f"»{text[:70]}{'…' if len(text) > 70 else ''}«"


def _split_tags(name: str, label: str, xml: str) -> list[Finding]:
    found = []
    for number, (text, runs, element) in enumerate(_paragraphs(xml), start=1):
        place = f"{label}afsnit {number} {_short(text)}"
        if len(OPENING.findall(text)) != len(CLOSING.findall(text)):
            found.append(_finding("template-split-paragraphs", name, place,
                                  example="{% for p in forslag %}"))
            continue
        bounds, position = [], 0
        for run in runs:
            bounds.append((position, position + len(run)))
            position += len(run)
        for tag in TAG.finditer(text):
            touched = [b for b in bounds if b[0] < tag.end() and b[1] > tag.start()]
            if len(touched) > 1:
                found.append(_finding("template-split-runs", name, place, error=False,
                                      tag=_short(tag.group(0)), count=str(len(touched))))
            kind = re.match(r"\{%\s*(tr|tc|p|r)\s", tag.group(0))
            ancestors = {a.tag for a in element.iterancestors()}
            if kind and kind.group(1) == "tr" and f"{W}tr" not in ancestors:
                found.append(_finding("template-row-tag-outside-table", name, place,
                                      tag=_short(tag.group(0)), alternative="{%p ... %}"))
            if kind and kind.group(1) == "tc" and f"{W}tc" not in ancestors:
                found.append(_finding("template-cell-tag-outside-table", name, place,
                                      tag=_short(tag.group(0))))
            if kind and kind.group(1) == "p" and text.strip() != tag.group(0).strip():
                found.append(_finding("template-paragraph-tag-with-text", name, place,
                                      error=False, tag=_short(tag.group(0))))
    return found


def _jinja_source(tpl: DocxTemplate, xml: str) -> str:
    # As docxtpl renders it: cleaned, and one paragraph a line (so Jinja's line numbers
    # point at paragraphs).
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def _line_text(source: str, lineno: int | None) -> str:
    if not lineno:
        return "ukendt sted"
    lines = source.splitlines()
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    return f"afsnit {lineno - 1} {_short(text)}"


def _forbidden(name: str) -> bool:
    return name.startswith("_") or name in INTERNALS


def _expression(source: str, node: nodes.Node) -> str:
    """The tag around a node, for the message (the line's tag holding the name)."""
    lines = source.splitlines()
    line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
    text = re.sub(r"<[^>]+>", "", line)
    tags = TAG.findall(text)
    return " ".join((tags[0] if tags else text).split())[:80]


class _Variables:
    """Walks a template's syntax tree: names the context does not have, what the sandbox
    forbids, filters it does not offer, ranges it refuses."""

    def __init__(self, name: str, label: str, source: str, context_shape: dict,
                 fixed_place: str | None = None):
        self.name, self.label, self.source = name, label, source
        self.fixed_place = fixed_place
        self.findings: list[Finding] = []
        self.top = context_shape

    def place(self, node: nodes.Node) -> str:
        if self.fixed_place is not None:
            return self.fixed_place
        return self.label + _line_text(self.source, node.lineno)

    def unknown(self, node: nodes.Node, code: str, wanted: str, candidates: list[str]) -> None:
        near = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.5)
        self.findings.append(_finding(code, self.name, self.place(node), name=wanted,
                                      suggestion=f" Mente du '{near[0]}'?" if near else ""))

    def forbidden(self, node: nodes.Node, what: str) -> Any:
        self.findings.append(_finding("template-forbidden", self.name, self.place(node),
                                      name=what, expression=_expression(self.source, node)))
        return FORBIDDEN

    def resolve(self, node: nodes.Node, scope: dict) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if _forbidden(node.name):
                return self.forbidden(node, node.name)
            if node.name not in JINJA_NAMES:
                self.unknown(node, "template-unknown-variable", node.name, list(scope))
            return ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) else None)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.walk(node.arg, scope)
            if base is FORBIDDEN:
                return FORBIDDEN
            if isinstance(key, str) and _forbidden(key):
                return self.forbidden(node, key)
            if key in ("format", "format_map") and isinstance(node.node, nodes.Const) \
                    and re.search(r"[.\[]_", str(node.node.value)):
                return self.forbidden(node, key)     # "{0.__class__}".format(x)
            if isinstance(base, dict) and isinstance(key, str):
                if key in base:
                    return base[key]
                self.unknown(node, "template-unknown-field", key, list(base))
            return ANY
        if isinstance(node, nodes.Call):
            callee = self.resolve(node.node, scope)
            for child in [*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs]:
                if child is not None:
                    self.walk(child, scope)
            if callee is not FORBIDDEN and isinstance(node.node, nodes.Name) \
                    and node.node.name == "range" and "range" not in scope:
                self.check_range(node)
            return ANY
        self.walk(node, scope)
        return ANY

    def check_range(self, node: nodes.Call) -> None:
        try:
            args = [arg.as_const() for arg in node.args]
            size = len(range(*args))
        except Exception:  # not constant: the renderer bounds it when it runs
            return
        if size > MAX_RANGE:
            self.findings.append(_finding(
                "template-too-much-work", self.name, self.place(node),
                expression=_expression(self.source, node),
                limit=f"range() må højst give {MAX_RANGE:,} tal".replace(",", ".")))

    def bind(self, target: nodes.Node, value: Any, scope: dict) -> dict:
        if isinstance(target, nodes.Name):
            return {**scope, target.name: value}
        if isinstance(target, nodes.Tuple):
            for item in target.items:
                scope = self.bind(item, ANY, scope)
        return scope

    def walk(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            iterated = self.resolve(node.iter, scope)
            element = iterated[0] if isinstance(iterated, list) else ANY
            inner = self.bind(node.target, element, scope)
            if node.test is not None:
                self.walk(node.test, inner)
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Call)):
            self.resolve(node, scope)
            return
        if isinstance(node, (nodes.Filter, nodes.FilterBlock)):
            filter_node = node if isinstance(node, nodes.Filter) else node.filter
            if filter_node.name not in ALLOWED_FILTERS:
                self.findings.append(_finding(
                    "template-unknown-filter", self.name, self.place(node),
                    name=filter_node.name, allowed=", ".join(sorted(ALLOWED_FILTERS))))
        if isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            scope.update(self.bind(node.target, ANY, {}))
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)


def _parts(tpl: DocxTemplate) -> list[tuple[str, str]]:
    """(label, XML) of every part the renderer renders with Jinja."""
    from .engine import _rendered_notes

    parts = [("", tpl.get_xml())]
    for uri, label in ((tpl.HEADER_URI, "sidehoved"), (tpl.FOOTER_URI, "sidefod")):
        parts += [(f"{label}: ", tpl.get_part_xml(part))
                  for _, part in tpl.get_headers_footers(uri)]
    for part in tpl.docx.part.package.iter_parts():
        if _rendered_notes(part):
            label = "fodnoter" if "footnotes" in part.content_type else "slutnoter"
            parts.append((f"{label}: ", part.blob.decode("utf-8")))
    return parts


def _properties(tpl: DocxTemplate) -> list[tuple[str, str]]:
    """(label, text) of the document properties holding a tag (File > Info in Word)."""
    from .engine import TEMPLATED_PROPERTIES

    core = tpl.docx.core_properties
    return [(f"egenskaben {name} {_short(getattr(core, name))}", getattr(core, name))
            for name in TEMPLATED_PROPERTIES if TAG_START.search(getattr(core, name))]


def check_template(path: Path, kind: str, contexts: dict[str, dict]) -> list[Finding]:
    """Everything wrong with one template for one document kind; `contexts` holds a real
    sample context of every kind."""
    name = path.name
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        parts = _parts(tpl)
        properties = _properties(tpl)
    except Exception as exc:  # not a .docx Word can write
        return [_finding("template-unreadable", name, "hele filen", reason=type(exc).__name__)]
    context_shape = shape(contexts[kind])
    found: list[Finding] = []
    env = Environment()     # only parses: the syntax tree as written (no loop guards)
    sources = [(label, xml, _jinja_source(tpl, xml)) for label, xml in parts]
    sources += [(label, None, text) for label, text in properties]
    for label, xml, source in sources:
        fixed_place = label if xml is None else None     # a property has no paragraphs
        if xml is not None:
            found += _split_tags(name, label, xml)
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            place = fixed_place or label + _line_text(source, exc.lineno)
            found.append(_finding("template-syntax", name, place,
                                  reason=(exc.message or str(exc)).rstrip("."),
                                  for_tag="{% for %}",
                                  endfor_tag="{% endfor %}", if_tag="{% if %}",
                                  endif_tag="{% endif %}"))
            continue
        checker = _Variables(name, label, source, context_shape, fixed_place)
        checker.walk(tree, dict(context_shape))
        found += checker.findings
    return found


def check_folder(folder: Path, kinds: Sequence[str],
                 contexts: dict[str, dict]) -> tuple[list[Finding], list[str]]:
    """Findings in every template of a folder (one `<kind>.docx` per kind), and the kinds it
    has no template for."""
    found: list[Finding] = []
    missing: list[str] = []
    for kind in kinds:
        path = folder / f"{kind}.docx"
        if path.is_file():
            found += check_template(path, kind, contexts)
        else:
            missing.append(kind)
    return found, missing


# --- The Danish reference of every template variable ------------------------------------

PROPOSAL_HELP = {c.field: f"{c.header}: {c.help}" for c in PROPOSAL_COLUMNS}
PROPOSAL_EXTRA = {
    "nr": "Forslagets nummer som tekst",
    "kind_line": "Forslagstype og forebyggelsespakke i én linje",
    "cost_start": "Ressourcer ved opstart med »kr.«, fx 75.000 kr.",
    "cost_yearly": "Ressourcer til drift pr. år med »kr.«",
    "cost_first_year": "Opstart plus ét års drift med »kr.«",
    "start_kr": "Ressourcer ved opstart som tal, fx 75.000",
    "yearly_kr": "Ressourcer til drift pr. år som tal",
    "group": "Arbejdsgruppens navn",
    "focus_area": "Arbejdsgruppens fokusområde",
    "committee": "Arbejdsgruppens udvalg",
    "description": "Kort beskrivelse (titel og målgruppe)",
    "resources": "Ressourcer i én linje: opstart og drift pr. år",
    "sheet_nr": "Nr. i arbejdsgruppens projektmappe (nr ovenfor er unikt i hele kørslen, fx BU-3)",
    "target_group_line": "Målgruppen i én linje (opfølgningsoversigten)",
    "summary_paragraphs": "Resumé som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "purpose_paragraphs": "Formål og forventet effekt som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "target_group_paragraphs": "Målgruppe som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "problem_size_paragraphs": "Problemets omfang som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "content_paragraphs": "Indhold og rammer som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "monitoring_paragraphs": "Monitorering og evaluering som afsnit: ét pr. linje (Alt+Enter i Excel)",
    "light": "Opfølgningens trafiklys: rød, gul eller grøn",
    "light_text": "Trafiklyset som tekst, fx »Rød: opfølgningen i februar 2027 er overskredet«",
    "light_fill": "Trafiklysets farve som hex-kode, til `{% cellbg p.light_fill %}` i en tabelcelle",
}
DESCRIPTIONS = {
    "municipality": "Kommunens navn (konfigurationen: kommune.navn)",
    "administration": "Forvaltningen eller staben (kommune.forvaltning)",
    "logo": "Kommunens logo som billede, eller tom (kommune.logo)",
    "committee": "Udvalget, der behandler sagen",
    "meeting_date": "Mødedatoen fra mødekalenderen, ellers »Udfyldes af sekretariatet«",
    "case_number": "Sagsnummeret efter kommune.sagsnummer, ellers en tom linje",
    "agenda_item": "Punktnummeret på dagsordenen (tom linje til sekretariatet)",
    "header_text": "Teksten i sidehovedet",
    "title": "Dokumentets titel",
    "subtitle": "Undertitel",
    "intro": "Indledende tekst",
    "summary": "Resumé",
    "recommendation": "Indstillingen, dannet ud fra forslaget",
    "background": "Baggrund: handlings- eller udviklingsforslag og forebyggelsespakken",
    "owner": "Projektejer (eller »Udpeges af chefgruppen«)",
    "attachments": "Bilag",
    "toc": "Indholdsfortegnelsens linjer",
    "level": "Niveau i indholdsfortegnelsen (1 eller 2)",
    "text": "Tekst",
    "overview": "Oversigtstabellen, pr. fokusområde",
    "areas": "Fokusområderne med deres forslag",
    "groups": "Arbejdsgrupperne under et fokusområde",
    "heading": "Overskrift",
    "name": "Navn (fokusområde, finansiering ...)",
    "proposals": "Forslagene (hvert med felterne under p)",
    "total": "Summer for forslagene",
    "count": "Antal forslag",
    "cost_start": "Sum af ressourcer ved opstart med »kr.«",
    "cost_yearly": "Sum af ressourcer til drift pr. år med »kr.«",
    "cost_first_year": "Sum af opstart og ét års drift med »kr.«",
    "start_kr": "Sum af ressourcer ved opstart som tal",
    "yearly_kr": "Sum af ressourcer til drift pr. år som tal",
    "chart": "Diagram over ressourcer pr. fokusområde (billede med alternativ tekst)",
    "chart_caption": "Billedtekst til diagrammet",
    "themes": "Temaerne med overordnede mål og rækker",
    "goals": "Temaets overordnede mål",
    "rows": "Rækkerne i opfølgningstabellen: ét mål med dets indsatser",
    "area": "Indsatsområdet, som målet hører til",
    "goal": "Målet, der spænder over indsatserne i rækken",
    "case_text": "Sagsfremstillingens afsnit",
    "table_heading": "Overskrift over tabellen",
    "economy_text": "Økonomien i én sætning",
    "financing": "Økonomien fordelt på finansiering",
    "p": "Forslaget (alle felter nedenfor)",
    "date": "Kørslens dato (--dato), fx 2. december 2026",
    "period": "Politikperioden ([periode] i konfigurationen), fx 2026–2029",
    "decision": "Linjen til udvalgets beslutning (tom linje til sekretariatet)",
    "budget": "Økonomien pr. budgetår: budgetåret og tre overslagsår",
    "rule": "Reglen for beregningen, skrevet under tabellen",
    "unit": "Enheden for beløbene i tabellen, fx »Beløb i kr.«",
    "label": "Rækkens navn (Opstart, Drift, I alt eller finansieringen)",
    "bold": "Sand for en sumrække, som vises med fed",
    "amounts": "Beløbene pr. budgetår",
    "years": "Budgetårene",
    "held_back": "Forslag, der er afleveret, men holdt tilbage af fejl (pr. arbejdsgruppe)",
    "light_summary": "Antal røde, gule og grønne trafiklys pr. kørslens dato",
    "light_legend": "Forklaringen på trafiklysets farver",
}


def describe(key: str, proposal: bool) -> str:
    """The Danish description of a variable; a proposal's fields come from the model."""
    if proposal:
        return PROPOSAL_HELP.get(key) or PROPOSAL_EXTRA.get(key, "")
    return DESCRIPTIONS.get(key, "")


def variable_reference(contexts: dict[str, dict]) -> str:
    """Markdown: every variable of every document kind (a real sample context of each), with
    a Danish description."""
    lines = ["# Skabelonvariabler", "",
             "Dannet af `sagsgenerator skabeloner variabler` ud fra de kontekster, dokumenterne "
             "faktisk får; ret ikke i filen i hånden. Skriv variablerne i Word som "
             "`{{ p.title }}`, løkker som `{%p for p in proposals %}` ... `{%p endfor %}` "
             "(afsnit) eller `{%tr for p in proposals %}` (tabelrækker).", ""]
    for kind, context in contexts.items():
        lines += [f"## {kind}", "", "| variabel | betydning |", "|---|---|"]
        lines += [f"| `{path}` | {text} |" for path, text in _flatten(shape(context))]
        lines.append("")
    return "\n".join(lines)


LOOP_NAMES = {"proposals": "p", "areas": "fa", "groups": "g", "themes": "t", "rows": "r",
              "overview": "g", "toc": "entry", "financing": "f", "attachments": "a",
              "case_text": "text", "goals": "goal", "indicators": "i"}


def _flatten(value: Any, prefix: str = "", proposal: bool = False) -> list[tuple[str, str]]:
    """(variable, description) rows; a list's elements are shown under their loop name."""
    rows = []
    for key, sub in value.items():
        path = f"{prefix}{key}"
        text = describe(key, proposal)
        if isinstance(sub, list):
            loop = LOOP_NAMES.get(key, "x")
            rows.append((path, f"{text} (liste: {{% for {loop} in {path} %}})"))
            if isinstance(sub[0], dict):
                rows += _flatten(sub[0], f"{loop}.", key == "proposals")
        elif isinstance(sub, dict):
            rows.append((path, text))
            rows += _flatten(sub, f"{path}.", key == "p")
        else:
            rows.append((path, text))
    return rows

"""Check templates a municipality has edited in Word, before they are used.

Three kinds of trouble, each reported with the template and the paragraph where it stands:
- Jinja syntax errors (after docxtpl's own cleaning of Word's XML);
- variables the documents do not provide, with the nearest valid name;
- tags that Word split: across paragraphs or table cells (an error: docxtpl cannot join
  them), or across runs of different formatting (a warning: docxtpl joins them, but the
  formatting of the tag's text is lost), and row/cell/paragraph tags in the wrong place.

What a template may use is taken from real contexts built for a sample batch, so that the
checker and the Danish variable reference (`variable_reference`) cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, nodes
from lxml import etree

from ..config import DEFAULT_CONFIG, Config
from ..model import PROPOSAL_COLUMNS, GROUP_COLUMNS, Proposal, RowSource, WorkingGroup

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
OPENING = re.compile(r"\{[{%#]")
CLOSING = re.compile(r"[}%#]\}")
ANY = object()          # a value whose shape the checker does not know: anything goes
JINJA_NAMES = {"loop", "range", "true", "false", "none", "True", "False", "None", "namespace",
               "lipsum", "dict", "cycler", "joiner"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a template."""

    template: str
    place: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        kind = "fejl" if self.error else "advarsel"
        return f"{self.template}, {self.place}: {kind}: {self.message}"


# --- What the documents provide ------------------------------------------------------------

def sample_contexts(config: Config = DEFAULT_CONFIG) -> dict[str, dict[str, Any]]:
    from ..documents.samples import sample_contexts as contexts  # until check.py takes them

    return contexts(config)


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


def _split_tags(name: str, xml: str) -> list[Problem]:
    problems = []
    for number, (text, runs, element) in enumerate(_paragraphs(xml), start=1):
        place = f"afsnit {number} {_short(text)}"
        if len(OPENING.findall(text)) != len(CLOSING.findall(text)):
            problems.append(Problem(name, place, "Et skabelonmærke begynder i ét afsnit (eller "
                                    "én tabelcelle) og slutter i et andet; Word har delt det. "
                                    "Skriv hele mærket, fx {% for p in forslag %}, i ét afsnit."))
            continue
        bounds, position = [], 0
        for run in runs:
            bounds.append((position, position + len(run)))
            position += len(run)
        for tag in TAG.finditer(text):
            touched = [b for b in bounds if b[0] < tag.end() and b[1] > tag.start()]
            if len(touched) > 1:
                problems.append(Problem(name, place, f"Mærket {_short(tag.group(0))} er delt "
                                        f"over {len(touched)} tekstbidder med hver sin "
                                        "formatering. docxtpl samler det, men skriv det helst "
                                        "igen i ét stræk uden at ændre formatering midt i.",
                                        error=False))
            kind = re.match(r"\{%\s*(tr|tc|p|r)\s", tag.group(0))
            ancestors = {a.tag for a in element.iterancestors()}
            if kind and kind.group(1) == "tr" and f"{W}tr" not in ancestors:
                problems.append(Problem(name, place, f"Mærket {_short(tag.group(0))} gentager "
                                        "en tabelrække, men står ikke i en tabel. Flyt det ind "
                                        "i rækken, eller brug {%p ... %}."))
            if kind and kind.group(1) == "tc" and f"{W}tc" not in ancestors:
                problems.append(Problem(name, place, f"Mærket {_short(tag.group(0))} gentager "
                                        "en tabelcelle, men står ikke i en tabel."))
            if kind and kind.group(1) == "p" and text.strip() != tag.group(0).strip():
                problems.append(Problem(name, place, f"Mærket {_short(tag.group(0))} fjerner "
                                        "hele sit afsnit, også teksten ved siden af. Giv "
                                        "mærket sit eget afsnit.", error=False))
    return problems


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


class _Variables:
    """Walks a template's syntax tree and reports names the context does not have."""

    def __init__(self, name: str, source: str, context_shape: dict):
        self.name, self.source, self.problems = name, source, []
        self.top = context_shape

    def report(self, node: nodes.Node, what: str, wanted: str, candidates: list[str]) -> None:
        near = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.5)
        hint = f" Mente du '{near[0]}'?" if near else ""
        self.problems.append(Problem(self.name, _line_text(self.source, node.lineno),
                                     f"{what} '{wanted}' findes ikke.{hint} Se listen over "
                                     "skabelonvariabler (docs/skabelonvariabler.md)."))

    def resolve(self, node: nodes.Node, scope: dict) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in JINJA_NAMES:
                self.report(node, "Variablen", node.name, list(scope))
            return ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) else None)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.walk(node.arg, scope)
            if isinstance(base, dict) and isinstance(key, str):
                if key in base:
                    return base[key]
                self.report(node, "Feltet", key, list(base))
            return ANY
        self.walk(node, scope)
        return ANY

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
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return
        if isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            scope.update(self.bind(node.target, ANY, {}))
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)


def check_template(path: Path, kind: str, config: Config = DEFAULT_CONFIG,
                   contexts: dict[str, dict] | None = None) -> list[Problem]:
    """Everything wrong with one template for one document kind."""
    name = path.name
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        parts = [("", tpl.get_xml())]
        for uri, label in ((tpl.HEADER_URI, "sidehoved"), (tpl.FOOTER_URI, "sidefod")):
            parts += [(f"{label}: ", tpl.get_part_xml(part))
                      for _, part in tpl.get_headers_footers(uri)]
    except Exception as exc:  # not a .docx Word can write
        return [Problem(name, "hele filen", f"Filen kan ikke åbnes som Word-dokument "
                        f"({type(exc).__name__}). Gem den i Word som .docx.")]
    context_shape = shape((contexts or sample_contexts(config))[kind])
    problems: list[Problem] = []
    env = Environment(autoescape=True)
    for label, xml in parts:
        problems += [Problem(p.template, label + p.place, p.message, p.error)
                     for p in _split_tags(name, xml)]
        source = _jinja_source(tpl, xml)
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            problems.append(Problem(name, label + _line_text(source, exc.lineno),
                                    f"Skabelonen kan ikke læses: {exc.message}. Tjek at hvert "
                                    "{% for %} har sit {% endfor %} og hvert {% if %} sit "
                                    "{% endif %}, og at mærkerne er skrevet helt."))
            continue
        checker = _Variables(name, source, context_shape)
        checker.walk(tree, dict(context_shape))
        problems += [Problem(p.template, label + p.place, p.message, p.error)
                     for p in checker.problems]
    return problems


def check_folder(folder: Path, config: Config = DEFAULT_CONFIG) -> tuple[list[Problem], list[str]]:
    """Problems in every template of a folder, and the kinds it has no template for."""
    from ..documents import KINDS

    contexts = sample_contexts(config)
    problems, missing = [], []
    for kind in KINDS:
        path = folder / f"{kind}.docx"
        if path.is_file():
            problems += check_template(path, kind, config, contexts)
        else:
            missing.append(kind)
    return problems, missing


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
}


def describe(key: str, proposal: bool) -> str:
    """The Danish description of a variable; a proposal's fields come from the model."""
    if proposal:
        return PROPOSAL_HELP.get(key) or PROPOSAL_EXTRA.get(key, "")
    return DESCRIPTIONS.get(key, "")


def variable_reference(config: Config = DEFAULT_CONFIG) -> str:
    """Markdown: every variable of every document kind, with a Danish description."""
    lines = ["# Skabelonvariabler", "",
             "Dannet af `sagsgenerator skabeloner variabler` ud fra de kontekster, dokumenterne "
             "faktisk får; ret ikke i filen i hånden. Skriv variablerne i Word som "
             "`{{ p.title }}`, løkker som `{%p for p in proposals %}` ... `{%p endfor %}` "
             "(afsnit) eller `{%tr for p in proposals %}` (tabelrækker).", ""]
    for kind, context in sample_contexts(config).items():
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

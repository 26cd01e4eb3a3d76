"""The prepared renderer writes a body without lxml's parse where the template keeps its
structure (engine.keeps_structure, engine.as_lxml_writes): the bytes must be those of the
parse, whatever the text, and a template whose blocks could leave unbalanced XML must take
the parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagsgenerator.config import DEFAULT_CONFIG
from sagsgenerator.documents import MODULES, TEMPLATE_DIR
from sagsgenerator.render import engine
from sagsgenerator.render.context import batch_items
from sagsgenerator.render.engine import PreparedTemplate, keeps_structure
from sagsgenerator.validation.validate import validate_paths

INPUT = Path(__file__).resolve().parents[1] / "input"
EXAMPLES = int(os.environ.get("SAGSGENERATOR_HYPOTHESIS_EXAMPLES", "25"))

P = '<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>'


def body(inner: str) -> str:
    return f'<w:body xmlns:w="urn:w">{inner}</w:body>'


@pytest.mark.parametrize("source", [
    body(P.format("{{ x }}")),
    body("{% for p in ps %}" + P.format("{{ p }}") + "{% endfor %}"),
    body(P.format("a {% if x %}b{% elif y %}c{% else %}{% endif %} d")),
    body(P.format('{% if x %}</w:t></w:r><w:r><w:t xml:space="preserve">{% endif %}{{ y }}')),
    body("{% set n = 3 %}{% if n > 2 %}" + P.format("{{ n }}") + "{% endif %}<w:p/>"),
    body("<w:tbl>{% for r in rows %}<w:tr><w:tc>{% for c in r %}" + P.format("{{ c }}")
         + "{% endfor %}</w:tc></w:tr>{% endfor %}</w:tbl>"),
    body('<w:p><w:hyperlink r:id="rId9"><w:r><w:t>{{ x }}</w:t></w:r></w:hyperlink></w:p>'),
], ids=["value", "loop", "branches", "run-split", "set", "nested", "hyperlink"])
def test_balanced_templates_keep_their_structure(source):
    assert keeps_structure(source)


@pytest.mark.parametrize("source", [
    body('<w:p w:rsid="{{ x }}"/>'),                                  # a value in an attribute
    body("{% if x %}<w:p>{% endif %}<w:r/></w:p>"),                   # opens in a branch
    body("<w:p>{% if x %}</w:p><w:p>{% else %}</w:p>{% endif %}"),    # branches differ
    body("<w:p>{% if x %}</w:p><w:r>{% endif %}</w:r>"),             # closes one, opens another
    body("{% macro m() %}<w:p/>{% endmacro %}{{ m() }}"),
    body("{% set x %}<w:p>{% endset %}{{ x }}</w:p>"),
    body("{% autoescape false %}" + P.format("{{ x }}") + "{% endautoescape %}"),
    body("<!-- a > b -->" + P.format("{{ x }}")),
    body("{% if x %}" + P.format("{{ x }}")),                          # never closed
    body(P.format("{{ x }}") + "{% endif %}"),                        # closed, never opened
    body("<w:p>{{ x }}</w:p>"),               # a value outside a run's text (a picture there
    body("<w:p><w:r>{{ x }}</w:r></w:p>"),    # would close elements that are not open)
    body("<w:p><w:r><w:instrText>{{ x }}</w:instrText></w:r></w:p>"),
], ids=["attribute", "opens", "differs", "swaps", "macro", "set-block", "autoescape",
        "comment", "unclosed", "unopened", "in-paragraph", "in-run", "in-field"])
def test_templates_that_could_unbalance_take_the_parse(source):
    assert not keeps_structure(source)


@pytest.mark.parametrize("kind", ["sagsfremstilling", "idekatalog", "handleplan", "udvalgssag"])
def test_the_bundled_bodies_are_written_without_the_parse(kind):
    prepared = PreparedTemplate(TEMPLATE_DIR / f"{kind}.docx", kind)
    assert prepared.stories[0].keeps_structure and not prepared.fix_tables


# Text that exercises every difference between Jinja's output and lxml's: quotes and
# apostrophes (escaped as &#34; &#39;), docxtpl's escapes (&#95;), carriage returns, empty
# values (empty elements), markup characters, tabs and line breaks, XML-illegal characters.
TEXT = st.text(alphabet=st.sampled_from(list("ab æ\"'&<>{}%_\r\n\t\x0b\x00\ufffe–😀")),
               max_size=12)


@pytest.fixture(scope="module")
def planned():
    _, intakes = validate_paths([INPUT / "boern-og-unge.xlsx"])
    (first, *_) = MODULES["sagsfremstilling"].plan(batch_items(intakes, DEFAULT_CONFIG),
                                                   DEFAULT_CONFIG)
    return first


@pytest.fixture(scope="module")
def prepared():
    return PreparedTemplate(TEMPLATE_DIR / "sagsfremstilling.docx", "sagsfremstilling")


def replace_text(value, texts):
    """The context with every text replaced by the next of `texts` (round robin)."""
    if isinstance(value, str):
        texts.append(texts.pop(0))
        return texts[-1]
    if isinstance(value, dict):
        return {k: replace_text(v, texts) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_text(v, texts) for v in value]
    return value


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=8))
def test_any_text_gives_the_bytes_of_the_parse(planned, prepared, texts, monkeypatch):
    context = replace_text(planned.context, list(texts))
    fast = prepared.render(context, planned.properties)
    story = prepared.stories[0]
    with monkeypatch.context() as patch:
        patch.setattr(story, "keeps_structure", False)
        parsed = prepared.render(context, planned.properties)
    assert fast == parsed
    assert fast == engine.render(TEMPLATE_DIR / "sagsfremstilling.docx", context,
                                 planned.properties, "sagsfremstilling")


@pytest.mark.parametrize("xml", ['<w:t xml:space="preserve"></w:t>', "<w:t>a&#39;b&#34;&#95;</w:t>",
                                 "<w:t>a\rb\r\nc</w:t>", "<w:p><w:r/></w:p>", "<w:t a=\"x/\"></w:t>"])
def test_as_lxml_writes_is_what_lxml_writes(xml):
    from lxml import etree

    tree = etree.fromstring(f'<w:body xmlns:w="urn:w">{xml}</w:body>'.encode())
    assert engine.as_lxml_writes(f'<w:body xmlns:w="urn:w">{xml}</w:body>') == \
        etree.tostring(tree, encoding="utf-8")


def test_illegal_characters_take_the_parse():
    assert engine.as_lxml_writes("<w:t>a\x0bb</w:t>") is None
    assert engine.as_lxml_writes("<w:t>a\ufffe</w:t>") is None
    assert engine.as_lxml_writes("<w:t>a\ud800</w:t>") is None


@pytest.fixture(scope="module")
def many_items(tmp_path_factory):
    """150 proposals in 19 workbooks, with multi-line text, quotes and empty fields: a
    catalogue and a plan long enough to be written in many stretches."""
    from conftest import GROUP, proposal, write_intake

    folder = tmp_path_factory.mktemp("many")
    paths = []
    for g in range(19):
        rows = [proposal(n, Titel=f"Indsats {g}-{n} \"citat\" & 'apostrof'",
                         **{"Indhold og rammer": "Linje 1\nLinje 2\tmed tab\r\nLinje 3",
                            "Projektejer": None if n % 3 else "Ejer"})
                for n in range(1, 9)]
        group = {**GROUP, "Arbejdsgruppe": f"Gruppe {g}"}
        paths.append(write_intake(folder / f"g{g}.xlsx", rows, group))
    _, intakes = validate_paths(paths)
    return batch_items(intakes, DEFAULT_CONFIG)


@pytest.mark.parametrize("kind", ["idekatalog", "handleplan"])
def test_long_documents_in_stretches_give_the_bytes_of_the_parse(many_items, kind, monkeypatch):
    (planned,) = MODULES[kind].plan(many_items, DEFAULT_CONFIG)
    prepared = PreparedTemplate(TEMPLATE_DIR / f"{planned.template}.docx", kind)
    stretches = []
    original = engine._post
    monkeypatch.setattr(engine, "_post", lambda tpl, xml: stretches.append(1) or
                        original(tpl, xml))
    parsed = []
    monkeypatch.setattr(PreparedTemplate, "_finish_story",
                        lambda self, story, xml, f=PreparedTemplate._finish_story:
                        parsed.append(story.name) or f(self, story, xml))
    fast = prepared.render(planned.context, planned.properties)
    assert len(stretches) > 2 and "word/document.xml" not in parsed
    monkeypatch.setattr(prepared.stories[0], "keeps_structure", False)
    assert fast == prepared.render(planned.context, planned.properties)
    if kind == "handleplan":                      # the chart, numbered as docxtpl numbers it
        import io
        import zipfile
        document = zipfile.ZipFile(io.BytesIO(fast)).read("word/document.xml")
        assert document.count(b"<wp:docPr ") == 1 and b'<wp:docPr id="1001"' in document


def test_a_picture_under_another_prefix_takes_the_parse(prepared, planned, monkeypatch):
    """A body whose drawings are not under `wp` (or that redeclares it) is parsed."""
    monkeypatch.setattr(prepared, "root_ns", {**prepared.root_ns, b"wp": b"urn:other"})
    assert prepared._number_pictures(b'<wp:docPr id="3" name="x"/>', [1000]) is None
    monkeypatch.undo()
    assert prepared._number_pictures(
        b'<a xmlns:wp="urn:other"><wp:docPr id="3"/></a>', [1000]) is None
    counter = [1000]
    assert prepared._number_pictures(b'<wp:docPr id="3" name="x"/><wp:docPr name="y">',
                                     counter) == \
        b'<wp:docPr id="1001" name="x"/><wp:docPr name="y" id="1002">'

"""Templates are data, not code: Jinja runs in a sandbox with bounded work, in both renderers."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from sagsgenerator.errors import TemplateError
from sagsgenerator.render.engine import PreparedTemplate, Properties, render

PROPS = Properties(title="T", subject="S")


def template(tmp_path: Path, *paragraphs: str, header: str | None = None) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    path = tmp_path / "skabelon.docx"
    document.save(path)
    return path


def both(path: Path, context: dict) -> list[str]:
    """The Danish messages of both renderers (each must refuse)."""
    messages = []
    with pytest.raises(TemplateError) as fast:
        PreparedTemplate(path, "sagsfremstilling").render(context, PROPS)
    messages.append(fast.value.danish)
    with pytest.raises(TemplateError) as reference:
        render(path, context, PROPS, "sagsfremstilling")
    messages.append(reference.value.danish)
    return messages


@pytest.mark.parametrize("attack", [
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.__builtins__.__import__('os').system('touch MARKER') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ namespace.__init__.__globals__.os"
    ".system('touch MARKER') }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
])
@pytest.mark.parametrize("where", ["body", "header"])
def test_a_template_cannot_run_a_command(tmp_path, attack, where):
    marker = tmp_path / "kommandoen-koerte"
    attack = attack.replace("MARKER", str(marker))
    path = (template(tmp_path, "Før", attack) if where == "body"
            else template(tmp_path, "Før", header=attack))
    for message in both(path, {}):
        assert message.startswith("Skabelonen 'skabelon.docx' til sagsfremstilling bruger »")
        assert "som ikke er tilladt i en skabelon" in message
    assert not marker.exists()


def test_the_forbidden_name_is_named(tmp_path):
    path = template(tmp_path, "{{ cycler.__init__.__globals__.os }}")
    for message in both(path, {}):
        assert "bruger »__init__«" in message or "bruger »__globals__«" in message


@pytest.mark.parametrize("text, limit", [
    ("{% for i in range(10**8) %}{{ i }}{% endfor %}", "range() må højst give 10.000 tal"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     "løkkerne må højst gå 1.000.000 gange i ét dokument"),
    ("{{ 'x' * 100000000 }}", "en tekst, skabelonen laver (med * eller replace), må højst have 1.000.000 tegn"),
    ("{{ 2 ** 100000000 }}", "en potens (**) må højst være 100"),
    ("{% for i in range(10000) %}{{ 'x' * 1000000 }}{% endfor %}",
     "tekst, skabelonen selv laver (med *, ~ eller replace), må højst fylde 10.000.000 tegn"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s | length }}",
     "tekst, skabelonen selv laver (med *, ~ eller replace), må højst fylde 10.000.000 tegn"),
    ("{{ ('x' * 100000) | replace('x', 'yyyyyyyyyyyyyyyyyyyy') }}",
     "en tekst, skabelonen laver (med * eller replace), må højst have 1.000.000 tegn"),
    ("{% for x in p.rows %}{% for y in p.rows %}{% for z in p.rows %}{% endfor %}{% endfor %}"
     "{% endfor %}", "løkkerne må højst gå 1.000.000 gange i ét dokument"),
])
def test_work_is_bounded(tmp_path, text, limit):
    path = template(tmp_path, text)
    context = {"p": {"rows": list(range(200))}}
    for message in both(path, context):
        assert limit in message, message
        assert "beder om mere arbejde, end et dokument kan kræve" in message


def test_ordinary_templates_still_work(tmp_path):
    from docx import Document as Open
    import io
    path = template(tmp_path, "{% for i in range(3) %}{{ i }}{% endfor %} {{ p.t | upper }} "
                              "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ cycler('a', 'b').next() }}"
                              "{{ 'x-y' | replace('-', ' og ') }}{{ ' ' ~ p.t ~ '!' }}")
    context = {"p": {"t": "sund & <glad>"}}
    fast = PreparedTemplate(path, "k").render(context, PROPS)
    assert fast == render(path, context, PROPS, "k")
    assert Open(io.BytesIO(fast)).paragraphs[0].text == "012 SUND & <GLAD> ababab 1024 ax og y sund & <glad>!"


def test_only_the_allowed_filters(tmp_path):
    path = template(tmp_path, "{{ p | pprint }}")
    for message in both(path, {"p": 1}):
        assert "pprint" in message


def test_the_message_names_the_paragraph(tmp_path):
    path = template(tmp_path, "første", "Hej {{ ''.__class__ }} med", "sidste")
    for message in both(path, {}):
        assert "bruger »__class__«" in message and "(nær »Hej {{ ''.__class__ }} med«)" in message


def test_filters_outside_the_list_and_endless_recursion_are_refused(tmp_path):
    for text, expected in (("{{ p | attr('__class__') }}", "kunne ikke bruges: No filter "
                                                           "named 'attr'"),
                           ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
                            "kalder en makro, der kalder sig selv uden ende")):
        for message in both(template(tmp_path, text), {"p": 1}):
            assert expected in message


def test_code_from_the_compile_cache_is_still_bounded(tmp_path, monkeypatch):
    """The prepared renderer keeps compiled parts between runs (Jinja's bytecode cache); code
    read back from the cache carries the loop guards, and a changed sandbox (this engine's
    source) never reuses code compiled by another."""
    from jinja2.bccache import FileSystemBytecodeCache
    from jinja2.sandbox import SandboxedEnvironment

    from sagsgenerator.render import engine

    monkeypatch.setattr(engine, "bytecode_cache", lambda: FileSystemBytecodeCache(str(tmp_path)))
    compiled = []
    original = SandboxedEnvironment.compile
    monkeypatch.setattr(SandboxedEnvironment, "compile",
                        lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    path = template(tmp_path, "{% for i in range(10000) %}{% for j in range(10000) %}"
                              "{% endfor %}{% endfor %}")
    for run in range(2):
        with pytest.raises(TemplateError) as refused:
            PreparedTemplate(path, "sagsfremstilling").render({}, PROPS)
        assert "løkkerne må højst gå 1.000.000 gange i ét dokument" in refused.value.danish
        assert len(compiled) == 1, run        # the second run read the code from the cache
    assert list(tmp_path.glob("__jinja2_*.cache"))
    monkeypatch.setattr(engine, "_engine_fingerprint", lambda: "en anden sandkasse")
    PreparedTemplate(path, "sagsfremstilling")
    assert len(compiled) == 2


def test_a_damaged_cache_file_is_compiled_anew(tmp_path, monkeypatch):
    from jinja2.bccache import FileSystemBytecodeCache

    from sagsgenerator.render import engine

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    monkeypatch.setattr(engine, "bytecode_cache", lambda: FileSystemBytecodeCache(str(cache_dir)))
    path = template(tmp_path, "Hej {{ p.navn }}")
    first = PreparedTemplate(path, "k").render({"p": {"navn": "Aarhus"}}, PROPS)
    for cached in cache_dir.glob("*.cache"):
        cached.write_bytes(cached.read_bytes()[:20])
    again = PreparedTemplate(path, "k").render({"p": {"navn": "Aarhus"}}, PROPS)
    assert again == first
    assert Document(__import__("io").BytesIO(again)).paragraphs[0].text == "Hej Aarhus"


def test_patched_parts_are_kept_in_the_cache_and_give_the_same_document(tmp_path, monkeypatch):
    """docxtpl's patch_xml runs once per part and docxtpl version; a prepared template from
    the cache renders the same bytes."""
    from docxtpl import DocxTemplate
    from jinja2.bccache import FileSystemBytecodeCache

    from sagsgenerator.render import engine

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    monkeypatch.setattr(engine, "bytecode_cache", lambda: FileSystemBytecodeCache(str(cache_dir)))
    patched = []
    original = DocxTemplate.patch_xml
    monkeypatch.setattr(DocxTemplate, "patch_xml",
                        lambda self, xml: patched.append(1) or original(self, xml))
    path = template(tmp_path, "Hej {{ p.navn }}")
    context = {"p": {"navn": "Aarhus"}}
    first = PreparedTemplate(path, "k").render(context, PROPS)
    made = len(patched)
    assert made >= 1 and list(cache_dir.glob("sagsgenerator-patched-*.xml"))
    assert PreparedTemplate(path, "k").render(context, PROPS) == first
    assert len(patched) == made                          # read from the cache
    monkeypatch.setattr(engine, "_patch_fingerprint", lambda: "en anden docxtpl")
    assert PreparedTemplate(path, "k").render(context, PROPS) == first
    assert len(patched) == 2 * made

"""template_code: templates compiled by OutputCodeGenerator render exactly as Jinja's own."""

from __future__ import annotations

import gc
import traceback

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from sitegen.template_code import OutputEnvironment, escape_output, render_page

TEMPLATES = {
    "base.html": (
        "<!doctype html>\n<title>{% block title %}{{ site }}{% endblock %}</title>\n"
        "{% set described %}{% block description %}{{ site }} & co{% endblock %}{% endset %}"
        '<meta name="description" content="{{ described }}">\n'
        "{% block main %}{% endblock %}\n{% include 'footer.html' %}\n"
    ),
    "footer.html": "<footer>{{ site | upper }} {{ 3 }} {{ none }} {{ true }}</footer>",
    "_macros.html": (
        '{% macro item(n, text) -%}\n<li id="i{{ n }}">{{ text }}</li>\n{%- endmacro %}\n'
        "{% macro wrap() %}<div>{{ caller() }}</div>{% endmacro %}"
    ),
    "page.html": (
        "{% extends 'base.html' %}\n"
        '{% import "_macros.html" as m with context %}\n'
        "{% block title %}{{ title }} · {{ super() }}{% endblock %}\n"
        "{% block main %}\n<ol>\n"
        "{% for n, text in items %}{{ m.item(n, text) }}{% else %}<li>none</li>{% endfor %}\n"
        '</ol>\n{% for row in rows if row.shown %}<p class="{{ row.kind }}">{{ row.text }}'
        "{% if loop.last %}!{% endif %}</p>{% endfor %}\n"
        "{% call m.wrap() %}{{ html }} {{ text }}{% endcall %}\n"
        "{% filter upper %}{{ text }} ok{% endfilter %}\n"
        "{% autoescape false %}{{ text }}{% endautoescape %}\n"
        "{{ mapping.key }} {{ mapping['key'] }} {{ '%d items' % items | length }}\n"
        "{% endblock %}\n"
    ),
}


class Row:
    def __init__(self, kind: str, text: str, shown: bool) -> None:
        self.kind, self.text, self.shown = kind, text, shown


def _render(environment_class: type[jinja2.Environment], values: dict) -> str:
    env = environment_class(
        loader=jinja2.DictLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("page.html").render(values)


texts = st.text(alphabet=st.sampled_from("ab <>&\"'é\u2019\n"), max_size=12)


@given(
    title=texts,
    items=st.lists(st.tuples(st.integers(-3, 30), texts), max_size=4),
    rows=st.lists(st.builds(Row, texts, texts, st.booleans()), max_size=4),
    text=texts,
)
def test_same_output_as_jinja(title: str, items: list, rows: list, text: str) -> None:
    values = {
        "site": "Site <S>", "title": title, "items": items, "rows": rows, "text": text,
        "html": Markup(f"<b>{escape(text)}</b>"), "mapping": {"key": text},
    }  # fmt: skip
    assert _render(OutputEnvironment, values) == _render(jinja2.Environment, values)


@given(
    st.one_of(
        texts, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
        texts.map(Markup),
    )
)  # fmt: skip
def test_escape_output_is_markupsafe_escape(value: object) -> None:
    assert escape_output(value) == str(escape(value))


@pytest.mark.parametrize("environment_class", [jinja2.Environment, OutputEnvironment])
def test_errors_point_at_the_template_line(environment_class: type[jinja2.Environment]) -> None:
    """Each piece of a run of output keeps its line: an error names the template's line."""
    source = "a\nb {{ x }}\n{% if x %}<p>{{ x.y.z }}</p>{% endif %}\n{{ 1 + x.y.w }}\n"
    env = environment_class(
        loader=jinja2.DictLoader({"t.html": source}), autoescape=True,
        undefined=jinja2.StrictUndefined,
    )  # fmt: skip
    for x, line in (({"y": {}}, 3), ({"y": {"z": 1, "w": "a"}}, 4)):
        with pytest.raises((jinja2.UndefinedError, TypeError)) as info:
            env.get_template("t.html").render(x=x)
        frames = traceback.extract_tb(info.value.__traceback__)
        assert [f.lineno for f in frames if f.filename == "<template>"][-1] == line


class Tracked:
    """A page value whose freeing can be seen."""

    freed = 0

    def __del__(self) -> None:
        Tracked.freed += 1


def test_render_page_frees_the_page_without_the_collector() -> None:
    """A page that imports macros with context renders as with Jinja's own render, and its
    values are freed when the page is done, with the collector off (as in a build)."""
    env = OutputEnvironment(
        loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip
    values = {
        "site": "S", "title": "t", "items": [(1, "a")], "rows": [], "text": "x",
        "html": Markup("<b>x</b>"), "mapping": {"key": "k"},
    }  # fmt: skip
    expected = env.get_template("page.html").render(values)
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        Tracked.freed = 0
        html = render_page(env.get_template("page.html"), {**values, "tracked": Tracked()})
        assert html == expected
        assert Tracked.freed == 1  # freed by reference counting: no cycle held it
        assert env.imported_contexts is None
        # Jinja's own render leaves it in a cycle, for the collector
        env.get_template("page.html").render({**values, "tracked": Tracked()})
        assert Tracked.freed == 1
        gc.collect()
        assert Tracked.freed == 2
    finally:
        if enabled:
            gc.enable()


class PassingContext:
    """A callable object whose __call__ asks for the context."""

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str) -> str:
        return f"{name}={context.get(name)}"


def _stops() -> str:
    raise StopIteration


def test_calls_pass_what_jinja_passes() -> None:
    """Every kind of callable gets what Context.call would give it: the context, the
    environment or the evaluation context when it asks, its loop's variables, and an
    undefined value when it raises StopIteration."""
    source = (
        "{% macro m(x) %}<{{ x }}{{ caller() if caller }}>{% endmacro %}"
        "{{ plain(1, k=2) }} {{ ctx('site') }} {{ obj('site') }} {{ envd() }} {{ evald() }}\n"
        "{% for x in [1, 2] %}{% set site = 'loop' ~ x %}{{ ctx('site') }} {{ m(x) }} "
        "{{ plain(x) }}{% endfor %}\n{{ stops() is undefined }} {{ cls_call(3) }}\n"
        "{% call m(9) %}c{% endcall %} {{ [3, 1] | sort | join(',') }} {{ 'ab'.upper() }}\n"
        "{{ next(iter(empty)) is undefined }} {{ next(iter(one)) }} "
        "{{ plain.missing is undefined }} {{ one[0] }} {{ one[5] is undefined }}\n"
    )
    values = {
        "site": "S",
        "plain": lambda *a, **k: f"{a}{sorted(k.items())}",
        "ctx": jinja2.pass_context(lambda c, n: f"{n}:{c.get(n)}"),
        "obj": PassingContext(),
        "envd": jinja2.pass_environment(lambda e: type(e).__name__ != ""),
        "evald": jinja2.pass_eval_context(lambda e: e.autoescape),
        "stops": _stops,
        "cls_call": str,
        "next": next,  # a builtin: StopIteration is an undefined value, as from a function
        "iter": iter,
        "empty": (),
        "one": (1,),
    }
    rendered = [
        environment_class(autoescape=True).from_string(source).render(values)
        for environment_class in (jinja2.Environment, OutputEnvironment)
    ]
    assert rendered[0] == rendered[1]
    assert "site:loop2" in rendered[1] and "True" in rendered[1]
    assert rendered[1].endswith("True 1 True 1 True")

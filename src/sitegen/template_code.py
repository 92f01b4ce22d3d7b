"""The Python code Jinja compiles templates to, made cheaper for long pages.

Jinja compiles a run of template output such as `<a href="{{ day.href }}#{{ block.anchor }}">`
into one `yield` per piece, and each piece then goes up through every level of template
inheritance (`day.html`'s block, `base.html`, `day.html` again: one generator each) before
the pieces are joined: a 10,000-day site yields about 18 million pieces. This code generator
(Jinja's documented `Environment.code_generator_class`) compiles each run into one `yield`
of its pieces joined, and escapes each value with `escape_output`, which hands back a
string that needs no escaping as it is instead of making a Markup of it, and calls functions
through `call_output`, which skips Context.call's checks for what needs none; `x.name` and
`x[key]` go through the environment's getattr and getitem bound once per template, not
looked up at each use (an actor page makes thousands). The pages are the same, byte for
byte; only the compiled code differs, so themes and the site's own templates get it too.
Asynchronous environments (sitegen makes none) keep Jinja's own code.

`render_page` renders a page and then breaks the reference cycles that each
`{% import ... with context %}` makes (see OutputTemplate), so that a page's data is freed
as soon as the page is written instead of waiting for the cyclic garbage collector.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from types import BuiltinMethodType, FunctionType, MethodType
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.nodes import Call, Expr, Getattr, Getitem, Node, Output, Template
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import Markup, escape

# the name of the list Jinja would append to in a macro, given to a run of a template's body
# while it is compiled, so that its pieces come out as one tuple (see visit_Output)
_PIECES = "sitegen_pieces_"


def escape_output(value: Any) -> str:
    """markupsafe.escape's text, without making a Markup of what needs no escaping: most
    values on a page (links, dates, names, numbers as text) have none of &<>"'."""
    kind = value.__class__
    if kind is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return escape(value)
        return value
    if kind is Markup:
        return value
    if kind is int:  # item numbers, counts (not bool, whose class is not int)
        return str(value)
    return escape(value)


@internalcode
def call_output(context: Context, function: Any, *args: Any, **kwargs: Any) -> Any:
    """Context.call, which a template's every call goes through, quicker for what most
    calls are: a plain function, method or macro, which takes no context, environment or
    evaluation context (it has no `jinja_pass_arg`), or a builtin, is called as it is."""
    kind = function.__class__
    # a builtin (a date's isoformat) cannot be given a jinja_pass_arg
    if kind is BuiltinMethodType or (
        (kind is MethodType or kind is FunctionType or kind is Macro)
        and not hasattr(function, "jinja_pass_arg")
    ):
        if kwargs:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return function(*args, **kwargs)
        except StopIteration:
            return context.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )
    return context.call(function, *args, **kwargs)


class OutputCodeGenerator(CodeGenerator):
    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        if not self.environment.is_async:
            self.writeline("escape_output = environment.escape_output")
            if not self.environment.sandboxed:
                self.writeline("call_output = environment.call_output")
            # (see visit_Getattr)
            self.writeline("getattr_output = environment.getattr")
            self.writeline("getitem_output = environment.getitem")
        super().visit_Template(node, frame)

    def writeline(self, x: str, node: Node | None = None, extra: int = 0) -> None:
        """`yield from` a block, the parent template or an imported module's body made
        `yield concat(...)`: the block's pieces are joined once where they are made, and go
        up through the levels of inheritance (block, child, base) as one piece instead of
        each on its own (an actor page's timeline is thousands of pieces)."""
        if x.startswith("yield from ") and not self.environment.is_async:
            x = f"yield concat({x.removeprefix('yield from ')})"
        super().writeline(x, node, extra)

    def _renamed(self, visit: Callable[[], None], jinja: str, ours: str) -> None:
        """Write what `visit` writes, with the call `jinja` that it opens with made `ours`
        (when it writes a constant Jinja worked out instead, that is kept)."""
        stream, self.stream = self.stream, io.StringIO()
        try:
            visit()
        finally:
            code, self.stream = self.stream.getvalue(), stream
        if code.startswith(jinja):
            code = ours + code.removeprefix(jinja)
        stream.write(code)

    def visit_Call(self, node: Call, frame: Frame, forward_caller: bool = False) -> None:
        """`context.call(f, ...)` made `call_output(context, f, ...)` (see there)."""
        if self.environment.is_async or self.environment.sandboxed:
            super().visit_Call(node, frame, forward_caller)
            return
        visit = partial(super().visit_Call, node, frame, forward_caller=forward_caller)
        self._renamed(visit, "context.call(", "call_output(context, ")

    def visit_Getattr(self, node: Getattr, frame: Frame) -> None:
        """`environment.getattr(x, 'name')` made `getattr_output(x, 'name')`: the same
        method, bound once per template instead of looked up at every use."""
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        visit = partial(super().visit_Getattr, node, frame)
        self._renamed(visit, "environment.getattr(", "getattr_output(")

    def visit_Getitem(self, node: Getitem, frame: Frame) -> None:
        """`environment.getitem(x, key)` made `getitem_output(x, key)`, as getattr."""
        if self.environment.is_async:
            super().visit_Getitem(node, frame)
            return
        visit = partial(super().visit_Getitem, node, frame)
        self._renamed(visit, "environment.getitem(", "getitem_output(")

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if (
            frame.eval_ctx.autoescape
            and not frame.eval_ctx.volatile
            and finalize.src is None
            and not self.environment.is_async
        ):
            self.write("escape_output(")  # closed by _output_child_post, as escape( is
        else:
            super()._output_child_pre(node, frame, finalize)

    def visit_Output(self, node: Output, frame: Frame) -> None:
        """A run of output in a generator (a template's body or block) as Jinja compiles it
        for a macro's buffer, `buffer.extend((piece, ...))`, made `yield concat((piece,
        ...))`. The code keeps its lines, so errors still point at the template's line."""
        if frame.buffer is not None or self.environment.is_async:
            super().visit_Output(node, frame)
            return
        stream, self.stream = self.stream, io.StringIO()
        frame.buffer = _PIECES
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None
            code, self.stream = self.stream.getvalue(), stream
        if f"{_PIECES}.append(" in code:  # one piece: `buffer.append(\n piece,\n)`
            code, end = code.replace(f"{_PIECES}.append(", "yield (", 1).rsplit(",", 1)
            code += end  # without the comma, which would make a tuple of the piece
            unexpected = end.strip() != ")"
        else:
            code = code.replace(f"{_PIECES}.extend((", "yield concat((", 1)
            unexpected = False
        if unexpected or _PIECES in code:  # a Jinja that compiles output another way
            raise RuntimeError(f"unexpected template code from Jinja {jinja2.__version__}")
        stream.write(code)


class OutputTemplate(jinja2.Template):
    """A template that notes the contexts of the modules it imports `with context`.

    Such an import runs the imported template anew for every page, in a context of its own
    that holds the page's values; each of its macros is a closure over that context, and
    the context holds the macros: a reference cycle per import and page, which keeps the
    page's values alive until the garbage collector runs (a build turns it off, and
    collecting 10,000 pages' worth of cycles cost 0.7 CPU s). `render_page` breaks them."""

    def make_module(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Any = None,
    ) -> TemplateModule:
        context = self.new_context(vars, shared, locals)
        environment = self.environment
        # `import ... with context`, in render_page
        if shared and isinstance(environment, OutputEnvironment):
            noted = environment.imported_contexts
            if noted is not None:
                noted.append(context)
        return TemplateModule(self, context)


class OutputEnvironment(jinja2.Environment):
    """A Jinja environment whose templates compile with OutputCodeGenerator."""

    code_generator_class = OutputCodeGenerator
    template_class = OutputTemplate
    escape_output = staticmethod(escape_output)
    call_output = staticmethod(call_output)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the contexts of the modules imported with context by the page render_page renders
        self.imported_contexts: list[Context] | None = None


def render_page(template: jinja2.Template, values: dict[str, Any]) -> str:
    """template.render(values); then the modules the page imported `with context` let go
    of their macros, which breaks the cycles between those and their contexts (see
    OutputTemplate). The page is complete by then, and nothing else holds such a module:
    it is made for this page alone. Pages of one environment render one at a time."""
    environment = template.environment
    if not isinstance(environment, OutputEnvironment) or environment.imported_contexts is not None:
        return template.render(values)  # (within a page: that page's call frees)
    imported: list[Context] = []
    environment.imported_contexts = imported
    try:
        return template.render(values)
    finally:
        environment.imported_contexts = None
        for context in imported:
            context.vars.clear()

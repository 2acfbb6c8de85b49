"""Rendering the editable wording: the only module that knows Jinja2.

The template has two blocks, ``trich_yeu`` (the summary under KẾ HOẠCH) and ``noi_dung`` (the
body, in the markup of `prose`). Every value is escaped on output, so workbook text is data and
never template code or markup; an unknown variable stops the run (StrictUndefined).
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from povertyplan.errors import PlanError
from povertyplan.messages import say
from povertyplan.compose.prose import escape

TEMPLATE_NAME = "ke-hoach-giam-ngheo.md.j2"
_PACKAGE = Path(__file__).resolve().parents[1]
# templates/ at the top of the project, where an official edits it; installed with pip, the copy
# shipped as package data (pyproject.toml maps templates/ to povertyplan/templates/).
DEFAULT_TEMPLATE = next(
    (
        path
        for path in (_PACKAGE.parent / "templates" / TEMPLATE_NAME, _PACKAGE / "templates" / TEMPLATE_NAME)
        if path.exists()
    ),
    _PACKAGE.parent / "templates" / TEMPLATE_NAME,
)
BLOCKS = ("trich_yeu", "noi_dung")


class TemplateProblem(PlanError):
    """The wording template cannot be used (missing, syntax error, unknown variable)."""


def _finalize(value: object) -> str:
    if value is None:
        return ""
    return escape(str(value))


def render_blocks(context: dict, template_path: Path | None = None) -> dict[str, str]:
    """Render each block of the template with `context`; return the text of each block."""
    path = Path(template_path or DEFAULT_TEMPLATE)
    source = _source(path)
    try:
        template = _compiled(source, path.name)
        run = template.new_context(context)
        return {name: "".join(template.blocks[name](run)) for name in BLOCKS}
    except jinja2.UndefinedError as error:
        raise TemplateProblem(say("compose.template_unknown_variable", name=path.name, detail=error.message)) from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateProblem(say("compose.template_forbidden", name=path.name, detail=error)) from None


def precompile(template_path: Path | None = None) -> None:
    """Compile the template `render_blocks` would use, ahead: a batch's parent does it once for
    the worker processes it forks. Never raises: a problem is `render_blocks`' to report."""
    path = Path(template_path or DEFAULT_TEMPLATE)
    try:
        _compiled(_source(path), path.name)
    except Exception:
        pass


def _source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError:
        raise TemplateProblem(say("compose.template_unreadable", path=path)) from None


@functools.lru_cache(maxsize=8)
def _compiled(source: str, name: str):
    """The template compiled from `source` (named `name` in messages).

    Compiling takes about as long as the rest of composing a plan, so a batch compiles each
    template once per process (keyed by the text itself: an edited template is compiled again).
    """
    environment = _environment()
    try:
        code = environment.compile(source, name)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(
            say("compose.template_syntax", name=name, line=error.lineno, detail=error.message)
        ) from None
    template = environment.template_class.from_code(environment, code, environment.make_globals(None))
    missing = [block for block in BLOCKS if block not in template.blocks]
    if missing:
        raise TemplateProblem(say("compose.template_missing_blocks", name=name, blocks=", ".join(missing)))

    return template


@functools.lru_cache(maxsize=1)
def _environment():
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, finalize=_finalize, keep_trailing_newline=True, autoescape=False
    )

"""Rendering the editable wording: the only module that knows Jinja2.

The template has two blocks, ``trich_yeu`` (the summary under KẾ HOẠCH) and ``noi_dung`` (the
body, in the markup of `prose`). Every value is escaped on output, so workbook text is data and
never template code or markup; an unknown variable stops the run (StrictUndefined).
"""
from __future__ import annotations

import functools
from pathlib import Path

from povertyplan.errors import PlanError
from povertyplan.messages import say
from povertyplan.write.files import cache_dir, code_digest, write_cache_file
from povertyplan.compose.prose import escape

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "ke-hoach-giam-ngheo.md.j2"
BLOCKS = ("trich_yeu", "noi_dung")


class TemplateProblem(PlanError):
    """The wording template cannot be used (missing, syntax error, unknown variable)."""


def _finalize(value: object) -> str:
    if value is None:
        return ""
    return escape(str(value))


def render_blocks(context: dict, template_path: Path | None = None) -> dict[str, str]:
    """Render each block of the template with `context`; return the text of each block."""
    import jinja2

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
    template once per process, and the compiled code is kept in the cache folder for the next
    run. Both are keyed by the text itself: an edited template is compiled again.
    """
    import jinja2

    environment = _environment()
    cache = _bytecode_cache()
    bucket = cache.get_bucket(environment, name, None, source) if cache else None
    code = bucket.code if bucket else None
    if code is None:
        try:
            code = environment.compile(source, name)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(say("compose.template_syntax", name=name, line=error.lineno, detail=error.message)) from None
        if bucket:
            bucket.code = code
            cache.set_bucket(bucket)
    template = environment.template_class.from_code(environment, code, environment.make_globals(None))
    missing = [block for block in BLOCKS if block not in template.blocks]
    if missing:
        raise TemplateProblem(say("compose.template_missing_blocks", name=name, blocks=", ".join(missing)))

    return template


def _bytecode_cache():
    """A Jinja2 bytecode cache in the program's cache folder, or None when there is no folder.

    Jinja2 checks each entry against the template text (and the Python version) and compiles
    again when they differ. The compiled code also depends on the environment's settings and the
    Jinja2 version, so the file names carry both (the settings as a digest of this module).
    """
    import jinja2

    folder = cache_dir()
    if folder is None:
        return None

    class FolderCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            path = folder / f"{prefix}-{bucket.key}.jinja"
            try:
                data = path.read_bytes()
            except OSError:
                return
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # a damaged entry (unpickling can raise nearly anything): compile again
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            write_cache_file(folder / f"{prefix}-{bucket.key}.jinja", bucket.bytecode_to_string())

    prefix = f"wording-{jinja2.__version__}-{_settings_digest()}"
    return FolderCache()


@functools.lru_cache(maxsize=1)
def _settings_digest() -> str:
    return code_digest([Path(__file__)])[:16]


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, finalize=_finalize, keep_trailing_newline=True, autoescape=False)

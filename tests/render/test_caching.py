"""The cache folder: compiled wording and the .docx skeleton kept between runs, never needed to succeed."""
from __future__ import annotations

import ast
import dataclasses
import io
import os
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from povertyplan.render import docx_setup
from povertyplan.render import layout
from povertyplan.write import files as output
from povertyplan.render import skeleton
from povertyplan.compose import templating
from povertyplan.render import wordml
from povertyplan.write.files import CACHE_ENV, cache_dir
from povertyplan.compose.templating import TemplateProblem, render_blocks
from tests.render.test_layout import EDGE_PLAN, PLAN

from tests.paths import ROOT
EXAMPLE = ROOT / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"
TEMPLATE = "{% block trich_yeu %}{{ title }}{% endblock %}{% block noi_dung %}WORDS{% endblock %}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """An empty cache folder, and no template or skeleton already in this process's memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    templating._compiled.cache_clear()
    skeleton.skeleton.cache_clear()
    yield folder
    templating._compiled.cache_clear()
    skeleton.skeleton.cache_clear()


def _render(tmp_path: Path, words: str, context: dict | None = None) -> dict[str, str]:
    """Render a template saying `words`, as a new process would (nothing compiled in memory)."""
    template = tmp_path / "mau.j2"
    template.write_text(TEMPLATE.replace("WORDS", words), encoding="utf-8")
    templating._compiled.cache_clear()
    return render_blocks({"title": "KH", **(context or {})}, template)


def _forbid_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled although the cache holds the template")
    monkeypatch.setattr(templating._environment(), "compile", refuse)


# -- the compiled wording --------------------------------------------------------------------


def test_compiled_wording_is_kept_and_used_by_the_next_run(cache, tmp_path, monkeypatch):
    assert _render(tmp_path, "một")["noi_dung"] == "một"
    assert [path.suffix for path in cache.iterdir()] == [".jinja"]
    _forbid_compiling(monkeypatch)
    assert _render(tmp_path, "một")["noi_dung"] == "một"


def test_an_edited_template_is_honoured_despite_the_cache(cache, tmp_path):
    _render(tmp_path, "bản cũ")
    assert _render(tmp_path, "bản mới")["noi_dung"] == "bản mới"
    assert _render(tmp_path, "bản mới")["noi_dung"] == "bản mới"


def test_cached_wording_stays_sandboxed_and_strict(cache, tmp_path):
    unsafe = "{{ title.__class__.__mro__ }}"
    for _ in range(2):  # compiled, then from the cache
        with pytest.raises(TemplateProblem, match="không được phép"):
            _render(tmp_path, unsafe)
        with pytest.raises(TemplateProblem, match="nam_cu"):
            _render(tmp_path, "{{ nam_cu }}")


def test_a_damaged_cache_entry_is_compiled_again(cache, tmp_path, monkeypatch):
    from jinja2.bccache import bc_magic

    _render(tmp_path, "một")
    (entry,) = cache.iterdir()
    whole = entry.read_bytes()
    for damage in (b"", whole[:40], whole[:-5], bc_magic + b"\x80\x05garbage"):
        entry.write_bytes(damage)
        assert _render(tmp_path, "một")["noi_dung"] == "một"
    _forbid_compiling(monkeypatch)  # the last compile was kept whole
    assert _render(tmp_path, "một")["noi_dung"] == "một"


def test_a_cache_folder_that_cannot_be_made_leaves_the_run_uncached(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert cache_dir() is None
    assert _render(tmp_path, "một")["noi_dung"] == "một"


def test_a_cache_folder_refusing_writes_leaves_the_run_uncached(cache, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    assert _render(tmp_path, "một")["noi_dung"] == "một"
    assert write_docx_parts(PLAN)["word/document.xml"]
    assert list(cache.iterdir()) == []


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_dir() is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(CACHE_ENV, str(shared))
    assert cache_dir() is None


def test_generate_py_succeeds_when_the_cache_folder_is_unusable(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = {**os.environ, CACHE_ENV: str(blocker / "cache")}
    run = subprocess.run([sys.executable, str(ROOT / "generate.py"), str(EXAMPLE), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1


# -- the .docx skeleton ----------------------------------------------------------------------


def write_docx_parts(plan) -> dict[str, bytes]:
    buffer = io.BytesIO()
    layout.write_docx(plan, buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"DATE", parts["docProps/core.xml"])
    return parts


def test_a_skeleton_from_the_cache_gives_the_same_parts(cache, monkeypatch):
    made = {plan.language: write_docx_parts(plan) for plan in (PLAN, EDGE_PLAN)}
    assert len(list(cache.glob("docx-skeleton-*"))) == 2  # one per language
    skeleton.skeleton.cache_clear()
    monkeypatch.setattr(docx_setup, "set_up", lambda language: pytest.fail("set up again"))
    assert {plan.language: write_docx_parts(plan) for plan in (PLAN, EDGE_PLAN)} == made


def test_a_damaged_skeleton_is_set_up_again(cache):
    made = write_docx_parts(PLAN)
    (entry,) = cache.glob("docx-skeleton-*")
    whole = entry.read_bytes()
    for damage in (b"", whole[:-1], whole[:100] + bytes([whole[100] ^ 1]) + whole[101:]):
        entry.write_bytes(damage)
        skeleton.skeleton.cache_clear()
        assert write_docx_parts(PLAN) == made
        assert entry.read_bytes() == whole


def test_the_docx_members_carry_a_fixed_time_so_the_same_parts_make_the_same_bytes(cache):
    buffer = io.BytesIO()
    layout.write_docx(PLAN, buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert {member.date_time for member in archive.infolist()} == {skeleton.ZIP_TIME}
    assert skeleton.zip_parts(b"", {"a.xml": b"<a/>"}) == skeleton.zip_parts(b"", {"a.xml": b"<a/>"})


@pytest.mark.parametrize("module", ["docx_setup", "skeleton", "wordml"])
def test_a_skeleton_kept_by_other_code_is_set_up_again(cache, tmp_path, monkeypatch, module):
    write_docx_parts(PLAN)
    edited = tmp_path / f"{module}.py"
    edited.write_bytes((ROOT / "povertyplan" / edited.name).read_bytes() + b"\n# edited\n")
    sources = tuple(edited if path.name == edited.name else path for path in skeleton.SOURCES)
    assert edited in sources
    monkeypatch.setattr(skeleton, "SOURCES", sources)
    skeleton.skeleton.cache_clear()
    write_docx_parts(PLAN)
    assert len(list(cache.glob("docx-skeleton-*"))) == 2


def _package_imports(module: str, *, unfollowed: set[str]) -> set[str]:
    """The povertyplan modules `module` imports, directly or through one another (not through
    those `unfollowed`, which are left out)."""
    found, pending = set(), [module]
    while pending:
        name = pending.pop()
        if name in found or name in unfollowed:
            continue
        found.add(name)
        source = ROOT / "povertyplan" / f"{name}.py"
        if not source.exists():  # a subpackage: found, not read
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.module == "povertyplan" or (node.level == 1 and node.module is None):
                pending += [alias.name for alias in node.names]
            elif node.module and (node.level == 1 or node.module.startswith("povertyplan.")):
                pending.append(node.module.removeprefix("povertyplan.").split(".")[0])
    return found


def test_the_skeleton_key_covers_its_set_up_and_every_module_that_imports():
    shaped_by = _package_imports("docx_setup", unfollowed={"output"})  # it finds and writes the file
    assert shaped_by <= {path.stem for path in skeleton.SOURCES}


def test_a_run_with_the_skeleton_cached_does_not_import_python_docx(cache):
    write_docx_parts(PLAN)  # keeps the skeleton
    code = ("import io, sys; from povertyplan.render.layout import write_docx; "
            "from povertyplan.compose.document import Paragraph, PlanDocument, Run, Table; "
            f"write_docx({PLAN!r}, io.BytesIO()); print('docx' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
                         env={**os.environ, CACHE_ENV: str(cache)})
    assert run.stdout.strip() == "False", run.stderr


def _core_by_python_docx(title: str, language: str) -> bytes:
    """The core properties as the python-docx implementation of the writer set them."""
    from docx import Document
    from docx.opc.oxml import serialize_part_xml

    properties = Document().core_properties
    properties.title = title
    properties.language = language
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    properties.revision = 1
    return serialize_part_xml(properties._element)


@pytest.mark.parametrize("title", ["", "a & <b> > c", "dòng\r\nhai\ttab", '"ngoặc" \'đơn\'', "Kế hoạch 😀 \u2028 \x85", "x" * 255],
                         ids=["empty", "markup", "breaks", "quotes", "unicode", "longest"])
def test_core_properties_are_what_python_docx_wrote(cache, title):
    plan = dataclasses.replace(PLAN, summary=title)
    mask = rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    ours = re.sub(mask, b"DATE", skeleton.skeleton(plan.language).core_xml(plan.summary))
    assert ours == re.sub(mask, b"DATE", _core_by_python_docx(title, plan.language))


def test_a_summary_too_long_for_the_title_property_is_shortened_there_and_kept_whole_in_the_plan(cache):
    summary = "Kế hoạch thực hiện công tác giảm nghèo bền vững " * 8
    plan = dataclasses.replace(PLAN, summary=summary)
    out = io.BytesIO()
    layout.write_docx(plan, out)
    import docx

    written = docx.Document(io.BytesIO(out.getvalue()))
    assert len(written.core_properties.title) <= 255 and written.core_properties.title.endswith("…")
    assert summary.startswith(written.core_properties.title[:-1])


@pytest.mark.parametrize("value", [0, 0.5, 1, 2, 4, 6, 11, 12.5, 13, 14, 1.27, 10.0, 17.4, 27, 32.5, 37.5, 57.75, 82.5, 99.99, 165])
def test_lengths_round_as_python_docx_rounds_them(value):
    from docx.shared import Mm, Pt

    assert wordml.pt_twips(value) == Pt(value).twips
    assert wordml.mm_twips(value) == Mm(value).twips
    assert wordml.half_points(value) == int(Pt(value).pt * 2)

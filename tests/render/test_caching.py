"""The cache folder: compiled wording kept between runs, never needed to succeed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from povertyplan.write import files as output
from povertyplan.compose import templating
from povertyplan.write.files import CACHE_ENV, cache_dir
from povertyplan.compose.templating import TemplateProblem, render_blocks

from tests.paths import ROOT
EXAMPLE = ROOT / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"
TEMPLATE = "{% block trich_yeu %}{{ title }}{% endblock %}{% block noi_dung %}WORDS{% endblock %}"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """An empty cache folder, and no template already in this process's memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    templating._compiled.cache_clear()
    yield folder
    templating._compiled.cache_clear()


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

"""Batches: many workbooks in worker processes, each plan written on its own, every failure listed at the end."""

import concurrent.futures
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from povertyplan import api
from povertyplan import batch
from povertyplan import cli
from tests.builders import reference_sheets, set_info, write_workbook

from tests.paths import ROOT

BAD_COUNT = 'Lỗi: Sheet "Chỉ tiêu", dòng 8, cột "Số hộ": "hai trăm" không phải số nguyên. Nhập số hộ bằng chữ số.'
NOT_A_WORKBOOK = 'Lỗi: Tệp "d.xlsx" không phải sổ Excel .xlsx hoặc đã bị hỏng. Mở bằng Excel và lưu lại dạng .xlsx.'
fork_only = pytest.mark.skipif(
    batch._context().get_start_method() != "fork", reason="a patch reaches the workers only when they are forked"
)


def commune(folder: Path, name: str, commune: str) -> Path:
    return write_workbook(folder / name, set_info(reference_sheets(), "Tên đơn vị hành chính", commune))


def plan_name(commune_slug: str) -> str:
    return f"ke-hoach-giam-ngheo-2023-phuong-{commune_slug}.docx"


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Five workbooks: b.xlsx has an error, d.xlsx is not a workbook, the others are good."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    commune(folder, "a.xlsx", "Bắc Sơn")
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][7][2] = "hai trăm"
    write_workbook(folder / "b.xlsx", sheets)
    commune(folder, "c.xlsx", "Ngọc Trạo")
    (folder / "d.xlsx").write_bytes(b"not a workbook")
    commune(folder, "e.xlsx", "Quang Trung")
    return folder


@pytest.fixture
def pool(monkeypatch):
    """Worker processes even for a few workbooks, on any machine (one core included)."""
    monkeypatch.setattr(cli, "POOL_FROM", 2)
    monkeypatch.setattr(batch, "usable_cores", lambda: 2)


@pytest.fixture
def one_process(monkeypatch):
    monkeypatch.setattr(cli, "POOL_FROM", 1000)


def summary(err: str) -> list[str]:
    """The lines from the failure count on: the end of a batch's standard error."""
    lines = err.splitlines()
    return lines[next(i for i, line in enumerate(lines) if "sổ có lỗi:" in line) :]


def test_workers_write_every_good_plan_and_list_each_failure_with_its_errors_at_the_end(inputs, tmp_path, pool, capsys):
    out = tmp_path / "out"
    assert cli.main([str(inputs), "-o", str(out)]) == 1
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(
        plan_name(s) for s in ("bac-son", "ngoc-trao", "quang-trung")
    )
    assert summary(capsys.readouterr().err) == [
        "2/5 sổ có lỗi: b.xlsx, d.xlsx",
        "b.xlsx:",
        f"  {BAD_COUNT}",
        "d.xlsx:",
        f"  {NOT_A_WORKBOOK}",
    ]


def test_workers_print_what_one_process_prints_in_the_same_order(inputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "usable_cores", lambda: 2)
    printed = {}
    for pool_from in (1000, 2):
        monkeypatch.setattr(cli, "POOL_FROM", pool_from)
        out = tmp_path / "out"  # the same folder: the second run keeps the first run's plans
        cli.main([str(inputs), "-o", str(out)])
        captured = capsys.readouterr()
        printed[pool_from] = (captured.out, captured.err)
    one, many = printed[1000], printed[2]
    assert many[1] == one[1]
    assert [line for line in many[0].splitlines() if "giữ lại" not in line] == one[0].splitlines()
    assert [line.split(":")[0] for line in many[0].splitlines() if line.endswith(".xlsx:")] == [
        "a.xlsx",
        "b.xlsx",
        "c.xlsx",
        "d.xlsx",
        "e.xlsx",
    ]


def test_a_batch_without_errors_exits_0_and_says_so(tmp_path, pool, capsys):
    for name, place in (("a.xlsx", "Bắc Sơn"), ("b.xlsx", "Ngọc Trạo"), ("c.xlsx", "Quang Trung")):
        commune(tmp_path, name, place)
    assert cli.main([str(tmp_path), "--check"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("Sổ số liệu hợp lệ.") == 3
    assert captured.out.splitlines()[-1] == "Xong: 3 sổ, không sổ nào có lỗi."
    assert captured.err == ""


def test_two_workbooks_of_one_commune_keep_each_others_plan(tmp_path, pool, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"):
        commune(inputs, name, "Bắc Sơn")
    out = tmp_path / "out"
    assert cli.main([str(inputs), "-o", str(out)]) == 0
    assert len(list(out.glob(plan_name("bac-son")))) == 1
    assert len(list(out.glob("ke-hoach-giam-ngheo-2023-phuong-bac-son.ban-cu-*.docx"))) == 3


@fork_only
def test_a_bug_in_a_worker_is_reported_without_data_and_the_others_still_run(
    inputs, tmp_path, pool, monkeypatch, capsys
):
    real_check = api.check

    def check(path):
        if Path(path).name == "a.xlsx":
            raise KeyError("Nguyễn Văn Trường")  # an exception whose text holds personal data
        return real_check(path)

    monkeypatch.setattr(api, "check", check)
    assert cli.main(["--check", str(inputs)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("Sổ số liệu hợp lệ.") == 2  # c.xlsx and e.xlsx
    failures = summary(captured.out + captured.err)
    assert failures[0] == "3/5 sổ có lỗi: a.xlsx, b.xlsx, d.xlsx"
    assert failures[2].startswith("  Lỗi chương trình (không phải lỗi của sổ số liệu): KeyError tại ")
    assert "Nguyễn Văn Trường" not in captured.out + captured.err and "Traceback" not in captured.err


@fork_only
def test_a_worker_process_that_dies_fails_only_its_workbook(inputs, tmp_path, pool, monkeypatch, capsys):
    real_check = api.check

    def check(path):
        if Path(path).name == "c.xlsx":
            os._exit(9)  # as when the system kills a process that takes too much memory
        return real_check(path)

    monkeypatch.setattr(api, "check", check)
    assert cli.main(["--check", str(inputs)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("Sổ số liệu hợp lệ.") == 2  # a.xlsx and e.xlsx
    failures = summary(captured.err)
    assert failures[0] == "3/5 sổ có lỗi: b.xlsx, c.xlsx, d.xlsx"
    assert failures[3] == "c.xlsx:" and "dừng đột ngột" in failures[4]


def test_a_terminal_gets_a_progress_bar_on_standard_error_only(inputs, tmp_path, pool, monkeypatch, capsys):
    monkeypatch.setattr(cli, "PROGRESS_FROM", 2)
    cli.main(["--check", str(inputs)])
    plain = capsys.readouterr()
    assert "\r" not in plain.out + plain.err
    monkeypatch.setattr(cli, "_is_terminal", lambda stream: True)
    assert cli.main(["--check", str(inputs)]) == 1
    shown = capsys.readouterr()
    assert shown.out == plain.out
    assert "\r[########################] 5/5 sổ" in shown.err
    assert not re.search(r"\r\[[#-]+\][^\r]*\n", shown.err)  # the bar is wiped before anything else is printed
    assert on_screen(shown.err) == plain.err.split("\n")


def on_screen(text: str) -> list[str]:
    """The lines a terminal shows: what follows the last carriage return of each."""
    return [line.split("\r")[-1] for line in text.split("\n")]


def test_progress_bar_counts_and_estimates_the_time_left():
    stream = io.StringIO()
    bar = batch.ProgressBar(4, stream)
    bar.done = 1
    bar.draw()
    assert stream.getvalue().startswith("\r[######------------------] 1/4 sổ, ")
    assert "sổ/giây, còn khoảng " in stream.getvalue()
    bar.clear()
    assert stream.getvalue().endswith("\r")


def test_generate_py_runs_a_folder_in_worker_processes(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    places = ("Bắc Sơn", "Ngọc Trạo", "Quang Trung", "Lam Sơn")
    for index, place in enumerate(places):
        commune(inputs, f"{index}.xlsx", place)
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), str(inputs), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == len(places)
    assert done.stdout.splitlines()[-1] == "Xong: 4 sổ, không sổ nào có lỗi." and done.stderr == ""


@pytest.mark.parametrize("several", [False, True], ids=["one workbook", "a folder in worker processes"])
def test_check_never_imports_python_docx(tmp_path, several):
    for index in range(4 if several else 1):
        commune(tmp_path, f"{index}.xlsx", "Bắc Sơn")
    code = (
        "import sys; from povertyplan.cli import main; rc = main(sys.argv[1:]); print('docx' in sys.modules); "
        "sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--check", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_without_worker_processes_the_batch_runs_in_this_one(inputs, tmp_path, pool, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # e.g. no shared semaphores on this system

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    out = tmp_path / "out"
    assert cli.main([str(inputs), "-o", str(out)]) == 1
    assert len(list(out.glob("*.docx"))) == 3
    assert summary(capsys.readouterr().err)[0] == "2/5 sổ có lỗi: b.xlsx, d.xlsx"

"""The summary of a batch (tong-hop-<năm>.xlsx), through the command line: its rows against the
plans' `Cộng` rows, its totals as LibreOffice computes them, its sheet of failures, what it never
holds, and when it is not written. Expected totals are summed here from the plans themselves."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from povertyplan import batch, cli
from tests import reference_data
from tests.builders import reference_sheets, set_info, write_workbook

SUMMARY = "tong-hop-2023.xlsx"
PLANS = {"a.xlsx": "bac-son", "b.xlsx": "ngoc-trao", "d.xlsx": "quang-trung"}
DUPLICATE_CODE = (
    'Sheet "Hộ gia đình", dòng 4, cột "Mã hộ": mã hộ bị trùng với dòng 3. Mỗi hộ chỉ có một mã; sửa hoặc xóa dòng '
    "trùng."
)


def batch_folder(folder: Path) -> Path:
    """Four workbooks: a plain (typed targets), b with blank targets (proposed), c in error (a
    duplicate household code), d with near-poor figures and other household counts."""
    folder.mkdir()
    write_workbook(folder / "a.xlsx", reference_sheets())
    b = set_info(reference_sheets(), "Tên đơn vị hành chính", "Ngọc Trạo")
    for row in b["Chỉ tiêu"][1:]:
        row[4] = None
    write_workbook(folder / "b.xlsx", b)
    c = set_info(reference_sheets(), "Tên đơn vị hành chính", "Lam Sơn")
    c["Hộ gia đình"][3][0] = c["Hộ gia đình"][2][0]
    write_workbook(folder / "c.xlsx", c)
    d = set_info(
        set_info(reference_sheets(), "Tên đơn vị hành chính", "Quang Trung"), "Chỉ tiêu giảm hộ cận nghèo được giao", 4
    )
    for row in d["Chỉ tiêu"][1:]:
        row[2] += 1000  # 10 units: 12452 households, written 12.452 in the plan
    write_workbook(folder / "d.xlsx", d)
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The batch run once in worker processes: (output folder, stdout, stderr, exit code)."""
    root = tmp_path_factory.mktemp("summary")
    inputs, out = batch_folder(root / "inputs"), root / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        patch.setattr(cli, "POOL_FROM", 2)  # worker processes even for four workbooks, on any machine
        patch.setattr(batch, "usable_cores", lambda: 2)
        code = cli.main([str(inputs), "-o", str(out)])
    return out, stdout.getvalue(), stderr.getvalue(), code


def sheet_rows(path: Path, index: int = 0) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path).worksheets[index].iter_rows(values_only=True)]


def plan_total_row(out: Path, slug: str) -> list[str]:
    """The `Cộng` row of a plan's target table, as printed: households … (near-poor cells)."""
    document = docx.Document(str(out / f"ke-hoach-giam-ngheo-2023-phuong-{slug}.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT" and t.rows[0].cells[2].text == "Số hộ")
    cells = [cell.text for cell in table.rows[-1].cells]
    assert cells[1] == "Cộng"
    return cells[2:]


def as_printed(value, rate: bool) -> str:
    """A summary cell as the plan prints it: 1.18 → ``1,18``, 2452 → ``2.452``."""
    if rate:
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def test_the_batch_writes_the_summary_and_says_where(run):
    out, stdout, _, code = run
    assert code == 1  # c.xlsx is in error
    assert (out / SUMMARY).exists()
    assert (
        f"Đã ghi bảng tổng hợp (mỗi đơn vị một dòng, không có dữ liệu cá nhân): {out / SUMMARY}" in stdout.splitlines()
    )


def test_one_row_per_plan_equal_to_its_plans_total_row(run):
    out = run[0]
    rows = sheet_rows(out / SUMMARY)
    header = rows[3]
    assert header[:11] == (
        "TT",
        "Tỉnh",
        "Đơn vị hành chính",
        "Sổ số liệu",
        "Số hộ",
        "Hộ nghèo đầu năm",
        "Tỷ lệ hộ nghèo đầu năm (%)",
        "Chỉ tiêu giảm hộ nghèo được giao",
        "Chỉ tiêu giảm hộ nghèo (cộng các đơn vị)",
        "Dự kiến hộ nghèo cuối năm",
        "Dự kiến tỷ lệ hộ nghèo cuối năm (%)",
    )
    assert header[11:] == (
        "Hộ cận nghèo đầu năm",
        "Tỷ lệ hộ cận nghèo đầu năm (%)",
        "Chỉ tiêu giảm hộ cận nghèo",
        "Dự kiến hộ cận nghèo cuối năm",
        "Dự kiến tỷ lệ hộ cận nghèo cuối năm (%)",
    )
    data = rows[4:7]
    assert [(row[0], row[1], row[2], row[3]) for row in data] == [
        (1, "Thanh Hóa", "Phường Bắc Sơn", "a.xlsx"),
        (2, "Thanh Hóa", "Phường Ngọc Trạo", "b.xlsx"),
        (3, "Thanh Hóa", "Phường Quang Trung", "d.xlsx"),
    ]
    for row, slug in zip(data, PLANS.values()):
        plan = plan_total_row(out, slug)
        poor = [as_printed(row[i], i in (6, 10)) for i in (4, 5, 6, 8, 9, 10)]
        assert poor == plan[:6], slug
        near = [as_printed(row[i], False) for i in (11, 13, 14) if row[i] is not None]
        assert near == plan[6:], slug
    assert [row[7] for row in data] == [7, 7, 7]  # the assigned target of each workbook
    assert data[2][11:] == (15, 0.12, 4, 11, 0.09)  # 15 and 11 of 12452 households: 0,12 % and 0,09 %


def test_the_total_row_is_formulas_that_libreoffice_computes_to_the_plans_sums(run, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = run[0]
    rows = sheet_rows(out / SUMMARY)
    total = rows[7]
    assert total[2] == "Tổng cộng" and total[4] == "=SUM(E5:E7)"
    assert total[6] == "=ROUND(100*SUM(F5:F7)/SUM(E5:E7),2)"
    assert total[12] == '=ROUND(100*SUM(L5:L7)/SUMPRODUCT(E5:E7*(L5:L7<>"")),2)'
    computed = libreoffice_rows(out / SUMMARY, tmp_path)[7]
    plans = [plan_total_row(out, slug) for slug in PLANS.values()]

    def count(text: str) -> int:
        return int(text.replace(".", ""))

    households = sum(count(plan[0]) for plan in plans)
    poor_start, target, poor_end = (sum(count(plan[i]) for plan in plans) for i in (1, 3, 4))
    assigned = 7 * 3
    near_households = count(plans[2][0])
    near_start, near_target, near_end = (count(plans[2][i]) for i in (6, 7, 8))
    expected = [
        households,
        poor_start,
        rate(poor_start, households),
        assigned,
        target,
        poor_end,
        rate(poor_end, households),
        near_start,
        rate(near_start, near_households),
        near_target,
        near_end,
        rate(near_end, near_households),
    ]
    assert computed[2] == "Tổng cộng"
    assert [Decimal(cell) for cell in computed[4:16]] == expected
    # By hand: 2452 + 2452 + 12452 = 17356 households, 3 × 29 = 87 poor: 0.5013 % → 0.50; at the
    # end 21 + 22 + 21 = 64: 0.3687 % → 0.37; near-poor (d only) 15 and 11 of 12452: 0.12, 0.09.
    assert expected == [
        17356,
        87,
        Decimal("0.50"),
        21,
        8 + 7 + 8,
        64,
        Decimal("0.37"),
        15,
        Decimal("0.12"),
        4,
        11,
        Decimal("0.09"),
    ]


def rate(count: int, households: int) -> Decimal:
    """100 × count ÷ households, rounded half up to 2 decimals, in decimal arithmetic."""
    return (Decimal(100 * count) / Decimal(households)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def libreoffice_rows(path: Path, folder: Path) -> list[list[str]]:
    """The first sheet as LibreOffice computes it on opening, exported as CSV (UTF-8, raw values)."""
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false",
            "--outdir",
            str(folder),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    with open(folder / path.with_suffix(".csv").name, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def test_header_filters_and_frozen_header_rows(run):
    book = openpyxl.load_workbook(run[0] / SUMMARY)
    plans, failures = book.worksheets
    assert (plans.title, failures.title) == ("Tổng hợp", "Sổ có lỗi")
    assert plans.auto_filter.ref == "A4:P7"  # the header and the three plans, not the total row
    assert plans.freeze_panes == "A5"
    assert failures.auto_filter.ref == "A2:C3" and failures.freeze_panes == "A3"


def test_the_workbooks_in_error_are_listed_with_their_first_error_without_household_codes(run):
    out, _, err, _ = run
    rows = sheet_rows(out / SUMMARY, 1)
    assert rows[1] == ("TT", "Sổ số liệu", "Lỗi đầu tiên")
    assert rows[2:] == [(1, "c.xlsx", DUPLICATE_CODE)]
    assert "(mã hộ BS-002)" in err  # the console keeps the household code; the summary does not


def test_the_summary_holds_no_personal_data(run):
    with zipfile.ZipFile(run[0] / SUMMARY) as archive:
        text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    for code, name, _, _ in reference_data.register_rows():
        assert name not in text and code not in text


def test_running_again_keeps_the_previous_summary(run, tmp_path, capsys):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(run[0].parent / "inputs" / name, folder / name)
    out = tmp_path / "out"
    assert cli.main([str(folder), "-o", str(out)]) == 0
    first = (out / SUMMARY).read_bytes()
    assert cli.main([str(folder), "-o", str(out)]) == 0
    [kept] = out.glob("tong-hop-2023.ban-cu-*.xlsx")
    assert kept.read_bytes() == first
    assert f"Bảng tổng hợp trước được giữ lại: {kept.name}" in capsys.readouterr().out


@pytest.mark.parametrize("options", [["--no-summary"], ["--check"]], ids=["--no-summary", "--check"])
def test_no_summary_with_no_summary_or_check(run, tmp_path, options):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(run[0].parent / "inputs" / name, folder / name)
    out = tmp_path / "out"
    out.mkdir()
    assert cli.main([str(folder), "-o", str(out), *options]) == 0
    assert not list(out.glob("tong-hop-*"))


def test_one_workbook_gets_no_summary(run, tmp_path):
    out = tmp_path / "out"
    assert cli.main([str(run[0].parent / "inputs" / "a.xlsx"), "-o", str(out)]) == 0
    assert not list(out.glob("tong-hop-*"))


def test_two_workbooks_of_one_commune_are_two_rows_and_a_warning(tmp_path, capsys):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        write_workbook(folder / name, reference_sheets())
    assert cli.main([str(folder), "-o", str(tmp_path / "out")]) == 0
    assert [row[3] for row in sheet_rows(tmp_path / "out" / SUMMARY)[4:6]] == ["a.xlsx", "b.xlsx"]
    assert (
        "  Cảnh báo: bảng tổng hợp có 2 dòng của Phường Bắc Sơn (sổ a.xlsx, b.xlsx): các sổ này cùng một đơn "
        "vị nên dòng Tổng cộng tính đơn vị này 2 lần. Bỏ sổ thừa khỏi thư mục rồi chạy lại."
    ) in capsys.readouterr().out.splitlines()


def test_a_summary_that_cannot_be_written_is_said_and_fails_the_run_but_not_the_plans(run, tmp_path, capsys):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(run[0].parent / "inputs" / name, folder / name)
    out = tmp_path / "out"
    assert cli.main([str(folder), "-o", str(out)]) == 0
    (out / "~$ng-hop-2023.xlsx").write_bytes(b"lock")  # Excel's lock file: the summary is open
    capsys.readouterr()
    assert cli.main([str(folder), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert any(
        line.startswith("Chưa ghi được bảng tổng hợp: ") and "tong-hop-2023.xlsx" in line
        for line in captured.err.splitlines()
    )
    assert len(list(out.glob("ke-hoach-*.ban-cu-*.docx"))) == 2 and not list(out.glob("tong-hop-2023.ban-cu-*"))
